package io.reliablemsg.bench;

import io.reliablemsg.IdleStrategy;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerStats;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.FaultInjectingTransport;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The library under test. Sender: one application thread calls {@code trySend} as fast as the
 * chain (capacity = window) admits, round robin over the peers, and parks while the chain is full;
 * the ack listener wakes it. Send-to-ack latency is taken from just before {@code trySend} to the
 * ack listener call. With {@code sendwait=room} the application thread instead calls the blocking
 * {@code trySend(peer, payload, buffer, maxBlock)}, which waits for room itself and is woken once an eighth of
 * the chain is free (send-to-ack latency then includes that wait). Receiver: one messenger per peer in this process, callbacks inline, records
 * the delivery time carried in the payload's first 8 bytes (sender's nanoTime at send).
 *
 * <p>With {@code mode=request} the sender calls {@code request} instead, keeping up to {@code window} requests
 * in flight (its chain holds twice that, since a request's slot is freed just after its future completed),
 * and records the time from {@code request} to the reply's future completing; the receivers answer with a
 * request handler that returns 8 bytes (and records the delivery time like a message).
 *
 * <p>Options: payload, window, bundle (bundleSize), interval (ms), loss (applied on the sender's
 * transport, both directions, with {@link FaultInjectingTransport}), peers, ports, mode, clientbase
 * (the receivers' first client id, so that receivers in several JVMs differ), heap (the sender reports
 * its heap after a full GC once the window is over).
 */
final class LibNode {
    private static final int RING = 1 << 16;

    private LibNode() {
    }

    static void run(String role, Node.Opts o) throws Exception {
        if (role.equals("receiver")) {
            receiver(o);
        } else {
            sender(o);
        }
    }

    private static MessengerConfig.Builder base(Node.Opts o, int clientId) {
        MessengerConfig.Builder b = MessengerConfig.builder().clientId(clientId).bindAddress("127.0.0.1");
        if (!o.str("bundle", "1472").equals("default")) { // "default": the core's, a datagram of the path's size
            b.bundleSize(o.integer("bundle", 1472));
        }
        return b.interval(Duration.ofMillis(o.integer("interval", 1000)))
                .maxRetries(o.integer("retries", 10))
                .inlineCallbacks(true)
                .idleStrategy(IdleStrategy.valueOf(o.str("libidle", "park").toUpperCase(java.util.Locale.ROOT)))
                .closeTimeout(Duration.ZERO);
    }

    private static final class ReceiverStats {
        final Histogram delivery = Node.histogram();
        /** [1] in the window, [0] outside it: picked without a branch, so t0 deoptimizes nothing. */
        final Histogram[] byWindow = {Node.histogram(), delivery};
        final long[] counts = new long[2];
    }

    private static void receiver(Node.Opts o) throws Exception {
        int peers = o.integer("peers", 1);
        int clientBase = o.integer("clientbase", 100);
        List<ReliableMessenger> messengers = new ArrayList<>();
        List<ReceiverStats> stats = new ArrayList<>();
        final Node.Window[] window = {new Node.Window(Long.MAX_VALUE, Long.MAX_VALUE)};
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < peers; i++) {
            ReceiverStats s = new ReceiverStats();
            byte[] reply = new byte[8];
            Consumer<InboundMessage> record = msg -> {
                long now = System.nanoTime();
                int in = window[0].index(now);
                s.counts[in]++;
                s.byWindow[in].recordValue(Math.max(0, now - ByteBuffer.wrap(msg.payload()).getLong(0)));
            };
            ReliableMessenger m = ReliableMessenger.builder(base(o, clientBase + i).acceptUnknownPeers(true).build())
                    .inboundHandler(record::accept)
                    .requestHandler(msg -> {
                        record.accept(msg);
                        return reply;
                    }).build();
            m.start();
            messengers.add(m);
            stats.add(s);
            ports.append(ports.length() == 0 ? "" : ",").append(m.localAddress().getPort());
        }
        Node.ready("ports=" + ports);
        Node.Window w = Node.awaitGo();
        window[0] = w;
        Node.sleepUntil(w.t1() + TimeUnit.MILLISECONDS.toNanos(300));
        Histogram all = Node.histogram();
        long delivered = 0;
        long duplicates = 0;
        for (int i = 0; i < peers; i++) {
            all.add(stats.get(i).delivery);
            delivered += stats.get(i).counts[1];
            duplicates += messengers.get(i).stats().duplicates();
        }
        Node.result("side=receiver", delivered, w, all, "duplicates=" + duplicates);
    }

    private static void sender(Node.Opts o) throws Exception {
        if (o.str("mode", "send").equals("request")) {
            requester(o);
            return;
        }
        int payloadSize = o.integer("payload", 64);
        int window = o.integer("window", 1000);
        boolean roomWait = o.str("sendwait", "listener").equals("room");
        double loss = o.dbl("loss", 0);
        String[] ports = o.str("ports", "").split(",");
        MessengerConfig.Builder cb = base(o, 1).maxStoredMessages(window);
        String[] names = new String[ports.length];
        for (int i = 0; i < ports.length; i++) {
            names[i] = "r" + i;
            cb.peer(names[i], "127.0.0.1", Integer.parseInt(ports[i]));
        }
        MessengerConfig config = cb.build();
        long[] sendNs = new long[RING];
        Histogram sendToAck = Node.histogram();
        Histogram engineLatency = Node.histogram();
        Histogram[] toAck = {Node.histogram(), sendToAck}; // [1] in the window, [0] outside it
        Histogram[] engine = {Node.histogram(), engineLatency};
        final Node.Window[] win = {new Node.Window(Long.MAX_VALUE, Long.MAX_VALUE)};
        long[] acked = new long[2]; // [1] in the window
        AtomicBoolean waiting = new AtomicBoolean();
        Thread app = Thread.currentThread();
        ReliableMessenger.Builder builder = ReliableMessenger.builder(config)
                .failureListener(f -> { })
                .ackListener((peer, msgId, latencyNs, transmissions) -> {
                    long now = System.nanoTime();
                    int in = win[0].index(now); // no branch: the same code runs before and in the window
                    acked[in]++;
                    toAck[in].recordValue(Math.max(0, now - sendNs[(int) (msgId & (RING - 1))]));
                    engine[in].recordValue(Math.max(0, latencyNs));
                    if (waiting.get() && waiting.compareAndSet(true, false)) {
                        LockSupport.unpark(app);
                    }
                });
        FaultInjectingTransport[] faults = new FaultInjectingTransport[1];
        if (loss > 0) {
            builder.transportDecorator(udp -> {
                FaultInjectingTransport t = new FaultInjectingTransport(udp, Clock.SYSTEM, 42);
                t.setLossRate(loss);
                faults[0] = t;
                return t;
            });
        }
        ReliableMessenger messenger = builder.build();
        messenger.start();
        Node.ready("port=" + messenger.localAddress().getPort());
        Node.Window w = Node.awaitGo();
        win[0] = w;
        byte[] payload = new byte[payloadSize];
        ByteBuffer stamp = ByteBuffer.wrap(payload);
        long nextId = 1;
        int peer = 0;
        MessengerStats atStart = null;
        long dropsAtStart = 0;
        long fastAtStart = 0;
        long now;
        while ((now = System.nanoTime()) < w.t1()) {
            if (atStart == null && now >= w.t0()) {
                atStart = messenger.stats();
                dropsAtStart = faults[0] == null ? 0 : faults[0].dropped();
                fastAtStart = fastRetransmits(messenger, names);
            }
            sendNs[(int) (nextId & (RING - 1))] = now;
            stamp.putLong(0, now);
            long id = roomWait ? messenger.trySend(names[peer], payload, null, Duration.ofNanos(w.t1() - now))
                    : messenger.trySend(names[peer], payload, null);
            if (id == ReliableMessenger.NOT_ACCEPTED && roomWait) {
                continue; // the window is over
            }
            if (id == ReliableMessenger.NOT_ACCEPTED) {
                waiting.set(true);
                if (messenger.pendingCount() >= window) {
                    LockSupport.parkNanos(1_000_000L);
                }
                waiting.set(false);
                continue;
            }
            if (id != nextId) {
                throw new IllegalStateException("message ids are not sequential: " + id + " after " + (nextId - 1));
            }
            nextId++;
            if (++peer == names.length) {
                peer = 0;
            }
        }
        MessengerStats atEnd = messenger.stats();
        long fast = fastRetransmits(messenger, names) - fastAtStart;
        if (atStart == null) {
            atStart = atEnd;
        }
        long drops = faults[0] == null ? 0 : faults[0].dropped() - dropsAtStart;
        Node.sleepUntil(w.t1() + TimeUnit.MILLISECONDS.toNanos(50));
        String heap = "";
        if (Boolean.parseBoolean(o.str("heap", "false"))) { // after the window: the messenger's heap with its peers
            System.gc();
            Runtime rt = Runtime.getRuntime();
            heap = String.format(" heapMiB=%.1f", (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
        }
        Node.result("side=sender", acked[1], w, sendToAck,
                "retrans=" + (atEnd.retransmitted() - atStart.retransmitted())
                        + " failed=" + (atEnd.failed() - atStart.failed())
                        + " sendDrops=" + (atEnd.transportSendDrops() - atStart.transportSendDrops())
                        + " injectedDrops=" + drops + " fast=" + fast
                        + " engineP50=" + String.format("%.1f", engineLatency.getValueAtPercentile(50) / 1e3)
                        + " engineP99=" + String.format("%.1f", engineLatency.getValueAtPercentile(99) / 1e3) + heap);
    }

    /** Early copies (fast retransmissions) to all of {@code peers} so far. */
    private static long fastRetransmits(ReliableMessenger messenger, String[] peers) {
        long n = 0;
        for (String peer : peers) {
            n += messenger.stats(peer).fastRetransmits();
        }
        return n;
    }

    private static void requester(Node.Opts o) throws Exception {
        int window = o.integer("window", 1);
        String[] ports = o.str("ports", "").split(",");
        MessengerConfig.Builder cb = base(o, 1).maxStoredMessages(2 * window);
        String[] names = new String[ports.length];
        for (int i = 0; i < ports.length; i++) {
            names[i] = "r" + i;
            cb.peer(names[i], "127.0.0.1", Integer.parseInt(ports[i]));
        }
        ReliableMessenger messenger = ReliableMessenger.builder(cb.build()).failureListener(f -> { }).build();
        messenger.start();
        Node.ready("port=" + messenger.localAddress().getPort());
        Node.Window w = Node.awaitGo();
        Histogram rtt = Node.histogram();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong replies = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean waiting = new AtomicBoolean();
        Thread app = Thread.currentThread();
        byte[] payload = new byte[o.integer("payload", 64)];
        ByteBuffer stamp = ByteBuffer.wrap(payload);
        int peer = 0;
        long now;
        while ((now = System.nanoTime()) < w.t1()) {
            if (inFlight.get() >= window) {
                waiting.set(true);
                if (inFlight.get() >= window) {
                    LockSupport.parkNanos(1_000_000L);
                }
                waiting.set(false);
                continue;
            }
            stamp.putLong(0, now);
            long sentAt = now;
            inFlight.incrementAndGet();
            messenger.request(names[peer], payload, null).whenComplete((reply, error) -> {
                long end = System.nanoTime();
                if (error != null) {
                    failed.incrementAndGet();
                } else if (w.contains(end)) {
                    synchronized (rtt) {
                        replies.incrementAndGet();
                        rtt.recordValue(Math.max(0, end - sentAt));
                    }
                }
                inFlight.decrementAndGet();
                if (waiting.get() && waiting.compareAndSet(true, false)) {
                    LockSupport.unpark(app);
                }
            });
            if (++peer == names.length) {
                peer = 0;
            }
        }
        Node.sleepUntil(w.t1() + TimeUnit.MILLISECONDS.toNanos(50));
        MessengerStats stats = messenger.stats();
        synchronized (rtt) {
            Node.result("side=sender", replies.get(), w, rtt, "failed=" + failed.get() + " retrans="
                    + stats.retransmitted() + " requestsSent=" + stats.requestsSent());
        }
    }
}
