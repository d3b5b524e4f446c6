package io.reliablemsg.sample;

import io.reliablemsg.ReliableMessenger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Sends a steady stream of generated messages to {@code sample.traffic.peer}, at
 * {@code sample.traffic.rate-per-second} (changeable while running). A message refused because the
 * chain is full is counted and skipped, not retried: the stream shows back-pressure instead of hiding it.
 *
 * <p>Starts after the messenger and stops before it, so it never sends to a closed messenger.
 */
@Component
public class TrafficGenerator extends PeriodicTask {
    /** Largest rate accepted, messages per second. */
    public static final int MAX_RATE_PER_SECOND = 5_000;
    private static final long TICK_MS = 10;

    private final ReliableMessenger messenger;
    private final String nodeName;
    private final String peer;
    private volatile int ratePerSecond;
    private final AtomicLong generated = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private long startedNs;
    private long owedAtLastTick;

    /** A generator for the node's messenger, configured by {@code sample.traffic.*}. */
    public TrafficGenerator(ReliableMessenger messenger, SampleProperties properties) {
        super("sample-traffic", TICK_MS, TICK_MS);
        this.messenger = messenger;
        this.nodeName = properties.nodeName();
        this.peer = properties.traffic().peer();
        setRatePerSecond(properties.traffic().ratePerSecond());
    }

    /** Peer the stream goes to, or null when none is configured. */
    public String peer() {
        return peer;
    }

    /** Current rate, messages per second. */
    public int ratePerSecond() {
        return ratePerSecond;
    }

    /** Changes the rate; 0 pauses the stream. */
    public synchronized void setRatePerSecond(int rate) {
        if (rate < 0 || rate > MAX_RATE_PER_SECOND) {
            throw new IllegalArgumentException("ratePerSecond must be in [0, " + MAX_RATE_PER_SECOND + "] but was " + rate);
        }
        if (rate > 0 && peer == null) {
            throw new IllegalArgumentException("no stream peer: set sample.traffic.peer");
        }
        ratePerSecond = rate;
        startedNs = System.nanoTime();
        owedAtLastTick = 0;
    }

    /** Messages generated and accepted by the messenger. */
    public long generated() {
        return generated.get();
    }

    /** Messages skipped because the chain was full. */
    public long refused() {
        return refused.get();
    }

    private synchronized void tick() {
        if (ratePerSecond == 0) {
            return;
        }
        long owed = (System.nanoTime() - startedNs) / 1_000_000 * ratePerSecond / 1000;
        for (long i = owedAtLastTick; i < owed; i++) {
            long n = generated.get() + refused.get() + 1;
            byte[] payload = (nodeName + " #" + n + " at " + System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8);
            byte[] userBuffer = (nodeName + "-" + n).getBytes(StandardCharsets.UTF_8);
            if (messenger.trySend(peer, payload, userBuffer) == ReliableMessenger.NOT_ACCEPTED) {
                refused.incrementAndGet();
            } else {
                generated.incrementAndGet();
            }
        }
        owedAtLastTick = owed;
    }

    @Override
    void runOnce() {
        tick();
    }
}
