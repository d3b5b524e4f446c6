package io.reliablemsg.internal;

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
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class FastRetransmit {
    private final RetransmitChain chain;
    private final Copies copies;
    private final Routes routes;
    private final int budget;
    private final long halfIntervalNs;

    FastRetransmit(RetransmitChain chain, Copies copies, Routes routes, int budget, long halfIntervalNs) {
        this.chain = chain;
        this.copies = copies;
        this.routes = routes;
        this.budget = budget;
        this.halfIntervalNs = halfIntervalNs;
    }

    /** An ack from {@code peer} proved lost what it overtook: what was sent before {@code sentBeforeNs}. */
    void onAcked(PeerSendState peer, long sentBeforeNs, long nowNs, long nowMillis) {
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
