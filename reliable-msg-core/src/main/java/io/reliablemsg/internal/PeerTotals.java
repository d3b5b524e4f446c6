package io.reliablemsg.internal;

import io.reliablemsg.MessengerStats;
import io.reliablemsg.PeerStats;

/** The per-peer counters that {@link MessengerStats} sums, summed over some peers. Not thread-safe. */
final class PeerTotals {
    private long sent;
    private long retransmitted;
    private long acked;
    private long failed;
    private long delivered;
    private long duplicates;
    private long stale;
    private long staleAcks;
    private long outside;
    private long rejected;
    private long requests;
    private long replies;
    private long handled;
    private long fragmentsSent;
    private long fragmentsRetransmitted;
    private long reassemblyRefusals;

    /** Adds {@code s}'s counters. */
    PeerTotals add(PeerStats s) {
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
        fragmentsSent += s.fragmentsSent();
        fragmentsRetransmitted += s.fragmentsRetransmitted();
        reassemblyRefusals += s.reassemblyRefusals();
        return this;
    }

    /** A copy. */
    PeerTotals copy() {
        PeerTotals c = new PeerTotals();
        c.sent = sent;
        c.retransmitted = retransmitted;
        c.acked = acked;
        c.failed = failed;
        c.delivered = delivered;
        c.duplicates = duplicates;
        c.stale = stale;
        c.staleAcks = staleAcks;
        c.outside = outside;
        c.rejected = rejected;
        c.requests = requests;
        c.replies = replies;
        c.handled = handled;
        c.fragmentsSent = fragmentsSent;
        c.fragmentsRetransmitted = fragmentsRetransmitted;
        c.reassemblyRefusals = reassemblyRefusals;
        return c;
    }

    /** Sets the sums on {@code b}. */
    void addTo(MessengerStats.Builder b) {
        b.sent(sent).retransmitted(retransmitted).acked(acked).failed(failed).delivered(delivered)
                .duplicates(duplicates).staleMessagesDropped(stale).staleAcksDropped(staleAcks)
                .outsideWindowDropped(outside).deliveryRejected(rejected).requestsSent(requests).repliesReceived(replies)
                .requestsHandled(handled).fragmentsSent(fragmentsSent).fragmentsRetransmitted(fragmentsRetransmitted)
                .reassemblyRefusals(reassemblyRefusals);
    }
}
