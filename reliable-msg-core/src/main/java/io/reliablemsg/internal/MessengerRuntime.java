package io.reliablemsg.internal;

import io.reliablemsg.AsyncRequestHandler;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerStats;
import io.reliablemsg.PathListener;
import io.reliablemsg.PeerStats;
import io.reliablemsg.RequestHandler;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.transport.UdpTransport;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Puts a messenger's parts together at start and takes them apart at close: peers, send slots,
 * transport, callback dispatcher, engine, loop and the loop's thread. Internal: not API.
 */
public final class MessengerRuntime {
    private static final Logger LOG = System.getLogger(MessengerRuntime.class.getName());

    /**
     * What the messenger hands the runtime: listeners, handlers (the request handlers may be null) and the
     * seams tests and tools replace; {@code futures} is also the failure and ack listener.
     */
    public record Parts(Clock clock, Function<MessengerConfig, Transport> transportFactory,
                        UnaryOperator<Transport> transportDecorator, InboundHandler inboundHandler,
                        SendFutures futures, PathListener pathListener, RequestHandler requestHandler,
                        AsyncRequestHandler asyncRequestHandler) {
    }

    private final MessengerConfig config;
    private final long incarnation;
    private final Parts parts;
    private final PeerTable peers;
    private final Map<String, Peer> peersByName;
    private final SendSlots slots;
    private final AtomicLong handlerErrors = new AtomicLong();
    private Transport transport;
    private CallbackDispatcher dispatcher;
    private Engine engine;
    private MessengerLoop loop;
    private Thread thread;

    /** Resolves the configured peers' host names (an unresolvable one is an {@link InvalidSettingException}). */
    public MessengerRuntime(MessengerConfig config, long incarnation, Parts parts) {
        this.config = config;
        this.incarnation = incarnation;
        this.parts = parts;
        List<Peer> configured = new ArrayList<>();
        Map<String, Peer> byName = new LinkedHashMap<>();
        for (Map.Entry<String, List<InetSocketAddress>> e : config.peerAddresses().entrySet()) {
            List<InetSocketAddress> resolved = new ArrayList<>();
            for (InetSocketAddress address : e.getValue()) {
                resolved.add(PeerTable.resolve(e.getKey(), address));
            }
            Peer peer = Peer.configured(config, e.getKey(), resolved, configured.size());
            configured.add(peer);
            byName.put(e.getKey(), peer);
        }
        this.peers = new PeerTable(config, configured);
        this.peersByName = Collections.unmodifiableMap(byName);
        this.slots = new SendSlots(config.maxStoredMessages(), configured.size());
    }

    /** Opens the transport and builds the loop; starts its thread when {@code threaded}. */
    public void start(boolean threaded) {
        Transport opened = parts.transportFactory() != null ? parts.transportFactory().apply(config)
                : UdpTransport.open(config.bindAddress(), config.port(), config.socketBufferBytes());
        transport = parts.transportDecorator() != null ? parts.transportDecorator().apply(opened) : opened;
        if (transport == null) {
            opened.close();
            throw new IllegalStateException("the transport decorator returned null");
        }
        try {
            peers.refuseOwnAddresses(transport.localAddress());
        } catch (InvalidSettingException e) {
            transport.close();
            throw e;
        }
        String id = Integer.toUnsignedString(config.clientId());
        boolean inline = config.inlineCallbacks() || !threaded;
        dispatcher = new CallbackDispatcher("reliable-msg-callbacks-" + id, parts.inboundHandler(), parts.futures(),
                parts.futures(), parts.pathListener(), slots, handlerErrors, config.deliveryQueueCapacity(), inline);
        HandlerCompletions completions = new HandlerCompletions();
        engine = new Engine(config, incarnation, transport, peers, dispatcher, dispatcher, dispatcher,
                new ReplyDispatch(parts.futures(), dispatcher, slots, inline), new HandlerRunner(parts.inboundHandler(),
                parts.requestHandler(), parts.asyncRequestHandler(), dispatcher, completions, handlerErrors,
                config.maxReplySize()), completions);
        loop = new MessengerLoop(engine, transport, parts.clock(), config.interval().toNanos(),
                config.maxStoredMessages());
        completions.wakeup(loop::wake);
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

    /** Chain index of the configured peer {@code name}, or -1 when there is none. */
    public int peerIndex(String name) {
        Peer peer = peersByName.get(name);
        return peer == null ? -1 : peer.index;
    }

    /** Names of the configured peers, in configuration order. */
    public Set<String> peerNames() {
        return peersByName.keySet();
    }

    /** The send slots (the chain's capacity as seen by senders). */
    public SendSlots slots() {
        return slots;
    }

    /** The engine (for single-threaded tests that inspect retained state). */
    public Engine engine() {
        return engine;
    }

    /** The loop, for senders and for a caller that drives it itself. */
    public MessengerLoop loop() {
        return loop;
    }

    /** The transport's local address, or null before start. */
    public InetSocketAddress localAddress() {
        return transport == null ? null : transport.localAddress();
    }

    /**
     * Waits up to {@code timeoutNs} for every slot to be released while the loop keeps running, then
     * stops the loop (which fails what is left), runs queued callbacks and closes the socket.
     */
    public void drainAndStop(long timeoutNs) {
        long start = System.nanoTime();
        long deadline = start + timeoutNs;
        MessengerStats before = stats();
        LOG.log(Level.INFO, "reliable-msg client " + config.clientId() + " closing: " + before.pending()
                + " messages pending, waiting up to " + TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms for their acks");
        if (thread != null && thread.isAlive()) {
            while (slots.held() > 0 && System.nanoTime() < deadline) {
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
        MessengerStats after = stats();
        LOG.log(Level.INFO, "reliable-msg client " + config.clientId() + " closed in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + (after.acked() - before.acked())
                + " acked while draining, " + (after.failed() - before.failed()) + " failed (SHUTDOWN)");
    }

    /** Counters of the configured peer {@code name}, or null when there is none. */
    public PeerStats peerStats(String name) {
        Peer peer = peersByName.get(name);
        return peer == null ? null : peer.snapshot(slots.held(peer.index));
    }

    /** Counters of the messenger now: configured peers, then accepted unknown sources. */
    public MessengerStats stats() {
        Map<String, PeerStats> byName = new LinkedHashMap<>();
        for (Peer p : peers.configured()) {
            byName.put(p.name, p.snapshot(slots.held(p.index)));
        }
        for (Peer p : peers.unknown()) {
            byName.put(p.name, p.snapshot(0));
        }
        MessengerStats.Builder b = MessengerStats.builder().pending(slots.held()).capacity(slots.capacity())
                .chainFullRejections(slots.rejections()).handlerErrors(handlerErrors.get()).peers(byName)
                .deliveryQueueDepth(dispatcher == null ? 0 : dispatcher.queuedDeliveries());
        long sent = 0, retransmitted = 0, acked = 0, failed = 0, delivered = 0, duplicates = 0, stale = 0;
        long staleAcks = 0, outside = 0, rejected = 0, requests = 0, replies = 0, handled = 0;
        for (PeerStats s : byName.values()) {
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
            requests += s.requestsSent();
            replies += s.repliesReceived();
            handled += s.requestsHandled();
        }
        b.sent(sent).retransmitted(retransmitted).acked(acked).failed(failed).delivered(delivered)
                .duplicates(duplicates).staleMessagesDropped(stale).staleAcksDropped(staleAcks)
                .outsideWindowDropped(outside).deliveryRejected(rejected).requestsSent(requests).repliesReceived(replies)
                .requestsHandled(handled);
        Engine e = engine;
        if (e != null) {
            b.malformedDropped(e.malformedDropped()).unknownSourceDropped(e.unknownSourceDropped())
                    .transportSendDrops(e.transportSendDrops()).authenticationFailures(e.authenticationFailures())
                    .clientIdConflicts(e.clientIdConflicts()).cachedReplies(e.replyCache().count.get())
                    .cachedReplyBytes(e.replyCache().bytes.get()).replyCacheEvictions(e.replyCache().evictions.get());
        }
        return b.build();
    }

    private String peerList() {
        StringBuilder b = new StringBuilder("[");
        for (Peer p : peers.configured()) {
            b.append(b.length() > 1 ? ", " : "").append(p.name).append('=');
            for (PeerPath path : p.paths.paths) {
                b.append(path.index == 0 ? "" : ",").append(path.outbox.address);
            }
        }
        return b.append(']').toString();
    }
}
