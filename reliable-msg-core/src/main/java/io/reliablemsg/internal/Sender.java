package io.reliablemsg.internal;

import io.reliablemsg.FailureReason;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.SendFailure;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.PendingMessagePool;
import io.reliablemsg.chain.RetransmitChain;
import java.nio.ByteBuffer;

/**
 * The sender side of the protocol: hangs each accepted message on the retransmit chain and puts it on the
 * wire (S3); on each timer pass retransmits what is due with a fresh send time (S4), within each peer's
 * retransmit budget (the storm brake), and gives up what has used its retries (S5); matches incoming acks to
 * chain messages, dropping acks older than the interval on our own clock (S9). Each copy takes the path
 * {@link Routes} gives; when that path fails, what was sent on it moves to the next one at once
 * ({@link Failover}). Each copy goes out through {@link Copies}, in fragments when larger than a datagram
 * ({@link Fragments}). A removed peer's messages fail with {@link FailureReason#PEER_REMOVED}, once each. An
 * ack also proves lost what it overtook (fast retransmission, docs/PROTOCOL.md). Outcomes go to
 * {@link SendOutcomes}, never to user code directly. A request waits for its reply ({@link Requests}). Once a
 * message's outcome is built, its entry goes back to the messenger's {@link PendingMessagePool}, as the last
 * thing done with it.
 *
 * <p>Owns no thread and reads no clock: every method takes the time of the pass. Not thread-safe:
 * I/O loop only.
 */
final class Sender implements RetransmitChain.Listener {
    private final int clientId;
    private final long incarnation;
    private final RetransmitChain chain;
    private final SendPeers peers;
    private final Copies copies;
    private final Routes routes;
    private final PeerHealth health;
    private final SendOutcomes outcomes;
    private final long intervalMillis;
    private final RetransmitTimer timer;
    private final RateLimitedLog staleAckLog;
    private final FastRetransmit fastRetransmit;
    private final Requests requests;
    private final Failover failover;
    private final Fragments fragments;
    private final PendingMessagePool entries;

    Sender(MessengerConfig config, long incarnation, PeerSendState[] peers, DataOut out, Routes routes,
           PeerHealth health, SendOutcomes outcomes, RateLimitedLog staleAckLog, Requests requests,
           PendingMessagePool entries) {
        this.clientId = config.clientId();
        this.incarnation = incarnation;
        long intervalNs = config.interval().toNanos();
        this.chain = new RetransmitChain(config.maxStoredMessages(), peers.length, intervalNs, config.maxRetries());
        this.peers = new SendPeers(peers.length);
        this.routes = routes;
        this.health = health;
        this.outcomes = outcomes;
        this.intervalMillis = config.interval().toMillis();
        long halfIntervalNs = Math.max(1, intervalNs / 2);
        int budget = config.maxRetransmitsPerPeerPerScan();
        this.timer = new RetransmitTimer(chain, this.peers, budget, halfIntervalNs);
        this.staleAckLog = staleAckLog;
        this.requests = requests;
        this.entries = entries;
        this.fragments = new Fragments(config, incarnation, requests.features(), chain, out);
        this.copies = new Copies(out, requests, fragments);
        this.fastRetransmit = new FastRetransmit(config, chain, copies, routes, budget, halfIntervalNs);
        this.failover = new Failover(chain, this.peers, routes, budget, copies);
        for (PeerSendState peer : peers) {
            install(peer);
        }
    }

    /** Adds {@code peer} at its chain index, where a removed peer may have been. */
    void install(PeerSendState peer) {
        chain.ensurePeers(peers.install(peer));
    }

    /** Removes {@code peer}: every message of it on the chain fails now with {@link FailureReason#PEER_REMOVED}. */
    void remove(PeerSendState peer) {
        peers.remove(peer);
        chain.drain(peer.index, m -> fail(m, FailureReason.PEER_REMOVED));
    }

    /** Messages on the chain now (not counting outcomes awaiting their callback). */
    int chainSize() {
        return chain.size();
    }

    /** The chain (its payload bytes are reported to the send slots), the fragment part (FRAGMENT_ACKs),
     *  and what moves messages off a failed path or an address the peer no longer has. */
    RetransmitChain chain() { return chain; }
    Fragments fragments() { return fragments; }
    Failover failover() { return failover; }

    /** Hangs a newly accepted message on the chain and sends it (S3); fails it if its peer was removed. */
    void submit(PendingMessage m, long nowNs, long nowMillis) {
        PeerSendState peer = peers.get(m.peer());
        if (peer.removed) {
            chain.release(m);
            fail(m, FailureReason.PEER_REMOVED);
            return;
        }
        chain.add(m, nowNs);
        timer.onAdded(peer);
        peer.sent.incrementAndGet();
        if (m.isRequest()) {
            peer.requestsSent.incrementAndGet();
        }
        if (m.isRequest() ? requests.refused(peer) : fragments.refused(peer, m)) {
            chain.remove(m);
            fail(m, FailureReason.UNSUPPORTED_BY_PEER);
            return;
        }
        copies.send(peer, m, routes.route(peer.paths), nowNs, nowMillis);
    }

    /** Earliest time a scan or the loss timer has work, or earlier ({@link RetransmitTimer}, {@link FastRetransmit}). */
    long nextDeadlineNs() {
        return Math.min(timer.nextDeadlineNs(), fastRetransmit.nextDueNs());
    }

    /** Retransmits or fails what is due, within each peer's retransmit budget (S2, S4, S5). */
    void runTimers(long nowNs, long nowMillis) {
        fastRetransmit.runTimers(peers, nowNs, nowMillis); // the loss timer first: it may save a retransmission
        timer.run(nowNs, nowMillis, this);
    }

    @Override
    public void onRetransmit(PendingMessage m, long nowNs, long nowMillis) {
        PeerSendState peer = peers.get(m.peer());
        FailureReason ended = m.isRequest() ? requests.endBeforeCopy(peer, m, nowNs)
                : fragments.refused(peer, m) ? FailureReason.UNSUPPORTED_BY_PEER : null;
        if (ended != null) {
            chain.remove(m);
            fail(m, ended, m.transmissions() - 1); // the chain counted the copy that is not sent
            return;
        }
        peer.retransmitted.incrementAndGet();
        if (m.lastPath() == PendingMessage.NO_PATH) { // no path took the last copy: none to blame
            copies.send(peer, m, routes.route(peer.paths), nowNs, nowMillis);
            return;
        }
        PeerPath previous = peer.paths.paths[m.lastPath()];
        long failuresBefore = previous.failures.get();
        PeerPath path = routes.onCopyTimedOut(peer.paths, previous, nowNs);
        copies.send(peer, m, path, nowNs, nowMillis);
        if (previous.failures.get() != failuresBefore && path != previous) { // this timeout failed it: just now
            failover.pathFailed(peer, previous, path, nowNs, nowMillis);
        }
    }

    @Override
    public void onExhausted(PendingMessage m, long nowNs) {
        PeerSendState peer = peers.get(m.peer());
        health.onExhausted(peer.liveness, m.msgId(), m.transmissions());
        // a request to a peer found to be of an older release says so, rather than that nothing answered
        fail(m, (m.isRequest() ? requests.refused(peer) : fragments.refused(peer, m))
                ? FailureReason.UNSUPPORTED_BY_PEER : FailureReason.RETRIES_EXHAUSTED);
    }

    /** An ACK from {@code peer}, come back on path {@code via}, for message {@code originClientId}/.../{@code msgId}. */
    void onAck(PeerSendState peer, PeerPath via, int originClientId, long originIncarnation, long msgId,
               long echoedSendTimeMillis, long ackTimeMillis, long nowNs, long nowMillis) {
        if (originClientId != clientId || originIncarnation != incarnation) {
            peer.unmatchedAcks.incrementAndGet(); // for an earlier incarnation of this process
            return;
        }
        health.onTimestampedReply(peer.liveness, echoedSendTimeMillis, ackTimeMillis, nowNs, nowMillis);
        routes.onReply(peer.paths, via, echoedSendTimeMillis, nowMillis);
        long roundTripMillis = nowMillis - echoedSendTimeMillis;
        if (roundTripMillis > intervalMillis) { // S9, judged on our own clock
            peer.staleAcksDropped.incrementAndGet();
            staleAckLog.log(nowNs, "dropped ack from " + peer.name + " for message " + msgId + ": round trip "
                    + roundTripMillis + " ms exceeds the interval (" + intervalMillis
                    + " ms); if this persists, raise the interval");
            return;
        }
        PendingMessage m = chain.get(msgId);
        if (m == null || m.peer() != peer.index) {
            peer.unmatchedAcks.incrementAndGet(); // already acked or failed, or not sent to this peer
            return;
        }
        health.onAcked(peer.liveness);
        long ackedSentNs = chain.lastTimedSendNs(m);
        if (m.isRequest()) {
            requests.onAcked(m); // it waits on the chain for its reply
        } else {
            chain.remove(m);
            peer.acked.incrementAndGet();
            outcomes.acked(peer.name, peer.index, msgId, nowNs - m.firstSendNs(), m.transmissions());
            entries.recycle(m); // last use of m
        }
        fastRetransmit.overtook(peer, ackedSentNs, nowNs);
    }

    /** The datagram from {@code peer} is read: what its acks overtook goes again at once (fast retransmission). */
    void afterAcks(PeerSendState peer, long nowNs, long nowMillis) {
        fastRetransmit.afterAcks(peer, nowNs, nowMillis);
    }

    /**
     * A REPLY from {@code peer} on path {@code via}: ends the request, with its reply or {@link FailureReason#NO_REPLY}.
     * Its age is not judged (any copy is the answer); one that matches no request counts as an unmatched ack.
     */
    void onReply(PeerSendState peer, PeerPath via, int originClientId, long originIncarnation, long msgId,
                 long echoedSendTimeMillis, boolean noReply, ByteBuffer datagram, int replyOffset, int replyLength,
                 long nowNs, long nowMillis) {
        PendingMessage m = originClientId == clientId && originIncarnation == incarnation ? chain.get(msgId) : null;
        if (m == null || m.peer() != peer.index || !m.isRequest()) {
            peer.unmatchedAcks.incrementAndGet();
            return;
        }
        routes.onReply(peer.paths, via, echoedSendTimeMillis, nowMillis);
        health.onAcked(peer.liveness);
        chain.remove(m);
        if (noReply) {
            fail(m, FailureReason.NO_REPLY);
        } else {
            requests.onReply(peer, m, datagram, replyOffset, replyLength, nowNs);
            entries.recycle(m); // last use of m
        }
    }

    /** Fails everything on the chain with {@code reason} (the messenger is closing). */
    void failAll(FailureReason reason) {
        chain.drain(m -> fail(m, reason));
    }

    /** Fails a message that was accepted but never reached the chain. */
    void failUnsent(PendingMessage m, FailureReason reason) {
        chain.release(m);
        fail(m, reason);
    }

    private void fail(PendingMessage m, FailureReason reason) {
        fail(m, reason, m.transmissions());
    }

    private void fail(PendingMessage m, FailureReason reason, int transmissions) {
        PeerSendState peer = peers.get(m.peer());
        peer.failed.incrementAndGet();
        if (reason == FailureReason.SHUTDOWN) {
            peer.failedAtShutdown.incrementAndGet();
        }
        outcomes.failed(new SendFailure(peer.name, m.msgId(), m.userBuffer(), transmissions, reason), m.peer());
        entries.recycle(m); // last use of m: the failure keeps its user buffer, not the entry
    }
}
