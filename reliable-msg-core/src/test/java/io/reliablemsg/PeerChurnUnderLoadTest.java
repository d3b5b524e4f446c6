package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The membership API from many threads at once, on the running loop (real threads, real UDP on
 * 127.0.0.1): two threads send to peers that a third removes and adds again as fast as it can. Every
 * send that was accepted ends exactly once, acked or failed (PEER_REMOVED while its peer was gone,
 * SHUTDOWN at close); a send to a peer that is gone is refused with the unknown-peer
 * IllegalArgumentException and nothing else; no loop pass fails. Bounded: 300 changes and 5 s.
 */
class PeerChurnUnderLoadTest {
    @Test
    @Timeout(60)
    void everyAcceptedSendEndsExactlyOnceWhilePeersComeAndGo() throws Exception {
        Map<Long, Integer> outcomes = new ConcurrentHashMap<>();
        Map<FailureReason, AtomicLong> reasons = new ConcurrentHashMap<>();
        Map<Long, String> accepted = new ConcurrentHashMap<>();
        Map<Long, String> endedAt = new ConcurrentHashMap<>();
        AtomicLong refusedAsUnknown = new AtomicLong();
        List<Throwable> unexpected = new CopyOnWriteArrayList<>();
        try (ReliableMessenger receiver = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).interval(Duration.ofMillis(100)).build()).build()) {
            receiver.start();
            String address = "127.0.0.1:" + receiver.localAddress().getPort();
            ReliableMessenger sender = ReliableMessenger.builder(MessengerConfig.builder().clientId(1)
                            .bindAddress("127.0.0.1").peer("b", address).peer("c", "127.0.0.1:9")
                            .interval(Duration.ofMillis(100)).maxRetries(2).closeTimeout(Duration.ZERO).build())
                    .ackListener((peer, msgId, latencyNs, transmissions) -> {
                        outcomes.merge(msgId, 1, Integer::sum);
                        endedAt.put(msgId, peer);
                    })
                    .failureListener(f -> {
                        outcomes.merge(f.msgId(), 1, Integer::sum);
                        endedAt.put(f.msgId(), f.peer());
                        reasons.computeIfAbsent(f.reason(), r -> new AtomicLong()).incrementAndGet();
                    })
                    .build();
            sender.start();
            long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (String peer : List.of("b", "c")) {
                threads.add(new Thread(() -> {
                    await(start);
                    for (int i = 0; i < 200_000 && System.nanoTime() < endNs && !churnDone(threads); i++) {
                        try {
                            long id = sender.trySend(peer, new byte[] {1}, new byte[] {2});
                            if (id != ReliableMessenger.NOT_ACCEPTED) {
                                accepted.put(id, peer);
                            }
                        } catch (IllegalArgumentException e) {
                            if (!e.getMessage().startsWith("unknown peer '" + peer + "'")) {
                                unexpected.add(e);
                            }
                            refusedAsUnknown.incrementAndGet();
                        }
                    }
                }, "sender-" + peer));
            }
            threads.add(new Thread(() -> {
                await(start);
                for (int i = 0; i < 150 && System.nanoTime() < endNs; i++) {
                    sender.removePeer("b");
                    sender.removePeer("c");
                    sender.addPeer("c", "127.0.0.1:9");
                    sender.addPeer("b", address);
                }
            }, "churn"));
            threads.forEach(Thread::start);
            start.countDown();
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            sender.close();
            assertThat(sender.pendingCount()).isZero();
            assertThat(sender.stats().handlerErrors()).isZero();
        }
        assertThat(unexpected).isEmpty();
        assertThat(accepted).isNotEmpty();
        assertThat(outcomes.keySet()).as("every accepted send has an outcome").containsAll(accepted.keySet());
        assertThat(outcomes.keySet()).as("and nothing else has").hasSameSizeAs(accepted.keySet());
        long elsewhere = accepted.entrySet().stream().filter(e -> !e.getValue().equals(endedAt.get(e.getKey()))).count();
        assertThat(elsewhere).as("sends that ended at another peer than they were sent to").isZero();
        assertThat(outcomes.values()).as("exactly one each").containsOnly(1);
        assertThat(reasons).containsKey(FailureReason.PEER_REMOVED);
        assertThat(refusedAsUnknown.get()).isPositive();
    }

    private static boolean churnDone(List<Thread> threads) {
        Thread churn = threads.get(threads.size() - 1);
        return churn.getState() == Thread.State.TERMINATED;
    }

    private static void await(CountDownLatch start) {
        try {
            start.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
