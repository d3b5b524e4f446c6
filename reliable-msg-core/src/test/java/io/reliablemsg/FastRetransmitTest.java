package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameVisitor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Fast retransmission (docs/PROTOCOL.md, "Fast retransmission"): an ack for a message sent more than
 * the reordering window after another one to the same peer proves that other one lost, and it is resent
 * at once instead of at its timer; at most one early copy per message per interval, within the retransmit
 * budget per half interval; early copies use up no retries, so the time to failure does not change. A copy
 * overtaken within the reordering window is taken as lost a window past its round trip (the loss timer), so a
 * burst sent at one instant does not wait for the timer; the newest message, overtaken by nothing, does.
 * Simulated network (1-2 ms one way), manual clock; interval 100 ms, reordering window 5 ms (the default).
 */
class FastRetransmitTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL_MS = 100;
    private static final int MAX_RETRIES = 4;

    private static final class Setup {
        final SimulatedCluster cluster;
        final SimulatedCluster.Node a;
        final SimulatedCluster.Node b;
        final Map<Long, Long> deliveredAtNs = new HashMap<>();

        Setup(long seed, UnaryOperator<MessengerConfig.Builder> more) {
            cluster = new SimulatedCluster(seed);
            UnaryOperator<MessengerConfig.Builder> settings = x -> more.apply(x.interval(Duration.ofMillis(INTERVAL_MS))
                    .maxRetries(MAX_RETRIES).heartbeatInterval(Duration.ZERO));
            a = cluster.add("a", 1, settings);
            b = cluster.add("b", 2, settings);
            cluster.network.delayNs(MS, 2 * MS);
            cluster.startAll();
            cluster.runFor(50 * MS); // the capabilities exchange is done
            b.onDelivered = m -> deliveredAtNs.put(m.msgId(), cluster.clock.nanoTime());
        }

        long send(String text) {
            long id = a.send("b", text.getBytes(), text.getBytes());
            assertThat(id).isNotEqualTo(ReliableMessenger.NOT_ACCEPTED);
            return id;
        }

        PeerStats stats() {
            return a.messenger.stats("b");
        }
    }

    /** Message ids of the DATA frames in {@code datagram}. */
    private static Set<Long> dataIds(ByteBuffer datagram) {
        Set<Long> ids = new HashSet<>();
        DatagramReader.read(datagram, null, new FrameVisitor<Object>() {
            @Override
            public void onData(Object c, int s, long i, long msgId, long t, int tx, ByteBuffer d, int o, int l) {
                ids.add(msgId);
            }

            @Override
            public void onAck(Object c, int s, long i, int oc, long oi, long msgId, long e, long t, int tx) {
            }
        });
        return ids;
    }

    /** Drops the first datagram a sends that carries any of {@code ids}' first copies. */
    private static void loseFirstCopyOf(Setup s, Set<Long> ids) {
        Set<Long> lost = new HashSet<>();
        s.a.dropOutgoing = d -> {
            Set<Long> in = dataIds(d);
            in.retainAll(ids);
            in.removeAll(lost);
            lost.addAll(in);
            return !in.isEmpty();
        };
    }

    /** Drops the first datagram a sends with more than one DATA frame, once; returns how many it held, when sent. */
    private static int[] loseFirstBundle(Setup s) {
        int[] lost = {0};
        s.a.dropOutgoing = d -> lost[0] == 0 && dataIds(d).size() > 1 && (lost[0] = dataIds(d).size()) > 0;
        return lost;
    }

    @Test
    void aLostMessageIsResentAsSoonAsALaterOneIsAckedNotAtItsTimer() {
        Setup s = new Setup(3, b -> b);
        long sentAt = s.cluster.clock.nanoTime();
        long lost = s.send("m1");
        loseFirstCopyOf(s, Set.of(lost));
        s.cluster.runFor(20 * MS);
        assertThat(s.b.delivered).isEmpty();
        long later = s.send("m2");
        s.cluster.runFor(20 * MS);

        assertThat(s.b.delivered).extracting(InboundMessage::msgId).containsExactly(later, lost);
        assertThat(s.deliveredAtNs.get(lost) - sentAt).as("delivered soon after m2's ack, long before the timer")
                .isLessThan(30 * MS);
        assertThat(s.stats().fastRetransmits()).isEqualTo(1);
        assertThat(s.stats().retransmitted()).as("an early copy is no retransmission").isZero();
        assertThat(s.a.acked).containsExactlyInAnyOrder(lost, later);
    }

    @Test
    void withFastRetransmitOffTheLostMessageWaitsForItsTimer() {
        Setup s = new Setup(3, b -> b.fastRetransmit(false));
        long sentAt = s.cluster.clock.nanoTime();
        long lost = s.send("m1");
        loseFirstCopyOf(s, Set.of(lost));
        s.cluster.runFor(20 * MS);
        s.send("m2");
        s.cluster.runFor(200 * MS);

        assertThat(s.deliveredAtNs.get(lost) - sentAt).isGreaterThanOrEqualTo(INTERVAL_MS * MS);
        assertThat(s.stats().fastRetransmits()).isZero();
        assertThat(s.stats().retransmitted()).isEqualTo(1);
    }

    @Test
    void anAckOfACopySentWithinTheReorderingWindowProvesNothingAtOnceTheLossTimerResendsAWindowPastItsRoundTrip() {
        Setup s = new Setup(5, b -> b);
        s.cluster.network.delayNs(MS, MS); // a round trip of 2 ms
        long sentAt = s.cluster.clock.nanoTime();
        long lost = s.send("m1");
        loseFirstCopyOf(s, Set.of(lost));
        s.cluster.runFor(3 * MS); // m2 leaves 3 ms after m1: within the 5 ms window
        long near = s.send("m2");
        s.cluster.runFor(2 * MS); // m2's ack is in
        assertThat(s.a.acked).containsExactly(near);
        assertThat(s.stats().fastRetransmits()).as("could be reordering").isZero();

        // lost once it is the reordering window past m2's round trip (RFC 8985's reordering timer): 2 + 5 ms
        s.cluster.runUntil(sentAt + 7 * MS);
        assertThat(s.stats().fastRetransmits()).as("at the window's end: still could be").isZero();
        s.cluster.runUntil(sentAt + 7 * MS + 1);
        assertThat(s.stats().fastRetransmits()).isEqualTo(1);
        s.cluster.runFor(2 * MS);
        assertThat(s.b.delivered).extracting(InboundMessage::msgId).containsExactly(near, lost);
        assertThat(s.stats().retransmitted()).isZero();
    }

    @Test
    void aBurstSentWithinTheWindowLosesSomeTheLossTimerResendsThemLongBeforeTheirTimer() {
        Setup s = new Setup(13, b -> b);
        long sentAt = s.cluster.clock.nanoTime();
        Set<Long> burst = new HashSet<>();
        int[] lost = loseFirstBundle(s);
        for (int pass = 0; pass < 5; pass++) { // 5 passes 1 ms apart: no copy is 5 ms after another
            for (int i = 0; i < 6; i++) {
                long id = s.a.send("b", new byte[200], null);
                assertThat(id).isNotEqualTo(ReliableMessenger.NOT_ACCEPTED);
                burst.add(id);
            }
            s.cluster.runFor(MS);
        }
        s.cluster.runFor(20 * MS);

        assertThat(lost[0]).isGreaterThan(1);
        assertThat(s.b.delivered).hasSize(30);
        assertThat(s.a.acked).hasSize(30);
        assertThat(s.stats().fastRetransmits()).as("the lost datagram's messages").isEqualTo(lost[0]);
        assertThat(s.stats().retransmitted()).as("no timer copy").isZero();
        assertThat(s.deliveredAtNs.values()).allSatisfy(at -> assertThat(at - sentAt).isLessThan(15 * MS));
    }

    @Test
    void copiesSentInOnePassProveNothingOfOneAnotherTheLossTimerIsNotArmedByThem() {
        Setup s = new Setup(15, b -> b);
        int[] lost = loseFirstBundle(s);
        for (int i = 0; i < 30; i++) { // one pass: five datagrams at one instant, the first of them lost
            assertThat(s.a.send("b", new byte[200], null)).isNotEqualTo(ReliableMessenger.NOT_ACCEPTED);
        }
        s.cluster.runFor(50 * MS);
        assertThat(lost[0]).isGreaterThan(1);
        assertThat(s.b.delivered).hasSize(30 - lost[0]);
        assertThat(s.stats().fastRetransmits()).as("their acks may only be late").isZero();
        s.cluster.runFor(60 * MS);
        assertThat(s.b.delivered).hasSize(30);
        assertThat(s.stats().retransmitted()).isEqualTo(lost[0]);
    }

    @Test
    void theNewestMessageLostWithNothingAckedAfterItWaitsForItsTimer() {
        Setup s = new Setup(17, b -> b);
        long sentAt = s.cluster.clock.nanoTime();
        long acked = s.send("m1");
        s.cluster.runFor(10 * MS);
        long lost = s.send("m2");
        loseFirstCopyOf(s, Set.of(lost));
        s.cluster.runFor(150 * MS);

        assertThat(s.a.acked).containsExactly(acked, lost);
        assertThat(s.stats().fastRetransmits()).as("no later copy was acked: nothing proves it lost").isZero();
        assertThat(s.stats().retransmitted()).isOne();
        assertThat(s.deliveredAtNs.get(lost) - sentAt).isGreaterThan((10 + INTERVAL_MS) * MS);
    }

    @Test
    void reorderingWithinTheWindowSendsNoEarlyCopy() {
        Setup s = new Setup(19, b -> b);
        s.cluster.network.delayNs(MS, 4 * MS); // datagrams overtake one another by up to 3 ms
        for (int i = 0; i < 200; i++) {
            s.send("m" + i);
            s.cluster.runFor(MS / 2);
        }
        s.cluster.runFor(100 * MS);

        assertThat(s.a.acked).hasSize(200);
        assertThat(s.stats().fastRetransmits()).isZero();
        assertThat(s.stats().retransmitted()).isZero();
        assertThat(s.b.messenger.stats("a").duplicates()).isZero();
    }

    @Test
    void earlyCopiesStayWithinTheRetransmitBudgetPerHalfInterval() {
        Setup s = new Setup(9, b -> b.maxRetransmitsPerPeerPerScan(3));
        Set<Long> burst = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            burst.add(s.send("burst" + i));
        }
        loseFirstCopyOf(s, burst);
        s.cluster.runFor(20 * MS);
        s.send("after1");
        s.cluster.runFor(10 * MS);
        assertThat(s.stats().fastRetransmits()).as("budget of 3 early copies per half interval").isEqualTo(3);

        s.cluster.runFor(30 * MS); // 40 ms after the first early copies: the same half interval
        s.send("after2");
        s.cluster.runFor(5 * MS);
        assertThat(s.stats().fastRetransmits()).isEqualTo(3);

        s.cluster.runFor(10 * MS); // 55 ms after them: a new half interval
        s.send("after3");
        s.cluster.runFor(5 * MS);
        assertThat(s.stats().fastRetransmits()).isEqualTo(6);
        assertThat(s.b.delivered).hasSize(3 + 6);

        // The other 4: at their deadline the timer sends 3 (its budget is 3 per scan as well); the loss timer,
        // once the early copies' half interval is over, the one left
        s.cluster.runFor(200 * MS);
        assertThat(s.b.delivered).hasSize(13);
        assertThat(s.stats().retransmitted()).isEqualTo(3);
        assertThat(s.stats().fastRetransmits()).isEqualTo(7);
        assertThat(s.a.failures).isEmpty();
    }

    /** When m1 fails, with how many transmissions, and how many early copies it got: one run. */
    private record Outcome(long failedAfterNs, int transmissions, long fastRetransmits, int othersDelivered) {
    }

    private static Outcome alwaysLoseOneMessageAmidSteadyTraffic(boolean fast) {
        Setup s = new Setup(11, b -> b.fastRetransmit(fast));
        long sentAt = s.cluster.clock.nanoTime();
        long doomed = s.send("doomed");
        s.a.dropOutgoing = d -> dataIds(d).contains(doomed);
        long span = (MAX_RETRIES + 1) * INTERVAL_MS * MS;
        for (long t = 10; t < 2 * span / MS; t += 10) {
            long n = t;
            s.cluster.at(sentAt + t * MS, () -> s.send("m" + n));
        }
        s.cluster.runUntil(sentAt + 2 * span);
        assertThat(s.a.failures).extracting(SendFailure::msgId).containsExactly(doomed);
        return new Outcome(s.a.failureTimesNs.get(0) - sentAt, s.a.failures.get(0).transmissions(),
                s.stats().fastRetransmits(), s.b.delivered.size());
    }

    @Test
    void earlyCopiesDoNotBringTheFailureForwardItComesAfterTheSameRetrySpan() {
        Outcome withFast = alwaysLoseOneMessageAmidSteadyTraffic(true);
        Outcome without = alwaysLoseOneMessageAmidSteadyTraffic(false);

        assertThat(withFast.fastRetransmits()).as("the doomed message did get early copies").isPositive();
        assertThat(withFast.failedAfterNs()).isEqualTo(without.failedAfterNs());
        assertThat(withFast.failedAfterNs()).isEqualTo((MAX_RETRIES + 1) * INTERVAL_MS * MS);
        assertThat(withFast.transmissions()).isEqualTo(without.transmissions()).isEqualTo(MAX_RETRIES + 1);
        assertThat(withFast.othersDelivered()).isEqualTo(without.othersDelivered());
    }

    @Test
    void theReorderingWindowInForceIsAtMostAQuarterOfTheInterval() {
        MessengerConfig.Builder b = MessengerConfig.builder().clientId(1);
        assertThat(b.build().effectiveReorderingWindow()).isEqualTo(Duration.ofMillis(5));
        assertThat(b.interval(Duration.ofMillis(8)).build().effectiveReorderingWindow()).isEqualTo(Duration.ofMillis(2));
        assertThat(b.interval(Duration.ofMillis(8)).build().reorderingWindow()).as("as configured")
                .isEqualTo(Duration.ofMillis(5));
        assertThat(b.reorderingWindow(Duration.ZERO).build().effectiveReorderingWindow()).isZero();
    }
}
