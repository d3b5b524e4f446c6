package io.reliablemsg.internal;

import io.reliablemsg.chain.RetransmitChain;

/**
 * The sender's timer scan (S2, S4, S5): retransmits or fails what is due, within each peer's retransmit
 * budget (the storm brake), and knows when the next scan has work.
 *
 * <p>That time is kept, not searched for on every pass of the loop: a lower bound of the earliest
 * {@code max(deadline of a peer's first message, end of its throttle)}, exact after each scan and lowered
 * by each message hung on the chain. Nothing else can make the true time earlier (an ack or a failure
 * takes a message off, a throttle and a removal only postpone), so the bound is never late; when it is
 * early (its message was acked meanwhile) the loop runs one scan that finds nothing due and the bound is
 * exact again. A pass so asks in constant time, however many peers there are (docs/THREADING.md).
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class RetransmitTimer {
    private final RetransmitChain chain;
    private final SendPeers peers;
    private final int budget;
    private final long halfIntervalNs;
    private long earliestNs = Long.MAX_VALUE;

    RetransmitTimer(RetransmitChain chain, SendPeers peers, int budget, long halfIntervalNs) {
        this.chain = chain;
        this.peers = peers;
        this.budget = budget;
        this.halfIntervalNs = halfIntervalNs;
    }

    /** A message of {@code peer} was hung on the chain. */
    void onAdded(PeerSendState peer) {
        earliestNs = Math.min(earliestNs, dueNs(peer));
    }

    /** Earliest time {@link #run} has work, or earlier; {@link Long#MAX_VALUE} when the chain is empty. */
    long nextDeadlineNs() {
        return earliestNs;
    }

    /** Retransmits or fails, through {@code listener}, what is due at {@code nowNs}; the bound is exact after. */
    void run(long nowNs, long nowMillis, RetransmitChain.Listener listener) {
        earliestNs = Long.MAX_VALUE; // what the listener hangs on the chain meanwhile lowers it again
        long earliest = Long.MAX_VALUE;
        for (PeerSendState peer : peers.active()) {
            if (chain.nextDeadlineNs(peer.index) <= nowNs && peer.throttledUntilNs <= nowNs) {
                int retransmitted = chain.pollDue(peer.index, nowNs, nowMillis, budget, listener);
                // Budget used up: the rest waits for the next scan, half an interval on (storm brake).
                peer.throttledUntilNs = retransmitted == budget ? nowNs + halfIntervalNs : Long.MIN_VALUE;
            }
            earliest = Math.min(earliest, dueNs(peer));
        }
        earliestNs = Math.min(earliestNs, earliest);
    }

    private long dueNs(PeerSendState peer) {
        return Math.max(chain.nextDeadlineNs(peer.index), peer.throttledUntilNs);
    }
}
