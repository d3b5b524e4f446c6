package io.reliablemsg.internal;

import io.reliablemsg.AsyncRequestHandler;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundViewHandler;
import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerStats;
import io.reliablemsg.PathListener;
import io.reliablemsg.PeerListener;
import io.reliablemsg.PeerResolver;
import io.reliablemsg.PeerStats;
import io.reliablemsg.RequestHandler;
import io.reliablemsg.chain.PendingMessagePool;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.transport.UdpTransport;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
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
     * seams tests and tools replace; {@code futures} is also the failure and ack listener; {@code handlerThreads}
     * makes the callback lanes' threads (null: daemon platform threads); {@code viewHandler} (may be null) reads
     * messages in place on the loop; {@code entries} are the messenger's free chain entries.
     */
    public record Parts(Clock clock, Function<MessengerConfig, Transport> transportFactory,
                        UnaryOperator<Transport> transportDecorator, InboundHandler inboundHandler,
                        SendFutures futures, PathListener pathListener, PeerListener peerListener,
                        PeerResolver resolver, RequestHandler requestHandler, AsyncRequestHandler asyncRequestHandler,
                        ThreadFactory handlerThreads, InboundViewHandler viewHandler, PendingMessagePool entries) {
    }

    private final MessengerConfig config;
    private final long incarnation;
    private final Parts parts;
    private final PeerDirectory directory;
    private final PeerResolution resolution;
    private final SendSlots slots;
    private final AtomicLong handlerErrors = new AtomicLong();
    private Transport transport;
    private CallbackDispatcher dispatcher;
    private Engine engine;
    private MessengerLoop loop;
    private Thread thread;

    /**
     * Resolves the configured peers' host names: a name that does not resolve leaves its peer without
     * that address (without any, unresolved) until a later round of resolution finds it.
     */
    public MessengerRuntime(MessengerConfig config, long incarnation, Parts parts) {
        this.config = config;
        this.incarnation = incarnation;
        this.parts = parts;
        this.slots = new SendSlots(config.maxStoredMessages(), config.maxPendingBytes());
        this.directory = new PeerDirectory(config, slots);
        this.resolution = new PeerResolution(parts.resolver(), config);
        config.peerAddresses().forEach((name, addresses) -> addPeer(name, config.peerClientIds().get(name), addresses));
    }

    /**
     * Adds peer {@code name} at {@code addresses} (host names resolved now, on this thread); datagrams from it
     * must carry {@code clientId} unless that is null. Thread-safe; applied by the loop.
     *
     * @throws InvalidSettingException for a name taken, or an address another peer's or our own
     */
    public void addPeer(String name, Integer clientId, List<InetSocketAddress> addresses) {
        directory.add(name, clientId, addresses, resolution.resolve(name, addresses, parts.clock().nanoTime()));
    }

    /** Gives peer {@code name} the addresses {@code addresses}; see {@link #addPeer}. */
    public void updatePeer(String name, List<InetSocketAddress> addresses) {
        directory.update(name, addresses, resolution.resolve(name, addresses, parts.clock().nanoTime()));
    }

    /** Removes peer {@code name}: its pending messages fail with PEER_REMOVED. */
    public void removePeer(String name) {
        directory.remove(name);
    }

    /** The peers now, by name, with their addresses as given, in the order they were added. */
    public Map<String, List<String>> peers() {
        return directory.view();
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
        List<Peer> initial;
        try {
            initial = directory.start(transport.localAddress(), transport::wakeup);
        } catch (InvalidSettingException e) {
            transport.close();
            throw e;
        }
        String id = Integer.toUnsignedString(config.clientId());
        boolean inline = config.inlineCallbacks() || !threaded;
        dispatcher = new CallbackDispatcher("reliable-msg-callbacks-" + id, parts.inboundHandler(), parts.futures(),
                parts.futures(), parts.pathListener(), parts.peerListener(), slots, handlerErrors,
                config.deliveryQueueCapacity(), inline, config.handlerThreads(), parts.handlerThreads());
        HandlerCompletions completions = new HandlerCompletions();
        engine = new Engine(DatagramSizes.resolve(config, transport, initial), incarnation, transport, slots, new PeerTable(config, initial), directory.commands(),
                dispatcher, new ReplyDispatch(parts.futures(), dispatcher, slots, inline),
                new HandlerRunner(parts.inboundHandler(), parts.requestHandler(), parts.asyncRequestHandler(),
                        dispatcher, completions, handlerErrors, config.maxReplySize()), completions,
                parts.viewHandler() == null ? null : new InlineViews(parts.viewHandler(), handlerErrors),
                parts.entries());
        resolution.start(directory, threaded ? "reliable-msg-resolver-" + id : null);
        loop = new MessengerLoop(engine, resolution, transport, parts.clock(), config.interval().toNanos(),
                config.maxStoredMessages(), config.idleStrategy());
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
                + ") on " + transport.localAddress() + ", peers " + directory.peers().stream().map(Peer::describe).toList());
    }

    /** The send slots account of peer {@code name} (its chain index), or null when there is none. */
    public SendSlots.Account account(String name) {
        Peer peer = directory.find(name);
        return peer == null ? null : peer.account;
    }

    /** Names of the peers now, for a message: at most ten, and how many more. */
    public String peerNames() {
        return directory.names();
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
        resolution.close();
        dispatcher.close(Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
        transport.close();
        MessengerStats after = stats();
        LOG.log(Level.INFO, "reliable-msg client " + config.clientId() + " closed in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + (after.acked() - before.acked())
                + " acked while draining, " + (after.failed() - before.failed()) + " failed (SHUTDOWN)");
    }

    /** Counters of the peer {@code name}, or null when there is none. */
    public PeerStats peerStats(String name) {
        Peer peer = directory.find(name);
        return peer == null ? null : peer.snapshot(peer.account.held());
    }

    /**
     * Counters of the messenger now: the peers, then accepted unknown sources; the totals include the
     * peers removed, so that they only grow.
     */
    public MessengerStats stats() {
        Map<String, PeerStats> byName = new LinkedHashMap<>();
        for (Peer p : directory.peers()) {
            byName.put(p.name, p.snapshot(p.account.held()));
        }
        Engine e = engine;
        if (e != null) {
            e.unknownPeers().forEach(p -> byName.put(p.name, p.snapshot(0)));
        }
        MessengerStats.Builder b = MessengerStats.builder().pending(slots.held()).capacity(slots.capacity())
                .chainFullRejections(slots.rejections()).handlerErrors(handlerErrors.get()).peers(byName)
                .deliveryQueueDepth(dispatcher == null ? 0 : dispatcher.queuedDeliveries());
        PeerTotals totals = directory.removedTotals();
        byName.values().forEach(totals::add);
        totals.addTo(b);
        if (e != null) {
            b.malformedDropped(e.malformedDropped()).unknownSourceDropped(e.unknownSourceDropped())
                    .transportSendDrops(e.transportSendDrops()).authenticationFailures(e.authenticationFailures())
                    .clientIdConflicts(e.clientIdConflicts()).cachedReplies(e.replyCache().count.get())
                    .cachedReplyBytes(e.replyCache().bytes.get()).replyCacheEvictions(e.replyCache().evictions.get());
        }
        return b.build();
    }
}
