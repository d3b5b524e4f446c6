package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code trySend(peer, payload, userBuffer, maxBlock)}: a sending thread that waits for room in a full chain
 * instead of being refused. Real UDP on 127.0.0.1.
 */
@Timeout(60)
class BlockingTrySendTest {
    private static MessengerConfig.Builder config(int clientId) {
        return MessengerConfig.builder().clientId(clientId).bindAddress("127.0.0.1").closeTimeout(Duration.ZERO);
    }

    @Test
    void aSenderThatWaitsForRoomGetsEveryMessageThroughAChainOfEight() throws Exception {
        Set<Long> delivered = ConcurrentHashMap.newKeySet();
        try (ReliableMessenger receiver = ReliableMessenger.builder(config(2).acceptUnknownPeers(true).build())
                .inboundHandler(m -> delivered.add(m.msgId())).build()) {
            receiver.start();
            try (ReliableMessenger sender = ReliableMessenger.builder(config(1).maxStoredMessages(8)
                    .peer("r", "127.0.0.1", receiver.localAddress().getPort()).build()).build()) {
                sender.start();
                for (long expected = 1; expected <= 500; expected++) {
                    long id = sender.trySend("r", new byte[] {(byte) expected}, null, Duration.ofSeconds(20));
                    assertThat(id).as("message %d accepted after waiting for room", expected).isEqualTo(expected);
                    assertThat(sender.pendingCount()).isLessThanOrEqualTo(8);
                }
                assertThat(sender.chainFullRejections()).as("the chain was full on the way").isPositive();
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 500);
            }
        }
    }

    @Test
    void itGivesUpAfterMaxBlockWhenThePeerNeverAcks() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
             ReliableMessenger sender = ReliableMessenger.builder(config(1).maxStoredMessages(2)
                     .interval(Duration.ofSeconds(5)).peer("r", "127.0.0.1", silent.getLocalPort()).build()).build()) {
            sender.start();
            assertThat(sender.trySend("r", new byte[] {1}, null, Duration.ZERO)).isEqualTo(1);
            assertThat(sender.trySend("r", new byte[] {2}, null, Duration.ZERO)).isEqualTo(2);
            assertThat(sender.trySend("r", new byte[] {3}, null, Duration.ZERO))
                    .as("no wait: refused at once").isEqualTo(ReliableMessenger.NOT_ACCEPTED);
            long start = System.nanoTime();
            assertThat(sender.trySend("r", new byte[] {3}, null, Duration.ofMillis(200)))
                    .isEqualTo(ReliableMessenger.NOT_ACCEPTED);
            assertThat(System.nanoTime() - start).as("it waited its 200 ms")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            assertThat(sender.pendingCount()).isEqualTo(2);
        }
    }

    @Test
    void aWaitEndsWhenTheMessengerCloses() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            ReliableMessenger sender = ReliableMessenger.builder(config(1).maxStoredMessages(1)
                    .interval(Duration.ofSeconds(5)).peer("r", "127.0.0.1", silent.getLocalPort()).build()).build();
            sender.start();
            assertThat(sender.trySend("r", new byte[] {1}, null)).isEqualTo(1);
            CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return sender.trySend("r", new byte[] {2}, null, Duration.ofSeconds(50));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Awaitility.await("it waits while the chain is full").during(Duration.ofMillis(100))
                    .atMost(Duration.ofSeconds(5)).until(() -> !waiting.isDone());
            sender.close();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(ReliableMessenger.NOT_ACCEPTED);
        }
    }

    @Test
    void aNegativeWaitIsRefused() throws Exception {
        try (ReliableMessenger sender = ReliableMessenger.builder(config(1).peer("r", "127.0.0.1", 9).build()).build()) {
            sender.start();
            assertThatThrownBy(() -> sender.trySend("r", new byte[] {1}, null, Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBlock");
            assertThat(sender.pendingCount()).isZero();
        }
    }
}
