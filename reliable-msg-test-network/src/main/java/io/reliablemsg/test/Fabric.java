package io.reliablemsg.test;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wire between the endpoints of a {@link TestNetwork}: who is bound where, and what happens to a
 * datagram on its way (partitions, then per copy loss and delay, and duplication). Every link (one
 * direction between two addresses) draws from its own random stream, seeded from the network's seed
 * and the two addresses, so that the k-th datagram on a link meets the same fate in every run with
 * that seed, whatever the other links' threads do meanwhile. Thread-safe; settings apply to the next
 * datagram sent.
 */
final class Fabric {
    /** A delay range in nanoseconds; each copy's delay is a uniform draw from [min, max]. */
    record Delay(long minNs, long maxNs) {
        static final Delay NONE = new Delay(0, 0);

        long draw(SplittableRandom random) {
            return maxNs == minNs ? minNs : random.nextLong(minNs, maxNs + 1);
        }
    }

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long seed;
    private final Map<InetSocketAddress, InJvmEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<Link, SplittableRandom> randoms = new ConcurrentHashMap<>();
    final Partitions partitions = new Partitions();
    private volatile double lossRate;
    private volatile double duplicationRate;
    private volatile Delay delay = Delay.NONE;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    Fabric(long seed) {
        this.seed = seed;
    }

    long seed() {
        return seed;
    }

    /** An endpoint at {@code address}, with a receive buffer of {@code capacityBytes}. */
    InJvmEndpoint bind(InetSocketAddress address, int capacityBytes) {
        InJvmEndpoint endpoint = new InJvmEndpoint(this, address, capacityBytes);
        InJvmEndpoint existing = endpoints.putIfAbsent(address, endpoint);
        if (existing != null) {
            throw new IllegalStateException("address " + address + " is in use on this test network (by a "
                    + "messenger that is not closed): give each node its own address or port");
        }
        return endpoint;
    }

    void unbind(InJvmEndpoint endpoint) {
        endpoints.remove(endpoint.localAddress(), endpoint);
    }

    /** The endpoint bound at {@code address} now, or null. */
    InJvmEndpoint endpointAt(InetSocketAddress address) {
        return address == null ? null : endpoints.get(address);
    }

    void lossRate(double rate) {
        this.lossRate = rate;
    }

    double lossRate() {
        return lossRate;
    }

    void duplicationRate(double rate) {
        this.duplicationRate = rate;
    }

    double duplicationRate() {
        return duplicationRate;
    }

    void delay(Delay delay) {
        this.delay = delay;
    }

    Delay delay() {
        return delay;
    }

    /** Sends {@code bytes} from {@code from} to {@code to}, through the partitions and the faults. */
    void transmit(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
        sent.incrementAndGet();
        if (partitions.cuts(from, to)) {
            dropped.incrementAndGet();
            return;
        }
        double loss = lossRate;
        double duplication = duplicationRate;
        Delay range = delay;
        long nowNs = System.nanoTime();
        SplittableRandom random = randoms.computeIfAbsent(new Link(from, to), this::randomOf);
        long[] dueNs; // one entry per copy; Long.MIN_VALUE: this copy is lost
        synchronized (random) {
            dueNs = new long[duplication > 0 && random.nextDouble() < duplication ? 2 : 1];
            for (int i = 0; i < dueNs.length; i++) {
                boolean lost = loss > 0 && random.nextDouble() < loss;
                long delayNs = range.draw(random);
                dueNs[i] = lost ? Long.MIN_VALUE : nowNs + delayNs;
            }
        }
        if (dueNs.length > 1) {
            duplicated.incrementAndGet();
        }
        InJvmEndpoint target = endpoints.get(to);
        for (long due : dueNs) {
            if (due == Long.MIN_VALUE || target == null
                    || !target.deliver(from, bytes, due, sequence.incrementAndGet())) {
                dropped.incrementAndGet(); // lost, nothing bound there, or the receive buffer is full
            }
        }
    }

    private SplittableRandom randomOf(Link link) {
        long mixed = seed;
        mixed = mixed * GOLDEN_GAMMA + link.from().hashCode();
        mixed = mixed * GOLDEN_GAMMA + link.to().hashCode();
        return new SplittableRandom(mixed);
    }

    void countDelivered() {
        delivered.incrementAndGet();
    }

    long sent() {
        return sent.get();
    }

    long dropped() {
        return dropped.get();
    }

    long duplicated() {
        return duplicated.get();
    }

    long delivered() {
        return delivered.get();
    }
}
