package io.reliablemsg.bench;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The limit: plain {@code java.nio} UDP. Data datagram = payload bytes, of which the first 20 are
 * [seq u64][slot u32][first send nanoTime u64]; ack datagram = [seq u64][slot u32]. Window mode: one
 * single-threaded sender keeps up to W datagrams unacked (a free list of W slots), the receiver
 * echoes one ack datagram per data datagram. No retransmission unless loss is injected, in which
 * case a slot unacked for {@code interval} ms is sent again (the same timer the library uses), so
 * that the window does not drain. Ping-pong mode: one datagram, wait for its echo, again (blocking).
 * Loss: the sender drops each datagram it sends or receives with probability {@code loss}.
 */
final class RawNode {
    private static final int HEADER = 20;
    private static final int ACK = 12;
    private static final long FIN = -1;

    private RawNode() {
    }

    static void run(String role, Node.Opts o) throws Exception {
        if (role.equals("receiver")) {
            receiver(o);
        } else if (o.str("mode", "window").equals("pingpong")) {
            pingPong(o);
        } else {
            windowed(o);
        }
    }

    private static DatagramChannel open() throws Exception {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        return ch;
    }

    private static void receiver(Node.Opts o) throws Exception {
        DatagramChannel ch = open();
        Node.ready("ports=" + ((InetSocketAddress) ch.getLocalAddress()).getPort());
        Node.Window w = Node.awaitGo();
        ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
        ByteBuffer ack = ByteBuffer.allocateDirect(ACK);
        Histogram delivery = Node.histogram();
        BitSet seen = new BitSet();
        long delivered = 0;
        long duplicates = 0;
        long stopAt = w.t1() + TimeUnit.MILLISECONDS.toNanos(300);
        // Blocking receive: the sender sends FIN datagrams after t1; the watchdog is the backstop.
        while (true) {
            in.clear();
            SocketAddress from = ch.receive(in);
            long now = System.nanoTime();
            long seq = in.getLong(0);
            if (seq == FIN || now >= stopAt) {
                break;
            }
            ack.clear();
            ack.putLong(0, seq).putInt(8, in.getInt(8));
            ch.send(ack, from);
            if (w.contains(now)) {
                if (seen.get((int) seq)) {
                    duplicates++;
                } else {
                    seen.set((int) seq);
                    delivered++;
                    delivery.recordValue(Math.max(0, now - in.getLong(12)));
                }
            }
        }
        Node.result("side=receiver", delivered, w, delivery, "duplicates=" + duplicates);
    }

    private static void fin(DatagramChannel ch, int size) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, HEADER));
        for (int i = 0; i < 3; i++) {
            b.clear();
            b.putLong(0, FIN);
            ch.write(b);
        }
    }

    private static void pingPong(Node.Opts o) throws Exception {
        int size = Math.max(HEADER, o.integer("payload", 64));
        DatagramChannel ch = open();
        ch.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(o.str("ports", ""))));
        Node.ready("port=" + ((InetSocketAddress) ch.getLocalAddress()).getPort());
        Node.Window w = Node.awaitGo();
        ByteBuffer out = ByteBuffer.allocateDirect(size);
        ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
        Histogram rtt = Node.histogram();
        long count = 0;
        long seq = 0;
        long now;
        while ((now = System.nanoTime()) < w.t1()) {
            out.clear();
            out.putLong(0, seq).putInt(8, 0).putLong(12, now);
            ch.write(out);
            in.clear();
            ch.read(in); // blocking; no loss in this mode
            long end = System.nanoTime();
            if (w.contains(end)) {
                count++;
                rtt.recordValue(end - now);
            }
            seq++;
        }
        fin(ch, size);
        Node.result("side=sender", count, w, rtt, "retrans=0");
    }

    private static void windowed(Node.Opts o) throws Exception {
        int size = Math.max(HEADER, o.integer("payload", 64));
        int window = o.integer("window", 1000);
        double loss = o.dbl("loss", 0);
        long rtoNs = TimeUnit.MILLISECONDS.toNanos(o.integer("interval", 1000));
        SplittableRandom random = new SplittableRandom(42);
        DatagramChannel ch = open();
        ch.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(o.str("ports", ""))));
        ch.configureBlocking(false);
        Selector selector = Selector.open();
        ch.register(selector, SelectionKey.OP_READ);
        Node.ready("port=" + ((InetSocketAddress) ch.getLocalAddress()).getPort());
        Node.Window w = Node.awaitGo();

        long[] slotSeq = new long[window];
        long[] slotFirstNs = new long[window];
        long[] slotLastNs = new long[window];
        boolean[] busy = new boolean[window];
        int[] free = new int[window];
        int freeCount = window;
        for (int i = 0; i < window; i++) {
            free[i] = window - 1 - i;
        }
        ByteBuffer out = ByteBuffer.allocateDirect(size);
        ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
        Histogram sendToAck = Node.histogram();
        long acked = 0;
        long retrans = 0;
        long injectedDrops = 0;
        long seq = 0;
        long nextScanNs = System.nanoTime() + rtoNs / 2;
        long now;
        while ((now = System.nanoTime()) < w.t1()) {
            boolean progress = false;
            // acks first
            while (true) {
                in.clear();
                if (ch.read(in) <= 0) {
                    break;
                }
                progress = true;
                if (loss > 0 && random.nextDouble() < loss) {
                    injectedDrops++;
                    continue;
                }
                long s = in.getLong(0);
                int slot = in.getInt(8);
                if (slot >= 0 && slot < window && busy[slot] && slotSeq[slot] == s) {
                    busy[slot] = false;
                    free[freeCount++] = slot;
                    long t = System.nanoTime();
                    if (w.contains(t)) {
                        acked++;
                        sendToAck.recordValue(t - slotFirstNs[slot]);
                    }
                }
            }
            // new datagrams while the window has room
            int burst = 0;
            while (freeCount > 0 && burst < 256) {
                int slot = free[freeCount - 1];
                long t = System.nanoTime();
                out.clear();
                out.putLong(0, seq).putInt(8, slot).putLong(12, t);
                if (loss > 0 && random.nextDouble() < loss) {
                    injectedDrops++; // lost on the wire
                } else if (ch.write(out) == 0) {
                    break; // socket buffer full: try again later, slot stays free
                }
                freeCount--;
                busy[slot] = true;
                slotSeq[slot] = seq++;
                slotFirstNs[slot] = t;
                slotLastNs[slot] = t;
                burst++;
                progress = true;
            }
            // retransmission only matters when loss is injected
            if (loss > 0 && now >= nextScanNs) {
                nextScanNs = now + rtoNs / 2;
                for (int slot = 0; slot < window; slot++) {
                    if (busy[slot] && now - slotLastNs[slot] >= rtoNs) {
                        out.clear();
                        out.putLong(0, slotSeq[slot]).putInt(8, slot).putLong(12, slotFirstNs[slot]);
                        slotLastNs[slot] = now;
                        if (w.contains(now)) {
                            retrans++;
                        }
                        if (loss > 0 && random.nextDouble() < loss) {
                            injectedDrops++;
                        } else {
                            ch.write(out);
                        }
                    }
                }
            }
            if (!progress) {
                long waitMs = loss > 0 ? Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextScanNs - now)) : 1;
                selector.select(Math.min(waitMs, 10));
                selector.selectedKeys().clear();
            }
        }
        fin(ch, size);
        Node.result("side=sender", acked, w, sendToAck, "retrans=" + retrans + " injectedDrops=" + injectedDrops);
    }
}
