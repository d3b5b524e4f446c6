package io.reliablemsg.bench;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;

/**
 * Raw UDP ping-pong with three ways of waiting for a datagram, to tell what the waiting itself costs on a busy
 * machine (docs/PERFORMANCE.md, "W=1 on a machine whose cores are all taken"): {@code plain}, a blocking
 * {@code DatagramChannel.receive} (what Compare's raw ping-pong does); {@code timed}, a blocking receive with a
 * timeout (the channel's socket adaptor with {@code SO_TIMEOUT}, which polls); {@code select}, a non-blocking
 * channel and a {@code Selector}, as the library's I/O loop waits. One process echoes, the other pings 64 bytes
 * and prints p50/p99/p99.9 of the round trip after a 3 s warm-up. Every wait ends by itself at the end time.
 *
 * <p>{@code java -cp benchmarks.jar io.reliablemsg.bench.WaitModes echo|ping plain|timed|select PORT PEER_PORT SECONDS}
 * (scripts/bench/busy-pingpong.sh runs the pairs under busy loops).
 */
public final class WaitModes {
    private WaitModes() {
    }

    public static void main(String[] a) throws Exception {
        boolean echo = a[0].equals("echo");
        String mode = a[1];
        int port = Integer.parseInt(a[2]);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", Integer.parseInt(a[3]));
        long endNs = System.nanoTime() + Long.parseLong(a[4]) * 1_000_000_000L;
        long warmNs = System.nanoTime() + 3_000_000_000L;
        DatagramChannel ch = DatagramChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", port));
        Selector selector = null;
        if (mode.equals("select")) {
            ch.configureBlocking(false);
            selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
        } else if (mode.equals("timed")) {
            ch.socket().setSoTimeout(1000);
        } else if (!mode.equals("plain")) {
            throw new IllegalArgumentException("mode: plain, timed or select, not " + mode);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(2048);
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        long[] rtt = new long[4_000_000];
        int n = 0;
        while (System.nanoTime() < endNs) {
            long t0 = System.nanoTime();
            if (!echo) {
                b.clear().limit(64);
                ch.send(b, to);
            }
            SocketAddress from = null;
            while (from == null) {
                b.clear();
                if (mode.equals("plain")) {
                    from = ch.receive(b);
                } else if (mode.equals("select")) {
                    from = ch.receive(b);
                    if (from == null) {
                        selector.select(50);
                        selector.selectedKeys().clear();
                    }
                } else {
                    try {
                        ch.socket().receive(packet);
                        from = packet.getSocketAddress();
                        b.put(packet.getData(), 0, packet.getLength());
                    } catch (SocketTimeoutException e) {
                        from = null;
                    }
                }
                if (from == null && System.nanoTime() > endNs) {
                    System.exit(echo ? 0 : 1);
                }
            }
            if (echo) {
                b.flip();
                ch.send(b, from);
            } else if (t0 > warmNs && n < rtt.length) {
                rtt[n++] = System.nanoTime() - t0;
            }
        }
        if (!echo) {
            Arrays.sort(rtt, 0, n);
            System.out.printf("%-7s round trips=%d p50=%.1f us p99=%.1f us p99.9=%.1f us%n", mode, n, rtt[n / 2] / 1e3,
                    rtt[(int) (n * 0.99)] / 1e3, rtt[(int) (n * 0.999)] / 1e3);
        }
        System.exit(0);
    }
}
