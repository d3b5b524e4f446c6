package io.reliablemsg.bench;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.DatagramWriter;
import io.reliablemsg.wire.FrameVisitor;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The memory one messenger needs for 1,000 peers on one socket (issue 13): heap and direct buffers
 * after a full GC, with the messenger's 1,000 peers idle (heartbeats exchanged, nothing else) and then
 * active (each peer sent {@code MESSAGES} messages and received as many, all acked, the duplicate
 * windows still held). The peers are simulated inside the messenger's transport by {@link Farm}, which
 * answers DATA with ACK and PING with PONG and sends DATA of its own with ids 1,000 apart, as a peer that
 * sends round-robin to 1,000 peers does: the worst case for a bitmap over message ids. Its own memory is a
 * few KiB. Bounded: a few seconds.
 *
 * <pre>java -Xmx1g -cp reliable-msg-benchmarks/target/benchmarks.jar io.reliablemsg.bench.PeerMemory</pre>
 */
public final class PeerMemory {
    private static final int PEERS = 1_000;
    private static final int MESSAGES = 20;
    private static final long ID_STRIDE = 1_000;

    private PeerMemory() {
    }

    public static void main(String[] args) throws Exception {
        long heapBefore = heapAfterGc();
        long directBefore = direct();
        MessengerConfig.Builder config = MessengerConfig.builder().clientId(1).interval(Duration.ofMillis(500))
                .heartbeatInterval(Duration.ofMillis(200)).closeTimeout(Duration.ZERO);
        for (int i = 0; i < PEERS; i++) {
            config.peer("p" + i, address(i).getHostString() + ":7000");
        }
        Farm farm = new Farm();
        AtomicLong delivered = new AtomicLong();
        ReliableMessenger messenger = ReliableMessenger.builder(config.build()).transport(c -> farm)
                .inboundHandler(m -> delivered.incrementAndGet()).build();
        messenger.start();
        TimeUnit.SECONDS.sleep(2); // heartbeats and capability probes reach every peer
        report("1000 idle peers", messenger, heapBefore, directBefore);

        for (int n = 1; n <= MESSAGES; n++) {
            for (int i = 0; i < PEERS; i++) {
                while (!messenger.send("p" + i, new byte[64], null)) {
                    LockSupport.parkNanos(100_000);
                }
                farm.sendData(i, n * ID_STRIDE + i);
            }
        }
        long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((messenger.stats().acked() < (long) PEERS * MESSAGES || delivered.get() < (long) PEERS * MESSAGES)
                && System.nanoTime() < endNs) {
            LockSupport.parkNanos(10_000_000);
        }
        System.out.printf("acked %d of %d, delivered %d of %d%n", messenger.stats().acked(), PEERS * MESSAGES,
                delivered.get(), PEERS * MESSAGES);
        report("1000 active peers", messenger, heapBefore, directBefore);
        messenger.close();
    }

    private static InetSocketAddress address(int i) {
        return new InetSocketAddress("10.7." + (i / 250) + "." + (1 + i % 250), 7000);
    }

    private static void report(String what, ReliableMessenger messenger, long heapBefore, long directBefore)
            throws InterruptedException {
        long heap = heapAfterGc() - heapBefore;
        long direct = direct() - directBefore;
        System.out.printf("%s: heap %.1f MiB (%.1f KiB per peer), direct buffers %.1f MiB (%.1f KiB per peer); "
                        + "pending %d%n", what, heap / 1048576.0, heap / 1024.0 / PEERS, direct / 1048576.0,
                direct / 1024.0 / PEERS, messenger.pendingCount());
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long direct() {
        long used = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }

    /**
     * The 1,000 peers, inside the transport: what the messenger sends to one of them is answered at once
     * (ACK for DATA, PONG for PING; CAPABILITIES probes go unanswered, so each peer is taken for a version 1
     * node after a few probes); {@link #sendData} queues a DATA from a peer. Thread-safe where it must be:
     * the messenger's loop sends and receives, the main thread queues DATA.
     */
    private static final class Farm implements Transport, FrameVisitor<InetSocketAddress> {
        private static final long INCARNATION = 77;
        private final InetSocketAddress local = new InetSocketAddress("10.7.255.1", 7000);
        private final ConcurrentLinkedQueue<Object[]> inbound = new ConcurrentLinkedQueue<>();
        private final DatagramWriter loopWriter = new DatagramWriter(1472);
        private final DatagramWriter mainWriter = new DatagramWriter(1472);
        private volatile Thread waiting;

        void sendData(int peer, long msgId) {
            mainWriter.begin(1000 + peer, INCARNATION, 0);
            mainWriter.tryAppendData(msgId, System.currentTimeMillis(), 1, new byte[64], 32);
            queue(address(peer), mainWriter.finish());
        }

        private void queue(InetSocketAddress from, ByteBuffer datagram) {
            byte[] bytes = new byte[datagram.remaining()];
            datagram.get(bytes);
            inbound.add(new Object[] {from, bytes});
            Thread t = waiting;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            ByteBuffer copy = ByteBuffer.allocate(datagram.remaining()).put(datagram).flip();
            DatagramReader.read(copy, target, this);
            return true;
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) {
            Object[] next = inbound.poll();
            if (next == null) {
                return null;
            }
            into.put((byte[]) next[1]);
            return (InetSocketAddress) next[0];
        }

        @Override
        public void await(long timeoutNs) {
            waiting = Thread.currentThread();
            if (inbound.isEmpty()) {
                LockSupport.parkNanos(timeoutNs);
            }
            waiting = null;
        }

        @Override
        public void wakeup() {
            Thread t = waiting;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void close() {
        }

        private int clientIdOf(InetSocketAddress peer) {
            byte[] a = peer.getAddress().getAddress();
            return 1000 + (a[2] & 0xFF) * 250 + (a[3] & 0xFF) - 1;
        }

        @Override
        public void onData(InetSocketAddress peer, int senderClientId, long senderIncarnation, long msgId,
                           long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset,
                           int payloadLength) {
            loopWriter.begin(clientIdOf(peer), INCARNATION, 0);
            loopWriter.tryAppendAck(senderClientId, senderIncarnation, msgId, sendTimeMillis,
                    System.currentTimeMillis(), transmissions, 32);
            queue(peer, loopWriter.finish());
        }

        @Override
        public void onAck(InetSocketAddress peer, int senderClientId, long senderIncarnation, int originClientId,
                          long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                          int transmissions) {
        }

        @Override
        public void onPing(InetSocketAddress peer, int senderClientId, long senderIncarnation, long sendTimeMillis) {
            loopWriter.begin(clientIdOf(peer), INCARNATION, 0);
            loopWriter.tryAppendPong(sendTimeMillis, System.currentTimeMillis(), 32);
            queue(peer, loopWriter.finish());
        }
    }
}
