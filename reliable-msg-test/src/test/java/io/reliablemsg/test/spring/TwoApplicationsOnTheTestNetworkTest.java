package io.reliablemsg.test.spring;

import static io.reliablemsg.test.spring.EventRecorder.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.FailureReason;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.SendFailedEvent;
import io.reliablemsg.test.TestNetwork;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Two Spring applications that a test starts itself, sharing one test network through the initializer. */
class TwoApplicationsOnTheTestNetworkTest {
    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void theyExchangeMessagesAndWhileOneIsCutOffTheOtherPublishesASendFailedEventPerMessage() {
        try (TestNetwork network = new TestNetwork();
             ConfigurableApplicationContext alice = start(network, 1, 17501, "bob", 17502);
             ConfigurableApplicationContext bob = start(network, 2, 17502, "alice", 17501)) {
            ReliableMessenger aliceMessenger = alice.getBean(ReliableMessenger.class);
            ReliableMessenger bobMessenger = bob.getBean(ReliableMessenger.class);
            EventRecorder aliceEvents = alice.getBean(EventRecorder.class);
            EventRecorder bobEvents = bob.getBean(EventRecorder.class);
            assertThat(alice.getBean(TestNetwork.class)).isSameAs(network).isSameAs(bob.getBean(TestNetwork.class));
            assertThat(network.carries(aliceMessenger)).isTrue();
            assertThat(network.carries(bobMessenger)).isTrue();

            IntStream.range(0, 20).forEach(i -> aliceMessenger.send("bob", bytes("a" + i), null));
            bobMessenger.send("alice", bytes("b"), null);
            await().atMost(WITHIN).until(() -> bobEvents.received.size() == 20 && aliceEvents.received.size() == 1);
            assertThat(bobEvents.texts()).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, 20).mapToObj(i -> "a" + i).toList());
            assertThat(aliceEvents.texts()).containsExactly("b");

            network.isolate("bob");
            aliceMessenger.send("bob", bytes("x"), bytes("order-1"));
            aliceMessenger.send("bob", bytes("y"), bytes("order-2"));
            await().atMost(WITHIN).until(() -> aliceEvents.failures.size() == 2);
            assertThat(aliceEvents.failedUserBuffers()).containsExactlyInAnyOrder("order-1", "order-2");
            assertThat(aliceEvents.failures).extracting(SendFailedEvent::getReason)
                    .containsOnly(FailureReason.RETRIES_EXHAUSTED);
            assertThat(bobEvents.received).hasSize(20);

            network.heal("bob");
            aliceMessenger.send("bob", bytes("z"), null);
            await().atMost(WITHIN).until(() -> bobEvents.received.size() == 21);
        }
    }

    private static ConfigurableApplicationContext start(TestNetwork network, int clientId, int port, String peer,
                                                        int peerPort) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .initializers(new TestNetworkContextInitializer(network))
                .properties("reliable-msg.client-id=" + clientId, "reliable-msg.port=" + port,
                        "reliable-msg.peers." + peer + "=127.0.0.1:" + peerPort, "reliable-msg.interval=50ms",
                        "reliable-msg.max-retries=3", "reliable-msg.heartbeat-interval=0s",
                        "reliable-msg.close-timeout=0s", "spring.jmx.enabled=false")
                .run();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(EventRecorder.class)
    static class App {
    }
}
