package io.reliablemsg.test.spring;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMessengerBuilderCustomizer;
import io.reliablemsg.test.TestNetwork;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A {@link TestNetwork} bean (unless the test defines one), seeded from
 * {@code reliable-msg.test-network.seed}, and the customizer that puts the starter's messenger on it.
 * Imported by {@link AutoConfigureReliableMsgTestNetwork}; not an auto-configuration of applications.
 */
@AutoConfiguration
@ConditionalOnClass({ReliableMessenger.class, ReliableMessengerBuilderCustomizer.class})
public final class ReliableMsgTestNetworkAutoConfiguration {
    /** Property holding the seed. */
    public static final String SEED_PROPERTY = "reliable-msg.test-network.seed";

    @Bean
    @ConditionalOnMissingBean
    TestNetwork reliableMsgTestNetwork(Environment environment) {
        return new TestNetwork(environment.getProperty(SEED_PROPERTY, Long.class, TestNetwork.DEFAULT_SEED));
    }

    @Bean
    @ConditionalOnMissingBean(TestNetworkTransport.class)
    TestNetworkTransport reliableMsgTestNetworkTransport(TestNetwork network) {
        return new TestNetworkTransport(network);
    }
}
