package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Two Spring applications, each with the starter, exchanging messages over real UDP on 127.0.0.1. */
class TwoApplicationsOverUdpTest {
    private static final int MESSAGES = 50;

    @Test
    void messagesSentByOneApplicationArriveOnceAtTheOthersInboundHandler() {
        int alicePort = FreeUdpPort.find();
        int bobPort = FreeUdpPort.find();
        try (ConfigurableApplicationContext alice = start(1, alicePort, "bob", bobPort);
             ConfigurableApplicationContext bob = start(2, bobPort, "alice", alicePort)) {
            ReliableMessenger aliceMessenger = alice.getBean(ReliableMessenger.class);
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(aliceMessenger.send("bob", payload(i), null)).isTrue();
            }
            bob.getBean(ReliableMessenger.class).send("alice", payload(-1), null);

            RecordingListener bobInbox = bob.getBean(RecordingListener.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> aliceMessenger.pendingCount() == 0
                    && aliceMessenger.stats("bob").acked() == MESSAGES);
            await().atMost(Duration.ofSeconds(10)).until(() -> bobInbox.received.size() >= MESSAGES);

            List<String> texts = bobInbox.received.stream()
                    .map(m -> new String(m.payload(), StandardCharsets.US_ASCII)).toList();
            assertThat(texts).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, MESSAGES).mapToObj(i -> new String(payload(i), StandardCharsets.US_ASCII)).toList());
            assertThat(bobInbox.received).extracting(InboundMessage::peer).containsOnly("alice");
            assertThat(bobInbox.received).extracting(InboundMessage::clientId).containsOnly(1);
            assertThat(alice.getBean(RecordingListener.class).received).extracting(InboundMessage::payload)
                    .containsExactly(payload(-1));
            assertThat(alice.getBean(RecordingListener.class).failures).isEmpty();
        }
    }

    private static ConfigurableApplicationContext start(int clientId, int port, String peer, int peerPort) {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("reliable-msg.client-id=" + clientId, "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.port=" + port, "reliable-msg.peers." + peer + "=127.0.0.1:" + peerPort,
                        "reliable-msg.interval=200ms", "reliable-msg.close-timeout=0s",
                        "spring.jmx.enabled=false", "management.metrics.enabled=false")
                .run();
    }

    private static byte[] payload(int index) {
        return ("message-" + index).getBytes(StandardCharsets.US_ASCII);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(RecordingListener.class)
    static class App {
    }
}
