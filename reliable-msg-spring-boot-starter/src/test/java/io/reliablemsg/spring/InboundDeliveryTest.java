package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One application and a plain messenger, "alice", that sends it messages over real UDP on 127.0.0.1;
 * each message reaches every handler bean and listener method once. (A node may not name its own
 * socket as a peer, so the sender is a second messenger.)
 */
class InboundDeliveryTest {
    private final int port = FreeUdpPort.find();
    private final int alicePort = FreeUdpPort.find();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
            .withPropertyValues("reliable-msg.client-id=5", "reliable-msg.bind-address=127.0.0.1",
                    "reliable-msg.port=" + port, "reliable-msg.peers.alice=127.0.0.1:" + alicePort,
                    "reliable-msg.interval=200ms", "reliable-msg.close-timeout=0s");

    @Test
    void callsEveryHandlerBeanAndAnnotatedMethodOncePerMessageEvenWhenOneThrows() {
        runner.withUserConfiguration(Receivers.class).run(context -> {
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
            Receivers receivers = context.getBean(Receivers.class);
            try (ReliableMessenger alice = ReliableMessenger.builder(MessengerConfig.builder().clientId(6)
                    .bindAddress("127.0.0.1").port(alicePort).peer("app", "127.0.0.1", port).build()).build()) {
                alice.start();
                for (int i = 0; i < 3; i++) {
                    assertThat(alice.send("app", new byte[] {(byte) i}, null)).isTrue();
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> receivers.payloads.size() == 3
                        && receivers.fromHandler.size() == 3 && receivers.fromOtherPeer.isEmpty()
                        && alice.pendingCount() == 0);
            }
            assertThat(receivers.payloads).containsExactlyInAnyOrder(new byte[] {0}, new byte[] {1}, new byte[] {2});
            assertThat(receivers.fromHandler).extracting(InboundMessage::peer).containsOnly("alice");
            assertThat(receivers.messages).hasSize(3);
            // The core counts the error after the composite handler returned: wait for it, then check it stops at 3.
            await().atMost(Duration.ofSeconds(10)).until(() -> messenger.stats().handlerErrors() >= 3);
            assertThat(messenger.stats().handlerErrors()).as("the throwing handler, once per message").isEqualTo(3);
            assertThat(receivers.fromOtherPeer).as("filtered by peers = \"other\"").isEmpty();
        });
    }

    @Test
    void failsAtStartUpForAnAnnotatedMethodWithAnUnsupportedSignature() {
        runner.withUserConfiguration(BadListener.class).run(context -> assertThat(context).getFailure()
                .rootCause().isInstanceOf(BeanInitializationException.class)
                .hasMessageContaining("@ReliableMessageListener method")
                .hasMessageContaining("onText")
                .hasMessageContaining("must take exactly one parameter (an InboundMessage, a byte[], a String or a "
                        + "type the PayloadConverter reads)"));
    }

    @Configuration(proxyBeanMethods = false)
    static class Receivers {
        final List<InboundMessage> fromHandler = new CopyOnWriteArrayList<>();
        final List<byte[]> payloads = new CopyOnWriteArrayList<>();
        final List<InboundMessage> messages = new CopyOnWriteArrayList<>();
        final List<InboundMessage> fromOtherPeer = new CopyOnWriteArrayList<>();

        @Bean
        InboundHandler throwingHandler() {
            return message -> {
                throw new IllegalStateException("business failure on " + message);
            };
        }

        @Bean
        InboundHandler recordingHandler() {
            return fromHandler::add;
        }

        @ReliableMessageListener
        void onPayload(byte[] payload) {
            payloads.add(payload);
        }

        @ReliableMessageListener(peers = "alice")
        void onMessage(InboundMessage message) {
            messages.add(message);
        }

        @ReliableMessageListener(peers = "other")
        void onOtherPeer(InboundMessage message) {
            fromOtherPeer.add(message);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BadListener {
        @ReliableMessageListener
        void onText(String text, String more) {
        }
    }
}
