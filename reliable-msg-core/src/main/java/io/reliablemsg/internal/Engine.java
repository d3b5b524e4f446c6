package io.reliablemsg.internal;

import io.reliablemsg.FailureReason;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.PendingMessagePool;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.FrameAuthenticator;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;

/**
 * The protocol, assembled from one class per role, and its entry points for the I/O loop. The data
 * paths: send: {@link Sender} -> retransmit chain -> {@link Outbound} -> transport; receive:
 * transport -> {@link Admission} -> {@link Receiver} -> {@link Delivery}; acks travel
 * {@link Admission} -> {@link Sender} -> {@link SendOutcomes}; {@link Liveness} watches both;
 * {@link Capabilities} finds out what each peer reads (docs/PROTOCOL.md, "Wire evolution"); {@link Paths}
 * picks which of a peer's addresses each datagram takes (docs/PROTOCOL.md, "Paths"). Requests go the
 * send path and wait for their reply there ({@link Requests}); the {@link Responder} answers them on the
 * receive path, and acks after the handler with {@code ackMode=after-handler}; handlers' results come
 * back through {@link HandlerCompletions}; {@link Membership}
 * applies the changes of the peer set between the loop's other work.
 *
 * <p>Owns no thread and reads no clock: the loop calls it with the time of its pass. Not
 * thread-safe. Internal: not API.
 */
public final class Engine {
    private static final Logger LOG = System.getLogger(Engine.class.getName());
    private static final long LOG_PERIOD_NS = 10_000_000_000L;

    private final PeerTable peers;
    private final Outbound outbound;
    private final Sender sender;
    private final Receiver receiver;
    private final Liveness liveness;
    private final Capabilities capabilities;
    private final Paths paths;
    private final Admission admission;
    private final Responder responder;
    private final HandlerCompletions completions;
    private final Membership membership;
    private final FragmentReceiver fragments;

    Engine(MessengerConfig config, long incarnation, Transport transport, SendSlots slots, PeerTable peers,
           Queue<Membership.Command> peerChanges, CallbackDispatcher callbacks, ReplyOutcomes replies,
           HandledDelivery handled, HandlerCompletions completions, InlineViews views,
           PendingMessagePool entries) {
        this.completions = completions;
        this.peers = peers;
        FrameAuthenticator authenticator = config.authenticated()
                ? new FrameAuthenticator(config.authenticationKeys(), config.sendKeyId()) : null;
        this.outbound = new Outbound(config, incarnation, transport, authenticator);
        // One rate limit for both clock warnings: they have one cause and one cure.
        RateLimitedLog skewLog = new RateLimitedLog(LOG, Level.WARNING, LOG_PERIOD_NS);
        List<Peer> configured = peers.configured();
        PeerLiveness[] livenessParts = configured.stream().map(p -> p.liveness).toArray(PeerLiveness[]::new);
        PeerSendState[] sendParts = configured.stream().map(p -> p.send).toArray(PeerSendState[]::new);
        this.paths = new Paths(config, configured.stream().map(p -> p.paths).toArray(PeerPaths[]::new), outbound,
                callbacks);
        this.liveness = new Liveness(config, livenessParts, outbound, paths, skewLog);
        this.capabilities = new Capabilities(config,
                configured.stream().map(p -> p.capabilities).toArray(PeerCapabilities[]::new), outbound, paths);
        this.sender = new Sender(config, incarnation, sendParts, outbound, paths, liveness, callbacks,
                new RateLimitedLog(LOG, Level.WARNING, LOG_PERIOD_NS), new Requests(config, capabilities, replies),
                entries);
        sender.chain().onBytesReleased(slots::releaseBytes); // maxPendingBytes: reserved at send, freed here
        this.responder = new Responder(config, handled, outbound, outbound);
        this.receiver = new Receiver(config, callbacks, outbound, skewLog, responder, views);
        this.fragments = new FragmentReceiver(config, receiver, outbound, responder.handlesMessages());
        this.admission = new Admission(config, peers, authenticator, receiver, fragments, sender, liveness,
                capabilities);
        this.membership = new Membership(peerChanges, peers, sender, paths, liveness, capabilities, admission,
                callbacks);
    }

    /** Applies the changes of the peer set queued since the last call; returns whether there were any. */
    public boolean applyPeerChanges(long nowNs, long nowMillis) {
        return membership.apply(nowNs, nowMillis);
    }

    /** Whether a change of the peer set waits to be applied. Thread-safe. */
    public boolean peerChangesPending() {
        return membership.pending();
    }

    /** Hangs a newly accepted message on the chain and sends it (S3). */
    public void submit(PendingMessage m, long nowNs, long nowMillis) {
        sender.submit(m, nowNs, nowMillis);
    }

    /** Handles one received datagram from {@code source}. */
    public void onDatagram(InetSocketAddress source, ByteBuffer datagram, long nowNs, long nowMillis) {
        admission.onDatagram(source, datagram, nowNs, nowMillis);
    }

    /**
     * Earliest time {@link #runTimers} has work: a retransmit deadline, a throttle's end, a heartbeat,
     * a capability probe, a probe of a failed path, a probe of missing fragments. Never later than that, but
     * it may be earlier (a deadline whose message was acked since): {@link #runTimers} then finds nothing due.
     */
    public long nextDeadlineNs() {
        return Math.min(Math.min(Math.min(sender.nextDeadlineNs(), sender.fragments().nextProbeNs()),
                liveness.nextDeadlineNs()), Math.min(capabilities.nextDeadlineNs(), paths.nextDeadlineNs()));
    }

    /** Probes and heartbeats, then retransmissions and failures: whatever is due at {@code nowNs}. */
    public void runTimers(long nowNs, long nowMillis) {
        capabilities.runProbes(nowNs);
        paths.runProbes(nowNs, nowMillis, sender.failover());
        liveness.runHeartbeats(nowNs, nowMillis);
        sender.runTimers(nowNs, nowMillis);
        sender.fragments().runProbes(nowNs, nowMillis); // after the timer: its copies stand in for probes
    }

    /** Forgets duplicate windows, cached replies and partial messages idle for longer than the hold time. */
    public void expireWindows(long nowNs) {
        peers.expireWindows(nowNs);
        responder.expire(nowNs);
        fragments.expire(nowNs);
    }

    /** Acks and answers what handlers finished since the last pass; returns how many. */
    public int runCompletions(long nowNs, long nowMillis) {
        int n = 0;
        for (Handling done = completions.poll(); done != null; done = completions.poll()) {
            responder.onCompleted(done, nowNs, nowMillis);
            n++;
        }
        return n;
    }

    /** Whether a handler's result waits for {@link #runCompletions} (any thread). */
    public boolean completionsPending() {
        return completions.pending();
    }

    /**
     * Whether the pass that is ending started probe delays of missing fragments, which should count from its end:
     * then the loop reads the clock once more and calls {@link #passEnded}.
     */
    public boolean passEndMatters() {
        return sender.fragments().passEndMatters();
    }

    /** The pass ended at {@code endNs} (after {@link #flush}): the probe delays it started count from then. */
    public void passEnded(long endNs) {
        sender.fragments().passEnded(endNs);
    }

    /** Sends every datagram being bundled, at {@code nowNs}. */
    public void flush(long nowNs) {
        outbound.flush(nowNs);
    }

    /** Fails everything on the chain with {@code reason} (the messenger is closing). */
    public void failAll(FailureReason reason) {
        sender.failAll(reason);
    }

    /** Fails a message that was accepted but never reached the chain. */
    public void failUnsent(PendingMessage m, FailureReason reason) {
        sender.failUnsent(m, reason);
    }

    /** Messages on the chain now (not counting outcomes awaiting their callback). */
    public int chainSize() {
        return sender.chainSize();
    }

    /** Unknown sources accepted so far (safe to read from any thread). */
    List<Peer> unknownPeers() {
        return peers.unknown();
    }

    /** Peers known now, configured and unknown sources (I/O loop or single-threaded use). */
    public int trackedPeers() {
        return peers.size();
    }

    /** Duplicate windows held now over all peers (I/O loop or single-threaded use). */
    public int trackedIncarnations() {
        return peers.windows();
    }

    long malformedDropped() {
        return admission.malformedDropped.get();
    }

    long unknownSourceDropped() {
        return admission.unknownSourceDropped.get();
    }

    long authenticationFailures() {
        return admission.authenticationFailures.get();
    }

    long clientIdConflicts() {
        return admission.clientIdConflicts.get();
    }

    long transportSendDrops() {
        return outbound.transportSendDrops.get();
    }

    ReplyCache replyCache() {
        return responder.cache();
    }
}
