package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.FrozenV1Node;
import io.reliablemsg.wire.WireFormat;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.LongStream;
import io.reliablemsg.wire.DatagramWriter;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade, node by node: a node of this release, which probes every peer with the
 * CAPABILITIES frame (an optional frame version 1 does not know), still exchanges messages both ways
 * with a node that runs the version 1 codec as released ({@code FrozenV1Codec}); it spends at most
 * {@code maxRetries + 1} probes on such a peer, each alone in its datagram, then treats it as version 1
 * until it restarts; two nodes of this release learn each other's revision in one round trip
 * (docs/PROTOCOL.md, "Wire evolution"). Seeded simulated network, manual clock.
 */
class RollingUpgradeTest {
    private static final long MS = 1_000_000L;
    private static final int MAX_RETRIES = 5;
    private static final InetSocketAddress OLD = new InetSocketAddress("10.0.0.9", 7000);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MessengerConfig.Builder settings(MessengerConfig.Builder b) {
        return b.interval(Duration.ofMillis(100)).maxRetries(MAX_RETRIES);
    }

    @Test
    void aNodeOfThisReleaseExchangesMessagesBothWaysWithAVersion1Node() {
        SimulatedCluster c = new SimulatedCluster(11);
        SimulatedCluster.Node fresh = c.add("new", 1, b -> settings(b).peer("old", "10.0.0.9", 7000));
        FrozenV1Node old = new FrozenV1Node(c.network.endpoint(OLD), 9, 9_001L, c.clock::currentTimeMillis);
        c.participant(old::poll);
        c.startAll();
        for (int i = 0; i < 50; i++) {
            assertThat(fresh.send("old", bytes("to old " + i), bytes("u" + i))).isPositive();
        }
        for (long id = 1; id <= 50; id++) {
            old.send(fresh.address, id, bytes("to new " + id), 1);
        }
        c.runFor(100 * MS);

        List<String> atOld = new ArrayList<>();
        old.delivered().forEach(p -> atOld.add(new String(p, StandardCharsets.UTF_8)));
        assertThat(atOld).hasSize(50).startsWith("to old 0").endsWith("to old 49").doesNotHaveDuplicates();
        assertThat(fresh.acked).hasSize(50);
        assertThat(fresh.delivered).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .hasSize(50).startsWith("to new 1").endsWith("to new 50");
        assertThat(old.acked()).containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());

        c.runFor((MAX_RETRIES + 2) * 100 * MS); // past the last probe's interval: the verdict
        PeerStats seen = fresh.messenger.stats("old");
        assertThat(seen.capabilityProbesSent()).isEqualTo(MAX_RETRIES + 1);
        assertThat(seen.protocolRevision()).as("no answer: a version 1 node").isEqualTo(1);
        assertThat(seen.features()).isNull();
        // The probes are all the old node could not read, and it saw nothing else it could not read.
        assertThat(old.malformed()).hasSize(MAX_RETRIES + 1).containsOnly("BAD_FIELD");
        assertThat(fresh.failures).isEmpty();

        c.runFor(5_000 * MS); // no more probes until the old node restarts
        assertThat(fresh.messenger.stats("old").capabilityProbesSent()).isEqualTo(MAX_RETRIES + 1);
        assertThat(old.malformed()).hasSize(MAX_RETRIES + 1);
        assertThat(fresh.send("old", bytes("after the verdict"), null)).isPositive();
        c.runFor(100 * MS);
        assertThat(new String(old.delivered().get(50), StandardCharsets.UTF_8)).isEqualTo("after the verdict");
        assertThat(fresh.acked).hasSize(51);
    }

    @Test
    void aRequestToAVersion1NodeIsNeverSentAndFailsUnsupportedWhileMessagesToItStillFlow() {
        SimulatedCluster c = new SimulatedCluster(14);
        SimulatedCluster.Node fresh = c.add("new", 1, b -> settings(b).peer("old", "10.0.0.9", 7000));
        FrozenV1Node old = new FrozenV1Node(c.network.endpoint(OLD), 9, 9_001L, c.clock::currentTimeMillis);
        c.participant(old::poll);
        c.startAll();
        CompletableFuture<Reply> request = fresh.request("old", bytes("are you new?"), bytes("req-u"));
        assertThat(fresh.send("old", bytes("plain"), null)).isPositive();
        c.runFor((MAX_RETRIES + 1) * 100 * MS + MS);

        assertThat(request).isCompletedExceptionally();
        SendFailedException e = (SendFailedException) org.assertj.core.api.Assertions.catchThrowableOfType(
                request::join, CompletionException.class).getCause();
        assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED_BY_PEER);
        assertThat(e.userBuffer()).isEqualTo(bytes("req-u"));
        assertThat(fresh.failures).singleElement().satisfies(f ->
                assertThat(f.reason()).isEqualTo(FailureReason.UNSUPPORTED_BY_PEER));
        assertThat(old.malformed()).as("only the probes: no REQUEST ever reached it").hasSize(MAX_RETRIES + 1);
        assertThat(old.delivered()).hasSize(1);
        assertThat(fresh.acked).hasSize(1);
        assertThat(fresh.messenger.pendingCount()).isZero();
    }

    @Test
    void aRequestToAPeerKnownToReadNoRequestsFailsUnsupportedAtOnce() {
        SimulatedCluster c = new SimulatedCluster(15);
        SimulatedCluster.Node fresh = c.add("new", 1, b -> settings(b).peer("old", "10.0.0.9", 7000));
        FrozenV1Node old = new FrozenV1Node(c.network.endpoint(OLD), 9, 9_001L, c.clock::currentTimeMillis);
        c.participant(old::poll);
        c.startAll();
        // what a revision 2 node answers: CAPABILITIES of revision 2 with feature bit 0 only
        DatagramWriter writer = new DatagramWriter(1500);
        writer.begin(9, 9_001L, 0);
        writer.tryAppendCapabilities(2, WireFormat.FEATURE_OPTIONAL_FRAMES, false, 0);
        ByteBuffer answer = writer.finish();
        byte[] bytes = new byte[answer.remaining()];
        answer.get(bytes);
        c.network.inject(OLD, fresh.address, bytes);
        c.runFor(MS);
        assertThat(fresh.messenger.stats("old").protocolRevision()).isEqualTo(2);

        CompletableFuture<Reply> request = fresh.request("old", bytes("q"), null);
        c.runFor(MS);
        assertThat(request).isCompletedExceptionally();
        assertThat(fresh.failures).singleElement().satisfies(f ->
                assertThat(f.reason()).isEqualTo(FailureReason.UNSUPPORTED_BY_PEER));
        assertThat(old.malformed()).as("at most a probe: no REQUEST").hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void twoNodesOfThisReleaseLearnEachOthersRevisionInOneRoundTripAndProbeNoMore() {
        SimulatedCluster c = new SimulatedCluster(12);
        c.add("a", 1, RollingUpgradeTest::settings);
        c.add("b", 2, RollingUpgradeTest::settings);
        c.startAll();
        c.runFor(10 * MS);
        long exchange = 0;
        for (String[] pair : new String[][] {{"a", "b"}, {"b", "a"}}) {
            PeerStats peer = c.node(pair[0]).messenger.stats(pair[1]);
            PeerStats back = c.node(pair[1]).messenger.stats(pair[0]);
            assertThat(peer.protocolRevision()).isEqualTo(WireFormat.PROTOCOL_REVISION);
            assertThat(peer.features()).isEqualTo(WireFormat.FEATURES);
            // Whoever has not heard the other's probe by its first timer pass probes; every probe is answered.
            assertThat(peer.capabilityProbesSent()).isBetween(0L, 1L);
            assertThat(peer.capabilityAnswersSent()).isEqualTo(back.capabilityProbesSent());
            assertThat(peer.capabilitiesReceived()).isEqualTo(back.capabilityProbesSent() + back.capabilityAnswersSent());
            exchange += peer.capabilityProbesSent() + peer.capabilityAnswersSent();
        }
        assertThat(exchange).isBetween(2L, 4L).isEqualTo(c.capabilityDatagramsSent());
        c.runFor(5_000 * MS);
        assertThat(c.capabilityDatagramsSent()).isEqualTo(exchange);
        assertThat(c.node("a").messenger.stats().malformedDropped()).isZero();
        assertThat(c.node("b").messenger.stats().malformedDropped()).isZero();
    }

    @Test
    void aPeerThatComesBackAsVersion1IsProbedAgainAndThenSpokenToInVersion1() {
        SimulatedCluster c = new SimulatedCluster(13);
        SimulatedCluster.Node a = c.add("a", 1, RollingUpgradeTest::settings);
        SimulatedCluster.Node b = c.add("b", 2, RollingUpgradeTest::settings);
        c.startAll();
        c.runFor(10 * MS);
        assertThat(a.messenger.stats("b").protocolRevision()).isEqualTo(WireFormat.PROTOCOL_REVISION);

        b.crash(); // downgraded: the same address, a version 1 process, a new incarnation
        FrozenV1Node old = new FrozenV1Node(c.network.endpoint(b.address), 2, 7_777L, c.clock::currentTimeMillis);
        c.participant(old::poll);
        old.send(a.address, 1, bytes("hello from v1"), 1); // a hears the new incarnation
        c.runFor(10 * MS);
        assertThat(a.messenger.stats("b").protocolRevision()).as("unknown again for the new incarnation").isNull();
        assertThat(old.acked()).containsExactly(1L);
        assertThat(a.send("b", bytes("to the downgraded b"), null)).isPositive();
        c.runFor((MAX_RETRIES + 2) * 100 * MS);

        assertThat(new String(old.delivered().get(0), StandardCharsets.UTF_8)).isEqualTo("to the downgraded b");
        assertThat(a.failures).isEmpty();
        PeerStats seen = a.messenger.stats("b");
        assertThat(seen.protocolRevision()).isEqualTo(1);
        assertThat(seen.capabilityProbesSent()).as("one probe to the first incarnation, then a full round")
                .isEqualTo(1 + MAX_RETRIES + 1);
        assertThat(old.malformed()).hasSize(MAX_RETRIES + 1);
    }
}
