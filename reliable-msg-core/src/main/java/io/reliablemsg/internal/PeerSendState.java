package io.reliablemsg.internal;

import io.reliablemsg.PeerStats;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sender side of one peer: its counters and its retransmit throttle. The messages themselves are
 * on the {@link io.reliablemsg.chain.RetransmitChain}, under this peer's index. Written by the I/O
 * loop; counters read by any thread.
 */
final class PeerSendState {
    final String name;
    /** Index on the retransmit chain, or -1 for a source we never send messages to. */
    final int index;
    final PeerPaths paths;
    final PeerLiveness liveness;
    /** What the peer reads: a request goes only to a peer that reads REQUEST. */
    final PeerCapabilities capabilities;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong retransmitted = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong failedAtShutdown = new AtomicLong();
    final AtomicLong staleAcksDropped = new AtomicLong();
    final AtomicLong unmatchedAcks = new AtomicLong();
    final AtomicLong failoverCopies = new AtomicLong();
    final AtomicLong fastRetransmits = new AtomicLong();
    final AtomicLong fragmentsSent = new AtomicLong();
    final AtomicLong fragmentsRetransmitted = new AtomicLong();
    /** Early (fast) copies sent since {@link #earlyCopiesSinceNs}, at most the budget per half interval (loop only). */
    int earlyCopies;
    long earlyCopiesSinceNs = Long.MIN_VALUE;
    /** Fast retransmission (loop only): the latest last timed copy acked, and the round trip of its ack. */
    long newestAckedSentNs = Long.MIN_VALUE;
    long newestAckedRoundTripNs;
    /** Whether the datagram being read acked a copy later than any before it. */
    boolean acksToCheck;
    /** When the loss timer is due: something overtaken may then be a reordering window past its round trip. */
    long lossCheckNs = Long.MAX_VALUE;
    final AtomicLong requestsSent = new AtomicLong();
    final AtomicLong repliesReceived = new AtomicLong();
    /** Copies not sent because the peer had no address (its host names did not resolve). */
    final AtomicLong noAddressDrops = new AtomicLong();
    /** Whether the peer was removed: a message for it that reaches the loop now fails (loop only). */
    boolean removed;
    /** No retransmit scan before this time, after a scan that used up the budget (loop only). */
    long throttledUntilNs = Long.MIN_VALUE;

    PeerSendState(String name, int index, PeerPaths paths, PeerLiveness liveness, PeerCapabilities capabilities) {
        this.name = name;
        this.index = index;
        this.paths = paths;
        this.liveness = liveness;
        this.capabilities = capabilities;
    }

    void addTo(PeerStats.Builder stats) {
        stats.sent(sent.get()).retransmitted(retransmitted.get()).acked(acked.get()).failed(failed.get())
                .failedAtShutdown(failedAtShutdown.get()).staleAcksDropped(staleAcksDropped.get())
                .unmatchedAcks(unmatchedAcks.get()).failoverCopies(failoverCopies.get())
                .fastRetransmits(fastRetransmits.get())
                .fragmentsSent(fragmentsSent.get()).fragmentsRetransmitted(fragmentsRetransmitted.get())
                .requestsSent(requestsSent.get()).repliesReceived(repliesReceived.get())
                .noAddressDrops(noAddressDrops.get());
    }
}
