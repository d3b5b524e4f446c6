package io.reliablemsg.bench;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.FaultInjectingTransport;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Does the library keep anything per message it no longer needs? Two messengers in this JVM on
 * 127.0.0.1, 1 % loss injected on the sender, heartbeats on, 64-byte messages sent as fast as the
 * chain (1000) admits, in rounds of 500,000; after each round the heap used after a full GC is
 * printed. Flat means nothing accumulates. Bounded: 8 rounds or 4 minutes.
 *
 * <pre>java -Xmx256m -cp reliable-msg-benchmarks/target/benchmarks.jar io.reliablemsg.bench.HeapSoak</pre>
 */
public final class HeapSoak {
    private HeapSoak() {
    }

    public static void main(String[] args) throws Exception {
        AtomicLong delivered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ReliableMessenger receiver = ReliableMessenger.builder(MessengerConfig.builder().clientId(2)
                        .bindAddress("127.0.0.1").acceptUnknownPeers(true).interval(Duration.ofMillis(100))
                        .heartbeatInterval(Duration.ofMillis(100)).build())
                .inboundHandler(m -> delivered.incrementAndGet()).build();
        receiver.start();
        ReliableMessenger sender = ReliableMessenger.builder(MessengerConfig.builder().clientId(1)
                        .bindAddress("127.0.0.1").peer("b", "127.0.0.1", receiver.localAddress().getPort())
                        .interval(Duration.ofMillis(100)).heartbeatInterval(Duration.ofMillis(100)).build())
                .transportDecorator(udp -> {
                    FaultInjectingTransport lossy = new FaultInjectingTransport(udp, Clock.SYSTEM, 1);
                    lossy.setLossRate(0.01);
                    return lossy;
                })
                .failureListener(f -> failed.incrementAndGet()).build();
        sender.start();
        byte[] payload = new byte[64];
        long sent = 0;
        long endNs = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        for (int round = 0; round < 8 && System.nanoTime() < endNs; round++) {
            for (int i = 0; i < 500_000 && System.nanoTime() < endNs; i++) {
                while (!sender.send("b", payload, null)) {
                    Thread.onSpinWait();
                }
                sent++;
            }
            System.gc();
            TimeUnit.MILLISECONDS.sleep(300);
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("sent %d acked %d failed %d delivered %d pending %d retransmitted %d "
                            + "usedHeapAfterGC %.1f MB%n", sent, sender.stats().acked(), failed.get(), delivered.get(),
                    sender.pendingCount(), sender.stats().retransmitted(),
                    (runtime.totalMemory() - runtime.freeMemory()) / 1e6);
        }
        sender.close();
        receiver.close();
    }
}
