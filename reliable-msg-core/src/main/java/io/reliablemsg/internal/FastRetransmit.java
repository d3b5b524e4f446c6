package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;

/**
 * Loss found by overtaking, for the {@link Sender} (docs/PROTOCOL.md, "Fast retransmission"): after an
 * ack, each message of the same peer whose last timed copy went out before the acked copy less the
 * reordering window is taken as lost and resent at once, before its timer. At most one early copy per
 * message per interval (the chain's overtaken scan), at most {@code budget} per peer per half interval
 * (the storm brake); an early copy uses up no retry and moves no deadline, so the time to failure
 * stays. Requests keep to their timer: an acked one waits on the chain for its reply.
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
     * An ack from {@code peer} of a copy whose last timed copy left at {@code ackedSentNs} proves lost what was
     * sent more than the reordering window before it; nothing with fast retransmission off.
     */
    void overtook(PeerSendState peer, long ackedSentNs) {
        if (reorderNs >= 0) {
            peer.overtakenBeforeNs = Math.max(peer.overtakenBeforeNs, ackedSentNs - reorderNs);
        }
    }

    /** The datagram from {@code peer} is read: sends early copies of what its acks proved lost. */
    void afterAcks(PeerSendState peer, long nowNs, long nowMillis) {
        long sentBeforeNs = peer.overtakenBeforeNs;
        if (sentBeforeNs == Long.MIN_VALUE) {
            return;
        }
        peer.overtakenBeforeNs = Long.MIN_VALUE;
        if (peer.earlyCopiesSinceNs == Long.MIN_VALUE || nowNs - peer.earlyCopiesSinceNs >= halfIntervalNs) {
            peer.earlyCopiesSinceNs = nowNs;
            peer.earlyCopies = 0;
        }
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
    }
}
