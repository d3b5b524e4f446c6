package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ReliableMessenger#sendAsync}: one future per send, completed once, off the I/O loop; the
 * failure listener and the future are two views of one outcome. Real UDP on 127.0.0.1.
 */
class SendAsyncTest {
    private static MessengerConfig.Builder to(String peer, int port) {
        return MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1").peer(peer, "127.0.0.1", port);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void completesWithTheAckOnTheCallbackThreadAsTheAckListenerSawIt() throws Exception {
        List<long[]> acks = new CopyOnWriteArrayList<>();
        CountDownLatch attached = new CountDownLatch(1);
        try (ReliableMessenger b = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).build()).build()) {
            b.start();
            try (ReliableMessenger a = ReliableMessenger.builder(to("b", b.localAddress().getPort()).build())
                    .ackListener((peer, msgId, latencyNs, tx) -> {
                        acks.add(new long[] {msgId, latencyNs, tx});
                        awaitQuietly(attached); // the listener runs before the future completes
                    }).build()) {
                a.start();
                CompletableFuture<SendResult> f = a.sendAsync("b", new byte[] {1, 2}, new byte[] {9});
                CompletableFuture<String> thread = f.thenApply(r -> Thread.currentThread().getName());
                attached.countDown();
                // wait on the dependent stage first: a thread waiting in f.get() may run f's dependents itself
                String completedOn = thread.get(10, TimeUnit.SECONDS);
                SendResult result = f.get(10, TimeUnit.SECONDS);
                assertThat(result.peer()).isEqualTo("b");
                assertThat(result.transmissions()).isEqualTo(1);
                assertThat(acks).singleElement().satisfies(ack -> {
                    assertThat(result.msgId()).isEqualTo(ack[0]);
                    assertThat(result.latency()).isEqualTo(Duration.ofNanos(ack[1]));
                });
                assertThat(completedOn).startsWith("reliable-msg-callbacks-");
                // the slot is freed once the listener (and the future's stages it ran) returned: just after
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> a.pendingCount() == 0);
            }
        }
    }

    @Test
    void failsOnceWithTheUserBufferWhenRetriesRunOutAndTheListenerHearsTheSameFailure() throws Exception {
        List<SendFailure> heard = new CopyOnWriteArrayList<>();
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             ReliableMessenger a = ReliableMessenger.builder(to("q", silent.getLocalPort())
                             .interval(Duration.ofMillis(20)).maxRetries(2).build())
                     .failureListener(heard::add).build()) {
            a.start();
            CompletableFuture<SendResult> f = a.sendAsync("q", new byte[] {1}, new byte[] {7, 7});
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(SendFailedException.class, e -> {
                        assertThat(e.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
                        assertThat(e.userBuffer()).containsExactly(7, 7);
                        assertThat(e.transmissions()).isEqualTo(3);
                        assertThat(heard).containsExactly(e.failure());
                    });
            assertThat(a.stats().failed()).isEqualTo(1);
        }
    }

    @Test
    void aFullChainFailsTheFutureAtOnceAndNoListenerHearsOfIt() throws Exception {
        List<SendFailure> heard = new CopyOnWriteArrayList<>();
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             ReliableMessenger a = ReliableMessenger.builder(to("q", silent.getLocalPort()).maxStoredMessages(2)
                     .interval(Duration.ofSeconds(5)).build()).failureListener(heard::add).build()) {
            a.start();
            CompletableFuture<SendResult> first = a.sendAsync("q", new byte[] {1}, null);
            CompletableFuture<SendResult> second = a.sendAsync("q", new byte[] {2}, null);
            CompletableFuture<SendResult> refused = a.sendAsync("q", new byte[] {3}, new byte[] {3});
            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).cause().isInstanceOfSatisfying(SendFailedException.class, e -> {
                assertThat(e.reason()).isEqualTo(FailureReason.CHAIN_FULL);
                assertThat(e.failure().msgId()).isEqualTo(ReliableMessenger.NOT_ACCEPTED);
                assertThat(e.userBuffer()).containsExactly(3);
                assertThat(e.transmissions()).isZero();
            });
            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
            assertThat(heard).isEmpty();
            assertThat(a.chainFullRejections()).isEqualTo(1);
            a.close();
            assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(SendFailedException.class,
                            e -> assertThat(e.reason()).isEqualTo(FailureReason.SHUTDOWN));
            assertThat(second).isCompletedExceptionally();
            assertThat(heard).extracting(SendFailure::reason).containsExactly(FailureReason.SHUTDOWN,
                    FailureReason.SHUTDOWN);
        }
    }

    @Test
    void withInlineCallbacksTheFutureStillCompletesOffTheIoLoop() throws Exception {
        try (ReliableMessenger b = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).build()).build()) {
            b.start();
            CountDownLatch attached = new CountDownLatch(1);
            try (ReliableMessenger a = ReliableMessenger.builder(to("b", b.localAddress().getPort())
                    .inlineCallbacks(true).build()).ackListener((p, id, l, t) -> awaitQuietly(attached)).build()) {
                a.start();
                CompletableFuture<String> stage = a.sendAsync("b", new byte[] {1}, null)
                        .thenApply(r -> Thread.currentThread().getName());
                attached.countDown();
                String thread = stage.get(10, TimeUnit.SECONDS);
                assertThat(thread).doesNotStartWith("reliable-msg-io-");
            }
        }
    }
}
