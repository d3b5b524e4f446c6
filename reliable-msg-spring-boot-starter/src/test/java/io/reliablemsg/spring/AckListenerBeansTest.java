package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.AckListener;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@link AckListener} beans hear of every ack on the messenger's callback thread, never on its I/O
 * loop; the application sends to a plain messenger over 127.0.0.1.
 */
class AckListenerBeansTest {
    @Test
    void ackListenerBeansRunOnTheCallbackThreadNeverOnTheIoLoop() throws Exception {
        try (ReliableMessenger receiver = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).build()).build()) {
            receiver.start();
            run(receiver.localAddress().getPort());
        }
    }

    private void run(int receiverPort) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
                .withBean(RecordingAckListener.class)
                .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.peers.other=127.0.0.1:" + receiverPort)
                .run(context -> {
                    ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
                    RecordingAckListener listener = context.getBean(RecordingAckListener.class);
                    long first = messenger.trySend("other", new byte[] {1}, null);
                    long second = messenger.trySend("other", new byte[] {2}, null);
                    await().atMost(Duration.ofSeconds(10)).until(() -> listener.msgIds.size() == 2);
                    assertThat(listener.msgIds).containsExactly(first, second);
                    assertThat(listener.peers).containsOnly("other");
                    assertThat(listener.threads).allSatisfy(thread ->
                            assertThat(thread).startsWith("reliable-msg-callbacks-"));
                    await().atMost(Duration.ofSeconds(10)).until(() -> messenger.pendingCount() == 0);
                });
    }

    /** Records each ack and the thread it was told on. */
    static final class RecordingAckListener implements AckListener {
        final List<Long> msgIds = new CopyOnWriteArrayList<>();
        final List<String> peers = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onAcked(String peer, long msgId, long latencyNs, int transmissions) {
            threads.add(Thread.currentThread().getName());
            peers.add(peer);
            msgIds.add(msgId);
        }
    }
}
