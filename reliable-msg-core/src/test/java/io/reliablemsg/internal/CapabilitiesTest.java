package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.internal.PeerCapabilities.State;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capability negotiation of one peer, transition by transition, each threshold from both sides
 * (docs/PROTOCOL.md, "Wire evolution", 7.5). Time is a plain number: the role reads no clock.
 */
class CapabilitiesTest {
    private static final long INTERVAL = 100_000_000L;
    private static final int MAX_RETRIES = 3;
    private static final long T0 = 5_000_000_000L;

    private static final ProbeOut NO_PROBES = new ProbeOut() {
        @Override
        public void ping(PeerOutbox to, long nowMillis) {
        }

        @Override
        public void pong(PeerOutbox to, long echoedSendTimeMillis, long nowMillis) {
        }
    };

    private final List<String> sent = new ArrayList<>();
    private final PeerPaths paths = new PeerPaths("b", 0, List.of(new InetSocketAddress("10.0.0.2", 7000)), 1472);
    private final PeerOutbox outbox = paths.current().outbox;
    private final PeerCapabilities peer = new PeerCapabilities("b", paths, true);
    private final MessengerConfig config = MessengerConfig.builder().clientId(1)
            .interval(Duration.ofNanos(INTERVAL)).maxRetries(MAX_RETRIES).build();
    private final Capabilities capabilities = new Capabilities(config, new PeerCapabilities[] {peer},
            (to, answerRequested) -> sent.add(answerRequested ? "probe" : "answer"),
            new Paths(config, new PeerPaths[] {paths}, NO_PROBES, change -> { }));

    @Test
    void probesAtTheFirstTimerPassThenOncePerIntervalAtMost() {
        assertThat(capabilities.nextDeadlineNs()).isEqualTo(Long.MIN_VALUE);
        capabilities.runProbes(T0);
        assertThat(sent).containsExactly("probe");
        assertThat(peer.state).isEqualTo(State.PROBING);
        assertThat(capabilities.nextDeadlineNs()).isEqualTo(T0 + INTERVAL);
        capabilities.runProbes(T0 + INTERVAL - 1);
        assertThat(sent).hasSize(1);
        capabilities.runProbes(T0 + INTERVAL);
        assertThat(sent).containsExactly("probe", "probe");
        assertThat(peer.probesSent.get()).isEqualTo(2);
    }

    @Test
    void givesUpOneIntervalAfterTheLastOfMaxRetriesPlusOneProbes() {
        for (int i = 0; i <= MAX_RETRIES; i++) {
            capabilities.runProbes(T0 + i * INTERVAL);
        }
        assertThat(sent).hasSize(MAX_RETRIES + 1).containsOnly("probe");
        long last = T0 + MAX_RETRIES * INTERVAL;
        capabilities.runProbes(last + INTERVAL - 1);
        assertThat(peer.state).isEqualTo(State.PROBING);
        capabilities.runProbes(last + INTERVAL);
        assertThat(peer.state).isEqualTo(State.LEGACY);
        assertThat(sent).hasSize(MAX_RETRIES + 1);
        assertThat(capabilities.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
        capabilities.runProbes(last + 100 * INTERVAL);
        assertThat(sent).hasSize(MAX_RETRIES + 1);
        assertThat(capabilities.reads(peer, 1L)).isFalse();
    }

    @Test
    void anAnswerMakesThePeerKnownAndStopsTheProbes() {
        capabilities.onHeard(peer, 42);
        capabilities.runProbes(T0);
        capabilities.onCapabilities(peer, outbox, 42, 2, 0b101L, false);
        assertThat(peer.state).isEqualTo(State.KNOWN);
        assertThat(peer.revision).isEqualTo(2);
        assertThat(capabilities.reads(peer, 0b001L)).isTrue();
        assertThat(capabilities.reads(peer, 0b101L)).isTrue();
        assertThat(capabilities.reads(peer, 0b010L)).isFalse();
        assertThat(capabilities.reads(peer, 0b011L)).as("every bit asked for").isFalse();
        assertThat(sent).containsExactly("probe"); // an answer is not answered
        capabilities.runProbes(T0 + 10 * INTERVAL);
        assertThat(sent).hasSize(1);
        assertThat(capabilities.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aProbeIsAnsweredInEveryStateWithAnAnswerThatAsksForNothing() {
        capabilities.onCapabilities(peer, outbox, 42, 2, 1L, true);
        assertThat(sent).containsExactly("answer");
        assertThat(peer.state).as("the peer probed first").isEqualTo(State.KNOWN);
        capabilities.onCapabilities(peer, outbox, 42, 2, 1L, true);
        assertThat(sent).containsExactly("answer", "answer");
        assertThat(peer.answersSent.get()).isEqualTo(2);
        assertThat(peer.capabilitiesReceived.get()).isEqualTo(2);
    }

    @Test
    void aCapabilitiesAfterTheLegacyVerdictWins() {
        for (int i = 0; i <= MAX_RETRIES + 1; i++) {
            capabilities.runProbes(T0 + i * INTERVAL);
        }
        assertThat(peer.state).isEqualTo(State.LEGACY);
        capabilities.onCapabilities(peer, outbox, Long.MIN_VALUE, 3, 1L, false); // the first incarnation heard
        assertThat(peer.state).isEqualTo(State.KNOWN);
        assertThat(peer.revision).isEqualTo(3);
    }

    @Test
    void aNewIncarnationMakesItUnknownAndIsProbedAfresh() {
        capabilities.onHeard(peer, 1);
        capabilities.runProbes(T0);
        capabilities.onCapabilities(peer, outbox, 1, 2, 1L, false);
        assertThat(peer.state).isEqualTo(State.KNOWN);
        assertThat(capabilities.onHeard(peer, 1)).isTrue();
        assertThat(peer.state).as("the same incarnation changes nothing").isEqualTo(State.KNOWN);

        assertThat(capabilities.onHeard(peer, 2)).isTrue();
        assertThat(peer.state).isEqualTo(State.UNKNOWN);
        assertThat(capabilities.reads(peer, 1L)).isFalse();
        assertThat(capabilities.nextDeadlineNs()).isEqualTo(Long.MIN_VALUE);
        capabilities.runProbes(T0 + 1);
        assertThat(sent).containsExactly("probe", "probe");
        for (int i = 1; i <= MAX_RETRIES; i++) {
            capabilities.runProbes(T0 + 1 + i * INTERVAL);
        }
        assertThat(sent).as("a full round for the new incarnation").hasSize(1 + MAX_RETRIES + 1);
    }

    @Test
    void probesBeforeTheFirstContactCountForThePeerFirstHeard() {
        capabilities.runProbes(T0);
        capabilities.runProbes(T0 + INTERVAL);
        capabilities.onHeard(peer, 5); // its first datagram, not an answer
        assertThat(peer.state).isEqualTo(State.PROBING);
        for (int i = 2; i <= MAX_RETRIES + 1; i++) {
            capabilities.runProbes(T0 + i * INTERVAL);
        }
        assertThat(sent).hasSize(MAX_RETRIES + 1);
        assertThat(peer.state).isEqualTo(State.LEGACY);
    }

    @Test
    void aVerdictReachedBeforeAnythingWasHeardIsNotAboutTheProcessHeardFirst() {
        for (int i = 0; i <= MAX_RETRIES + 1; i++) {
            capabilities.runProbes(T0 + i * INTERVAL);
        }
        assertThat(peer.state).isEqualTo(State.LEGACY);
        capabilities.onHeard(peer, 5); // the peer started only now
        assertThat(peer.state).isEqualTo(State.UNKNOWN);
        capabilities.runProbes(T0 + 100 * INTERVAL);
        assertThat(sent).hasSize(MAX_RETRIES + 2);
    }

    @Test
    void theIncarnationThePeerLeftChangesNothing() {
        capabilities.onHeard(peer, 1);
        capabilities.onHeard(peer, 2); // restarted
        capabilities.onCapabilities(peer, outbox, 1, 2, 1L, true); // a late copy from the process that is gone
        assertThat(peer.state).isEqualTo(State.UNKNOWN);
        assertThat(sent).as("not answered either").isEmpty();
        assertThat(peer.capabilitiesReceived.get()).isZero();
        assertThat(capabilities.onHeard(peer, 1)).isFalse();
        assertThat(peer.incarnation).isEqualTo(2);
    }

    @Test
    void anUnknownSourceIsNeverProbedButIsAnswered() {
        PeerCapabilities stranger = new PeerCapabilities("10.0.0.7:7000", paths, false);
        Capabilities onlyConfigured = new Capabilities(config, new PeerCapabilities[0],
                (to, answerRequested) -> sent.add(answerRequested ? "probe" : "answer"),
                new Paths(config, new PeerPaths[0], NO_PROBES, change -> { }));
        onlyConfigured.runProbes(T0);
        assertThat(sent).isEmpty();
        onlyConfigured.onCapabilities(stranger, outbox, 9, 2, 1L, true);
        assertThat(sent).containsExactly("answer");
        assertThat(stranger.state).isEqualTo(State.KNOWN);
    }

    @Test
    void countsSkippedOptionalFrames() {
        capabilities.onUnknownOptionalFrame(peer);
        capabilities.onUnknownOptionalFrame(peer);
        assertThat(peer.unknownFramesSkipped.get()).isEqualTo(2);
    }
}
