package io.reliablemsg.test.spring;

import io.reliablemsg.test.TestNetwork;
import java.util.Objects;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Puts the starter's messenger of an application context that a test starts itself on a given
 * {@link TestNetwork}, which becomes a bean of that context: give one network to several contexts
 * ({@code new SpringApplicationBuilder(App.class).initializers(new TestNetworkContextInitializer(network))})
 * and their messengers talk to each other on it. The context does not close the network; the test does.
 */
public final class TestNetworkContextInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    private final TestNetwork network;

    /** Initializes contexts with {@code network}. */
    public TestNetworkContextInitializer(TestNetwork network) {
        this.network = Objects.requireNonNull(network, "network");
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getBeanFactory().registerSingleton("reliableMsgTestNetwork", network);
        context.getBeanFactory().registerSingleton("reliableMsgTestNetworkTransport", new TestNetworkTransport(network));
    }
}
