package io.reliablemsg.internal;

import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;

/**
 * Moves what was in flight on a path that is gone to the path in use now, at once, for the
 * {@link Sender}: when a path failed (docs/PROTOCOL.md, "Paths"), by a copy's timeout or by an
 * unanswered probe of the path in use, and when a peer's addresses changed
 * and its last copy went to an address the peer no longer has, or nowhere. Such a copy is not a
 * retransmission: it uses up no retry and moves no deadline, so the time to failure stays; at most
 * {@code budget} per move (the rest follow as their intervals pass).
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Failover implements Paths.InUseFailed {
    private final RetransmitChain chain;
    private final SendPeers peers;
    private final Routes routes;
    private final int budget;
    private final Copies copies;

    Failover(RetransmitChain chain, SendPeers peers, Routes routes, int budget, Copies copies) {
        this.chain = chain;
        this.peers = peers;
        this.routes = routes;
        this.budget = budget;
        this.copies = copies;
    }

    /**
     * The path {@code failed} failed: the messages whose last copy went there and whose interval has
     * not passed yet go over {@code path} at once, rather than one interval later each.
     */
    void pathFailed(PeerSendState peer, PeerPath failed, PeerPath path, long nowNs, long nowMillis) {
        chain.forEachNotDue(peer.index, nowNs, budget, m -> {
            if (m.lastPath() == failed.index) {
                peer.failoverCopies.incrementAndGet();
                copies.send(peer, m, path, nowNs, nowMillis);
            }
        });
    }

    /** A probe failed {@code failed}, the path in use of {@code paths}: as {@link #pathFailed}. */
    @Override
    public void moveTraffic(PeerPaths paths, PeerPath failed, PeerPath next, long nowNs, long nowMillis) {
        PeerSendState peer = peers.get(paths.index);
        if (peer != null && !peer.removed) {
            pathFailed(peer, failed, next, nowNs, nowMillis);
        }
    }

    /**
     * {@code peer}'s addresses changed: {@code moved[i]} is the new index of what was path {@code i}, or
     * {@link PendingMessage#NO_PATH}. The messages whose last copy went to an address the peer no longer
     * has, or nowhere, and whose interval has not passed, are sent over the path in use at once.
     */
    void readdressed(PeerSendState peer, int[] moved, long nowNs, long nowMillis) {
        chain.forEach(peer.index, m -> {
            int last = m.lastPath();
            m.lastPath(last >= 0 && last < moved.length ? moved[last] : PendingMessage.NO_PATH);
        });
        PeerPath path = routes.route(peer.paths);
        if (path != null) {
            chain.forEachNotDue(peer.index, nowNs, budget, m -> {
                if (m.lastPath() == PendingMessage.NO_PATH) {
                    peer.failoverCopies.incrementAndGet();
                    copies.send(peer, m, path, nowNs, nowMillis);
                }
            });
        }
    }
}
