package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A handler or listener that blocks cannot block acks or retransmissions, cannot make the receiver's
 * memory grow, and cannot make the sender's chain grow beyond its capacity: the receiver stops acking
 * what it cannot queue and the sender retransmits it later; an ack listener holds its message's send
 * slot until it returns. Real threads, real UDP on 127.0.0.1.
 */
class SlowHandlerTest {

    @Test
    void blockedHandlerAppliesBackPressureAndEverythingArrivesOnceItResumes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        MessengerConfig receiverConfig = MessengerConfig.builder().clientId(2).bindAddress("127.0.0.1")
                .acceptUnknownPeers(true).interval(Duration.ofMillis(100)).maxRetries(100)
                .deliveryQueueCapacity(5).build();
        try (ReliableMessenger receiver = ReliableMessenger.builder(receiverConfig).inboundHandler(m -> {
            entered.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!received.add(ByteBuffer.wrap(m.payload()).getInt())) {
                duplicates.incrementAndGet();
            }
        }).build()) {
            receiver.start();
            MessengerConfig senderConfig = MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1")
                    .peer("r", "127.0.0.1", receiver.localAddress().getPort()).interval(Duration.ofMillis(100))
                    .maxRetries(100).maxStoredMessages(40).build();
            try (ReliableMessenger sender = ReliableMessenger.builder(senderConfig).build()) {
                sender.start();
                int accepted = 0;
                for (int i = 0; i < 50; i++) {
                    if (sender.send("r", ByteBuffer.allocate(4).putInt(i).array(), null)) {
                        accepted++;
                    }
                }
                // The sender's chain is the bound: at most 40 held; a few more may be accepted when
                // early acks free their slots during the loop (the first six are acked at once).
                assertThat(accepted).isBetween(40, 46);
                int sent = accepted;
                // The handler holds one message; five wait in the queue; those six are acked at once.
                await().atMost(Duration.ofSeconds(10)).until(() -> sender.stats().acked() == 6);
                await().atMost(Duration.ofSeconds(10)).until(() -> receiver.stats().deliveryRejected() > sent - 6);
                assertThat(entered.get()).isEqualTo(1);
                assertThat(sender.pendingCount()).isEqualTo(sent - 6).isLessThanOrEqualTo(40);
                assertThat(receiver.stats().delivered()).isEqualTo(6);
                assertThat(receiver.stats().deliveryQueueDepth()).as("five wait behind the one in the handler")
                        .isEqualTo(5);

                release.countDown();
                await().atMost(Duration.ofSeconds(20)).until(() -> sender.stats().acked() == sent);
                await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == sent);
                assertThat(receiver.stats().deliveryQueueDepth()).isZero();
                assertThat(duplicates.get()).isZero();
                assertThat(sender.stats().failed()).isZero();
            }
        }
    }

    @Test
    void blockedAckListenerStallsNeitherAcksNorRetransmissions() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger acksSeen = new AtomicInteger();
        MessengerConfig receiverConfig = MessengerConfig.builder().clientId(2).bindAddress("127.0.0.1")
                .acceptUnknownPeers(true).interval(Duration.ofMillis(50)).build();
        try (ReliableMessenger receiver = ReliableMessenger.builder(receiverConfig).build();
             ReliableMessenger silent = ReliableMessenger.builder(MessengerConfig.builder().clientId(3)
                     .bindAddress("127.0.0.1").build()).build()) {
            receiver.start();
            silent.start();
            int silentPort = silent.localAddress().getPort();
            silent.close(); // nobody answers on that port any more
            MessengerConfig senderConfig = MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1")
                    .peer("r", "127.0.0.1", receiver.localAddress().getPort()).peer("gone", "127.0.0.1", silentPort)
                    .interval(Duration.ofMillis(50)).maxRetries(100).closeTimeout(Duration.ZERO).build();
            try (ReliableMessenger sender = ReliableMessenger.builder(senderConfig).ackListener((p, id, l, t) -> {
                acksSeen.incrementAndGet();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).build()) {
                sender.start();
                assertThat(sender.send("r", new byte[] {1}, null)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> acksSeen.get() == 1); // the listener now blocks
                assertThat(sender.send("gone", new byte[] {2}, null)).isTrue();
                assertThat(sender.send("r", new byte[] {3}, null)).isTrue();
                // The loop goes on: the second message to r is acked, the one to the dead port retransmitted.
                await().atMost(Duration.ofSeconds(10)).until(() -> sender.stats("r").acked() == 2
                        && sender.stats("gone").retransmitted() >= 3);
                assertThat(receiver.stats().delivered()).isEqualTo(2);
                assertThat(sender.pendingCount("r")).as("acked, but the listener has not returned").isEqualTo(2);
                release.countDown();
                await().atMost(Duration.ofSeconds(10)).until(() -> sender.pendingCount("r") == 0);
                assertThat(acksSeen.get()).isEqualTo(2);
                assertThat(sender.pendingCount("gone")).isEqualTo(1);
            }
        }
    }
}
