package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.FragmentAcks;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FragmentProbes} on the manual clock, both sides of every deadline: a probe is due one probe delay
 * (least round trip plus a quarter of it, that within [1 ms, reordering window]) after the last fragment ack
 * and sends what the acks passed and the last fragment on the last copy's path; a copy no ack answers gets a
 * tail probe of one fragment; one no ack answered waits twice as long for the next; an ack starts the
 * delay and the backoff again; a timer copy stands in for a probe; no probe goes at or after the message's
 * deadline; probes share the peer's early-copy budget per half interval; a message off the chain or without a
 * path is forgotten.
 */
class FragmentProbesTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 100 * MS;
    private static final long T0 = 9_000 * MS;
    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final long RECEIVER = 77;

    private final PeerPaths paths = new PeerPaths("b", 0, List.of(new InetSocketAddress("10.1.0.2", 7000),
            new InetSocketAddress("10.2.0.2", 7000)), 600);
    private final PeerSendState peer = new PeerSendState("b", 0, paths, new PeerLiveness("b", paths),
            new PeerCapabilities("b", paths, true));
    private final RetransmitChain chain = new RetransmitChain(64, 1, INTERVAL, 4);
    /** What went out: "1#2@0" (fragment 2 of message 1 on path 0). */
    private final List<String> sent = new ArrayList<>();
    private final DataOut out = new DataOut() {
        @Override
        public void data(PeerOutbox to, PendingMessage m, long nowMillis) {
            sent.add("data " + m.msgId());
        }

        @Override
        public void fragment(PeerOutbox to, PendingMessage m, int index, long nowMillis) {
            sent.add(m.msgId() + "#" + index + "@" + (to == paths.paths[0].outbox ? 0 : 1));
        }
    };

    private FragmentProbes probes() {
        return probes(MessengerConfig.builder().clientId(1).interval(Duration.ofNanos(INTERVAL)));
    }

    private FragmentProbes probes(MessengerConfig.Builder config) {
        return new FragmentProbes(config.build(), chain, out);
    }

    /**
     * A message of {@code count} fragments, first sent at {@code T0} on path 0, with {@code acked} acked and a
     * round trip of 4 ms, so its probe delay is 5 ms (4 + 1, the quarter's floor).
     */
    private PendingMessage message(long msgId, int count, int... acked) {
        PendingMessage m = new PendingMessage(msgId, 0, new byte[count * 508], null);
        chain.add(m, T0);
        m.lastPath(0);
        m.fragments(new FragmentAcks(count, 508));
        m.fragments().sampleRoundTrip(NOW_MILLIS - 4, NOW_MILLIS);
        for (int i : acked) {
            m.fragments().ack(i, RECEIVER);
        }
        return m;
    }

    @Test
    void theDelayIsTheLeastRoundTripPlusAQuarterOfItWithinOneMillisecondAndTheReorderingWindow() {
        FragmentProbes p = probes();
        assertThat(p.delayNs(new FragmentAcks(4, 508))).as("no round trip yet: the least allowance").isEqualTo(MS);
        assertThat(p.delayNs(roundTrip(3))).as("a quarter below 1 ms").isEqualTo(4 * MS);
        assertThat(p.delayNs(roundTrip(12))).isEqualTo(15 * MS);
        assertThat(p.delayNs(roundTrip(40))).as("at most the reordering window, 5 ms").isEqualTo(45 * MS);
        FragmentProbes noWindow = probes(MessengerConfig.builder().clientId(1).interval(Duration.ofNanos(INTERVAL))
                .reorderingWindow(Duration.ZERO));
        assertThat(noWindow.delayNs(roundTrip(3))).isEqualTo(3 * MS);
        assertThat(noWindow.delayNs(roundTrip(0))).isEqualTo(FragmentProbes.MIN_DELAY_NS);
        assertThat(probes(MessengerConfig.builder().clientId(1).interval(Duration.ofMillis(48))).delayNs(roundTrip(20)))
                .as("the window in force: 5 ms, at most a quarter of the interval").isEqualTo(25 * MS);
        assertThat(probes(MessengerConfig.builder().clientId(1).interval(Duration.ofMillis(8))).delayNs(roundTrip(12)))
                .as("the window in force: a quarter of the interval, 2 ms").isEqualTo(14 * MS);
    }

    private static FragmentAcks roundTrip(long millis) {
        FragmentAcks acks = new FragmentAcks(4, 508);
        acks.sampleRoundTrip(NOW_MILLIS - millis, NOW_MILLIS);
        return acks;
    }

    @Test
    void aProbeSendsTheUnackedFragmentsOneDelayAfterTheAckNotBefore() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 5, 0, 2, 3);
        assertThat(p.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
        p.onAcked(peer, m, T0);
        assertThat(p.nextDeadlineNs()).isEqualTo(T0 + 5 * MS);
        p.run(T0 + 5 * MS - 1, NOW_MILLIS);
        assertThat(sent).isEmpty();
        p.run(T0 + 5 * MS, NOW_MILLIS);

        assertThat(sent).containsExactly("1#1@0", "1#4@0");
        assertThat(peer.fastRetransmits.get()).as("one early copy of the message").isEqualTo(1);
        assertThat(peer.earlyCopies).isEqualTo(1);
        assertThat(peer.fragmentsSent.get()).isEqualTo(2);
        assertThat(peer.fragmentsRetransmitted.get()).isEqualTo(2);
        assertThat(m.transmissions()).as("no retry used").isEqualTo(1);
        assertThat(m.deadlineNs()).as("no deadline moved").isEqualTo(T0 + INTERVAL);
    }

    @Test
    void aDelayStartedInAPassCountsFromTheEndOfThatPassWhichMayHaveSpentMillisecondsWritingCopies() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 5, 0, 2, 3);
        assertThat(p.passEndMatters()).isFalse();
        p.onAcked(peer, m, T0); // and the pass went on writing early copies for 3 ms
        assertThat(p.passEndMatters()).isTrue();
        p.passEnded(T0 + 3 * MS);
        assertThat(p.passEndMatters()).as("moved once").isFalse();
        p.run(T0 + 8 * MS - 1, NOW_MILLIS);
        assertThat(sent).as("5 ms after the pass's end, not its start").isEmpty();
        p.run(T0 + 8 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#1@0", "1#4@0");

        p.passEnded(T0 + 8 * MS + 2 * MS); // the probe's pass: its backoff of 10 ms counts from its end
        p.run(T0 + 20 * MS - 1, NOW_MILLIS);
        assertThat(peer.fastRetransmits.get()).isEqualTo(1);
        p.run(T0 + 20 * MS, NOW_MILLIS);
        assertThat(peer.fastRetransmits.get()).isEqualTo(2);
    }

    @Test
    void aTailProbeCountsFromTheEndOfThePassThatWroteTheCopyAndNoPassMovesAProbeToItsDeadline() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 5);
        p.onCopy(peer, m, T0);
        p.passEnded(T0 + 7 * MS); // a long copy
        p.run(T0 + 12 * MS - 1, NOW_MILLIS);
        assertThat(sent).isEmpty();
        p.run(T0 + 12 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#4@0");

        PendingMessage late = message(2, 5, 0);
        p.onAcked(peer, late, T0 + 90 * MS); // due at 95 ms, the deadline at 100
        p.passEnded(T0 + 95 * MS);
        assertThat(p.nextDeadlineNs()).isEqualTo(T0 + 95 * MS);
        p.run(T0 + 95 * MS, NOW_MILLIS);
        assertThat(sent).as("left where it was: before the deadline").containsExactly("1#4@0", "2#4@0");
    }

    @Test
    void everyProbeOfThePassMovesAlsoWithTheTableFullAndOneMovedToAnotherSlotByARemoval() {
        FragmentProbes p = probes();
        List<PendingMessage> ms = new ArrayList<>();
        for (int id = 1; id <= 8; id++) { // the table's first size: full
            ms.add(message(id, 5, 0));
            p.onAcked(peer, ms.get(id - 1), T0);
        }
        p.passEnded(T0 + 3 * MS);
        p.run(T0 + 8 * MS - 1, NOW_MILLIS);
        assertThat(sent).as("all eight 5 ms after the pass's end").isEmpty();
        p.run(T0 + 8 * MS, NOW_MILLIS);
        assertThat(sent).hasSize(8);
        p.passEnded(T0 + 8 * MS); // the probes' pass took no time: their next are due 10 ms on, at 18 ms

        p.onAcked(peer, ms.get(0), T0 + 20 * MS);
        p.onAcked(peer, ms.get(7), T0 + 20 * MS); // in the last slot
        chain.remove(ms.get(0)); // acked: its slot goes, the last one moves into it
        p.run(T0 + 20 * MS, NOW_MILLIS); // and the other six send their second probes
        assertThat(p.size()).isEqualTo(7);
        sent.clear();
        p.passEnded(T0 + 22 * MS);
        p.run(T0 + 27 * MS - 1, NOW_MILLIS);
        assertThat(sent).as("the moved one counts from the pass's end too").isEmpty();
        p.run(T0 + 27 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("8#4@0");
    }

    @Test
    void onlyTheDelaysOfTheEndingPassMoveNotABudgetsWaitNorEarlierOnes() {
        FragmentProbes p = probes();
        PendingMessage first = message(1, 5, 0);
        p.onAcked(peer, first, T0);
        p.passEnded(T0); // a pass that took no time: nothing moves
        PendingMessage second = message(2, 5, 0);
        p.onAcked(peer, second, T0 + 2 * MS);
        p.passEnded(T0 + 4 * MS);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).as("the first, due at 5 ms; the second at 9").containsExactly("1#4@0");
        p.run(T0 + 9 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#4@0", "2#4@0");
        p.passEnded(T0 + 50 * MS); // nothing started since the last move: no pass end is waited for
        assertThat(p.nextDeadlineNs()).as("the first's backoff, 10 ms after 5").isEqualTo(T0 + 15 * MS);
    }

    @Test
    void aProbeGoesOnThePathOfTheMessagesLastCopyAndStartsANewCopyForTheOvertakenScan() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 10, 9);
        m.lastPath(1);
        while (m.fragments().nextOverdue(9, 3) >= 0) {
            // the first copy's scan, done
        }
        p.onAcked(peer, m, T0);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).hasSize(9).allSatisfy(s -> assertThat(s).endsWith("@1"));
        assertThat(m.fragments().nextOverdue(9, 3)).as("the probe's fragments may be shown lost again").isZero();
    }

    @Test
    void aProbeNoAckAnsweredWaitsTwiceAsLongForTheNextAndNoneGoesAtTheDeadline() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 3, 0);
        p.onAcked(peer, m, T0 + 25 * MS);
        p.run(T0 + 30 * MS, NOW_MILLIS);
        assertThat(p.nextDeadlineNs()).isEqualTo(T0 + 40 * MS);
        p.run(T0 + 40 * MS - 1, NOW_MILLIS);
        assertThat(peer.fastRetransmits.get()).isEqualTo(1);
        p.run(T0 + 40 * MS, NOW_MILLIS);
        assertThat(p.nextDeadlineNs()).isEqualTo(T0 + 60 * MS);
        p.run(T0 + 60 * MS, NOW_MILLIS);

        assertThat(peer.fastRetransmits.get()).isEqualTo(3);
        assertThat(p.size()).as("the next would be at 100 ms, the deadline: the timer's copy goes then").isZero();
        assertThat(p.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
        assertThat(m.fragments().probeSlot()).isEqualTo(-1);
        p.run(T0 + INTERVAL, NOW_MILLIS);
        assertThat(peer.fastRetransmits.get()).isEqualTo(3);
    }

    @Test
    void anAckAfterAProbeStartsTheDelayAndTheBackoffAgain() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 4, 0);
        p.onAcked(peer, m, T0);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        p.run(T0 + 15 * MS, NOW_MILLIS);
        m.fragments().ack(1, RECEIVER);
        p.onAcked(peer, m, T0 + 16 * MS);
        assertThat(p.nextDeadlineNs()).isEqualTo(T0 + 21 * MS);
        assertThat(p.size()).as("one entry per message").isEqualTo(1);
        sent.clear();
        p.run(T0 + 21 * MS, NOW_MILLIS);
        assertThat(sent).as("none below 1 unacked; the tail").containsExactly("1#3@0");
        assertThat(p.nextDeadlineNs()).as("the first probe since that ack: twice the delay on").isEqualTo(T0 + 31 * MS);
    }

    @Test
    void aTimerCopySentMeanwhileStandsInForTheNextProbe() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 4, 0);
        p.onAcked(peer, m, T0);
        p.onCopy(peer, m, T0 + MS);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).isEmpty();
        assertThat(peer.fastRetransmits.get()).isZero();
        assertThat(p.nextDeadlineNs()).isEqualTo(T0 + 15 * MS);
        p.run(T0 + 15 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#3@0");

    }

    @Test
    void aCopyNoAckAnswersGetsATailProbeOfItsHighestUnackedFragmentAloneAndNoMore() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 5, 4);
        p.onCopy(peer, m, T0);
        p.run(T0 + 5 * MS - 1, NOW_MILLIS);
        assertThat(sent).isEmpty();
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#3@0");
        assertThat(peer.fastRetransmits.get()).isEqualTo(1);
        assertThat(peer.fragmentsRetransmitted.get()).isEqualTo(1);
        assertThat(p.size()).as("its ack, if any, schedules more").isZero();

        PendingMessage whole = message(2, 3, 0, 1, 2);
        p.onCopy(peer, whole, T0 + 10 * MS);
        p.run(T0 + 15 * MS, NOW_MILLIS);
        assertThat(sent).as("all acked: the last").containsExactly("1#3@0", "2#2@0");
    }

    @Test
    void anAckAfterACopyMakesItsTailProbeAProbeOfEveryMissingFragment() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 6);
        p.onCopy(peer, m, T0);
        m.fragments().ack(3, RECEIVER);
        p.onAcked(peer, m, T0 + MS);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).isEmpty();
        p.run(T0 + 6 * MS, NOW_MILLIS);
        assertThat(sent).as("what the acks passed, and the tail").containsExactly("1#0@0", "1#1@0", "1#2@0", "1#5@0");
        assertThat(p.size()).isEqualTo(1);
        p.onCopy(peer, m, T0 + 7 * MS);
        assertThat(p.size()).as("a copy stands in for the probe, no second entry").isEqualTo(1);
    }

    @Test
    void noTailProbeGoesAtTheMessagesDeadline() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 4);
        p.onCopy(peer, m, T0 + INTERVAL - 5 * MS);
        assertThat(p.size()).isZero();
        p.onCopy(peer, m, T0 + INTERVAL - 5 * MS - 1);
        assertThat(p.size()).isEqualTo(1);
        p.run(T0 + INTERVAL - 1, NOW_MILLIS);
        assertThat(sent).containsExactly("1#3@0");
    }

    @Test
    void aProbeLeavesTheFragmentsAboveTheHighestAckedButTheLastToTheirAcks() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 8, 0, 2);
        p.onAcked(peer, m, T0);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).as("3-6 may be queued at a receiver that fell behind").containsExactly("1#1@0", "1#7@0");
        assertThat(peer.fragmentsRetransmitted.get()).isEqualTo(2);
    }

    @Test
    void withTheLastFragmentAckedAProbeSendsOnlyWhatTheAcksPassed() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 4, 1, 3);
        p.onAcked(peer, m, T0);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#0@0", "1#2@0");
    }

    @Test
    void aSecondCopyBeforeTheTailProbeMovesItOnAndKeepsOneEntry() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 4);
        p.onCopy(peer, m, T0);
        p.onCopy(peer, m, T0 + 2 * MS); // a failover copy, say
        assertThat(p.size()).isEqualTo(1);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(p.nextDeadlineNs()).isEqualTo(T0 + 7 * MS);
        assertThat(sent).isEmpty();
        p.run(T0 + 7 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#3@0");
    }

    @Test
    void whenEveryFragmentIsAckedAndTheMessageNotTheProbeIsItsLastFragment() {
        FragmentProbes p = probes();
        PendingMessage m = message(1, 3, 0, 1, 2);
        p.onAcked(peer, m, T0);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#2@0");
        assertThat(peer.fragmentsRetransmitted.get()).isEqualTo(1);
    }

    @Test
    void probesShareThePeersEarlyCopyBudgetPerHalfInterval() {
        FragmentProbes p = probes(MessengerConfig.builder().clientId(1).interval(Duration.ofNanos(INTERVAL))
                .maxRetransmitsPerPeerPerScan(1));
        PendingMessage first = message(1, 2, 0);
        PendingMessage second = message(2, 2, 0);
        p.onAcked(peer, first, T0);
        p.onAcked(peer, second, T0);
        p.run(T0 + 5 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#1@0");
        chain.remove(first); // acked
        p.run(T0 + 15 * MS, NOW_MILLIS);
        assertThat(p.nextDeadlineNs()).as("the budget's next half interval").isEqualTo(T0 + 55 * MS);
        p.run(T0 + 55 * MS - 1, NOW_MILLIS);
        assertThat(sent).hasSize(1);
        p.run(T0 + 55 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("1#1@0", "2#1@0");
    }

    @Test
    void aProbeOverTheBudgetIsDroppedWhenTheBudgetsNextHalfIntervalIsAtTheDeadline() {
        FragmentProbes p = probes(MessengerConfig.builder().clientId(1).interval(Duration.ofNanos(INTERVAL))
                .maxRetransmitsPerPeerPerScan(1));
        PendingMessage m = message(1, 2, 0);
        peer.earlyCopiesSinceNs = T0 + 50 * MS; // a fast retransmission used the budget
        peer.earlyCopies = 1;
        p.onAcked(peer, m, T0 + 50 * MS);
        p.run(T0 + 55 * MS, NOW_MILLIS);
        assertThat(sent).isEmpty();
        assertThat(p.size()).as("the budget comes back at 100 ms, the deadline").isZero();
    }

    @Test
    void aMessageOffTheChainOrWithoutAPathIsForgottenUnsentAndTheOthersKeepTheirProbes() {
        FragmentProbes p = probes();
        List<PendingMessage> messages = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            PendingMessage m = message(i, 2, 0);
            messages.add(m);
            p.onAcked(peer, m, T0 + i);
        }
        chain.remove(messages.get(0)); // acked
        messages.get(4).lastPath(PendingMessage.NO_PATH);
        p.run(T0 + 5 * MS + 10, NOW_MILLIS);

        assertThat(sent).containsExactlyInAnyOrder("2#1@0", "3#1@0", "4#1@0", "6#1@0", "7#1@0", "8#1@0", "9#1@0",
                "10#1@0");
        assertThat(p.size()).isEqualTo(8);
        assertThat(messages.get(0).fragments().probeSlot()).isEqualTo(-1);
        assertThat(messages.get(4).fragments().probeSlot()).isEqualTo(-1);
        p.onAcked(peer, messages.get(9), T0 + 6 * MS);
        assertThat(p.size()).as("the moved entry still found by its slot").isEqualTo(8);
        assertThat(p.nextDeadlineNs()).isEqualTo(T0 + 11 * MS);
        sent.clear();
        p.run(T0 + 11 * MS, NOW_MILLIS);
        assertThat(sent).containsExactly("10#1@0");
    }
}
