package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PathChange;
import io.reliablemsg.PathState;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The path choice of one peer with three addresses, transition by transition, each threshold from
 * both sides (docs/PROTOCOL.md, "Paths"). Time is a plain number: the role reads no clock.
 */
class PathsTest {
    private static final long INTERVAL = 100_000_000L;
    private static final long HALF = INTERVAL / 2;
    private static final long T0 = 7_000_000_000L;
    private static final long NOW_MILLIS = 1_800_000_000_000L;

    private final List<String> pings = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();
    private final PeerPaths peer = new PeerPaths("b", 0, List.of(new InetSocketAddress("10.1.0.2", 7000),
            new InetSocketAddress("10.2.0.2", 7000), new InetSocketAddress("10.3.0.2", 7000)), 1472);

    private Paths paths(boolean returnToPrimary) {
        MessengerConfig config = MessengerConfig.builder().clientId(1).interval(Duration.ofNanos(INTERVAL))
                .pathMaxRetransmissions(2).returnToPrimary(returnToPrimary).build();
        ProbeOut probes = new ProbeOut() {
            @Override
            public void ping(PeerOutbox to, long nowMillis) {
                pings.add(to.address.getHostString());
            }

            @Override
            public void pong(PeerOutbox to, long echoedSendTimeMillis, long nowMillis) {
            }
        };
        return new Paths(config, new PeerPaths[] {peer}, probes, (PathChange c) -> changes.add(c.address()
                .substring(0, c.address().indexOf(':')) + " " + c.previous() + "->" + c.current()));
    }

    private PeerPath path(int index) {
        return peer.paths[index];
    }

    private List<PathState> states() {
        List<PathState> states = new ArrayList<>();
        for (PeerPath p : peer.paths) {
            states.add(p.state);
        }
        return states;
    }

    @Test
    void theFirstAddressCarriesTheTrafficWhileItWorks() {
        Paths paths = paths(true);
        assertThat(paths.route(peer)).isSameAs(path(0));
        assertThat(states()).containsExactly(PathState.ACTIVE, PathState.STANDBY, PathState.STANDBY);
    }

    @Test
    void pathsNotInUseAreProbedEveryIntervalAndFailedWhenTheyStopAnswering() {
        Paths paths = paths(true);
        assertThat(paths.nextDeadlineNs()).isEqualTo(Long.MIN_VALUE);
        paths.runProbes(T0, NOW_MILLIS);
        assertThat(pings).containsExactly("10.2.0.2", "10.3.0.2");
        assertThat(paths.nextDeadlineNs()).isEqualTo(T0 + INTERVAL);
        paths.runProbes(T0 + INTERVAL - 1, NOW_MILLIS);
        assertThat(pings).hasSize(2);
        paths.onReply(peer, path(2), NOW_MILLIS - 1, NOW_MILLIS); // the third answers, the second does not
        paths.runProbes(T0 + INTERVAL, NOW_MILLIS);
        assertThat(path(1).errorCount).isEqualTo(1);
        assertThat(path(2).errorCount).isZero();
        assertThat(path(1).state).isEqualTo(PathState.STANDBY);
        paths.onReply(peer, path(2), NOW_MILLIS - 1, NOW_MILLIS);
        paths.runProbes(T0 + 2 * INTERVAL, NOW_MILLIS);
        assertThat(states()).containsExactly(PathState.ACTIVE, PathState.FAILED, PathState.STANDBY);
        assertThat(changes).containsExactly("10.2.0.2 STANDBY->FAILED");
        assertThat(pings).as("the path in use is never probed").doesNotContain("10.1.0.2");
        paths.onCopyTimedOut(peer, path(0), T0 + 3 * INTERVAL);
        assertThat(paths.onCopyTimedOut(peer, path(0), T0 + 4 * INTERVAL)).as("the failed standby is skipped")
                .isSameAs(path(2));
    }

    @Test
    void failsAPathAtTheSecondErrorInARowAndMovesTheTrafficToTheNextAtOnce() {
        Paths paths = paths(true);
        assertThat(paths.onCopyTimedOut(peer, path(0), T0)).as("the retransmission").isSameAs(path(1));
        assertThat(path(0).state).isEqualTo(PathState.ACTIVE);
        assertThat(paths.route(peer)).as("first sends stay on the path in use").isSameAs(path(0));
        assertThat(changes).isEmpty();
        assertThat(paths.onCopyTimedOut(peer, path(0), T0 + INTERVAL)).isSameAs(path(1));
        assertThat(states()).containsExactly(PathState.FAILED, PathState.ACTIVE, PathState.STANDBY);
        assertThat(path(0).failures.get()).isEqualTo(1);
        assertThat(changes).containsExactly("10.1.0.2 ACTIVE->FAILED", "10.2.0.2 STANDBY->ACTIVE");
        assertThat(paths.route(peer)).isSameAs(path(1));
    }

    @Test
    void aRetransmissionTakesAnotherUsablePathWhileThePathInUseKeepsTheTraffic() {
        Paths paths = paths(true);
        assertThat(paths.onCopyTimedOut(peer, path(0), T0)).isSameAs(path(1));
        assertThat(paths.route(peer)).as("new messages").isSameAs(path(0));
        assertThat(paths.onCopyTimedOut(peer, path(1), T0 + INTERVAL))
                .as("a copy lost on the alternate: back to the path in use").isSameAs(path(0));
        path(1).state = PathState.FAILED;
        paths.onReply(peer, path(0), NOW_MILLIS - 1, NOW_MILLIS); // its errors cleared: it stays in use
        assertThat(paths.onCopyTimedOut(peer, path(0), T0 + 2 * INTERVAL))
                .as("the first usable alternate in preference order").isSameAs(path(2));
        path(2).state = PathState.FAILED;
        paths.onReply(peer, path(0), NOW_MILLIS - 1, NOW_MILLIS);
        assertThat(paths.onCopyTimedOut(peer, path(0), T0 + 3 * INTERVAL))
                .as("no usable alternate: the path in use").isSameAs(path(0));
    }

    @Test
    void thePathInUseIsProbedWhileItHasErrorsAndFailedWhenTheProbesGoUnanswered() {
        Paths paths = paths(true);
        paths.runProbes(T0, NOW_MILLIS);
        paths.onReply(peer, path(1), NOW_MILLIS - 1, NOW_MILLIS);
        paths.onReply(peer, path(2), NOW_MILLIS - 1, NOW_MILLIS);
        pings.clear();
        paths.onCopyTimedOut(peer, path(0), T0 + HALF); // its retransmission went elsewhere; no new traffic
        assertThat(paths.nextDeadlineNs()).as("never probed: due at once").isEqualTo(Long.MIN_VALUE);
        paths.runProbes(T0 + HALF, NOW_MILLIS);
        assertThat(pings).containsExactly("10.1.0.2");
        paths.runProbes(T0 + INTERVAL, NOW_MILLIS);
        paths.onReply(peer, path(1), NOW_MILLIS - 1, NOW_MILLIS);
        paths.onReply(peer, path(2), NOW_MILLIS - 1, NOW_MILLIS);
        paths.runProbes(T0 + HALF + INTERVAL - 1, NOW_MILLIS);
        assertThat(path(0).state).isEqualTo(PathState.ACTIVE);
        paths.runProbes(T0 + HALF + INTERVAL, NOW_MILLIS);
        assertThat(path(0).state).as("the probe went unanswered: second error").isEqualTo(PathState.FAILED);
        assertThat(paths.route(peer)).isSameAs(path(1));
    }

    @Test
    void thePathInUseIsNoLongerProbedOnceAReplyClearsItsErrors() {
        Paths paths = paths(true);
        paths.runProbes(T0, NOW_MILLIS);
        paths.onReply(peer, path(1), NOW_MILLIS - 1, NOW_MILLIS);
        paths.onReply(peer, path(2), NOW_MILLIS - 1, NOW_MILLIS);
        paths.onCopyTimedOut(peer, path(0), T0);
        paths.runProbes(T0 + INTERVAL, NOW_MILLIS);
        assertThat(pings).contains("10.1.0.2");
        paths.onReply(peer, path(0), NOW_MILLIS - 1, NOW_MILLIS);
        paths.onReply(peer, path(1), NOW_MILLIS - 1, NOW_MILLIS);
        paths.onReply(peer, path(2), NOW_MILLIS - 1, NOW_MILLIS);
        pings.clear();
        paths.runProbes(T0 + 2 * INTERVAL, NOW_MILLIS);
        assertThat(pings).containsExactly("10.2.0.2", "10.3.0.2");
        assertThat(states()).containsExactly(PathState.ACTIVE, PathState.STANDBY, PathState.STANDBY);
    }

    @Test
    void copiesLostTogetherWithinHalfAnIntervalCountAsOneError() {
        Paths paths = paths(true);
        paths.onCopyTimedOut(peer, path(0), T0);
        paths.onCopyTimedOut(peer, path(0), T0 + HALF - 1);
        assertThat(path(0).errorCount).isEqualTo(1);
        assertThat(path(0).state).isEqualTo(PathState.ACTIVE);
        paths.onCopyTimedOut(peer, path(0), T0 + HALF);
        assertThat(path(0).errorCount).isEqualTo(2);
        assertThat(path(0).state).isEqualTo(PathState.FAILED);
    }

    @Test
    void aReplyInBetweenClearsTheErrors() {
        Paths paths = paths(true);
        paths.onCopyTimedOut(peer, path(0), T0);
        paths.onReply(peer, path(0), NOW_MILLIS - 4, NOW_MILLIS);
        paths.onCopyTimedOut(peer, path(0), T0 + INTERVAL);
        assertThat(path(0).state).isEqualTo(PathState.ACTIVE);
        assertThat(path(0).errorCount).isEqualTo(1);
    }

    @Test
    void aFailedPathIsProbedAtOnceThenOncePerInterval() {
        Paths paths = paths(true);
        paths.onCopyTimedOut(peer, path(0), T0);
        paths.onCopyTimedOut(peer, path(0), T0 + INTERVAL);
        assertThat(paths.nextDeadlineNs()).isEqualTo(Long.MIN_VALUE);
        paths.runProbes(T0 + INTERVAL, NOW_MILLIS);
        assertThat(pings).containsExactly("10.1.0.2", "10.3.0.2"); // not 10.2: it carries the traffic now
        assertThat(paths.nextDeadlineNs()).isEqualTo(T0 + 2 * INTERVAL);
        paths.runProbes(T0 + 2 * INTERVAL - 1, NOW_MILLIS);
        assertThat(pings).hasSize(2);
        paths.runProbes(T0 + 2 * INTERVAL, NOW_MILLIS);
        assertThat(pings).containsExactly("10.1.0.2", "10.3.0.2", "10.1.0.2", "10.3.0.2");
    }

    @Test
    void theFirstAddressTakesTheTrafficBackWhenItAnswers() {
        Paths paths = paths(true);
        paths.onCopyTimedOut(peer, path(0), T0);
        paths.onCopyTimedOut(peer, path(0), T0 + INTERVAL);
        changes.clear();
        paths.onReply(peer, path(0), NOW_MILLIS - 2, NOW_MILLIS);
        assertThat(states()).containsExactly(PathState.ACTIVE, PathState.STANDBY, PathState.STANDBY);
        assertThat(paths.route(peer)).isSameAs(path(0));
        assertThat(changes).containsExactly("10.1.0.2 FAILED->STANDBY", "10.2.0.2 ACTIVE->STANDBY",
                "10.1.0.2 STANDBY->ACTIVE");
    }

    @Test
    void withoutReturnToPrimaryAnAnsweringFirstAddressOnlyStandsBy() {
        Paths paths = paths(false);
        paths.onCopyTimedOut(peer, path(0), T0);
        paths.onCopyTimedOut(peer, path(0), T0 + INTERVAL);
        paths.onReply(peer, path(0), NOW_MILLIS - 2, NOW_MILLIS);
        assertThat(states()).containsExactly(PathState.STANDBY, PathState.ACTIVE, PathState.STANDBY);
        assertThat(paths.route(peer)).isSameAs(path(1));
    }

    @Test
    void withEveryPathFailedEachCopyTriesTheNextAndTheFirstToAnswerTakesOver() {
        Paths paths = paths(true);
        long t = T0;
        for (int p = 0; p < 3; p++) {
            paths.onCopyTimedOut(peer, path(p), t);
            t += INTERVAL;
            paths.onCopyTimedOut(peer, path(p), t);
            t += INTERVAL;
        }
        assertThat(states()).containsOnly(PathState.FAILED);
        PeerPath next = paths.route(peer);
        assertThat(next).as("the copy after the third failure tries the first again").isSameAs(path(0));
        assertThat(paths.onCopyTimedOut(peer, path(0), t)).isSameAs(path(1));
        assertThat(paths.onCopyTimedOut(peer, path(1), t + INTERVAL)).isSameAs(path(2));
        paths.onReply(peer, path(1), NOW_MILLIS - 3, NOW_MILLIS);
        assertThat(paths.route(peer)).isSameAs(path(1));
        assertThat(states()).containsExactly(PathState.FAILED, PathState.ACTIVE, PathState.FAILED);
    }

    @Test
    void theRoundTripIsSmoothedAnEighthAtATime() {
        Paths paths = paths(true);
        paths.onReply(peer, path(0), NOW_MILLIS - 8, NOW_MILLIS);
        assertThat(path(0).snapshot().smoothedRoundTripMillis()).isEqualTo(8.0);
        paths.onReply(peer, path(0), NOW_MILLIS - 16, NOW_MILLIS);
        assertThat(path(0).snapshot().smoothedRoundTripMillis()).isEqualTo(9.0);
        paths.onReply(peer, path(0), NOW_MILLIS + 5, NOW_MILLIS); // from the future: no sample
        assertThat(path(0).snapshot().smoothedRoundTripMillis()).isEqualTo(9.0);
        assertThat(path(1).snapshot().smoothedRoundTripMillis()).isNull();
    }

    @Test
    void aPeerWithOneAddressNeverChangesPath() {
        PeerPaths single = new PeerPaths("c", 0, List.of(new InetSocketAddress("10.1.0.3", 7000)), 1472);
        MessengerConfig config = MessengerConfig.builder().clientId(1).interval(Duration.ofNanos(INTERVAL)).build();
        Paths paths = new Paths(config, new PeerPaths[] {single}, null, c -> changes.add(c.toString()));
        for (int i = 0; i < 10; i++) {
            assertThat(paths.onCopyTimedOut(single, single.paths[0], T0 + i * INTERVAL)).isSameAs(single.paths[0]);
        }
        assertThat(single.paths[0].state).isEqualTo(PathState.ACTIVE);
        assertThat(changes).isEmpty();
        paths.runProbes(T0, NOW_MILLIS); // nothing to probe: the null probe sink is never touched
    }
}
