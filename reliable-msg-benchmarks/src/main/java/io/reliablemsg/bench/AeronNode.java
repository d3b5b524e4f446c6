package io.reliablemsg.bench;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.ext.DebugSendChannelEndpoint;
import io.aeron.driver.ext.LossGenerator;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.aeron.logbuffer.FragmentHandler;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * The peer: Aeron 1.46.7 over UDP on 127.0.0.1, each process with its own embedded media driver
 * ({@link ThreadingMode#SHARED}: conductor, sender and receiver on one driver thread) in the
 * directory {@link Compare} names ({@code aerondir}, deleted on start and on close), otherwise Aeron's
 * defaults (MTU 1408, 16 MiB terms, 128 KiB receiver window). One stream, {@code
 * aeron:udp?endpoint=127.0.0.1:P1}, from sender to receiver; in ping-pong mode a second one back,
 * {@code aeron:udp?endpoint=127.0.0.1:P2} ({@code aeronports=P1,P2}).
 *
 * <p>Window mode: one sender thread calls {@code Publication.offer} as fast as flow control lets it,
 * idling with the idle strategy while back-pressured (the payload's first 8 bytes are its nanoTime
 * at the accepted offer); the receiver polls, counts deliveries and the one-way delivery time.
 * Aeron tells the application of no per-message ack, so the figures are the receiver's. Ping-pong
 * mode: the sender offers one message and polls for its 8-byte echo, then the next. Idle strategy
 * ({@code idle}): {@code backoff}, Aeron's default ({@link BackoffIdleStrategy}: 10 spins, 20 yields,
 * parks of 1 us to 1 ms) for the driver and the application's poll loops, or {@code yielding}
 * ({@link YieldingIdleStrategy}) for both. Loss ({@code loss}): the sender's driver drops that share
 * of the datagrams it sends and of the control datagrams (status messages, NAKs) it receives, from
 * when the stream is connected on.
 */
final class AeronNode {
    private static final int DATA_STREAM = 1001;
    private static final int REPLY_STREAM = 1002;
    private static final int FRAGMENT_LIMIT = 256;
    private static final long GRACE_NS = TimeUnit.SECONDS.toNanos(1);

    private AeronNode() {
    }

    static void run(String role, Node.Opts o) throws Exception {
        String[] ports = o.str("aeronports", "").split(",");
        String data = "aeron:udp?endpoint=127.0.0.1:" + ports[0];
        String reply = "aeron:udp?endpoint=127.0.0.1:" + ports[1];
        boolean pingPong = o.str("mode", "window").equals("pingpong");
        SwitchableLoss loss = new SwitchableLoss(o.dbl("loss", 0));
        MediaDriver.Context ctx = new MediaDriver.Context()
                .aeronDirectoryName(o.str("aerondir", ""))
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idleStrategy(o));
        if (loss.rate > 0) {
            // one draw for both directions: data the sender sends, control (SM, NAK, RTT) it receives
            ctx.sendChannelEndpointSupplier((channel, status, context) ->
                    new DebugSendChannelEndpoint(channel, status, context, loss, loss));
        }
        MediaDriver driver = MediaDriver.launchEmbedded(ctx);
        Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        try {
            if (role.equals("receiver")) {
                Subscription in = aeron.addSubscription(data, DATA_STREAM);
                Publication out = pingPong ? aeron.addPublication(reply, REPLY_STREAM) : null;
                receiver(o, in, out, ports[0]);
            } else {
                Publication out = aeron.addPublication(data, DATA_STREAM);
                Subscription in = pingPong ? aeron.addSubscription(reply, REPLY_STREAM) : null;
                awaitConnected(out, in);
                loss.enabled = true;
                Node.ready("port=" + ports[1]);
                Node.Window w = Node.awaitGo();
                if (pingPong) {
                    pingPong(o, out, in, w);
                } else {
                    windowed(o, out, w, driver, loss);
                }
            }
        } finally {
            CloseHelper.closeAll(aeron, driver); // the driver deletes its directory
        }
    }

    private static IdleStrategy idleStrategy(Node.Opts o) {
        String idle = o.str("idle", "backoff");
        return switch (idle) {
            case "backoff" -> new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
            case "yielding" -> new YieldingIdleStrategy();
            default -> throw new IllegalArgumentException("unknown idle strategy " + idle);
        };
    }

    private static void awaitConnected(Publication out, Subscription in) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.isConnected() || in != null && !in.isConnected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no connection to the receiver within 30 s");
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private static void receiver(Node.Opts o, Subscription in, Publication out, String port) throws Exception {
        Histogram delivery = Node.histogram();
        long[] delivered = {0};
        Node.Window[] window = {new Node.Window(Long.MAX_VALUE, Long.MAX_VALUE)};
        IdleStrategy idle = idleStrategy(o);
        UnsafeBuffer echo = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
        long[] stopAt = {Long.MAX_VALUE};
        FragmentHandler handler = (buffer, offset, length, header) -> {
            long now = System.nanoTime();
            long sent = buffer.getLong(offset);
            if (out != null) {
                echo.putLong(0, sent);
                while (out.offer(echo, 0, 8) < 0 && System.nanoTime() < stopAt[0]) {
                    idle.idle();
                }
                idle.reset();
            }
            if (window[0].contains(now)) {
                delivered[0]++;
                delivery.recordValue(Math.max(0, now - sent));
            }
        };
        // messages larger than the MTU arrive in frames: the assembler hands each message over whole, once
        // (messages that fit one frame pass straight through)
        FragmentAssembler whole = new FragmentAssembler(handler);
        Node.ready("ports=" + port);
        Node.Window w = Node.awaitGo();
        window[0] = w;
        stopAt[0] = w.t1() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < stopAt[0]) {
            idle.idle(in.poll(whole, FRAGMENT_LIMIT));
        }
        Node.result("side=receiver", delivered[0], w, delivery, "");
    }

    private static void windowed(Node.Opts o, Publication out, Node.Window w, MediaDriver driver, SwitchableLoss loss) {
        int size = Math.max(8, o.integer("payload", 64));
        UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(size, 64));
        IdleStrategy idle = idleStrategy(o);
        long accepted = 0;
        long backPressured = 0;
        long retransAtStart = -1;
        long dropsAtStart = 0;
        long now;
        send:
        while ((now = System.nanoTime()) < w.t1()) {
            if (retransAtStart < 0 && now >= w.t0()) {
                retransAtStart = retransmitsSent(driver);
                dropsAtStart = loss.dropped;
            }
            message.putLong(0, now);
            long result;
            while ((result = out.offer(message, 0, size)) < 0) {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    throw new IllegalStateException("publication unusable: " + result);
                }
                backPressured++;
                idle.idle();
                if ((now = System.nanoTime()) >= w.t1()) {
                    break send;
                }
                message.putLong(0, now);
            }
            idle.reset();
            if (w.contains(now)) {
                accepted++;
            }
        }
        long retrans = retransmitsSent(driver) - Math.max(0, retransAtStart);
        Node.result("side=sender", accepted, w, Node.histogram(), "retrans=" + retrans
                + " backPressured=" + backPressured + " injectedDrops=" + (loss.dropped - dropsAtStart));
    }

    private static void pingPong(Node.Opts o, Publication out, Subscription in, Node.Window w) {
        int size = Math.max(8, o.integer("payload", 64));
        UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(size, 64));
        IdleStrategy idle = idleStrategy(o);
        long[] echoed = {Long.MIN_VALUE};
        FragmentHandler onEcho = (buffer, offset, length, header) -> echoed[0] = buffer.getLong(offset);
        Histogram rtt = Node.histogram();
        long giveUpAt = w.t1() + GRACE_NS;
        long count = 0;
        long now;
        exchange:
        while ((now = System.nanoTime()) < w.t1()) {
            message.putLong(0, now);
            while (out.offer(message, 0, size) < 0) {
                idle.idle();
                if (System.nanoTime() > giveUpAt) {
                    break exchange;
                }
            }
            idle.reset();
            while (echoed[0] != now) {
                idle.idle(in.poll(onEcho, 1));
                if (System.nanoTime() > giveUpAt) {
                    break exchange;
                }
            }
            idle.reset();
            long end = System.nanoTime();
            if (w.contains(end)) {
                count++;
                rtt.recordValue(end - now);
            }
        }
        Node.result("side=sender", count, w, rtt, "retrans=0");
    }

    private static long retransmitsSent(MediaDriver driver) {
        return driver.context().systemCounters().get(SystemCounterDescriptor.RETRANSMITS_SENT).get();
    }

    /**
     * Drops a seeded random share of frames once enabled (after the connection is up, as JGroups'
     * DISCARD is set after the join). Called on the driver's one thread only.
     */
    private static final class SwitchableLoss implements LossGenerator {
        final double rate;
        final SplittableRandom random = new SplittableRandom(42);
        volatile boolean enabled;
        volatile long dropped;

        SwitchableLoss(double rate) {
            this.rate = rate;
        }

        @Override
        public boolean shouldDropFrame(InetSocketAddress address, UnsafeBuffer buffer, int length) {
            if (enabled && random.nextDouble() < rate) {
                dropped++;
                return true;
            }
            return false;
        }
    }
}
