package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic of {@link Liveness}, each threshold from both sides: the clock-offset sample (NTP's
 * midpoint) and its smoothing by 1/8, which round trips give a sample, when an idle peer is pinged,
 * when a silent one is reported unreachable, and how it becomes reachable again. Time is a plain
 * number: the role reads no clock.
 */
class LivenessTest {
    private static final long MS = 1_000_000L;
    private static final long HB = 200 * MS;          // heartbeat interval
    private static final int MAX_RETRIES = 3;         // silence timeout = (3 + 1) x 200 ms
    private static final long T0 = 5_000 * MS;
    private static final long NOW_MILLIS = 1_800_000_000_000L;

    private final List<String> probes = new ArrayList<>();
    private final List<String> replies = new ArrayList<>();
    private final PeerPaths bPaths = new PeerPaths("b", 0, List.of(new InetSocketAddress("10.0.0.2", 7000)), 1472);
    private final PeerPaths cPaths = new PeerPaths("c", 1, List.of(new InetSocketAddress("10.0.0.3", 7000)), 1472);
    private final PeerLiveness b = new PeerLiveness("b", bPaths);
    private final PeerLiveness c = new PeerLiveness("c", cPaths);

    private Liveness liveness(Duration heartbeat) {
        MessengerConfig config = MessengerConfig.builder().clientId(1).interval(Duration.ofMillis(100))
                .maxRetries(MAX_RETRIES).heartbeatInterval(heartbeat).clockSkewAllowance(Duration.ofMillis(200))
                .build();
        ProbeOut out = new ProbeOut() {
            @Override
            public void ping(PeerOutbox to, long nowMillis) {
                probes.add("ping " + to.address.getHostString() + " at " + nowMillis);
            }

            @Override
            public void pong(PeerOutbox to, long echoedSendTimeMillis, long nowMillis) {
                probes.add("pong " + to.address.getHostString() + " echo " + echoedSendTimeMillis + " at " + nowMillis);
            }
        };
        Routes routes = new Routes() {
            @Override
            public PeerPath route(PeerPaths peer) {
                return peer.current();
            }

            @Override
            public PeerPath onCopyTimedOut(PeerPaths peer, PeerPath path, long nowNs) {
                throw new AssertionError("liveness sends no data");
            }

            @Override
            public void onReply(PeerPaths peer, PeerPath path, long echoedSendTimeMillis, long nowMillis) {
                replies.add(peer.name + " path " + path.index + " echo " + echoedSendTimeMillis + " at " + nowMillis);
            }
        };
        return new Liveness(config, new PeerLiveness[] {b, c}, out, routes,
                new RateLimitedLog(System.getLogger(LivenessTest.class.getName()), Level.DEBUG, 1));
    }

    @Test
    void theFirstClockSampleIsTheReplyTimeMinusTheMidpointOfOurSendAndNow() {
        Liveness liveness = liveness(Duration.ZERO);
        assertThat(b.clockOffsetMillis).isEqualTo(PeerLiveness.NO_CLOCK_SAMPLE);
        // sent at 1000, back at 1040 on our clock; the peer stamped 1520: it runs 1520 - 1020 = 500 ms ahead
        liveness.onTimestampedReply(b, 1_000, 1_520, T0, 1_040);
        assertThat(b.clockOffsetMillis).isEqualTo(500);
        assertThat(c.clockOffsetMillis).as("another peer's estimate").isEqualTo(PeerLiveness.NO_CLOCK_SAMPLE);
    }

    @Test
    void laterSamplesMoveTheEstimateAnEighthOfTheWay() {
        Liveness liveness = liveness(Duration.ZERO);
        liveness.onTimestampedReply(b, 1_000, 1_520, T0, 1_040);        // 500
        liveness.onTimestampedReply(b, 2_000, 2_600, T0, 2_040);        // sample 580: 500 + 80 / 8
        assertThat(b.clockOffsetMillis).isEqualTo(510);
        liveness.onTimestampedReply(b, 3_000, 2_942, T0, 3_020);        // sample -68: 510 + (-578) / 8
        assertThat(b.clockOffsetMillis).isEqualTo(510 - 72);
    }

    @Test
    void aRoundTripOfZeroUpToTheIntervalGivesASampleAndANegativeOrLongerOneDoesNot() {
        Liveness liveness = liveness(Duration.ZERO);
        liveness.onTimestampedReply(b, 1_000, 9_000, T0, 999);           // back before it was sent: clock stepped
        liveness.onTimestampedReply(b, 1_000, 9_000, T0, 1_101);         // 101 ms > interval (100 ms)
        assertThat(b.clockOffsetMillis).isEqualTo(PeerLiveness.NO_CLOCK_SAMPLE);

        liveness.onTimestampedReply(b, 1_000, 1_300, T0, 1_100);         // exactly the interval: 1300 - 1050
        assertThat(b.clockOffsetMillis).isEqualTo(250);
        liveness.onTimestampedReply(c, 1_000, 1_000, T0, 1_000);         // zero round trip, clocks equal
        assertThat(c.clockOffsetMillis).isZero();
    }

    @Test
    void aPingIsAnsweredAtOnceOnThePathItCameByWithItsSendTime() {
        Liveness liveness = liveness(Duration.ZERO);
        liveness.onPing(bPaths.current().outbox, 1_234, NOW_MILLIS);
        assertThat(probes).containsExactly("pong 10.0.0.2 echo 1234 at " + NOW_MILLIS);
    }

    @Test
    void aPongIsAReplyOnItsPathAClockSampleAndProofOfReachability() {
        Liveness liveness = liveness(Duration.ZERO);
        liveness.onExhausted(b, 7, 4);
        assertThat(b.reachable).isFalse();

        liveness.onPong(b, bPaths.current(), NOW_MILLIS - 20, NOW_MILLIS + 90, T0, NOW_MILLIS);

        assertThat(b.reachable).isTrue();
        assertThat(b.clockOffsetMillis).isEqualTo(100);
        assertThat(replies).containsExactly("b path 0 echo " + (NOW_MILLIS - 20) + " at " + NOW_MILLIS);
    }

    @Test
    void aFailedMessageMakesAPeerUnreachableUntilAnAck() {
        Liveness liveness = liveness(Duration.ZERO);
        liveness.onExhausted(b, 7, 4);
        liveness.onExhausted(b, 8, 4);
        assertThat(b.reachable).isFalse();
        assertThat(c.reachable).isTrue();
        liveness.onAcked(b);
        assertThat(b.reachable).isTrue();
    }

    @Test
    void withHeartbeatsOffNothingIsEverDueAndNothingIsPinged() {
        Liveness liveness = liveness(Duration.ZERO);
        assertThat(liveness.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
        liveness.runHeartbeats(T0, NOW_MILLIS);
        liveness.runHeartbeats(T0 + 100 * HB, NOW_MILLIS);
        assertThat(probes).isEmpty();
        assertThat(b.reachable).isTrue();
        assertThat(b.lastHeardNs).as("clocks never started").isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theFirstPassStartsTheSilenceClockAndAPeerSilentForOneHeartbeatIntervalIsPinged() {
        Liveness liveness = liveness(Duration.ofNanos(HB));
        assertThat(liveness.nextDeadlineNs()).as("not started: due at once").isEqualTo(Long.MIN_VALUE);

        liveness.runHeartbeats(T0, NOW_MILLIS);
        assertThat(probes).as("the first pass pings no one").isEmpty();
        assertThat(liveness.nextDeadlineNs()).isEqualTo(T0 + HB);

        liveness.runHeartbeats(T0 + HB - 1, NOW_MILLIS);
        assertThat(probes).as("silent one nanosecond short of the interval").isEmpty();

        liveness.runHeartbeats(T0 + HB, NOW_MILLIS + 200);
        assertThat(probes).containsExactly("ping 10.0.0.2 at " + (NOW_MILLIS + 200),
                "ping 10.0.0.3 at " + (NOW_MILLIS + 200));
        assertThat(liveness.nextDeadlineNs()).as("the next ping, an interval after this one").isEqualTo(T0 + 2 * HB);
    }

    @Test
    void hearingFromAPeerPostponesItsPingByAWholeInterval() {
        Liveness liveness = liveness(Duration.ofNanos(HB));
        liveness.runHeartbeats(T0, NOW_MILLIS);
        liveness.onHeard(b, T0 + 50 * MS);
        liveness.onHeard(c, T0 + 30 * MS);
        // hearing only postpones: the deadline kept from the last run is early, never late, and a run at it
        // pings nobody and makes it exact
        assertThat(liveness.nextDeadlineNs()).isEqualTo(T0 + HB);
        liveness.runHeartbeats(T0 + HB, NOW_MILLIS);
        assertThat(probes).as("both were heard since the first pass").isEmpty();
        assertThat(liveness.nextDeadlineNs()).as("the earlier of the two peers").isEqualTo(T0 + 30 * MS + HB);

        liveness.runHeartbeats(T0 + 30 * MS + HB, NOW_MILLIS);
        assertThat(probes).containsExactly("ping 10.0.0.3 at " + NOW_MILLIS);
        liveness.runHeartbeats(T0 + 50 * MS + HB - 1, NOW_MILLIS);
        assertThat(probes).hasSize(1);
        liveness.runHeartbeats(T0 + 50 * MS + HB, NOW_MILLIS);
        assertThat(probes).hasSize(2).last().asString().startsWith("ping 10.0.0.2");
    }

    @Test
    void aPeerIsPingedAtMostOnceAnIntervalWhileItStaysSilent() {
        Liveness liveness = liveness(Duration.ofNanos(HB));
        liveness.runHeartbeats(T0, NOW_MILLIS);
        liveness.onHeard(c, T0 + 10 * HB); // keep c out of it
        liveness.runHeartbeats(T0 + HB, NOW_MILLIS);
        liveness.runHeartbeats(T0 + 2 * HB - 1, NOW_MILLIS);
        assertThat(probes).filteredOn(p -> p.contains("10.0.0.2")).hasSize(1);
        liveness.runHeartbeats(T0 + 2 * HB, NOW_MILLIS);
        assertThat(probes).filteredOn(p -> p.contains("10.0.0.2")).hasSize(2);
    }

    @Test
    void aPeerSilentForMaxRetriesPlusOneIntervalsIsUnreachableAndNotOneNanosecondEarlier() {
        Liveness liveness = liveness(Duration.ofNanos(HB));
        liveness.runHeartbeats(T0, NOW_MILLIS);
        for (int i = 1; i <= MAX_RETRIES; i++) {
            liveness.runHeartbeats(T0 + i * HB, NOW_MILLIS);
        }
        liveness.onHeard(c, T0 + 4 * HB - 1); // c answered in time
        assertThat(liveness.nextDeadlineNs()).as("b's verdict is due").isEqualTo(T0 + 4 * HB);
        liveness.runHeartbeats(T0 + 4 * HB - 1, NOW_MILLIS);
        assertThat(b.reachable).isTrue();

        liveness.runHeartbeats(T0 + 4 * HB, NOW_MILLIS);
        assertThat(b.reachable).isFalse();
        assertThat(c.reachable).isTrue();
    }

    @Test
    void aPeerTurnedUnreachableByAFailedMessageLowersTheKeptDeadlineToItsNextPing() {
        Liveness liveness = liveness(Duration.ofNanos(HB));
        liveness.runHeartbeats(T0, NOW_MILLIS);
        liveness.onHeard(b, T0 + HB - 10);
        liveness.onHeard(c, T0 + HB - 10);
        liveness.runHeartbeats(T0 + HB, NOW_MILLIS); // both heard: the next work is a ping an interval after that
        assertThat(liveness.nextDeadlineNs()).isEqualTo(T0 + 2 * HB - 10);
        liveness.onExhausted(b, 1, 4);
        assertThat(liveness.nextDeadlineNs()).as("unreachable b: pinged an interval after its last ping, the first pass")
                .isEqualTo(T0 + HB);
        liveness.onExhausted(c, 2, 4);
        assertThat(liveness.nextDeadlineNs()).isEqualTo(T0 + HB);
        liveness.peers(new PeerLiveness[] {b});
        assertThat(liveness.nextDeadlineNs()).as("the peer set changed: due at once").isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void anUnreachablePeerIsPingedEveryIntervalEvenWhileItIsHeardUntilAPongProvesTheRoundTrip() {
        Liveness liveness = liveness(Duration.ofNanos(HB));
        liveness.runHeartbeats(T0, NOW_MILLIS);
        liveness.onExhausted(b, 1, 4); // a message to b failed
        liveness.onHeard(b, T0 + HB - 10);   // b's datagrams reach us: not proof that ours reach b
        liveness.onHeard(c, T0 + 10 * HB);
        assertThat(liveness.nextDeadlineNs()).as("an unreachable peer: an interval after the last ping")
                .isEqualTo(T0 + HB);

        liveness.runHeartbeats(T0 + HB, NOW_MILLIS);
        assertThat(probes).containsExactly("ping 10.0.0.2 at " + NOW_MILLIS);
        liveness.onHeard(b, T0 + HB + 5);
        liveness.runHeartbeats(T0 + 2 * HB - 1, NOW_MILLIS);
        assertThat(probes).hasSize(1);
        liveness.runHeartbeats(T0 + 2 * HB, NOW_MILLIS);
        assertThat(probes).hasSize(2);
        assertThat(b.reachable).isFalse();

        liveness.onPong(b, bPaths.current(), NOW_MILLIS, NOW_MILLIS, T0 + 2 * HB + 1, NOW_MILLIS);
        assertThat(b.reachable).isTrue();
        liveness.onHeard(b, T0 + 2 * HB + 1);
        assertThat(liveness.nextDeadlineNs()).as("kept from the last run: b's next ping while unreachable")
                .isEqualTo(T0 + 3 * HB);
        liveness.runHeartbeats(T0 + 3 * HB, NOW_MILLIS);
        assertThat(probes).as("reachable and heard less than an interval ago: not pinged").hasSize(2);
        assertThat(liveness.nextDeadlineNs()).as("reachable again: pinged only after an interval of silence")
                .isEqualTo(T0 + 3 * HB + 1);
    }
}
