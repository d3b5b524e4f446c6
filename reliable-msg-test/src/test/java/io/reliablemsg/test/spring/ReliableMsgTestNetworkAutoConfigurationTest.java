package io.reliablemsg.test.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMessengerBuilderCustomizer;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import io.reliablemsg.test.TestNetwork;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The test network's auto-configuration, one behaviour each. */
class ReliableMsgTestNetworkAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                    ReliableMsgTestNetworkAutoConfiguration.class))
            .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.peers.bob=127.0.0.1:17402",
                    "reliable-msg.heartbeat-interval=0s", "reliable-msg.close-timeout=0s");

    @Test
    void putsTheStartersMessengerOnANetworkBeanWithTheDefaultSeed() {
        runner.run(context -> {
            TestNetwork network = context.getBean(TestNetwork.class);
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);

            assertThat(messenger.isRunning()).isTrue();
            assertThat(network.carries(messenger)).isTrue();
            assertThat(network.seed()).isEqualTo(TestNetwork.DEFAULT_SEED);
            assertThat(messenger.localAddress().getAddress().isLoopbackAddress()).as("port 0 on 0.0.0.0").isTrue();
            assertThat(network.address("bob")).as("the configured peer is a node name")
                    .hasToString("/127.0.0.1:17402");
        });
    }

    @Test
    void takesTheSeedFromItsProperty() {
        runner.withPropertyValues(ReliableMsgTestNetworkAutoConfiguration.SEED_PROPERTY + "=9")
                .run(context -> assertThat(context.getBean(TestNetwork.class).seed()).isEqualTo(9));
    }

    @Test
    void backsOffToANetworkOfTheTest() {
        TestNetwork own = new TestNetwork(5);
        runner.withBean(TestNetwork.class, () -> own).run(context -> {
            assertThat(context.getBean(TestNetwork.class)).isSameAs(own);
            assertThat(own.carries(context.getBean(ReliableMessenger.class))).isTrue();
        });
    }

    @Test
    void winsOverAnApplicationCustomizerThatSetsATransportAndKeepsItsDecorator() {
        AtomicBoolean decorated = new AtomicBoolean();
        ReliableMessengerBuilderCustomizer application = builder -> builder
                .transport(config -> {
                    throw new AssertionError("the application's transport was opened");
                })
                .transportDecorator(transport -> {
                    decorated.set(true);
                    return transport;
                });
        runner.withBean(ReliableMessengerBuilderCustomizer.class, () -> application).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TestNetwork.class).carries(context.getBean(ReliableMessenger.class))).isTrue();
            assertThat(decorated).isTrue();
        });
    }

    @Test
    void doesNothingWithoutTheStarter() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMsgTestNetworkAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader(ReliableMessengerBuilderCustomizer.class))
                .run(context -> assertThat(context).doesNotHaveBean(TestNetwork.class));
    }
}
