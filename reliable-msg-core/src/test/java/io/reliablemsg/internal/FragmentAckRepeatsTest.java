package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FragmentAckRepeats} on the manual clock: each fragment ack goes again, twice, in front of the fragment
 * acks of the next two passes (a pass: one {@code nowNs}), oldest first, each to its own path, echoing its own
 * send time and stamped anew; never again in its own pass; only within a quarter of the interval of its first
 * writing (both sides of that edge); at most the last 16 kept. The ACK of a completed message goes once more, alone.
 */
class FragmentAckRepeatsTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL = 200 * MS;
    private static final long T0 = 5_000 * MS;
    private static final long NOW_MILLIS = 1_800_000_000_000L;

    private final PeerOutbox pathA = new PeerOutbox(new InetSocketAddress("10.0.0.1", 7000), 600);
    private final PeerOutbox pathB = new PeerOutbox(new InetSocketAddress("10.0.0.2", 7000), 600);
    /** What was written: "a:7#3 e100 t5" (to path a, message 7, fragment 3, echoing 100, stamped 5 ms on). */
    private final List<String> written = new ArrayList<>();
    private final AckOut out = new AckOut() {
        @Override
        public void ack(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoed,
                        int transmissions, long nowMillis) {
            written.add("ACK " + msgId + " e" + echoed + " x" + transmissions + " t" + (nowMillis - NOW_MILLIS)
                    + (to == pathA ? " a" : " b"));
        }

        @Override
        public void endDatagram(PeerOutbox to) {
            written.add("end " + (to == pathA ? "a" : "b"));
        }

        @Override
        public void fragmentAck(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoed,
                                int index, long nowMillis) {
            assertThat(originClientId).isEqualTo(1);
            assertThat(originIncarnation).isEqualTo(99);
            written.add((to == pathA ? "a:" : "b:") + msgId + "#" + index + " e" + echoed + " t"
                    + (nowMillis - NOW_MILLIS));
        }
    };
    private final FragmentAckRepeats repeats = new FragmentAckRepeats(out, INTERVAL);

    private void ack(PeerOutbox to, long msgId, int index, long echoed, long atMs) {
        repeats.ack(to, 1, 99, msgId, echoed, index, T0 + atMs * MS, NOW_MILLIS + atMs);
    }

    @Test
    void eachAckGoesAgainInFrontOfTheAcksOfTheNextTwoPassesOldestFirstAndNeverInItsOwnPass() {
        ack(pathA, 7, 0, 100, 0);
        ack(pathA, 7, 1, 100, 0); // the same pass: may share the datagram, so no repeat of 0 here
        assertThat(written).containsExactly("a:7#0 e100 t0", "a:7#1 e100 t0");
        written.clear();

        ack(pathA, 7, 2, 100, 1);
        ack(pathA, 7, 3, 100, 1);
        assertThat(written).as("the first pass's acks, then this one's").containsExactly(
                "a:7#0 e100 t1", "a:7#1 e100 t1", "a:7#2 e100 t1", "a:7#3 e100 t1");
        written.clear();

        ack(pathA, 7, 4, 100, 2);
        assertThat(written).as("the first pass's for the second time, the second's for the first").containsExactly(
                "a:7#0 e100 t2", "a:7#1 e100 t2", "a:7#2 e100 t2", "a:7#3 e100 t2", "a:7#4 e100 t2");
        written.clear();

        ack(pathA, 7, 5, 100, 3);
        assertThat(written).as("the first pass's are done").containsExactly(
                "a:7#2 e100 t3", "a:7#3 e100 t3", "a:7#4 e100 t3", "a:7#5 e100 t3");
        written.clear();

        ack(pathA, 7, 6, 100, 4);
        ack(pathA, 7, 7, 100, 5);
        ack(pathA, 7, 8, 100, 6);
        assertThat(written).containsExactly("a:7#4 e100 t4", "a:7#5 e100 t4", "a:7#6 e100 t4",
                "a:7#5 e100 t5", "a:7#6 e100 t5", "a:7#7 e100 t5", "a:7#6 e100 t6", "a:7#7 e100 t6", "a:7#8 e100 t6");
        assertThat(repeats.live()).as("7 once more, 8 twice").isEqualTo(2);
    }

    @Test
    void theAckOfACompletedMessageGoesOnceMoreInADatagramOfItsOwnAndIsNotKeptForRepeats() {
        repeats.completed(pathB, 1, 99, 7, 100, 3, NOW_MILLIS + 4);
        assertThat(written).containsExactly("end b", "ACK 7 e100 x3 t4 b");
        assertThat(repeats.live()).isZero();
    }

    @Test
    void aRepeatGoesOnThePathOfItsFragmentEchoingItsOwnSendTimeWhicheverPeersAckStartsThePass() {
        ack(pathA, 7, 0, 100, 0);
        ack(pathB, 8, 5, 300, 0);
        written.clear();
        ack(pathB, 8, 6, 301, 1);
        assertThat(written).containsExactly("a:7#0 e100 t1", "b:8#5 e300 t1", "b:8#6 e301 t1");
    }

    @Test
    void onlyWhatWasFirstWrittenWithinAQuarterOfTheIntervalIsRepeated() {
        ack(pathA, 7, 0, 100, 0);
        ack(pathA, 7, 1, 100, 1);
        written.clear();
        ack(pathA, 7, 2, 100, 50); // 0 was written 50 ms ago (a quarter of 200), 1 49 ms ago
        assertThat(written).containsExactly("a:7#0 e100 t50", "a:7#1 e100 t50", "a:7#2 e100 t50");
        written.clear();
        ack(pathA, 7, 3, 100, 51); // 0: 51 ms, ended; 1: 50 ms, its second repeat
        assertThat(written).containsExactly("a:7#1 e100 t51", "a:7#2 e100 t51", "a:7#3 e100 t51");
        written.clear();
        ack(pathA, 7, 4, 100, 200);
        assertThat(written).as("too old, all of them").containsExactly("a:7#4 e100 t200");
        assertThat(repeats.live()).isEqualTo(1);
    }

    @Test
    void atMostTheLast16AcksAreKeptSoAPassRepeatsAtMostThatMany() {
        int kept = FragmentAckRepeats.CAPACITY;
        assertThat(kept).isEqualTo(16);
        for (int i = 0; i < 100; i++) {
            ack(pathA, 7, i, 100, 0);
        }
        assertThat(repeats.live()).isEqualTo(kept);
        written.clear();
        ack(pathA, 7, 100, 100, 1);
        assertThat(written).hasSize(kept + 1);
        assertThat(written.get(0)).as("the oldest kept").isEqualTo("a:7#" + (100 - kept) + " e100 t1");
        assertThat(written.get(kept - 1)).isEqualTo("a:7#99 e100 t1");
        assertThat(written.get(kept)).isEqualTo("a:7#100 e100 t1");
        written.clear();
        ack(pathA, 7, 101, 100, 2);
        assertThat(written).as("the ring moved on by one: the oldest was overwritten by 100").hasSize(kept + 1)
                .startsWith("a:7#" + (101 - kept) + " e100 t2").endsWith("a:7#100 e100 t2", "a:7#101 e100 t2");
    }

    @Test
    void withinAnIntervalOfAFragmentThatCameAgainTheLast256AreKeptThenTheNewest16Again() {
        assertThat(FragmentAckRepeats.LOSSY_CAPACITY).isEqualTo(256);
        repeats.heldAgain(T0);
        for (int i = 0; i < 300; i++) {
            ack(pathA, 7, i, 100, 0);
        }
        assertThat(repeats.live()).as("the last 256 of a burst").isEqualTo(256);
        written.clear();
        ack(pathA, 7, 300, 100, 1);
        assertThat(written).as("all of them again, oldest first, then the new one").hasSize(257)
                .startsWith("a:7#44 e100 t1").endsWith("a:7#299 e100 t1", "a:7#300 e100 t1");

        assertThat(repeats.capacity(T0 + INTERVAL)).as("an interval on, still").isEqualTo(256);
        assertThat(repeats.capacity(T0 + INTERVAL + 1)).as("then 16").isEqualTo(FragmentAckRepeats.CAPACITY);
        written.clear();
        repeats.ack(pathA, 1, 99, 8, 200, 0, T0 + INTERVAL + 1, NOW_MILLIS + 201); // everything kept is too old by now
        assertThat(repeats.live()).isEqualTo(1);
        for (int i = 1; i < 40; i++) {
            repeats.ack(pathA, 1, 99, 8, 200, i, T0 + INTERVAL + 1, NOW_MILLIS + 201);
        }
        assertThat(repeats.live()).as("16 once no fragment came again for an interval").isEqualTo(16);
        written.clear();
        repeats.ack(pathA, 1, 99, 8, 200, 40, T0 + INTERVAL + 2, NOW_MILLIS + 202);
        assertThat(written).as("the newest 16, then the new one").hasSize(17)
                .startsWith("a:8#24 e200 t202").endsWith("a:8#39 e200 t202", "a:8#40 e200 t202");
    }

    @Test
    void aFragmentThatCameAgainInThePassKeepsTheWholePassNotOnlyTheAcksAfterIt() {
        for (int i = 0; i < 10; i++) {
            ack(pathA, 7, i, 100, 0);
        }
        repeats.heldAgain(T0); // the eleventh of the pass came twice
        for (int i = 10; i < 40; i++) {
            ack(pathA, 7, i, 100, 0);
        }
        assertThat(repeats.live()).isEqualTo(40);
    }
}
