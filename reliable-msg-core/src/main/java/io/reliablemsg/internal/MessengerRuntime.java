package io.reliablemsg.internal;

import io.reliablemsg.AckListener;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerStats;
import io.reliablemsg.PeerStats;
import io.reliablemsg.SendFailureListener;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.transport.UdpTransport;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Puts a messenger's parts together at start and takes them apart at close: transport, callback
 * dispatcher, engine, loop and the loop's thread.
 */
public final class MessengerRuntime {
    private static final Logger LOG = System.getLogger(MessengerRuntime.class.getName());

    private final MessengerConfig config;
    private final Clock clock;
    private final long incarnation;
    private final List<PeerState> peers;
    private final Function<MessengerConfig, Transport> transportFactory;
    private final InboundHandler inboundHandler;
    private final SendFailureListener failureListener;
    private final AckListener ackListener;
    private final Engine.SlotReleaser releaser;
    private final AtomicLong handlerErrors = new AtomicLong();
    private Transport transport;
    private CallbackDispatcher dispatcher;
    private Engine engine;
    private MessengerLoop loop;
    private Thread thread;

    public MessengerRuntime(MessengerConfig config, Clock clock, long incarnation, List<PeerState> peers,
                            Function<MessengerConfig, Transport> transportFactory, InboundHandler inboundHandler,
                            SendFailureListener failureListener, AckListener ackListener,
                            Engine.SlotReleaser releaser) {
        this.config = config;
        this.clock = clock;
        this.incarnation = incarnation;
        this.peers = peers;
        this.transportFactory = transportFactory != null ? transportFactory
                : c -> UdpTransport.open(c.bindAddress(), c.port(), c.socketBufferBytes());
        this.inboundHandler = inboundHandler;
        this.failureListener = failureListener;
        this.ackListener = ackListener;
        this.releaser = releaser;
    }

    /** Opens the transport and builds the loop; starts its thread when {@code threaded}. */
    public void start(boolean threaded) {
        transport = transportFactory.apply(config);
        String id = Integer.toUnsignedString(config.clientId());
        dispatcher = new CallbackDispatcher("reliable-msg-callbacks-" + id, inboundHandler, failureListener,
                handlerErrors, config.deliveryQueueCapacity(), config.inlineCallbacks() || !threaded);
        engine = new Engine(config, incarnation, transport, peers, dispatcher, ackListener, releaser, handlerErrors);
        loop = new MessengerLoop(engine, transport, clock, config.interval().toNanos(), config.maxStoredMessages());
        if (threaded) {
            thread = new Thread(loop, "reliable-msg-io-" + id);
            thread.setDaemon(true);
            thread.start();
        }
        if (!config.authenticated()) {
            LOG.log(Level.WARNING, "reliable-msg client " + id + ": no authentication key configured; datagrams are "
                    + "unauthenticated, so anyone who can reach " + transport.localAddress() + " from a peer's address "
                    + "can inject messages or forge acks (see docs/SECURITY.md)");
        }
        LOG.log(Level.INFO, "reliable-msg client " + id + " (incarnation " + Long.toHexString(incarnation)
                + ") on " + transport.localAddress() + ", peers " + peerList());
    }

    /** The engine (for single-threaded tests that inspect retained state). */
    public Engine engine() {
        return engine;
    }

    public MessengerLoop loop() {
        return loop;
    }

    public InetSocketAddress localAddress() {
        return transport == null ? null : transport.localAddress();
    }

    /**
     * Waits up to {@code timeoutNs} for {@code pending} to reach zero while the loop keeps running,
     * then stops the loop (which fails what is left), runs queued callbacks and closes the socket.
     */
    public void drainAndStop(IntSupplier pending, long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        if (thread != null && thread.isAlive()) {
            while (pending.getAsInt() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            loop.requestStop();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            loop.shutdown();
        }
        dispatcher.close(Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
        transport.close();
    }

    /** Counters of the messenger now: configured peers, then accepted unknown sources. */
    public MessengerStats stats(int pending, Collection<PeerState> configured) {
        Map<String, PeerStats> byName = new LinkedHashMap<>();
        long sent = 0, retransmitted = 0, acked = 0, failed = 0, delivered = 0, duplicates = 0, stale = 0;
        long staleAcks = 0, outside = 0, rejected = 0;
        List<PeerState> all = new ArrayList<>(configured);
        if (engine != null) {
            all.addAll(engine.unknownPeers);
        }
        for (PeerState p : all) {
            PeerStats s = p.snapshot();
            byName.put(s.name(), s);
            sent += s.sent();
            retransmitted += s.retransmitted();
            acked += s.acked();
            failed += s.failed();
            delivered += s.delivered();
            duplicates += s.duplicates();
            stale += s.staleMessagesDropped();
            staleAcks += s.staleAcksDropped();
            outside += s.outsideWindowDropped();
            rejected += s.deliveryRejected();
        }
        Engine e = engine;
        return new MessengerStats(pending, config.maxStoredMessages(), sent, retransmitted, acked, failed, delivered,
                duplicates, stale, staleAcks, outside, rejected,
                e == null ? 0 : e.malformedDropped.get(), e == null ? 0 : e.unknownSourceDropped.get(),
                handlerErrors.get(), e == null ? 0 : e.transportSendDrops.get(),
                e == null ? 0 : e.authenticationFailures.get(), byName);
    }

    private String peerList() {
        StringBuilder b = new StringBuilder("[");
        for (PeerState p : peers) {
            b.append(b.length() > 1 ? ", " : "").append(p.name).append('=').append(p.address);
        }
        return b.append(']').toString();
    }
}
