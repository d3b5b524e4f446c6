package io.reliablemsg.test.spring;

import io.reliablemsg.test.TestNetwork;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Puts the test context's {@code ReliableMessenger} on a {@link TestNetwork} instead of a UDP socket,
 * and makes that network a bean, for a {@code @SpringBootTest}: the messenger binds
 * no port, its peers are reached by the addresses in {@code reliable-msg.peers.*} (under those names
 * on the network), and the test cuts a peer ({@code network.isolate("bob")}) and sees the
 * {@code SendFailedEvent}s. Before each test method every running {@code ReliableMessenger} bean must be
 * on the network; after it, the network's faults and partitions are switched off and the messengers the
 * test started on it ({@code network.messenger(...)}) are closed.
 *
 * <p>Imports {@link ReliableMsgTestNetworkAutoConfiguration} (listed in
 * {@code META-INF/spring/io.reliablemsg.test.spring.AutoConfigureReliableMsgTestNetwork.imports}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@PropertyMapping("reliable-msg.test-network")
public @interface AutoConfigureReliableMsgTestNetwork {
    /** Seed of the network's random draws (loss, duplication, delay); property {@code reliable-msg.test-network.seed}. */
    long seed() default TestNetwork.DEFAULT_SEED;
}
