package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Peers on two networks (docs/PROTOCOL.md, "Paths"): while one path works, an outage of the other of
 * any length fails no message, loses none and delivers none twice; a message fails only when every
 * path failed for its whole retry span; traffic goes back to the first address when it answers
 * again. Seeded simulated network, manual clock; a node at 10.1.0.x and 10.2.0.x.
 */
class MultiPathTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL_MS = 100;
    private static final int MAX_RETRIES = 10;
    /** First send plus every retransmission's interval: when an unacked message fails. */
    private static final long RETRY_SPAN_MS = (MAX_RETRIES + 1) * INTERVAL_MS;

    private static UnaryOperator<MessengerConfig.Builder> settings(UnaryOperator<MessengerConfig.Builder> more) {
        return b -> more.apply(b.interval(Duration.ofMillis(INTERVAL_MS)).maxRetries(MAX_RETRIES));
    }

    private record Pair(SimulatedCluster cluster, SimulatedCluster.Node a, SimulatedCluster.Node b) {
        InetSocketAddress a(int network) {
            return a.addresses.get(network - 1);
        }

        InetSocketAddress b(int network) {
            return b.addresses.get(network - 1);
        }
    }

    private static Pair pair(long seed, UnaryOperator<MessengerConfig.Builder> more) {
        SimulatedCluster c = new SimulatedCluster(seed);
        SimulatedCluster.Node a = c.addMultiHomed("a", 1, 2, settings(more));
        SimulatedCluster.Node b = c.addMultiHomed("b", 2, 2, settings(more));
        c.network.delayNs(MS, 3 * MS);
        c.startAll();
        return new Pair(c, a, b);
    }

    /** Sends one message a -> b every {@code everyMs} from now for {@code forMs}; returns their ids. */
    private static List<Long> steadyTraffic(Pair p, long everyMs, long forMs) {
        List<Long> ids = new ArrayList<>();
        long start = p.cluster.clock.nanoTime();
        for (long t = 0; t < forMs; t += everyMs) {
            long n = t;
            p.cluster.at(start + t * MS, () -> ids.add(p.a.send("b", ("m" + n).getBytes(), ("u" + n).getBytes())));
        }
        return ids;
    }

    private static void assertEveryMessageDeliveredOnceAndAcked(Pair p, List<Long> ids) {
        assertThat(ids).doesNotContain(ReliableMessenger.NOT_ACCEPTED);
        assertThat(p.b.delivered).extracting(InboundMessage::msgId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(p.a.acked).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(p.a.failures).isEmpty();
        assertThat(p.a.messenger.pendingCount()).isZero();
    }

    @Test
    void anOutageOfTheFirstNetworkLongerThanTheRetrySpanFailsNothing() {
        Pair p = pair(21, b -> b);
        long outageStart = p.cluster.clock.nanoTime() + 500 * MS;
        long outageEnd = outageStart + 3 * RETRY_SPAN_MS * MS;
        p.cluster.network.partition(p.a(1), p.b(1), outageStart, outageEnd);
        List<Long> ids = steadyTraffic(p, 10, 5_000);
        List<PathChange> changes = new ArrayList<>();
        p.cluster.runUntil(outageStart + RETRY_SPAN_MS * MS);

        PeerStats during = p.a.messenger.stats("b");
        assertThat(during.paths()).extracting(PathStats::state).containsExactly(PathState.FAILED, PathState.ACTIVE);
        assertThat(during.paths().get(0).failures()).isEqualTo(1);
        assertThat(during.failoverCopies()).as("what was in flight moved at once").isPositive();
        assertThat(during.reachable()).isTrue();

        p.cluster.runFor(10_000 * MS);
        assertEveryMessageDeliveredOnceAndAcked(p, ids);
        PeerStats after = p.a.messenger.stats("b");
        assertThat(after.paths()).as("back on the first address once it answered")
                .extracting(PathStats::state).containsExactly(PathState.ACTIVE, PathState.STANDBY);
        assertThat(after.paths().get(0).smoothedRoundTripMillis()).isNotNull().isBetween(1.0, 10.0);
        assertThat(after.paths().get(1).transmissions()).isPositive();
        assertThat(p.b.messenger.stats().duplicates() + p.b.delivered.size()).isGreaterThanOrEqualTo(ids.size());
    }

    @Test
    void aPathInUseFailedByItsProbeMovesWhatWasSentOnItAtOnce() {
        // one message times out on net1 (the path's first error; its retransmission takes net2), then a
        // second goes out on net1, still in use; no more traffic, so it is the path's probe, unanswered for
        // an interval, that fails net1: the second message must move to net2 then, not at its own timeout
        Pair p = pair(26, b -> b);
        long t0 = p.cluster.clock.nanoTime() + 300 * MS;
        p.cluster.network.partition(p.a(1), p.b(1), t0, t0 + 10_000 * MS);
        long[] ids = new long[2];
        p.cluster.at(t0, () -> ids[0] = p.a.send("b", "first".getBytes(), "u0".getBytes()));
        p.cluster.at(t0 + 150 * MS, () -> ids[1] = p.a.send("b", "second".getBytes(), "u1".getBytes()));
        p.cluster.runUntil(t0 + 140 * MS);
        assertThat(p.a.messenger.stats("b").paths()).as("one error: still in use")
                .extracting(PathStats::state).containsExactly(PathState.ACTIVE, PathState.STANDBY);

        long secondTimesOut = t0 + 150 * MS + INTERVAL_MS * MS;
        p.cluster.runUntil(secondTimesOut - 5 * MS);
        PeerStats stats = p.a.messenger.stats("b");
        assertThat(stats.paths()).extracting(PathStats::state).containsExactly(PathState.FAILED, PathState.ACTIVE);
        assertThat(stats.failoverCopies()).as("the second message moved when the probe failed net1").isEqualTo(1);
        assertThat(p.a.acked).as("acked before its own timeout").containsExactlyInAnyOrder(ids[0], ids[1]);
        assertThat(stats.retransmitted()).as("only the first message timed out").isEqualTo(1);
        p.cluster.runFor(2_000 * MS);
        assertThat(p.b.delivered).extracting(InboundMessage::msgId).containsExactlyInAnyOrder(ids[0], ids[1]);
        assertThat(p.a.failures).isEmpty();
    }

    @Test
    void anOutageOfTheSecondNetworkChangesNothingForTheTrafficAndIsSeenByItsProbes() {
        Pair p = pair(22, b -> b);
        long start = p.cluster.clock.nanoTime();
        p.cluster.network.partition(p.a(2), p.b(2), start, start + 5_000 * MS);
        List<Long> ids = steadyTraffic(p, 10, 3_000);
        p.cluster.runFor(4_000 * MS);
        assertEveryMessageDeliveredOnceAndAcked(p, ids);
        PeerStats during = p.a.messenger.stats("b");
        assertThat(during.paths()).as("the standby path's probes went unanswered")
                .extracting(PathStats::state).containsExactly(PathState.ACTIVE, PathState.FAILED);
        assertThat(during.retransmitted()).isZero();
        assertThat(during.failoverCopies()).isZero();
        p.cluster.runFor(2_000 * MS);
        PeerStats after = p.a.messenger.stats("b");
        assertThat(after.paths()).extracting(PathStats::state).containsExactly(PathState.ACTIVE, PathState.STANDBY);
        assertThat(after.paths().get(1).failures()).isEqualTo(1);
    }

    @Test
    void aPathThatLosesThirtyPercentEachWayFailsNothingBecauseRetransmissionsTakeTheOther() {
        // the least two paths allow; fast retransmission off, so that only the choice of path differs (with
        // it on, early copies at 30 % loss rescued every message of the one-path control too)
        UnaryOperator<MessengerConfig.Builder> fewRetries = b -> b.maxRetries(3).fastRetransmit(false);
        // control: the same loss on a peer with one address fails messages (0.51^4 = 7 % each)
        SimulatedCluster single = new SimulatedCluster(25);
        SimulatedCluster.Node sa = single.addMultiHomed("a", 1, 1, settings(fewRetries));
        SimulatedCluster.Node sb = single.addMultiHomed("b", 2, 1, settings(fewRetries));
        single.network.delayNs(MS, 3 * MS).lossBetween(sa.addresses.get(0), sb.addresses.get(0), 0.3);
        single.startAll();
        List<Long> singleIds = steadyTraffic(new Pair(single, sa, sb), 10, 4_000);
        single.runFor(8_000 * MS);
        assertThat(sa.failures).as("one lossy path alone").hasSizeGreaterThan(5);

        Pair p = pair(25, fewRetries);
        p.cluster.network.lossBetween(p.a(1), p.b(1), 0.3);
        List<Long> ids = steadyTraffic(p, 10, 4_000);
        p.cluster.runFor(8_000 * MS);
        assertThat(ids).hasSameSizeAs(singleIds);
        assertEveryMessageDeliveredOnceAndAcked(p, ids);
        PeerStats stats = p.a.messenger.stats("b");
        assertThat(stats.retransmitted()).as("the lossy path's losses were retransmitted").isPositive();
        assertThat(stats.paths().get(1).transmissions()).as("over the second path").isPositive();
    }

    @Test
    void aOneWayBreakThatLosesOnlyTheAcksFailsNothing() {
        Pair p = pair(23, b -> b);
        long start = p.cluster.clock.nanoTime();
        p.cluster.network.cutOneWay(p.b(1), p.a(1), start + 200 * MS, start + 4_000 * MS);
        List<Long> ids = steadyTraffic(p, 20, 3_000);
        p.cluster.runFor(8_000 * MS);
        assertEveryMessageDeliveredOnceAndAcked(p, ids);
        assertThat(p.a.messenger.stats("b").paths().get(0).failures()).isEqualTo(1);
        assertThat(p.b.messenger.stats().duplicates()).as("copies whose acks were lost, re-acked on path 2")
                .isPositive();
    }

    @Test
    void withoutReturnToPrimaryTheTrafficStaysOnThePathThatWorks() {
        Pair p = pair(24, b -> b.returnToPrimary(false));
        long start = p.cluster.clock.nanoTime();
        p.cluster.network.partition(p.a(1), p.b(1), start + 100 * MS, start + 2_000 * MS);
        List<Long> ids = steadyTraffic(p, 20, 1_000);
        p.cluster.runFor(6_000 * MS);
        assertEveryMessageDeliveredOnceAndAcked(p, ids);
        assertThat(p.a.messenger.stats("b").paths()).extracting(PathStats::state)
                .containsExactly(PathState.STANDBY, PathState.ACTIVE);
    }

    @Test
    void aMessageFailsOnlyWhenEveryPathFailedForItsWholeRetrySpan() {
        Pair p = pair(25, b -> b);
        long start = p.cluster.clock.nanoTime();
        long bothDownFrom = start + 1_000 * MS;
        long bothDownUntil = bothDownFrom + 3 * RETRY_SPAN_MS * MS;
        p.cluster.network.partition(p.a(1), p.b(1), bothDownFrom, bothDownUntil);
        p.cluster.network.partition(p.a(2), p.b(2), bothDownFrom, bothDownUntil);
        List<long[]> sent = new ArrayList<>(); // {msgId, sendTimeNs}
        for (long t = 0; t < 6_000; t += 50) {
            long at = start + t * MS;
            p.cluster.at(at, () -> sent.add(new long[] {p.a.send("b", new byte[] {1}, null), at}));
        }
        p.cluster.runFor(15_000 * MS);

        for (long[] message : sent) {
            boolean failed = p.a.failures.stream().anyMatch(f -> f.msgId() == message[0]);
            long spanEnd = message[1] + RETRY_SPAN_MS * MS;
            boolean wholeSpanDown = message[1] >= bothDownFrom && spanEnd <= bothDownUntil;
            boolean spanTouchesOutage = spanEnd > bothDownFrom && message[1] < bothDownUntil;
            if (wholeSpanDown) {
                assertThat(failed).as("message sent at %d ms: both paths down for its whole span",
                        (message[1] - start) / MS).isTrue();
            } else if (!spanTouchesOutage) {
                assertThat(failed).as("message sent at %d ms: a path worked", (message[1] - start) / MS).isFalse();
            }
        }
        assertThat(p.a.failures).isNotEmpty();
        List<Long> deliveredIds = p.b.delivered.stream().map(InboundMessage::msgId).toList();
        assertThat(deliveredIds).doesNotHaveDuplicates();
        assertThat(p.a.acked).doesNotContainAnyElementsOf(p.a.failures.stream().map(SendFailure::msgId).toList());
        assertThat(p.a.messenger.stats("b").paths()).extracting(PathStats::state)
                .containsExactly(PathState.ACTIVE, PathState.STANDBY);
    }
}
