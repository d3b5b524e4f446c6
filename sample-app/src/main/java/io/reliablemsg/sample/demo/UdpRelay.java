package io.reliablemsg.sample.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DEMO FACILITY: the demo's second network on one machine. Two UDP sockets on 127.0.0.1, {@code x} and
 * {@code y}: a datagram that arrives on {@code x} from node a goes out of {@code y} to node b, one that
 * arrives on {@code y} from b goes out of {@code x} to a; datagrams from any other source are dropped
 * (counted as strays). So b sees a's relayed datagrams come from {@code y} and a sees b's come from
 * {@code x}: a names b {@code <b's address>,<x>} and b names a {@code <a's address>,<y>}, and each node's
 * {@code PeerTable} maps the relay's socket to the peer's second path. (A second loopback address such as
 * 127.0.0.2 would not do: the replies would come from 127.0.0.1, the first path.)
 *
 * <p>One daemon thread per direction, each with one datagram buffer (64 KiB, the largest UDP datagram)
 * and no queue: a datagram is forwarded before the next is read, and what the socket's receive buffer
 * cannot hold meanwhile is lost, as on a real network. The relay itself can fail: {@link #setDown}
 * drops everything (network 2 down), {@link #setLoss} a share. {@link #close} stops both threads.
 */
public final class UdpRelay implements AutoCloseable {
    /** Largest UDP payload over IPv4 (65,535 - 20 - 8): the buffer of each direction holds one. */
    static final int MAX_DATAGRAM = 65_507;
    private static final long JOIN_MILLIS = 2_000;

    private final DatagramSocket x;
    private final DatagramSocket y;
    private final InetSocketAddress xAddress;
    private final InetSocketAddress yAddress;
    private final InetSocketAddress a;
    private final InetSocketAddress b;
    private final Thread aToB;
    private final Thread bToA;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong strays = new AtomicLong();
    private volatile double loss;
    private volatile boolean down;
    private volatile boolean closed;

    private UdpRelay(DatagramSocket x, DatagramSocket y, InetSocketAddress a, InetSocketAddress b) {
        this.x = x;
        this.y = y;
        this.xAddress = (InetSocketAddress) x.getLocalSocketAddress();
        this.yAddress = (InetSocketAddress) y.getLocalSocketAddress();
        this.a = a;
        this.b = b;
        this.aToB = new Thread(() -> forward(x, a, y, b), "udp-relay-a-to-b");
        this.bToA = new Thread(() -> forward(y, b, x, a), "udp-relay-b-to-a");
        aToB.setDaemon(true);
        bToA.setDaemon(true);
    }

    /**
     * Binds {@code x} and {@code y} to free ports of 127.0.0.1 and starts relaying between node {@code a}
     * (its UDP address) and node {@code b}.
     */
    public static UdpRelay start(InetSocketAddress a, InetSocketAddress b) {
        InetAddress loopback = loopback();
        DatagramSocket x = null;
        try {
            x = new DatagramSocket(new InetSocketAddress(loopback, 0));
            DatagramSocket y = new DatagramSocket(new InetSocketAddress(loopback, 0));
            UdpRelay relay = new UdpRelay(x, y, a, b);
            relay.aToB.start();
            relay.bToA.start();
            return relay;
        } catch (IOException e) {
            if (x != null) {
                x.close();
            }
            throw new UncheckedIOException("cannot bind the relay's sockets on " + loopback, e);
        }
    }

    /** 127.0.0.1, whatever the JVM's preference for IPv6. */
    public static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The socket node a sends to: b's address on the second network. */
    public InetSocketAddress x() {
        return xAddress;
    }

    /** The socket node b sends to: a's address on the second network. */
    public InetSocketAddress y() {
        return yAddress;
    }

    /** Drops everything ({@code true}: network 2 down) or nothing more than the loss ({@code false}). */
    public void setDown(boolean down) {
        this.down = down;
    }

    /** Whether the relay drops everything now. */
    public boolean isDown() {
        return down;
    }

    /** Drops each datagram, both ways, with probability {@code loss} in [0, 1]. */
    public void setLoss(double loss) {
        if (!(loss >= 0 && loss <= 1)) {
            throw new IllegalArgumentException("loss must be in [0, 1] but was " + loss);
        }
        this.loss = loss;
    }

    /** Datagrams relayed so far, both ways. */
    public long forwarded() {
        return forwarded.get();
    }

    /** Datagrams dropped so far by {@link #setDown} or {@link #setLoss}, or refused by the sending socket. */
    public long dropped() {
        return dropped.get();
    }

    /** Datagrams that came from neither node, dropped. */
    public long strays() {
        return strays.get();
    }

    private void forward(DatagramSocket from, SocketAddress expected, DatagramSocket to, InetSocketAddress target) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            packet.setData(buffer, 0, buffer.length);
            try {
                from.receive(packet);
            } catch (IOException e) {
                if (from.isClosed()) {
                    return;
                }
                continue; // an error reported late for an earlier send: read on
            }
            if (!expected.equals(packet.getSocketAddress())) {
                strays.incrementAndGet();
                continue;
            }
            double share = loss;
            if (down || (share > 0 && ThreadLocalRandom.current().nextDouble() < share)) {
                dropped.incrementAndGet();
                continue;
            }
            packet.setSocketAddress(target);
            forwarded.incrementAndGet(); // before the send: counted by the time it arrives
            try {
                to.send(packet);
            } catch (IOException e) {
                forwarded.decrementAndGet();
                dropped.incrementAndGet(); // lost on the second network, as any datagram may be
            }
        }
    }

    /** Closes both sockets and waits (at most 2 s each) for the threads to end. */
    @Override
    public void close() {
        closed = true;
        x.close();
        y.close();
        try {
            aToB.join(JOIN_MILLIS);
            bToA.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether both relaying threads have ended. */
    boolean stopped() {
        return !aToB.isAlive() && !bToA.isAlive();
    }

    @Override
    public String toString() {
        return "UdpRelay[" + a + " -> " + xAddress + " ... " + yAddress + " -> " + b + "]";
    }
}
