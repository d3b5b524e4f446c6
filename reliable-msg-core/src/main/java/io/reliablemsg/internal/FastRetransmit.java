package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;

/**
 * Loss found by overtaking, for the {@link Sender} (docs/PROTOCOL.md, "Fast retransmission"), as TCP's RACK
 * does it (RFC 8985, 6.2): an ack of a copy sent at {@code S} proves lost each message of the same peer whose
 * last timed copy went out before {@code S} and longer ago than the round trip of that ack plus the reordering
 * window. At the ack that is "sent more than the reordering window before the acked copy"; a message sent
 * less than that before it (a burst over a few passes, or a chain that filled within the window) is proved
 * lost a reordering window after its own round trip, by the loss timer ({@link #nextDueNs}), not left to its
 * retransmit timer. Copies that left in one pass share its time: one of them acked proves nothing of the
 * others (their acks may be in the receiver's next datagram, which a loaded host can hold back longer than the
 * window), so on a link that keeps order and loses nothing the loss timer is never armed.
 *
 * <p>The lost message is resent at once. At most one early copy per message per interval (the chain's
 * overtaken scan), at most {@code budget} per peer per half interval (the storm brake); an early copy uses
 * up no retry and moves no deadline, so the time to failure stays. Requests keep to their timer: an acked
 * one waits on the chain for its reply.
 *
 * <p>The copies go out once the whole datagram of acks is read ({@link #overtook}, then {@link #afterAcks}), not
 * after each ack: an ack later in the same datagram (the receiver's repeat of an ack that was lost, or one
 * reordered within the datagram) takes its message off the chain first, so it gets no needless copy.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class FastRetransmit {
    private final RetransmitChain chain;
    private final Copies copies;
    private final Routes routes;
    private final int budget;
    private final long halfIntervalNs;
    /** Reordering window in ns, or -1 with fast retransmission off. */
    private final long reorderNs;
    /** The earliest loss timer of any peer, or earlier ({@link #nextDueNs}). */
    private long nextDueNs = Long.MAX_VALUE;

    FastRetransmit(MessengerConfig config, RetransmitChain chain, Copies copies, Routes routes, int budget,
                   long halfIntervalNs) {
        this.chain = chain;
        this.copies = copies;
        this.routes = routes;
        this.budget = budget;
        this.halfIntervalNs = halfIntervalNs;
        this.reorderNs = config.fastRetransmit() ? config.effectiveReorderingWindow().toNanos() : -1;
    }

    /**
     * An ack from {@code peer}, at {@code nowNs}, of a message whose last timed copy left at {@code ackedSentNs}:
     * kept when that copy is the latest acked, with its round trip; nothing with fast retransmission off.
     */
    void overtook(PeerSendState peer, long ackedSentNs, long nowNs) {
        if (reorderNs >= 0 && ackedSentNs > peer.newestAckedSentNs) {
            peer.newestAckedSentNs = ackedSentNs;
            peer.newestAckedRoundTripNs = nowNs - ackedSentNs;
            peer.acksToCheck = true;
        }
    }

    /** The datagram from {@code peer} is read: sends early copies of what its acks proved lost. */
    void afterAcks(PeerSendState peer, long nowNs, long nowMillis) {
        if (peer.acksToCheck) {
            peer.acksToCheck = false;
            resendLost(peer, nowNs, nowMillis);
        }
    }

    /**
     * When a peer's loss timer may be due ({@link Long#MAX_VALUE}: none armed): never later than the earliest,
     * maybe earlier (a peer's timer moved on since); exact after {@link #runTimers}.
     */
    long nextDueNs() {
        return nextDueNs;
    }

    /** The loss timers of {@code peers}: what has now been overtaken for longer than the window goes again. */
    void runTimers(SendPeers peers, long nowNs, long nowMillis) {
        if (nextDueNs > nowNs) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (PeerSendState peer : peers.active()) {
            if (peer.lossCheckNs <= nowNs) {
                resendLost(peer, nowNs, nowMillis);
            }
            earliest = Math.min(earliest, peer.lossCheckNs);
        }
        nextDueNs = earliest;
    }

    private void resendLost(PeerSendState peer, long nowNs, long nowMillis) {
        if (peer.earlyCopiesSinceNs == Long.MIN_VALUE || nowNs - peer.earlyCopiesSinceNs >= halfIntervalNs) {
            peer.earlyCopiesSinceNs = nowNs;
            peer.earlyCopies = 0;
        }
        // sent before the acked copy, and longer ago than its round trip and the window
        long sentBeforeNs = Math.min(peer.newestAckedSentNs, nowNs - peer.newestAckedRoundTripNs - reorderNs);
        PendingMessage m;
        while (peer.earlyCopies < budget && (m = chain.nextOvertaken(peer.index, sentBeforeNs)) != null) {
            if (m.isRequest() || m.fragments() != null) {
                // a request may be acked and waiting for its reply; a fragmented message's fragments are acked
                // one by one, so an ack of another message says nothing of them: both keep to their timer
                continue;
            }
            peer.earlyCopies++;
            peer.fastRetransmits.incrementAndGet();
            copies.send(peer, m, routes.route(peer.paths), nowNs, nowMillis);
        }
        long next = chain.nextUnscannedSentNs(peer.index);
        peer.lossCheckNs = next >= peer.newestAckedSentNs ? Long.MAX_VALUE // nothing overtaken: not armed
                : peer.earlyCopies >= budget ? peer.earlyCopiesSinceNs + halfIntervalNs // the storm brake
                : next + peer.newestAckedRoundTripNs + reorderNs + 1;
        nextDueNs = Math.min(nextDueNs, peer.lossCheckNs);
    }
}
