package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.FailureReason;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import io.reliablemsg.test.TestNetwork;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * On the test kit's in-JVM network (no UDP port, no free-port probe): the peer {@code silent} is an
 * address nothing is bound to, so no message to it is ever acked; {@code bob} is a live messenger the
 * test cuts off and lets back.
 */
class SendFailedEventTest {
    @RegisterExtension
    final TestNetwork network = new TestNetwork();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
            .withBean(RecordingListener.class)
            .withBean(ReliableMessengerBuilderCustomizer.class,
                    () -> builder -> builder.transport(network::transportFor))
            .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.peers.silent=127.0.0.1:7999");

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

    @Test
    void aPeerCutOffFailsWhatIsSentIntoTheCutAndTakesMessagesAgainOnceLetBack() {
        ReliableMessenger bob = network.node("bob").configure(b -> b.acceptUnknownPeers(true)).start();
        InetSocketAddress bobAt = network.address("bob");
        runner.withPropertyValues("reliable-msg.interval=50ms", "reliable-msg.max-retries=2",
                "reliable-msg.peers.bob=" + bobAt.getHostString() + ":" + bobAt.getPort()).run(context -> {
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
            RecordingListener listener = context.getBean(RecordingListener.class);
            assertThat(messenger.send("bob", new byte[] {0}, userBuffer(0))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> messenger.stats("bob").acked() == 1);

            network.isolate("bob");
            for (int i = 1; i <= 3; i++) {
                assertThat(messenger.send("bob", new byte[] {(byte) i}, userBuffer(i))).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> messenger.pendingCount() == 0);
            assertThat(listener.failures).extracting(SendFailedEvent::getUserBuffer)
                    .containsExactlyInAnyOrder(userBuffer(1), userBuffer(2), userBuffer(3));
            assertThat(listener.failures).allSatisfy(event -> {
                assertThat(event.getPeer()).isEqualTo("bob");
                assertThat(event.getReason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            });

            network.heal("bob");
            assertThat(messenger.send("bob", new byte[] {4}, userBuffer(4))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> messenger.stats("bob").acked() == 2);
            assertThat(listener.failures).as("nothing more failed once bob was back").hasSize(3);
            assertThat(bob.stats().delivered()).as("bob got the messages before and after the cut").isEqualTo(2);
        });
    }

    private static byte[] userBuffer(int index) {
        return ("order-" + index).getBytes(StandardCharsets.US_ASCII);
    }
}
