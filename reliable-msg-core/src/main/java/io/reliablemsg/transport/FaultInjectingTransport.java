package io.reliablemsg.transport;

import io.reliablemsg.time.Clock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A transport that drops datagrams on purpose, in both directions: a share of them at random, or
 * all of them until an outage ends. For tests, benchmarks under loss and demos; it is never put in
 * place unless the caller wraps a transport in it. Settings may change from any thread.
 *
 * <p>Given a filter of remote addresses, it drops only datagrams exchanged with the addresses the
 * filter accepts (sent to one, received from one) and passes the others untouched, uncounted: one
 * network of a peer with several addresses goes down while the others work. Wrapping one in another
 * stacks their faults.
 */
public final class FaultInjectingTransport extends ForwardingTransport {
    private final Clock clock;
    private final SplittableRandom random;
    private final Predicate<InetSocketAddress> remotes;
    private volatile double lossRate;
    private volatile long outageUntilNs = Long.MIN_VALUE;
    private final AtomicLong dropped = new AtomicLong();

    /** Wraps {@code delegate}; {@code seed} makes the drops repeatable. */
    public FaultInjectingTransport(Transport delegate, Clock clock, long seed) {
        this(delegate, clock, seed, remote -> true);
    }

    /**
     * Wraps {@code delegate}, dropping only datagrams sent to or received from a remote address that
     * {@code remotes} accepts (called on the I/O loop for every datagram: it must be cheap and must not
     * block); {@code seed} makes the drops repeatable.
     */
    public FaultInjectingTransport(Transport delegate, Clock clock, long seed, Predicate<InetSocketAddress> remotes) {
        super(delegate);
        this.clock = clock;
        this.random = new SplittableRandom(seed);
        this.remotes = Objects.requireNonNull(remotes, "remotes");
    }

    /** Drops each datagram, sent or received (to or from an address of the filter), with probability {@code rate} in [0, 1]. */
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

    private boolean drop(InetSocketAddress remote) {
        if (!remotes.test(remote)) {
            return false;
        }
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
        if (drop(target)) {
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
            if (source == null || !drop(source)) {
                return source;
            }
            into.position(start);
        }
    }
}
