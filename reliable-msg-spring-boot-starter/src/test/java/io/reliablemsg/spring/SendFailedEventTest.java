package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.FailureReason;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** The peer is a loopback port nothing listens on, so no message is ever acked. */
class SendFailedEventTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
            .withBean(RecordingListener.class)
            .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.bind-address=127.0.0.1",
                    "reliable-msg.peers.silent=127.0.0.1:" + FreeUdpPort.find());

    @Test
    void publishesOneEventPerMessageWithItsExactUserBufferAfterMaxRetries() {
        runner.withPropertyValues("reliable-msg.interval=50ms", "reliable-msg.max-retries=2").run(context -> {
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
            RecordingListener listener = context.getBean(RecordingListener.class);
            List<Long> msgIds = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                msgIds.add(messenger.trySend("silent", new byte[] {(byte) i}, userBuffer(i)));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> messenger.pendingCount() == 0);

            // A slot is released only after the listeners returned, so every event is in by now.
            assertThat(listener.failures).hasSize(5);
            assertThat(listener.failures).extracting(SendFailedEvent::getMsgId).containsExactlyInAnyOrderElementsOf(msgIds);
            for (SendFailedEvent event : listener.failures) {
                int index = msgIds.indexOf(event.getMsgId());
                assertThat(event.getUserBuffer()).isEqualTo(userBuffer(index));
                assertThat(event.getPeer()).isEqualTo("silent");
                assertThat(event.getReason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
                assertThat(event.getAttempts()).as("first send + max-retries retransmissions").isEqualTo(3);
                assertThat(event.getMessenger()).isSameAs(messenger);
            }
            assertThat(listener.failureThreads).allSatisfy(thread ->
                    assertThat(thread).startsWith("reliable-msg-callbacks-").doesNotStartWith("reliable-msg-io-"));
        });
    }

    @Test
    void failsWhatIsStillPendingWithReasonShutdownWhenTheContextCloses() {
        runner.withPropertyValues("reliable-msg.interval=10s", "reliable-msg.close-timeout=100ms").run(context -> {
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
            RecordingListener listener = context.getBean(RecordingListener.class);
            for (int i = 0; i < 3; i++) {
                assertThat(messenger.send("silent", new byte[] {1}, userBuffer(i))).isTrue();
            }
            assertThat(listener.failures).isEmpty();

            ((ConfigurableApplicationContext) context.getSourceApplicationContext()).close();

            assertThat(messenger.isRunning()).isFalse();
            assertThat(listener.failures).hasSize(3).allSatisfy(event ->
                    assertThat(event.getReason()).isEqualTo(FailureReason.SHUTDOWN));
            assertThat(listener.failures).extracting(SendFailedEvent::getUserBuffer)
                    .containsExactlyInAnyOrder(userBuffer(0), userBuffer(1), userBuffer(2));
        });
    }

    private static byte[] userBuffer(int index) {
        return ("order-" + index).getBytes(StandardCharsets.US_ASCII);
    }
}
