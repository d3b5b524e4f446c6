package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerStats;
import io.reliablemsg.PeerStats;
import org.junit.jupiter.api.Test;

/**
 * The sums of the per-peer counters that {@link MessengerStats} shows: each counter summed on its own
 * (distinct values, so that no counter lands in another's place), and a copy that later additions leave
 * unchanged.
 */
class PeerTotalsTest {
    private static PeerStats peer(String name, long base) {
        return PeerStats.builder(name, "10.0.0.2:7000").sent(base + 1).retransmitted(base + 2).acked(base + 3)
                .failed(base + 4).delivered(base + 5).duplicates(base + 6).staleMessagesDropped(base + 7)
                .staleAcksDropped(base + 8).outsideWindowDropped(base + 9).deliveryRejected(base + 10)
                .requestsSent(base + 11).repliesReceived(base + 12).requestsHandled(base + 13).fragmentsSent(base + 14)
                .fragmentsRetransmitted(base + 15).reassemblyRefusals(base + 16).build();
    }

    private static MessengerStats stats(PeerTotals totals) {
        MessengerStats.Builder b = MessengerStats.builder();
        totals.addTo(b);
        return b.build();
    }

    @Test
    void eachCounterIsSummedOnItsOwn() {
        MessengerStats s = stats(new PeerTotals().add(peer("b", 0)).add(peer("c", 100)));

        assertThat(new long[] {s.sent(), s.retransmitted(), s.acked(), s.failed(), s.delivered(), s.duplicates(),
                s.staleMessagesDropped(), s.staleAcksDropped(), s.outsideWindowDropped(), s.deliveryRejected(),
                s.requestsSent(), s.repliesReceived(), s.requestsHandled(), s.fragmentsSent(), s.fragmentsRetransmitted(),
                s.reassemblyRefusals()})
                .containsExactly(102, 104, 106, 108, 110, 112, 114, 116, 118, 120, 122, 124, 126, 128, 130, 132);
    }

    @Test
    void aCopyKeepsTheSumsAndLaterAdditionsToTheOriginalLeaveItUnchanged() {
        PeerTotals totals = new PeerTotals().add(peer("b", 0));
        PeerTotals copy = totals.copy();
        totals.add(peer("c", 100));

        MessengerStats s = stats(copy);
        assertThat(new long[] {s.sent(), s.retransmitted(), s.acked(), s.failed(), s.delivered(), s.duplicates(),
                s.staleMessagesDropped(), s.staleAcksDropped(), s.outsideWindowDropped(), s.deliveryRejected(),
                s.requestsSent(), s.repliesReceived(), s.requestsHandled(), s.fragmentsSent(), s.fragmentsRetransmitted(),
                s.reassemblyRefusals()})
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        assertThat(stats(totals).sent()).isEqualTo(102);
    }
}
