package io.reliablemsg.transport;

import io.reliablemsg.time.Clock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A transport that drops datagrams on purpose, in both directions: a share of them at random, or
 * all of them until an outage ends. For tests, benchmarks under loss and demos; it is never put in
 * place unless the caller wraps a transport in it. Settings may change from any thread.
 */
public final class FaultInjectingTransport extends ForwardingTransport {
    private final Clock clock;
    private final SplittableRandom random;
    private volatile double lossRate;
    private volatile long outageUntilNs = Long.MIN_VALUE;
    private final AtomicLong dropped = new AtomicLong();

    /** Wraps {@code delegate}; {@code seed} makes the drops repeatable. */
    public FaultInjectingTransport(Transport delegate, Clock clock, long seed) {
        super(delegate);
        this.clock = clock;
        this.random = new SplittableRandom(seed);
    }

    /** Drops each datagram, sent or received, with probability {@code rate} in [0, 1]. */
    public void setLossRate(double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException("loss rate must be in [0, 1] but was " + rate);
        }
        this.lossRate = rate;
    }

    /** Current random loss rate. */
    public double lossRate() {
        return lossRate;
    }

    /** Drops everything for {@code durationNs} from now (replacing an outage under way). */
    public void startOutage(long durationNs) {
        if (durationNs < 0) {
            throw new IllegalArgumentException("outage must not be negative: " + durationNs);
        }
        outageUntilNs = clock.nanoTime() + durationNs;
    }

    /** Ends any outage now. */
    public void endOutage() {
        outageUntilNs = Long.MIN_VALUE;
    }

    /** Whether an outage is under way. */
    public boolean inOutage() {
        return clock.nanoTime() < outageUntilNs;
    }

    /** Datagrams dropped by this transport so far. */
    public long dropped() {
        return dropped.get();
    }

    private boolean drop() {
        if (inOutage()) {
            dropped.incrementAndGet();
            return true;
        }
        double rate = lossRate;
        if (rate > 0 && nextDouble() < rate) {
            dropped.incrementAndGet();
            return true;
        }
        return false;
    }

    private synchronized double nextDouble() {
        return random.nextDouble();
    }

    @Override
    public boolean send(InetSocketAddress target, ByteBuffer datagram) {
        if (drop()) {
            datagram.position(datagram.limit());
            return true; // lost on the wire: the sender cannot tell
        }
        return delegate.send(target, datagram);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        while (true) {
            int start = into.position();
            InetSocketAddress source = delegate.receive(into);
            if (source == null || !drop()) {
                return source;
            }
            into.position(start);
        }
    }
}
