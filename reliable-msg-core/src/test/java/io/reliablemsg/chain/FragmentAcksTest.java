package io.reliablemsg.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FragmentAcks} on its own: which fragments are acked, across the 64-bit words of its bit set; an ack
 * from another receiver incarnation forgets the earlier ones; the overtaken scan hands each unacked fragment out
 * at most once per copy and only when the acked one is at least the threshold later; the round trip kept is
 * that of the most recently sent copy acked.
 */
class FragmentAcksTest {
    private static final long RECEIVER = 7;

    private static List<Integer> overdue(FragmentAcks acks, int ackedIndex) {
        List<Integer> found = new ArrayList<>();
        for (int i = acks.nextOverdue(ackedIndex, 3); i >= 0; i = acks.nextOverdue(ackedIndex, 3)) {
            found.add(i);
        }
        return found;
    }

    @Test
    void startsWithNothingAckedAndKeepsItsShape() {
        FragmentAcks acks = new FragmentAcks(65, 1380);
        assertThat(acks.count()).isEqualTo(65);
        assertThat(acks.fragmentBytes()).isEqualTo(1380);
        assertThat(acks.ackedCount()).isZero();
        assertThat(acks.acked(0)).isFalse();
        assertThat(acks.acked(64)).isFalse();
        assertThat(acks.minRoundTripMillis()).as("no ack yet").isEqualTo(-1);
        assertThat(acks.probeSlot()).as("no probe due").isEqualTo(-1);
    }

    @Test
    void anAckIsNewsOnceAndMarksOnlyItsFragmentInEitherWord() {
        FragmentAcks acks = new FragmentAcks(65, 100);
        assertThat(acks.ack(64, RECEIVER)).isTrue();
        assertThat(acks.ack(64, RECEIVER)).as("again").isFalse();
        assertThat(acks.ack(0, RECEIVER)).isTrue();
        assertThat(acks.ack(63, RECEIVER)).isTrue();

        assertThat(acks.ackedCount()).isEqualTo(3);
        assertThat(acks.acked(0)).isTrue();
        assertThat(acks.acked(1)).isFalse();
        assertThat(acks.acked(62)).isFalse();
        assertThat(acks.acked(63)).isTrue();
        assertThat(acks.acked(64)).isTrue();
    }

    @Test
    void anAckOutsideTheFragmentsIsIgnored() {
        FragmentAcks acks = new FragmentAcks(4, 100);
        assertThat(acks.ack(-1, RECEIVER)).isFalse();
        assertThat(acks.ack(4, RECEIVER)).isFalse();
        assertThat(acks.ack(3, RECEIVER)).isTrue();
        assertThat(acks.ackedCount()).isEqualTo(1);
    }

    @Test
    void anAckFromAnotherReceiverIncarnationForgetsTheEarlierOnesAndOneFromTheSameKeepsThem() {
        FragmentAcks acks = new FragmentAcks(4, 100);
        acks.ack(0, RECEIVER);
        acks.ack(1, RECEIVER);
        assertThat(acks.ackedCount()).as("same incarnation").isEqualTo(2);

        assertThat(acks.ack(2, RECEIVER + 1)).isTrue();
        assertThat(acks.ackedCount()).isEqualTo(1);
        assertThat(acks.acked(0)).isFalse();
        assertThat(acks.acked(1)).isFalse();
        assertThat(acks.acked(2)).isTrue();
        assertThat(acks.ack(0, RECEIVER + 1)).as("the earlier ack's fragment is news again").isTrue();
        assertThat(acks.ackedCount()).isEqualTo(2);
    }

    @Test
    void clearForgetsTheAcksAndTheReceiverSoTheNextAckCountsFromAnyIncarnation() {
        FragmentAcks acks = new FragmentAcks(4, 100);
        acks.ack(0, RECEIVER);
        acks.ack(3, RECEIVER);
        assertThat(overdue(acks, 3)).isEqualTo(List.of());
        acks.clear();
        assertThat(acks.ackedCount()).isZero();
        assertThat(acks.acked(0)).isFalse();
        assertThat(acks.acked(3)).isFalse();
        acks.ack(1, RECEIVER + 5);
        acks.ack(2, RECEIVER + 5);
        assertThat(acks.ackedCount()).as("one receiver from the first ack after clear on").isEqualTo(2);
        assertThat(overdue(acks, 3)).as("clear starts a new copy too").containsExactly(0);
    }

    @Test
    void theOvertakenScanHandsOutTheUnackedFragmentsAtLeastTheThresholdBeforeTheAckedOneOncePerCopy() {
        FragmentAcks acks = new FragmentAcks(10, 100);
        acks.ack(1, RECEIVER);
        acks.ack(4, RECEIVER);
        assertThat(overdue(acks, 4)).as("0 only: 1 is acked, 2 and 3 are within 3 places of 4").containsExactly(0);
        acks.ack(6, RECEIVER);
        assertThat(overdue(acks, 6)).as("0 was handed out in this copy already").containsExactly(2, 3);
        assertThat(overdue(acks, 6)).isEmpty();
        assertThat(acks.nextOverdue(2, 3)).as("nothing before an early index").isEqualTo(-1);

        acks.newCopy(1_000);
        assertThat(overdue(acks, 9)).as("a new copy: each once more").containsExactly(0, 2, 3, 5);
    }

    @Test
    void onlyAnAckOfTheCurrentCopyOrOfOneSentSinceLooksForOvertakenFragments() {
        FragmentAcks acks = new FragmentAcks(4, 100);
        assertThat(acks.ofThisCopy(Long.MIN_VALUE)).as("before any copy").isTrue();
        acks.newCopy(1_000);
        assertThat(acks.ofThisCopy(999)).as("a late ack of an earlier copy").isFalse();
        assertThat(acks.ofThisCopy(1_000)).isTrue();
        assertThat(acks.ofThisCopy(1_001)).as("of an early copy sent since").isTrue();
    }

    @Test
    void theRoundTripKeptIsTheLeastOfTheAcks() {
        FragmentAcks acks = new FragmentAcks(4, 100);
        acks.sampleRoundTrip(1_000, 1_004);
        assertThat(acks.minRoundTripMillis()).isEqualTo(4);
        acks.sampleRoundTrip(1_000, 1_011);
        assertThat(acks.minRoundTripMillis()).as("an ack queued behind a burst").isEqualTo(4);
        acks.sampleRoundTrip(1_010, 1_012);
        assertThat(acks.minRoundTripMillis()).isEqualTo(2);
        acks.sampleRoundTrip(1_020, 1_018);
        assertThat(acks.minRoundTripMillis()).as("a wall clock stepped back: no negative round trip").isZero();
    }

    @Test
    void keepsTheProbeSlotItIsGiven() {
        FragmentAcks acks = new FragmentAcks(4, 100);
        acks.probeSlot(3);
        assertThat(acks.probeSlot()).isEqualTo(3);
        acks.clear();
        assertThat(acks.probeSlot()).as("acks forgotten, the probe stays due").isEqualTo(3);
    }
}
