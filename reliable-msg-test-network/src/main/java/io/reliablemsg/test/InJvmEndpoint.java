package io.reliablemsg.test;

import io.reliablemsg.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One node's socket on a {@link TestNetwork}, as {@code UdpTransport} is on a host: the sending thread
 * hands the datagram to the network and returns; the datagram waits in this endpoint's inbox (bounded
 * in bytes like a socket's receive buffer, overflow dropped) until the receiving messenger's I/O loop
 * reads it on its own thread. {@link #await} blocks on a condition that an arriving datagram and
 * {@link #wakeup()} signal, and for a delayed datagram until it is due: the loop is woken, never spins.
 */
final class InJvmEndpoint implements Transport {
    /** A datagram in the inbox: readable from {@code dueNs} on; {@code sequence} keeps the order of equal times. */
    private record Arrival(long dueNs, long sequence, InetSocketAddress source, byte[] bytes) {
    }

    private static final Comparator<Arrival> DUE_ORDER = Comparator.comparingLong(Arrival::dueNs)
            .thenComparingLong(Arrival::sequence);

    private final Fabric fabric;
    private final InetSocketAddress address;
    private final int capacityBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Arrival> inbox = new PriorityQueue<>(DUE_ORDER);
    private int queuedBytes;
    private boolean woken;
    private volatile boolean closed;

    InJvmEndpoint(Fabric fabric, InetSocketAddress address, int capacityBytes) {
        this.fabric = fabric;
        this.address = address;
        this.capacityBytes = capacityBytes;
    }

    @Override
    public InetSocketAddress localAddress() {
        return address;
    }

    @Override
    public boolean send(InetSocketAddress target, ByteBuffer datagram) {
        if (closed) {
            return false; // as a closed channel refuses
        }
        byte[] bytes = new byte[datagram.remaining()];
        datagram.get(bytes);
        fabric.transmit(address, target, bytes);
        return true;
    }

    /** Puts a datagram in the inbox; false (dropped) when the endpoint is closed or its buffer is full. */
    boolean deliver(InetSocketAddress source, byte[] bytes, long dueNs, long sequence) {
        lock.lock();
        try {
            if (closed || queuedBytes + bytes.length > capacityBytes) {
                return false;
            }
            Arrival arrival = new Arrival(dueNs, sequence, source, bytes);
            inbox.add(arrival);
            queuedBytes += bytes.length;
            if (inbox.peek() == arrival) {
                changed.signalAll(); // a waiting loop recomputes how long to wait
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) {
        Arrival head;
        lock.lock();
        try {
            head = inbox.peek();
            if (closed || head == null || head.dueNs - System.nanoTime() > 0) {
                return null;
            }
            inbox.poll();
            queuedBytes -= head.bytes.length;
        } finally {
            lock.unlock();
        }
        into.put(head.bytes, 0, Math.min(head.bytes.length, into.remaining()));
        fabric.countDelivered();
        return head.source;
    }

    @Override
    public void await(long timeoutNs) {
        lock.lock();
        try {
            long deadlineNs = System.nanoTime() + Math.max(0, timeoutNs);
            while (!woken && !closed) {
                long nowNs = System.nanoTime();
                long waitNs = deadlineNs - nowNs;
                Arrival head = inbox.peek();
                if (head != null) {
                    waitNs = Math.min(waitNs, head.dueNs - nowNs);
                }
                if (waitNs <= 0 || changed.awaitNanos(waitNs) <= 0) {
                    break; // timed out: the deadline passed or the head is due
                }
            }
            woken = false; // like a selector: a wakeup counts for the next wait only
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wakeup() {
        lock.lock();
        try {
            woken = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams waiting (due or not). */
    int queued() {
        lock.lock();
        try {
            return inbox.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            inbox.clear(); // what was in flight to a closed socket is lost, as on a host
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        fabric.unbind(this);
    }

    @Override
    public String toString() {
        return "test network endpoint " + address + (closed ? " (closed)" : "");
    }
}
