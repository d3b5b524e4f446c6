package io.reliablemsg.transport;

import io.reliablemsg.time.ManualClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A network in memory, driven by a {@link ManualClock} and a seed: the same seed gives the same
 * drops, duplicates, delays and order. Faults: random loss, duplication, a delay drawn uniformly
 * from [minDelay, maxDelay] per copy (which reorders), and partitions (every datagram between two
 * addresses dropped during a time span). Optionally a link rate ({@link #bytesPerSecond}): each
 * direction between two addresses carries one datagram at a time, so a burst queues and its last
 * datagram arrives its serialisation time after the first, as on a real link. Single-threaded.
 */
public final class SimulatedNetwork {
    /** Sees every datagram the network delivers, before the receiver does (for test oracles). */
    public interface DeliveryObserver {
        void onDeliver(InetSocketAddress from, InetSocketAddress to, byte[] datagram, long nowNs);
    }

    private record InFlight(long deliverAtNs, long sequence, InetSocketAddress from, byte[] bytes) {
    }

    private record Partition(InetSocketAddress a, InetSocketAddress b, long fromNs, long untilNs, boolean oneWay) {
        boolean cuts(InetSocketAddress x, InetSocketAddress y, long nowNs) {
            return nowNs >= fromNs && nowNs < untilNs
                    && ((a.equals(x) && b.equals(y)) || (!oneWay && a.equals(y) && b.equals(x)));
        }
    }

    private final ManualClock clock;
    private final SplittableRandom random;
    private final Map<InetSocketAddress, Endpoint> endpoints = new HashMap<>();
    private final List<Partition> partitions = new ArrayList<>();
    private final List<LinkLoss> linkLosses = new ArrayList<>();
    private double lossRate;
    private double duplicationRate;
    private long minDelayNs;
    private long maxDelayNs;
    /** Bytes a direction carries per second; 0: no rate, a datagram takes no time on the link. */
    private long bytesPerSecond;
    /** When each direction ("from>to") is free again, with a link rate. */
    private final Map<String, Long> linkFreeAtNs = new HashMap<>();
    private long sequence;
    private long sent;
    private long dropped;
    private long delivered;
    private DeliveryObserver observer = (from, to, datagram, nowNs) -> { };
    private DeliveryObserver sendObserver = (from, to, datagram, nowNs) -> { };

    public SimulatedNetwork(ManualClock clock, long seed) {
        this.clock = clock;
        this.random = new SplittableRandom(seed);
    }

    /** Drops each datagram with probability {@code rate}. */
    public SimulatedNetwork lossRate(double rate) {
        this.lossRate = rate;
        return this;
    }

    /**
     * Drops each datagram between {@code a} and {@code b} (both ways) with probability {@code rate},
     * on top of {@link #lossRate}: one lossy path of a multi-homed peer.
     */
    public SimulatedNetwork lossBetween(InetSocketAddress a, InetSocketAddress b, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("loss rate " + rate + " is not within [0, 1]");
        }
        linkLosses.add(new LinkLoss(a, b, rate));
        return this;
    }

    private record LinkLoss(InetSocketAddress a, InetSocketAddress b, double rate) {
        boolean matches(InetSocketAddress x, InetSocketAddress y) {
            return a.equals(x) && b.equals(y) || a.equals(y) && b.equals(x);
        }
    }

    /** Delivers an extra copy of a datagram with probability {@code rate}. */
    public SimulatedNetwork duplicationRate(double rate) {
        this.duplicationRate = rate;
        return this;
    }

    /** Delays each copy by a uniform draw from [{@code minNs}, {@code maxNs}]. */
    public SimulatedNetwork delayNs(long minNs, long maxNs) {
        if (minNs < 0 || maxNs < minNs) {
            throw new IllegalArgumentException("delay range [" + minNs + ", " + maxNs + "]");
        }
        this.minDelayNs = minNs;
        this.maxDelayNs = maxNs;
        return this;
    }

    /**
     * Carries at most {@code rate} bytes per second in each direction between two addresses (0: no
     * rate, the default). A datagram sent while its direction carries earlier ones waits for them; a
     * datagram takes its size / rate on the link whether it is then lost or not (loss at the far end,
     * as a filter at the receiver's ingress drops), and the delay is added after.
     */
    public SimulatedNetwork bytesPerSecond(long rate) {
        if (rate < 0) {
            throw new IllegalArgumentException("link rate " + rate + " bytes/s is negative");
        }
        this.bytesPerSecond = rate;
        return this;
    }

    /** Drops everything between {@code a} and {@code b}, both ways, sent in [fromNs, untilNs). */
    public SimulatedNetwork partition(InetSocketAddress a, InetSocketAddress b, long fromNs, long untilNs) {
        partitions.add(new Partition(a, b, fromNs, untilNs, false));
        return this;
    }

    /** Drops everything sent from {@code from} to {@code to} (that direction only) in [fromNs, untilNs). */
    public SimulatedNetwork cutOneWay(InetSocketAddress from, InetSocketAddress to, long fromNs, long untilNs) {
        partitions.add(new Partition(from, to, fromNs, untilNs, true));
        return this;
    }

    /** Installs an observer of deliveries. */
    public SimulatedNetwork observer(DeliveryObserver observer) {
        this.observer = observer;
        return this;
    }

    /** Installs an observer of every datagram sent, before loss and partitions apply. */
    public SimulatedNetwork sendObserver(DeliveryObserver observer) {
        this.sendObserver = observer;
        return this;
    }

    /** A transport bound to {@code address} on this network (replacing a closed one). */
    public Transport endpoint(InetSocketAddress address) {
        Endpoint existing = endpoints.get(address);
        if (existing != null && !existing.closed) {
            throw new IllegalStateException("address in use: " + address);
        }
        Endpoint endpoint = new Endpoint(address);
        if (existing != null) {
            // Datagrams still in flight to this address reach the new socket; those that arrived
            // while nothing was bound are gone.
            long nowNs = clock.nanoTime();
            existing.inbox.removeIf(d -> d.deliverAtNs < nowNs);
            endpoint.inbox.addAll(existing.inbox);
        }
        endpoints.put(address, endpoint);
        return endpoint;
    }

    /**
     * A transport of a host with several addresses (several networks), bound to all of
     * {@code addresses}: it receives on each, and sends from the address that shares the longest
     * prefix with the target (as a host's routing table picks the interface on the target's network).
     * Its local address is the first.
     */
    public Transport multiHomedEndpoint(InetSocketAddress... addresses) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("at least one address");
        }
        Transport[] bound = new Transport[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            bound[i] = endpoint(addresses[i]);
        }
        return new MultiHomed(addresses, bound);
    }

    private final class MultiHomed implements Transport {
        private final InetSocketAddress[] addresses;
        private final Transport[] bound;

        MultiHomed(InetSocketAddress[] addresses, Transport[] bound) {
            this.addresses = addresses;
            this.bound = bound;
        }

        @Override
        public InetSocketAddress localAddress() {
            return addresses[0];
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            int best = 0;
            int bestPrefix = -1;
            byte[] to = target.getAddress().getAddress();
            for (int i = 0; i < addresses.length; i++) {
                byte[] from = addresses[i].getAddress().getAddress();
                int prefix = 0;
                while (prefix < Math.min(from.length, to.length) && from[prefix] == to[prefix]) {
                    prefix++;
                }
                if (prefix > bestPrefix) {
                    best = i;
                    bestPrefix = prefix;
                }
            }
            return bound[best].send(target, datagram);
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) {
            Endpoint earliest = null;
            for (Transport t : bound) {
                Endpoint e = (Endpoint) t;
                InFlight head = e.inbox.peek();
                if (!e.closed && head != null && head.deliverAtNs <= clock.nanoTime()
                        && (earliest == null || head.deliverAtNs < earliest.inbox.peek().deliverAtNs)) {
                    earliest = e;
                }
            }
            return earliest == null ? null : earliest.receive(into);
        }

        @Override
        public void await(long timeoutNs) {
            // time is moved by the simulation driver, never waited for
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() {
            for (Transport t : bound) {
                t.close();
            }
        }
    }

    /**
     * Delivers {@code datagram} now as if {@code from} had sent it: a spoofed source, as an attacker
     * next to the receiver could (for replay and forgery tests). Loss, delay and partitions do not
     * apply: the attacker is past them.
     */
    public void inject(InetSocketAddress from, InetSocketAddress to, byte[] datagram) {
        Endpoint target = endpoints.get(to);
        if (target != null) {
            target.inbox.add(new InFlight(clock.nanoTime(), sequence++, from, datagram.clone()));
        }
    }

    /** Earliest time a datagram is due somewhere, or {@link Long#MAX_VALUE}. */
    public long nextDeliveryNs() {
        long earliest = Long.MAX_VALUE;
        for (Endpoint e : endpoints.values()) {
            InFlight head = e.inbox.peek();
            if (!e.closed && head != null && head.deliverAtNs < earliest) {
                earliest = head.deliverAtNs;
            }
        }
        return earliest;
    }

    public long sent() {
        return sent;
    }

    public long dropped() {
        return dropped;
    }

    public long delivered() {
        return delivered;
    }

    private void transmit(InetSocketAddress from, InetSocketAddress to, ByteBuffer datagram) {
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        sent++;
        long nowNs = clock.nanoTime();
        sendObserver.onDeliver(from, to, bytes, nowNs);
        Endpoint target = endpoints.get(to);
        long onLinkNs = nowNs;
        if (bytesPerSecond > 0) {
            String link = from + ">" + to;
            long start = Math.max(nowNs, linkFreeAtNs.getOrDefault(link, Long.MIN_VALUE));
            onLinkNs = start + Math.max(1, bytes.length * 1_000_000_000L / bytesPerSecond);
            linkFreeAtNs.put(link, onLinkNs);
        }
        int copies = random.nextDouble() < duplicationRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            boolean cut = false;
            for (Partition p : partitions) {
                cut |= p.cuts(from, to, nowNs);
            }
            for (LinkLoss loss : linkLosses) {
                cut |= loss.matches(from, to) && random.nextDouble() < loss.rate();
            }
            if (target == null || cut || random.nextDouble() < lossRate) {
                dropped++;
                continue;
            }
            long delay = maxDelayNs == minDelayNs ? minDelayNs : random.nextLong(minDelayNs, maxDelayNs + 1);
            target.inbox.add(new InFlight(onLinkNs + delay, sequence++, from, bytes));
        }
    }

    private final class Endpoint implements Transport {
        private final InetSocketAddress address;
        private final PriorityQueue<InFlight> inbox = new PriorityQueue<>((x, y) -> x.deliverAtNs != y.deliverAtNs
                ? Long.compare(x.deliverAtNs, y.deliverAtNs) : Long.compare(x.sequence, y.sequence));
        private boolean closed;

        Endpoint(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            if (closed) {
                return false;
            }
            transmit(address, target, datagram);
            return true;
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) {
            InFlight head = inbox.peek();
            if (closed || head == null || head.deliverAtNs > clock.nanoTime()) {
                return null;
            }
            inbox.poll();
            delivered++;
            observer.onDeliver(head.from, address, head.bytes, clock.nanoTime());
            into.put(head.bytes, 0, Math.min(head.bytes.length, into.remaining()));
            return head.from;
        }

        @Override
        public void await(long timeoutNs) {
            // time is moved by the simulation driver, never waited for
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() {
            closed = true; // the inbox stays: datagrams in flight may reach a successor on this address
        }
    }
}
