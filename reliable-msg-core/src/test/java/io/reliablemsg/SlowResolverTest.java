package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DNS server that hangs never blocks the I/O loop: the periodic lookups run on the messenger's
 * resolver thread, and while one hangs, messages to the other peers are sent and acked as usual.
 * Real threads, UDP on 127.0.0.1; bounded by Awaitility and the latch.
 */
class SlowResolverTest {
    @Test
    @Timeout(60)
    void aHangingLookupDelaysNothingButTheNextLookup() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        AtomicReference<String> hungOn = new AtomicReference<>();
        PeerResolver hanging = host -> {
            if (lookups.incrementAndGet() > 1) { // the first lookup, at build, answers; the next ones hang
                hungOn.compareAndSet(null, Thread.currentThread().getName());
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // close interrupts the resolver thread
                }
            }
            return List.of(InetAddress.getByName("127.0.0.1"));
        };
        AtomicInteger acked = new AtomicInteger();
        try (ReliableMessenger b = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                .bindAddress("127.0.0.1").acceptUnknownPeers(true).build()).build()) {
            b.start();
            ReliableMessenger a = ReliableMessenger.builder(MessengerConfig.builder().clientId(1)
                            .bindAddress("127.0.0.1").peer("b", "127.0.0.1:" + b.localAddress().getPort())
                            .peer("slow", "slow.svc:9").peerResolutionInterval(Duration.ofMillis(100)).build())
                    .resolver(hanging).ackListener((peer, id, latency, transmissions) -> acked.incrementAndGet())
                    .build();
            a.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> hungOn.get() != null);
                for (int i = 0; i < 100; i++) {
                    assertThat(a.send("b", new byte[] {(byte) i}, null)).isTrue();
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() == 100);
                assertThat(hungOn.get()).isEqualTo("reliable-msg-resolver-1");
                assertThat(lookups.get()).as("no round started while one hangs").isEqualTo(2);
            } finally {
                release.countDown();
                a.close();
            }
        }
    }
}
