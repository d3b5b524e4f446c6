package io.reliablemsg.bench;

import io.reliablemsg.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * An in-memory, allocation-free datagram network for microbenchmarks: each endpoint has a ring of
 * preallocated slots; a datagram to an unknown address, or to a full ring, is dropped. Single-threaded.
 */
public final class MemoryNetwork {
    private static final int SLOTS = 4096;
    private static final int SLOT_BYTES = 2048;
    private final Map<InetSocketAddress, Endpoint> endpoints = new HashMap<>();
    private long dropped;

    /** An endpoint on {@code address}. */
    public Transport endpoint(InetSocketAddress address) {
        Endpoint e = new Endpoint(address);
        endpoints.put(address, e);
        return e;
    }

    /** Datagrams dropped (unknown target or full ring). */
    public long dropped() {
        return dropped;
    }

    private final class Endpoint implements Transport {
        private final InetSocketAddress address;
        private final byte[][] data = new byte[SLOTS][SLOT_BYTES];
        private final int[] length = new int[SLOTS];
        private final InetSocketAddress[] source = new InetSocketAddress[SLOTS];
        private long head;
        private long tail;

        Endpoint(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public InetSocketAddress localAddress() {
            return address;
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            Endpoint to = endpoints.get(target);
            int n = datagram.remaining();
            if (to == null || to.tail - to.head == SLOTS || n > SLOT_BYTES) {
                dropped++;
                datagram.position(datagram.limit());
                return true;
            }
            int i = (int) (to.tail++ & (SLOTS - 1));
            datagram.get(to.data[i], 0, n);
            to.length[i] = n;
            to.source[i] = address;
            return true;
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) {
            if (head == tail) {
                return null;
            }
            int i = (int) (head++ & (SLOTS - 1));
            into.put(data[i], 0, Math.min(length[i], into.remaining()));
            return source[i];
        }

        @Override
        public void await(long timeoutNs) {
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() {
        }
    }
}
