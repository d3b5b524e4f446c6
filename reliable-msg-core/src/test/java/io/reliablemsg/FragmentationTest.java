package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameVisitor;
import io.reliablemsg.wire.WireFormat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Messages larger than one datagram (docs/PROTOCOL.md, section 12) between messengers on the simulated
 * network, driven by the manual clock: they go in FRAGMENT frames no larger than the datagram size, only the
 * fragments not acked are sent again, the receiver delivers each message once, whole, in one handler call,
 * a failure is reported once per message after the message's retry span, and the bounds hold.
 */
class FragmentationTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL_MS = 100;
    private static final int MAX_RETRIES = 4;
    private static final int DATAGRAM = 600;
    /** Data per fragment with a 600-byte datagram: 600 - 20 (header) - 40 (FRAGMENT head) - 32 (trailer reserve). */
    private static final int PER_FRAGMENT = DATAGRAM - 20 - WireFormat.FRAGMENT_HEADER_LENGTH - 32;

    private static MessengerConfig.Builder settings(MessengerConfig.Builder b) {
        return b.interval(Duration.ofMillis(INTERVAL_MS)).maxRetries(MAX_RETRIES).heartbeatInterval(Duration.ZERO)
                .maxDatagramSize(DATAGRAM).maxMessageSize(64 * 1024).maxPendingBytes(1 << 20).reassemblyBytes(1 << 20);
    }

    private static byte[] message(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static SimulatedCluster cluster(long seed) {
        SimulatedCluster c = new SimulatedCluster(seed);
        c.add("a", 1, FragmentationTest::settings);
        c.add("b", 2, FragmentationTest::settings);
        c.startAll();
        c.runFor(10 * MS); // capabilities exchanged: both read fragments
        return c;
    }

    private static int frameType(ByteBuffer datagram) {
        return datagram.get(datagram.position() + WireFormat.HEADER_LENGTH) & 0xFF;
    }

    /** Whether {@code datagram} holds a frame of {@code type} (DATA, ACK or an optional type). */
    private static boolean holdsFrame(ByteBuffer datagram, int type) {
        java.util.Set<Integer> types = new java.util.HashSet<>();
        DatagramReader.read(datagram.duplicate(), types, new FrameVisitor<java.util.Set<Integer>>() {
            @Override
            public void onData(java.util.Set<Integer> seen, int c, long i, long m, long s, int t, ByteBuffer d, int o,
                               int l) {
                seen.add(WireFormat.TYPE_DATA);
            }

            @Override
            public void onAck(java.util.Set<Integer> seen, int c, long i, int oc, long oi, long m, long e, long a,
                              int t) {
                seen.add(WireFormat.TYPE_ACK);
            }

            @Override
            public void onFragmentAck(java.util.Set<Integer> seen, int c, long i, int oc, long oi, long m, long e,
                                      long a, int index) {
                seen.add(WireFormat.TYPE_FRAGMENT_ACK);
            }
        });
        return types.contains(type);
    }

    private static long datagramMsgId(ByteBuffer datagram) {
        return datagram.getLong(datagram.position() + WireFormat.HEADER_LENGTH + WireFormat.FRAGMENT_MSG_ID_OFFSET);
    }

    private static int fragmentIndex(ByteBuffer datagram) {
        return datagram.getInt(datagram.position() + WireFormat.HEADER_LENGTH + WireFormat.FRAGMENT_INDEX_OFFSET);
    }

    @Test
    void aMessageLargerThanADatagramGoesInFragmentsNoneLargerThanTheDatagramAndIsDeliveredOnceWhole() {
        SimulatedCluster c = cluster(1);
        List<Integer> sizes = new ArrayList<>();
        c.node("a").dropOutgoing = d -> {
            sizes.add(d.remaining());
            return false;
        };
        byte[] payload = message(10_000, 1);
        long id = c.node("a").send("b", payload, "u".getBytes());
        c.runFor(20 * MS);

        assertThat(c.node("b").delivered).singleElement().satisfies(m -> {
            assertThat(m.payload()).isEqualTo(payload);
            assertThat(m.msgId()).isEqualTo(id);
        });
        assertThat(c.node("a").acked).containsExactly(id);
        assertThat(sizes).isNotEmpty().allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(DATAGRAM));
        int fragments = (10_000 + PER_FRAGMENT - 1) / PER_FRAGMENT;
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fragmentsSent()).isEqualTo(fragments);
        assertThat(a.fragmentsRetransmitted()).isZero();
        assertThat(a.sent()).as("one message").isEqualTo(1);
        assertThat(a.pending()).isZero();
        assertThat(c.node("b").messenger.stats("a").delivered()).isEqualTo(1);
        assertThat(c.node("a").messenger.stats().fragmentsSent()).as("summed over peers").isEqualTo(fragments);
        assertThat(c.node("a").messenger.stats().fragmentsRetransmitted()).isZero();
        assertThat(c.node("b").messenger.stats().reassemblyRefusals()).isZero();
    }

    @Test
    void aLargeMessageSentBeforeThePeersRevisionIsKnownIsHeldUntilItIsAndNeverGoesLargerThanTheDatagram() {
        SimulatedCluster c = new SimulatedCluster(10);
        c.add("a", 1, FragmentationTest::settings);
        c.add("b", 2, FragmentationTest::settings);
        List<Integer> sizes = new ArrayList<>();
        c.startAll();
        c.node("a").dropOutgoing = d -> sizes.add(d.remaining()) && false;
        byte[] payload = message(5_000, 10);
        c.node("a").send("b", payload, null); // at once: b's capabilities are not known yet
        c.runFor(INTERVAL_MS * MS - MS);
        assertThat(c.node("b").delivered).as("held").isEmpty();
        assertThat(c.node("a").messenger.stats("b").fragmentsSent()).isZero();
        c.runFor(2 * MS); // its first retransmission, in fragments

        assertThat(c.node("b").delivered).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
        assertThat(sizes).isNotEmpty().allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(DATAGRAM));
        assertThat(c.node("a").acked).hasSize(1);
    }

    @Test
    void aMessageThatFitsADatagramStillGoesAsOneDataFrame() {
        SimulatedCluster c = cluster(2);
        List<Integer> types = new ArrayList<>();
        c.node("a").dropOutgoing = d -> types.add(frameType(d)) && false;
        c.node("a").send("b", message(DATAGRAM - 20 - 24 - 32, 2), null);
        c.runFor(20 * MS);
        assertThat(types).containsExactly(WireFormat.TYPE_DATA);
        assertThat(c.node("a").messenger.stats("b").fragmentsSent()).isZero();
    }

    private static SimulatedCluster cluster(long seed, UnaryOperator<MessengerConfig.Builder> more) {
        SimulatedCluster c = new SimulatedCluster(seed);
        c.add("a", 1, b -> more.apply(settings(b)));
        c.add("b", 2, FragmentationTest::settings);
        c.startAll();
        c.runFor(10 * MS);
        return c;
    }

    /** Drops the first {@code times} copies of fragment {@code index} that {@code from} sends. */
    private static void loseFragment(SimulatedCluster.Node from, int index, int times) {
        int[] left = {times};
        java.util.function.Predicate<ByteBuffer> before = from.dropOutgoing;
        from.dropOutgoing = d -> {
            if (left[0] > 0 && frameType(d) == WireFormat.TYPE_FRAGMENT && fragmentIndex(d) == index) {
                left[0]--;
                return true;
            }
            return before.test(d);
        };
    }

    private long ackedAt(SimulatedCluster c, String node, long msgId) {
        return c.node(node).ackedAtNs.entrySet().stream().filter(e -> e.getKey().endsWith("/" + msgId))
                .mapToLong(java.util.Map.Entry::getValue).findFirst().orElse(-1);
    }

    @Test
    void withoutFastRetransmissionOnlyTheLostFragmentsAreSentAgainOneIntervalLaterWithAFreshCopy() {
        SimulatedCluster c = cluster(3, b -> b.fastRetransmit(false));
        boolean[] lostOnce = new boolean[2];
        // the last two of 12 fragments: no later fragment's ack can show them lost, so the timer recovers them
        c.node("a").dropOutgoing = d -> {
            if (frameType(d) != WireFormat.TYPE_FRAGMENT) {
                return false;
            }
            int index = fragmentIndex(d);
            if ((index == 10 || index == 11) && !lostOnce[index - 10]) {
                lostOnce[index - 10] = true;
                return true;
            }
            return false;
        };
        byte[] payload = message(6_000, 3);
        c.node("a").send("b", payload, null);
        c.runFor(INTERVAL_MS * MS - MS);
        assertThat(c.node("b").delivered).as("two fragments missing").isEmpty();
        PeerStats before = c.node("a").messenger.stats("b");
        c.runFor(10 * MS);

        assertThat(c.node("b").delivered).singleElement()
                .satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fragmentsRetransmitted()).as("only the two lost ones").isEqualTo(2);
        assertThat(a.fragmentsSent() - before.fragmentsSent()).isEqualTo(2);
        assertThat(a.retransmitted()).as("one retransmission of the message").isEqualTo(1);
        assertThat(c.node("a").acked).hasSize(1);
    }

    @Test
    void aFragmentOvertakenByTheAckOfOneSentThreePlacesLaterIsSentAgainAtOnceWithoutUsingARetry() {
        SimulatedCluster c = cluster(11);
        boolean[] lost = new boolean[1];
        c.node("a").dropOutgoing = d -> {
            if (!lost[0] && frameType(d) == WireFormat.TYPE_FRAGMENT && fragmentIndex(d) == 2) {
                lost[0] = true;
                return true;
            }
            return false;
        };
        byte[] payload = message(6_000, 11);
        long start = c.clock.nanoTime();
        c.node("a").send("b", payload, null);
        c.runFor(20 * MS);

        assertThat(c.node("b").delivered).as("well within the interval").singleElement()
                .satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
        assertThat(c.node("a").ackedAtNs.values()).singleElement()
                .satisfies(at -> assertThat(at - start).isLessThan(INTERVAL_MS * MS / 2));
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fragmentsRetransmitted()).as("the lost one, once").isEqualTo(1);
        assertThat(a.retransmitted()).as("no retry used").isZero();
    }

    /**
     * Delivers what {@code a} sends to {@code b} in FRAGMENT frames one at a time, {@code stepNs} apart, in the order
     * sent (as a link that carries one datagram at a time): b takes each in a pass of its own and acks it in a
     * datagram of its own.
     */
    private static void oneFragmentAtATime(SimulatedCluster c, long stepNs) {
        SimulatedCluster.Node a = c.node("a");
        SimulatedCluster.Node b = c.node("b");
        long[] lastNs = {0};
        a.dropOutgoing = d -> {
            if (frameType(d) != WireFormat.TYPE_FRAGMENT) {
                return false;
            }
            byte[] bytes = new byte[d.remaining()];
            d.get(bytes);
            lastNs[0] = Math.max(lastNs[0], c.clock.nanoTime()) + stepNs;
            c.at(lastNs[0], () -> c.network.inject(a.address, b.address, bytes));
            return true; // it goes by the action instead
        };
    }

    /** Drops the datagrams b sends that hold a FRAGMENT_ACK, by their place among those: the first is 1. */
    private static void loseFragmentAckDatagrams(SimulatedCluster c, int... places) {
        int[] seen = {0};
        java.util.Set<Integer> lose = java.util.Arrays.stream(places).boxed().collect(java.util.stream.Collectors.toSet());
        c.node("b").dropOutgoing = d -> holdsFrame(d, WireFormat.TYPE_FRAGMENT_ACK) && lose.contains(++seen[0]);
    }

    @Test
    void aLostDatagramOfFragmentAcksIsMadeGoodByTheRepeatsInTheNextOnesAndCostsNoFragment() {
        for (int[] lost : new int[][] {{3}, {3, 4}}) {
            SimulatedCluster c = cluster(21);
            oneFragmentAtATime(c, MS / 10);
            loseFragmentAckDatagrams(c, lost); // the ack of fragment 2, and with {3, 4} the next one too
            byte[] payload = message(10 * PER_FRAGMENT, 21);
            long id = c.node("a").send("b", payload, null);
            c.runFor(20 * MS);

            assertThat(c.node("b").delivered).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
            assertThat(ackedAt(c, "a", id)).as("acked").isPositive();
            PeerStats a = c.node("a").messenger.stats("b");
            assertThat(a.fragmentsSent()).as("each fragment once, lost " + lost.length).isEqualTo(10);
            assertThat(a.fragmentsRetransmitted()).isZero();
            assertThat(a.fastRetransmits()).as("no probe").isZero();
            assertThat(a.retransmitted()).isZero();
        }
    }

    /**
     * Delivers what {@code a} sends to {@code b} in FRAGMENT frames in bursts of {@code burst}, {@code stepNs} apart,
     * so that b takes a burst in one pass and acks it in several datagrams; the first copy of fragment {@code twice}
     * comes twice (-1: none), as one the sender sent again for want of its ack, and that of {@code lost} not at all.
     */
    private static void fragmentsInBursts(SimulatedCluster c, int burst, long stepNs, int twice, int lost) {
        SimulatedCluster.Node a = c.node("a");
        SimulatedCluster.Node b = c.node("b");
        int[] sent = {0};
        long[] firstNs = {-1};
        a.dropOutgoing = d -> {
            if (frameType(d) != WireFormat.TYPE_FRAGMENT) {
                return false;
            }
            byte[] bytes = new byte[d.remaining()];
            d.get(bytes);
            int index = fragmentIndex(ByteBuffer.wrap(bytes));
            boolean first = firstNs[0] < 0 || sent[0] < 2 * burst;
            if (firstNs[0] < 0) {
                firstNs[0] = c.clock.nanoTime() + stepNs;
            }
            long at = Math.max(c.clock.nanoTime(), firstNs[0] + (sent[0]++ / burst) * stepNs);
            if (!(first && index == lost)) {
                for (int i = 0; i < (first && index == twice ? 2 : 1); i++) {
                    c.at(at, () -> c.network.inject(a.address, b.address, bytes));
                }
            }
            return true; // it goes by the action instead
        };
    }

    @Test
    void whileFragmentsComeTwiceEveryAckOfABurstIsRepeatedNotOnlyTheNewest16() {
        for (boolean twice : new boolean[] {false, true}) {
            // only the timer sends fragments again (no probes, no overtaking rule): those it sends had no ack
            SimulatedCluster c = cluster(24, b -> b.fastRetransmit(false));
            fragmentsInBursts(c, 36, MS, twice ? 5 : -1, 71); // 71 lost: the message waits for the interval's copy
            // every datagram of the first burst's acks (12 a datagram: 36 acks, 37 with the one twice), so no later
            // ack of that burst shows the sender its earlier fragments lost before the repeats come
            loseFragmentAckDatagrams(c, twice ? new int[] {1, 2, 3, 4} : new int[] {1, 2, 3});
            byte[] payload = message(72 * PER_FRAGMENT, 24);
            long id = c.node("a").send("b", payload, null);
            c.runFor(INTERVAL_MS * MS + 20 * MS);

            assertThat(c.node("b").delivered).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
            assertThat(ackedAt(c, "a", id)).as("acked").isPositive();
            PeerStats a = c.node("a").messenger.stats("b");
            if (twice) {
                assertThat(a.fragmentsRetransmitted()).as("all 37 acks went again in the next burst's pass: only 71")
                        .isEqualTo(1);
            } else {
                assertThat(a.fragmentsRetransmitted())
                        .as("71, and 0-19: only the newest 16 acks (20-35) went again, and they overtook 0-19").isEqualTo(21);
            }
        }
    }

    @Test
    void threeDatagramsOfFragmentAcksLostInARowCostTheFragmentWhoseAckWasInAllThreeAndNoMore() {
        SimulatedCluster c = cluster(22);
        oneFragmentAtATime(c, MS / 10);
        loseFragmentAckDatagrams(c, 3, 4, 5); // fragment 2's ack and both its repeats; 3's and 4's repeats go on
        byte[] payload = message(10 * PER_FRAGMENT, 22);
        long id = c.node("a").send("b", payload, null);
        c.runFor(20 * MS);

        assertThat(c.node("b").delivered).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
        assertThat(ackedAt(c, "a", id)).as("acked").isPositive();
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fragmentsRetransmitted()).as("fragment 2, overtaken by the ack of 5").isEqualTo(1);
        assertThat(a.fragmentsSent()).isEqualTo(11);
    }

    @Test
    void whenWritingCopiesTakesTimeAProbeWaitsForTheirAcksAfterThePassThatWroteThemNotBeforeTheyCanBeBack() {
        SimulatedCluster c = cluster(23);
        boolean[] lostOnce = new boolean[110];
        c.node("a").dropOutgoing = d -> {
            c.clock.advanceNs(10_000); // each datagram costs the sender 10 us to write, as on a real host
            if (frameType(d) != WireFormat.TYPE_FRAGMENT) {
                return false;
            }
            int index = fragmentIndex(d);
            if (index < lostOnce.length && !lostOnce[index]) {
                lostOnce[index] = true; // the first 110 of 119: the ack of 113 overtakes them all at once
                return true;
            }
            return false;
        };
        // 119 fragments: the first copy takes 1.19 ms to write; its tail probe, timed from the start of that pass,
        // would be due 1 ms on, before b could even have read the copy
        byte[] payload = message(60_000, 23);
        long id = c.node("a").send("b", payload, null);
        c.runFor(20 * MS);

        assertThat(c.node("b").delivered).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
        assertThat(ackedAt(c, "a", id)).as("acked").isPositive();
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fragmentsRetransmitted()).as("the 110 early copies (1.1 ms to write), once each").isEqualTo(110);
        assertThat(a.fastRetransmits()).as("no probe: the acks came within a delay of each pass's end").isZero();
        assertThat(a.fragmentsSent()).isEqualTo(119 + 110);
        assertThat(c.node("b").messenger.stats("a").duplicates()).isZero();
    }

    /**
     * Drops the ACK that answers the fragment completing the message, both copies of it (the second goes alone,
     * in a datagram of its own), with what was bundled with them; sets {@code dropped[0]} once both are gone.
     */
    private static void loseCompletingAck(SimulatedCluster c, boolean[] dropped) {
        int[] acks = {0};
        c.node("b").dropOutgoing = d -> {
            if (holdsFrame(d, WireFormat.TYPE_ACK) && acks[0] < 2) {
                dropped[0] = ++acks[0] == 2;
                return true;
            }
            return false;
        };
    }

    @Test
    void theAckOfAMessageMadeWholeFromFragmentsGoesTwiceTheSecondInADatagramOfItsOwnSoOneLossCostsNoProbe() {
        SimulatedCluster c = cluster(24);
        List<Integer> ackFrames = new ArrayList<>();
        boolean[] dropped = new boolean[1];
        c.node("b").dropOutgoing = d -> {
            if (!holdsFrame(d, WireFormat.TYPE_ACK)) {
                return false;
            }
            ackFrames.add(d.remaining());
            if (!dropped[0]) {
                dropped[0] = true; // the first: the last fragment acks and the ACK
                return true;
            }
            return false;
        };
        long start = c.clock.nanoTime();
        long id = c.node("a").send("b", message(6_000, 24), null);
        c.runFor(20 * MS);

        assertThat(ackFrames).as("two datagrams, the second the ACK alone")
                .containsExactly(ackFrames.get(0), WireFormat.HEADER_LENGTH + WireFormat.ACK_LENGTH);
        assertThat(ackedAt(c, "a", id) - start).as("at once, by the second copy").isZero();
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fastRetransmits()).as("no probe").isZero();
        assertThat(a.fragmentsRetransmitted()).isZero();
        assertThat(c.node("b").messenger.stats("a").duplicates()).isZero();
        assertThat(c.node("b").delivered).hasSize(1);
    }

    @Test
    void aLostCompletingAckIsAnsweredByTheMessagesAckWhenTheLastFragmentComesAgain() {
        SimulatedCluster c = cluster(4);
        boolean[] dropped = new boolean[1];
        loseCompletingAck(c, dropped);
        byte[] payload = message(3_000, 4);
        c.node("a").send("b", payload, null);
        c.runFor(INTERVAL_MS * MS + 10 * MS);

        assertThat(dropped[0]).isTrue();
        assertThat(c.node("b").delivered).as("delivered once").hasSize(1);
        assertThat(c.node("a").acked).hasSize(1);
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fragmentsRetransmitted()).as("the fragment that completed it, and any whose ack went with it")
                .isBetween(1L, (long) (3_000 + PER_FRAGMENT - 1) / PER_FRAGMENT);
        assertThat(c.node("b").messenger.stats("a").duplicates()).as("answered with the message's ACK").isPositive();
    }

    @Test
    void aMessageNeverCompletedFailsOnceWithItsUserBufferAfterItsWholeRetrySpan() {
        SimulatedCluster c = cluster(5);
        c.node("a").dropOutgoing = d -> frameType(d) == WireFormat.TYPE_FRAGMENT && fragmentIndex(d) == 1;
        long start = c.clock.nanoTime();
        c.node("a").send("b", message(2_000, 5), "buffer-5".getBytes());
        long span = (MAX_RETRIES + 1) * INTERVAL_MS * MS;
        c.runFor(span - MS);
        assertThat(c.node("a").failures).isEmpty();
        c.runFor(2 * MS);

        assertThat(c.node("a").failures).singleElement().satisfies(f -> {
            assertThat(f.userBuffer()).isEqualTo("buffer-5".getBytes());
            assertThat(f.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            assertThat(f.transmissions()).isEqualTo(MAX_RETRIES + 1);
        });
        assertThat(c.node("a").failureTimesNs.get(0) - start).isEqualTo(span);
        assertThat(c.node("b").delivered).as("not delivered in part").isEmpty();
        c.runFor(10 * span);
        assertThat(c.node("a").failures).as("once").hasSize(1);
        // the timer's copies, the six probes after the first copy's acks and a tail probe after each timer copy
        // (see probesWithoutAnAnswerStop...)
        assertThat(c.node("a").messenger.stats("b").fragmentsRetransmitted()).isEqualTo(MAX_RETRIES + 6 + MAX_RETRIES);
    }

    @Test
    void aReceiverRestartedMidMessageGetsEveryFragmentAgainAndDeliversTheMessageWhole() {
        SimulatedCluster c = cluster(6);
        boolean[] holdBack = {true};
        c.node("a").dropOutgoing = d -> holdBack[0] && frameType(d) == WireFormat.TYPE_FRAGMENT && fragmentIndex(d) == 0;
        byte[] payload = message(4_000, 6);
        c.node("a").send("b", payload, null);
        c.runFor(20 * MS); // every fragment but the first acked by b
        assertThat(c.node("a").messenger.stats("b").fragmentsSent()).isGreaterThan(1);
        c.node("b").crash();
        c.node("b").start(); // a new incarnation: its partial message is gone
        holdBack[0] = false;
        c.runFor(3 * INTERVAL_MS * MS);

        assertThat(c.node("b").delivered).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
        assertThat(c.node("a").acked).hasSize(1);
        assertThat(c.node("a").failures).isEmpty();
    }

    @Test
    void aReceiverWithoutRoomRefusesANewMessageUnackedCountsItAndTakesItOnceThereIsRoom() {
        SimulatedCluster c = new SimulatedCluster(7);
        c.add("a", 1, FragmentationTest::settings);
        c.add("b", 2, b -> settings(b).maxMessageSize(8_000).reassemblyBytes(10_000));
        c.startAll();
        c.runFor(10 * MS);
        // the first fragment of the first message is lost, so it is held partly while the second arrives
        boolean[] lost = new boolean[1];
        c.node("a").dropOutgoing = d -> {
            if (!lost[0] && frameType(d) == WireFormat.TYPE_FRAGMENT && fragmentIndex(d) == 0) {
                lost[0] = true;
                return true;
            }
            return false;
        };
        byte[] first = message(6_000, 71);
        byte[] second = message(6_000, 72);
        c.node("a").send("b", first, null);
        c.node("a").send("b", second, null);
        c.runFor(1);
        assertThat(c.node("b").messenger.stats("a").reassemblyRefusals()).as("no room for the second").isPositive();
        assertThat(c.node("b").delivered).extracting(InboundMessage::payload).as("the first, its lost fragment "
                + "sent again early").containsExactly(first);
        c.runFor(20 * MS);

        // the second's copy was answered by no ack: its tail probe finds room and its ack starts the probes
        assertThat(c.node("b").delivered).extracting(InboundMessage::payload).containsExactly(first, second);
        assertThat(c.node("a").acked).hasSize(2);
        assertThat(c.node("a").messenger.stats("b").retransmitted()).as("before the timer").isZero();
    }

    @Test
    void aSendAboveTheBoundsIsRefusedWithAClearError() {
        SimulatedCluster c = new SimulatedCluster(8);
        c.add("a", 1, b -> settings(b).maxMessageSize(10_000).maxPendingBytes(15_000));
        c.add("b", 2, FragmentationTest::settings);
        c.startAll();
        c.runFor(10 * MS); // capabilities exchanged
        assertThatThrownBy(() -> c.node("a").send("b", new byte[10_001], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessageSize (10000)");
        assertThat(c.node("a").messenger.send("b", new byte[10_000], null)).isTrue();
        assertThat(c.node("a").messenger.send("b", new byte[6_000], null)).as("over maxPendingBytes").isFalse();
        assertThat(c.node("a").messenger.send("b", new byte[5_000], null)).isTrue();
        assertThatThrownBy(() -> c.node("b").request("a", new byte[MessengerConfig.MAX_WHOLE_PAYLOAD_SIZE + 1], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requests are not fragmented");
        c.runFor(20 * MS);
        assertThat(c.node("b").delivered).hasSize(2);
        assertThat(c.node("a").messenger.send("b", new byte[10_000], null)).as("the bytes were given back").isTrue();
    }

    @Test
    void underLossDuplicationAndReorderingEveryMessageIsDeliveredOnceWholeOrFailsOnce() {
        SimulatedCluster c = new SimulatedCluster(9);
        c.add("a", 1, b -> settings(b).maxRetries(10));
        c.add("b", 2, b -> settings(b).maxRetries(10));
        c.startAll();
        c.runFor(10 * MS);
        c.network.lossRate(0.3).duplicationRate(0.1).delayNs(MS, 20 * MS);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] payload = message(1_000 + 997 * i, 100 + i);
            sent.add(payload);
            assertThat(c.node("a").send("b", payload, new byte[] {(byte) i})).isPositive();
        }
        c.runFor(15 * INTERVAL_MS * MS);

        List<InboundMessage> delivered = c.node("b").delivered;
        assertThat(delivered).extracting(InboundMessage::msgId).doesNotHaveDuplicates();
        for (InboundMessage m : delivered) {
            assertThat(sent).as("whole, as sent").anySatisfy(p -> assertThat(m.payload()).isEqualTo(p));
        }
        assertThat(c.node("a").failures.size() + c.node("a").acked.size()).as("one outcome each").isEqualTo(20);
        assertThat(c.node("a").failures).extracting(SendFailure::msgId).doesNotHaveDuplicates();
        assertThat(delivered.size()).as("30 % loss, 10 retries: almost all arrive").isGreaterThanOrEqualTo(19);
        assertThat(c.node("a").messenger.stats("b").fragmentsRetransmitted()).isPositive();
    }
    /** Probe delay on the simulated network: no round trip, so the least allowance (1 ms) alone. */
    private static final long PROBE_MS = 1;

    @Test
    void theLastFragmentOfACopyIsProbedOneProbeDelayAfterTheLastAckWithoutUsingARetry() {
        SimulatedCluster c = cluster(12);
        loseFragment(c.node("a"), 11, 1); // the last of 12: no later fragment's ack shows it lost
        byte[] payload = message(6_000, 12);
        long start = c.clock.nanoTime();
        long id = c.node("a").send("b", payload, null);
        c.runFor(PROBE_MS * MS - 1);
        assertThat(c.node("b").delivered).as("one nanosecond before the probe").isEmpty();
        c.runFor(1);

        assertThat(c.node("b").delivered).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(payload));
        assertThat(ackedAt(c, "a", id) - start).isEqualTo(PROBE_MS * MS);
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fragmentsRetransmitted()).as("the lost one, once").isEqualTo(1);
        assertThat(a.fastRetransmits()).as("one probe").isEqualTo(1);
        assertThat(a.retransmitted()).as("no retry used").isZero();
    }

    @Test
    void ofTwoLostAtTheTailTheProbeSendsTheLastWhoseAckPassesTheOtherForTheNextProbe() {
        SimulatedCluster c = cluster(21);
        loseFragment(c.node("a"), 10, 1);
        loseFragment(c.node("a"), 11, 1);
        long start = c.clock.nanoTime();
        long id = c.node("a").send("b", message(6_000, 21), null);
        c.runFor(2 * PROBE_MS * MS - 1);
        assertThat(c.node("b").delivered).isEmpty();
        c.runFor(1);

        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(ackedAt(c, "a", id) - start).isEqualTo(2 * PROBE_MS * MS);
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.fragmentsRetransmitted()).as("11, then 10").isEqualTo(2);
        assertThat(a.fastRetransmits()).isEqualTo(2);
        assertThat(a.retransmitted()).isZero();
    }

    @Test
    void aProbeLostTooIsFollowedByOneTwiceTheDelayLater() {
        SimulatedCluster c = cluster(13);
        loseFragment(c.node("a"), 11, 2); // in the copy and in the first probe
        byte[] payload = message(6_000, 13);
        long start = c.clock.nanoTime();
        long id = c.node("a").send("b", payload, null);
        c.runFor(3 * PROBE_MS * MS - 1);
        assertThat(c.node("b").delivered).isEmpty();
        assertThat(c.node("a").messenger.stats("b").fastRetransmits()).as("the first probe, lost").isEqualTo(1);
        c.runFor(1);

        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(ackedAt(c, "a", id) - start).isEqualTo(3 * PROBE_MS * MS);
        assertThat(c.node("a").messenger.stats("b").fastRetransmits()).isEqualTo(2);
        assertThat(c.node("a").messenger.stats("b").retransmitted()).isZero();
    }

    @Test
    void aProbeAnAckAnswersIsFollowedByOneAFullDelayAfterThatAck() {
        SimulatedCluster c = cluster(14);
        // 3 in the copy, its early copy (the ack of 6 overtook it), the first probe, which brings 11 through, and
        // the early copy the ack of 11 makes (the probe started a new copy for the overtaking rule)
        loseFragment(c.node("a"), 3, 4);
        loseFragment(c.node("a"), 11, 1);
        byte[] payload = message(6_000, 14);
        long start = c.clock.nanoTime();
        long id = c.node("a").send("b", payload, null);
        c.runFor(20 * MS);

        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(ackedAt(c, "a", id) - start).as("the ack of 11 in the first probe restarts the delay")
                .isEqualTo(2 * PROBE_MS * MS);
        assertThat(c.node("a").messenger.stats("b").fragmentsRetransmitted()).isEqualTo(5);
    }

    @Test
    void aLostCompletingAckIsRecoveredByAProbeOfTheLastFragmentWithinTheProbeDelay() {
        SimulatedCluster c = cluster(15);
        boolean[] dropped = new boolean[1];
        loseCompletingAck(c, dropped);
        long start = c.clock.nanoTime();
        long id = c.node("a").send("b", message(6_000, 15), null);
        c.runFor(20 * MS);

        assertThat(dropped[0]).isTrue();
        assertThat(ackedAt(c, "a", id) - start).isEqualTo(PROBE_MS * MS);
        assertThat(c.node("b").delivered).as("delivered once").hasSize(1);
        assertThat(c.node("b").messenger.stats("a").duplicates()).as("the probe answered by the message's ACK")
                .isPositive();
        assertThat(c.node("a").messenger.stats("b").retransmitted()).isZero();
    }

    @Test
    void probesWithoutAnAnswerStopBeforeTheDeadlineAndTheTimeToFailureIsTheSameWithAndWithoutThem() {
        long[] failedAfter = new long[2];
        long[] probes = new long[2];
        for (int run = 0; run < 2; run++) {
            boolean fast = run == 0;
            SimulatedCluster c = cluster(16, b -> b.fastRetransmit(fast));
            c.node("a").dropOutgoing = d -> frameType(d) == WireFormat.TYPE_FRAGMENT && fragmentIndex(d) == 1;
            long start = c.clock.nanoTime();
            c.node("a").send("b", message(2_000, 16), "buffer-16".getBytes());
            c.runFor(20 * INTERVAL_MS * MS);
            assertThat(c.node("a").failures).singleElement()
                    .satisfies(f -> assertThat(f.transmissions()).isEqualTo(MAX_RETRIES + 1));
            failedAfter[run] = c.node("a").failureTimesNs.get(0) - start;
            probes[run] = c.node("a").messenger.stats("b").fastRetransmits();
        }
        assertThat(failedAfter[0]).isEqualTo(failedAfter[1]).isEqualTo((MAX_RETRIES + 1) * INTERVAL_MS * MS);
        // after the first copy's acks: probes 1, 3, 7, 15, 31 and 63 ms on (each lost, each waiting twice as
        // long); the next would be at 127 ms, after the timer's copy, which no ack answers: after it, and after
        // each timer copy, one tail probe of one fragment, 1 ms on
        assertThat(probes[0]).isEqualTo(6 + MAX_RETRIES);
        assertThat(probes[1]).as("off with fast retransmission").isZero();
    }

    @Test
    void probesKeepWithinThePeersEarlyCopyBudgetAndWaitForItsNextHalfInterval() {
        SimulatedCluster c = cluster(17, b -> b.maxRetransmitsPerPeerPerScan(1));
        loseFragment(c.node("a"), 11, 2); // the last fragment of each of two messages
        long start = c.clock.nanoTime();
        long first = c.node("a").send("b", message(6_000, 171), null);
        long second = c.node("a").send("b", message(6_000, 172), null);
        c.runFor(INTERVAL_MS * MS - MS);

        assertThat(c.node("b").delivered).hasSize(2);
        assertThat(ackedAt(c, "a", first) - start).as("its probe in the budget").isEqualTo(PROBE_MS * MS);
        assertThat(ackedAt(c, "a", second) - start).as("one early copy per half interval")
                .isEqualTo(PROBE_MS * MS + INTERVAL_MS * MS / 2);
        assertThat(c.node("a").messenger.stats("b").retransmitted()).isZero();
    }
    @Test
    void aMessageOfExactlyTheReceiversLargestSizeIsTakenAndOneByteMoreIsDroppedUnacked() {
        SimulatedCluster c = new SimulatedCluster(18);
        c.add("a", 1, FragmentationTest::settings);
        c.add("b", 2, b -> settings(b).maxMessageSize(8_000));
        c.startAll();
        c.runFor(10 * MS);
        byte[] largest = message(8_000, 18);
        c.node("a").send("b", largest, null);
        c.node("a").send("b", message(8_001, 19), null);
        c.runFor(20 * MS);

        assertThat(c.node("b").delivered).extracting(InboundMessage::payload).containsExactly(largest);
        assertThat(c.node("a").acked).hasSize(1);
        assertThat(c.node("b").messenger.stats("a").fragmentsDropped()).as("every fragment of the larger one, and "
                + "its tail probe").isEqualTo((8_001 + PER_FRAGMENT - 1) / PER_FRAGMENT + 1);
    }

    @Test
    void aPartialMessageExpiresAHoldTimeAfterItsLastFragmentAndGivesItsRoomToTheNext() {
        SimulatedCluster c = new SimulatedCluster(19);
        c.add("a", 1, FragmentationTest::settings);
        c.add("b", 2, b -> settings(b).maxMessageSize(8_000).reassemblyBytes(10_000));
        c.startAll();
        c.runFor(10 * MS);
        long[] incomplete = {-1};
        c.node("a").dropOutgoing = d -> frameType(d) == WireFormat.TYPE_FRAGMENT && fragmentIndex(d) == 0
                && datagramMsgId(d) == incomplete[0];
        long start = c.clock.nanoTime();
        incomplete[0] = c.node("a").send("b", message(6_000, 191), null); // never whole: held, then failed
        c.runFor(60 * INTERVAL_MS * MS / 10); // past its retry span (500 ms)
        assertThat(c.node("a").failures).hasSize(1);
        byte[] next = message(6_000, 192);
        c.node("a").send("b", next, null);
        // hold time (4 + 2) x 100 ms + 200 ms after the partial message's last fragment, at start
        long holdNs = 800 * MS;
        c.runUntil(start + holdNs - MS);
        assertThat(c.node("b").delivered).as("no room while the partial message is held").isEmpty();
        assertThat(c.node("b").messenger.stats("a").reassemblyRefusals()).isPositive();
        c.runUntil(start + holdNs + 2 * INTERVAL_MS * MS);

        assertThat(c.node("b").delivered).extracting(InboundMessage::payload).containsExactly(next);
        assertThat(c.node("a").acked).hasSize(1);
    }
    @Test
    void underThirtyPercentLossALargeMessageIsAckedWithinAFewRoundTripsWithProbesAndIntervalsWithout() {
        long[] medianNs = new long[2];
        for (int run = 0; run < 2; run++) {
            boolean fast = run == 0;
            SimulatedCluster c = new SimulatedCluster(20);
            c.add("a", 1, b -> settings(b).maxRetries(10).fastRetransmit(fast));
            c.add("b", 2, b -> settings(b).maxRetries(10).fastRetransmit(fast));
            c.startAll();
            c.runFor(10 * MS);
            c.network.lossRate(0.3).delayNs(MS / 2, MS); // both ways; the delays reorder too
            List<Long> times = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                long start = c.clock.nanoTime();
                long id = c.node("a").send("b", message(60_000, 200 + i), null); // 119 fragments
                c.runFor(12 * INTERVAL_MS * MS);
                assertThat(ackedAt(c, "a", id)).as("acked").isPositive();
                times.add(ackedAt(c, "a", id) - start);
            }
            assertThat(c.node("b").delivered).hasSize(11);
            times.sort(null);
            medianNs[run] = times.get(5);
        }
        assertThat(medianNs[0]).as("with probes: a few probe delays").isLessThan(INTERVAL_MS * MS / 2);
        assertThat(medianNs[1]).as("the timer alone: whole intervals").isGreaterThanOrEqualTo(INTERVAL_MS * MS);
    }
}
