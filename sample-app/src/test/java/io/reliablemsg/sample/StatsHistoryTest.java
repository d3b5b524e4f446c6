package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerStats;
import io.reliablemsg.PeerStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history ring: rates from deltas over the time between samples, bounded, read from a time on. */
class StatsHistoryTest {
    private final StatsHistory history = new StatsHistory();

    @Test
    void firstSampleHasZeroRatesAndEachNextOneTheDeltasPerSecondOfTheTimeBetween() {
        history.record(1_000, stats(0, 0, 0, 0, 5));
        history.record(3_000, stats(10, 4, 1, 6, 2));

        List<StatsHistory.Sample> samples = history.since(0);
        assertThat(samples).hasSize(2);
        assertThat(samples.get(0).ackedPerSecond()).isZero();
        assertThat(samples.get(0).pending()).isEqualTo(5);
        StatsHistory.Sample second = samples.get(1);
        assertThat(second.timeMillis()).isEqualTo(3_000);
        assertThat(second.ackedPerSecond()).isEqualTo(5.0);
        assertThat(second.retransmittedPerSecond()).isEqualTo(2.0);
        assertThat(second.failedPerSecond()).isEqualTo(0.5);
        assertThat(second.deliveredPerSecond()).isEqualTo(3.0);
        assertThat(second.pending()).isEqualTo(2);
    }

    @Test
    void keepsTheLastCapacitySamplesOldestFirst() {
        for (int i = 0; i <= StatsHistory.CAPACITY; i++) {
            history.record(1_000L * (i + 1), stats(i, 0, 0, 0, 0));
        }

        List<StatsHistory.Sample> samples = history.since(0);
        assertThat(samples).hasSize(StatsHistory.CAPACITY);
        assertThat(samples.get(0).timeMillis()).as("the first sample fell off").isEqualTo(2_000);
        assertThat(samples.get(samples.size() - 1).timeMillis()).isEqualTo(1_000L * (StatsHistory.CAPACITY + 1));
    }

    @Test
    void sinceReturnsOnlyTheSamplesTakenAfterTheGivenTime() {
        history.record(1_000, stats(0, 0, 0, 0, 0));
        history.record(2_000, stats(1, 0, 0, 0, 0));
        history.record(3_000, stats(2, 0, 0, 0, 0));

        assertThat(history.since(2_000)).extracting(StatsHistory.Sample::timeMillis).containsExactly(3_000L);
        assertThat(history.since(3_000)).isEmpty();
    }

    @Test
    void keepsEachPeersPendingReachabilityAndProtocolRevision() {
        history.record(1_000, MessengerStats.builder().peers(Map.of(
                "b", PeerStats.builder("b", "127.0.0.1:7002").pending(7).reachable(false).protocolRevision(2).build()))
                .build());

        StatsHistory.PeerSample b = history.since(0).get(0).peers().get("b");
        assertThat(b).isEqualTo(new StatsHistory.PeerSample(7, false, 2));
    }

    @Test
    void aCounterThatWentBackwardsGivesARateOfZeroNotANegativeOne() {
        history.record(1_000, stats(10, 0, 0, 0, 0));
        history.record(2_000, stats(3, 0, 0, 0, 0));

        assertThat(history.since(1_000).get(0).ackedPerSecond()).isZero();
    }

    private static MessengerStats stats(long acked, long retransmitted, long failed, long delivered, int pending) {
        return MessengerStats.builder().acked(acked).retransmitted(retransmitted).failed(failed).delivered(delivered)
                .pending(pending).build();
    }
}
