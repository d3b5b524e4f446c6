package io.reliablemsg.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.RED;

/**
 * The peer: JGroups 5.4.10, two members over its UDP stack on 127.0.0.1 ({@code jgroups-default.xml}
 * is the shipped udp.xml adapted for loopback without multicast, {@code jgroups-tuned.xml} a
 * throughput-tuned variant), unicasts with UNICAST3 and UFC flow control on. Window mode: one sender
 * thread sends as fast as UFC lets it; the receiver counts deliveries and the one-way delivery time
 * (the sender's nanoTime is in the payload), because JGroups tells the application of no per-message
 * ack. Ping-pong mode: request/reply, the receiver sends back a small message and the sender waits
 * for it. Loss: DISCARD on the sender, both directions, set once the two members see each other.
 */
final class JGroupsNode {
    private JGroupsNode() {
    }

    static void run(String role, Node.Opts o) throws Exception {
        String[] ports = o.str("jgports", "").split(",");
        boolean receiver = role.equals("receiver");
        System.setProperty("bench.jg.bind_port", receiver ? ports[0] : ports[1]);
        System.setProperty("bench.jg.initial_hosts", "127.0.0.1[" + ports[0] + "],127.0.0.1[" + ports[1] + "]");
        System.setProperty("bench.jg.xmit_interval", Integer.toString(o.integer("xmit", 500)));
        String config = "jgroups-" + o.str("jgconfig", "default") + ".xml";
        if (receiver) {
            receiver(o, config);
        } else {
            sender(o, config);
        }
    }

    private static void receiver(Node.Opts o, String config) throws Exception {
        boolean pingPong = o.str("mode", "window").equals("pingpong");
        Histogram delivery = Node.histogram();
        AtomicLong delivered = new AtomicLong();
        final Node.Window[] window = {new Node.Window(Long.MAX_VALUE, Long.MAX_VALUE)};
        JChannel ch = new JChannel(config);
        ch.setReceiver(new Receiver() {
            @Override
            public void receive(Message msg) {
                long now = System.nanoTime();
                if (pingPong) {
                    try {
                        byte[] reply = new byte[8]; // the request's send time, for the requester's round trip
                        System.arraycopy(msg.getArray(), msg.getOffset(), reply, 0, 8);
                        ch.send(new BytesMessage(msg.getSrc(), reply));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                if (window[0].contains(now)) {
                    delivered.incrementAndGet();
                    long sent = ByteBuffer.wrap(msg.getArray(), msg.getOffset(), msg.getLength()).getLong(msg.getOffset());
                    synchronized (delivery) {
                        delivery.recordValue(Math.max(0, now - sent));
                    }
                }
            }
        });
        ch.connect("reliable-msg-bench");
        Node.ready("ports=" + o.str("jgports", ""));
        Node.Window w = Node.awaitGo();
        window[0] = w;
        Node.sleepUntil(w.t1() + TimeUnit.MILLISECONDS.toNanos(300));
        String extra = "";
        synchronized (delivery) {
            Node.result("side=receiver", delivered.get(), w, delivery, extra);
        }
        Runtime.getRuntime().halt(0); // do not wait for a graceful leave
    }

    private static void sender(Node.Opts o, String config) throws Exception {
        int size = Math.max(8, o.integer("payload", 64));
        boolean pingPong = o.str("mode", "window").equals("pingpong");
        double loss = o.dbl("loss", 0);
        Thread app = Thread.currentThread();
        int window = pingPong ? o.integer("window", 1) : 0;
        AtomicLong replies = new AtomicLong();
        Histogram rtt = Node.histogram();
        AtomicLong counted = new AtomicLong();
        final Node.Window[] measured = {new Node.Window(Long.MAX_VALUE, Long.MAX_VALUE)};
        JChannel ch = new JChannel(config);
        ch.setReceiver(new Receiver() {
            @Override
            public void receive(Message msg) {
                long end = System.nanoTime();
                if (measured[0].contains(end)) {
                    long sent = ByteBuffer.wrap(msg.getArray(), msg.getOffset(), msg.getLength()).getLong(msg.getOffset());
                    synchronized (rtt) {
                        counted.incrementAndGet();
                        rtt.recordValue(Math.max(0, end - sent));
                    }
                }
                replies.incrementAndGet();
                LockSupport.unpark(app);
            }
        });
        ch.connect("reliable-msg-bench");
        long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        View view;
        while ((view = ch.getView()) == null || view.size() < 2) {
            if (System.nanoTime() > joinDeadline) {
                throw new IllegalStateException("the receiver did not join within 30 s: view " + view);
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        Address dest = null;
        for (Address a : view.getMembers()) {
            if (!a.equals(ch.getAddress())) {
                dest = a;
            }
        }
        DISCARD discard = ch.getProtocolStack().findProtocol(DISCARD.class);
        if (loss > 0) {
            discard.setUpDiscardRate(loss).setDownDiscardRate(loss);
        }
        Node.ready("port=" + o.str("jgports", ""));
        Node.Window w = Node.awaitGo();
        measured[0] = w;
        long sent = 0;
        long now;
        while ((now = System.nanoTime()) < w.t1()) {
            // request/reply: at most `window` requests without their reply (W=1: ping-pong)
            while (pingPong && sent - replies.get() >= window && System.nanoTime() < w.t1()) {
                LockSupport.parkNanos(1_000_000L);
            }
            byte[] payload = new byte[size]; // JGroups keeps the array until acked: one per message
            ByteBuffer.wrap(payload).putLong(0, System.nanoTime());
            ch.send(new BytesMessage(dest, payload));
            sent++;
        }
        Node.sleepUntil(w.t1() + TimeUnit.MILLISECONDS.toNanos(50));
        RED red = ch.getProtocolStack().findProtocol(RED.class);
        synchronized (rtt) {
            Node.result("side=sender", counted.get(), w, rtt, "redDropped=" + (red == null ? 0 : red.getDroppedMessages()));
        }
        Node.sleepUntil(w.t1() + TimeUnit.MILLISECONDS.toNanos(400));
        Runtime.getRuntime().halt(0);
    }
}
