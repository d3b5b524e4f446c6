package io.reliablemsg;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving process of {@link TwoProcessUdpTest}: binds 127.0.0.1 on a free port, prints
 * {@code PORT n}, counts messages from the sender (payload = sequence number), and once
 * {@code expected} distinct ones have arrived (or 60 s passed) keeps listening one more interval
 * for stray duplicates and prints {@code RESULT distinct=D duplicates=U}.
 */
public final class ReceiverProcess {
    private ReceiverProcess() {
    }

    public static void main(String[] args) throws Exception {
        int senderPort = Integer.parseInt(args[0]);
        int expected = Integer.parseInt(args[1]);
        BitSet seen = new BitSet(expected);
        AtomicInteger distinct = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        MessengerConfig config = MessengerConfig.builder().clientId(2).bindAddress("127.0.0.1").port(0)
                .peer("sender", "127.0.0.1", senderPort).interval(Duration.ofMillis(200)).build();
        try (ReliableMessenger messenger = ReliableMessenger.builder(config).inboundHandler(m -> {
            int seq = ByteBuffer.wrap(m.payload()).getInt();
            synchronized (seen) {
                if (seen.get(seq)) {
                    duplicates.incrementAndGet();
                } else {
                    seen.set(seq);
                    distinct.incrementAndGet();
                }
            }
        }).build()) {
            messenger.start();
            System.out.println("PORT " + messenger.localAddress().getPort());
            System.out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (distinct.get() < expected && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            TimeUnit.MILLISECONDS.sleep(400); // two intervals: a duplicate would have arrived by now
            System.out.println("RESULT distinct=" + distinct.get() + " duplicates=" + duplicates.get()
                    + " reDelivered=" + messenger.stats().duplicates());
            System.out.flush();
        }
    }
}
