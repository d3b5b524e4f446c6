package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Peers given by host name (issue 13): resolved when the messenger is built and again every
 * peerResolutionInterval; a name that does not resolve leaves its peer unresolved, not the start
 * failed, and sends to it wait (retried as usual, nothing sent) until it resolves; a changed record
 * moves the peer, and what was in flight goes to the new address at once; several addresses are
 * several paths. Manual clock, simulated network, {@link FakeDns}; the lookups run on the loop here.
 */
class PeerHostNamesTest {
    private static final long MS = 1_000_000L;
    private static final long RESOLUTION_MS = 500;

    private static UnaryOperator<MessengerConfig.Builder> settings(String... peerB) {
        return b -> {
            b.interval(Duration.ofMillis(100)).maxRetries(10).heartbeatInterval(Duration.ZERO)
                    .peerResolutionInterval(Duration.ofMillis(RESOLUTION_MS));
            return peerB.length == 0 ? b : b.peer("b", peerB);
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Setup(SimulatedCluster cluster, SimulatedCluster.Node a, SimulatedCluster.Node b, FakeDns dns,
                         long startNs) {
    }

    /** a knows b as {@code peerB}; b knows a by address. */
    private static Setup setup(long seed, FakeDns dns, String... peerB) {
        SimulatedCluster c = new SimulatedCluster(seed);
        SimulatedCluster.Node a = c.add("a", 1, settings(peerB));
        SimulatedCluster.Node b = c.add("b", 2, settings());
        c.add("b-moved", 3, settings()); // 10.0.0.3: where b comes back
        a.knows = name -> peerB.length > 0 && name.equals("b");
        a.resolver = dns;
        c.startAll();
        return new Setup(c, a, b, dns, c.clock.nanoTime());
    }

    @Test
    void aNameThatDoesNotResolveAtStartLeavesThePeerUnresolvedAndItsMessagesWaitUntilItResolves() {
        Setup s = setup(1, new FakeDns(), "b.billing.svc:7000");
        PeerStats before = s.a.messenger.stats("b");
        assertThat(before.unresolved()).isTrue();
        assertThat(before.address()).isEqualTo("b.billing.svc:7000");
        assertThat(before.paths()).isEmpty();
        assertThat(s.a.messenger.peers()).containsEntry("b", List.of("b.billing.svc:7000"));

        long id = s.a.send("b", bytes("waits"), bytes("ctx"));
        s.cluster.runFor(150 * MS);
        assertThat(s.a.datagramsSentTo(s.b)).as("nothing goes out while unresolved").isZero();
        assertThat(s.a.messenger.stats("b").noAddressDrops()).as("first copy and one retransmission").isEqualTo(2);

        s.dns.set("b.billing.svc", "10.0.0.2"); // the record appears
        s.cluster.runUntil(s.startNs + RESOLUTION_MS * MS - 1);
        assertThat(s.a.messenger.stats("b").unresolved()).as("not looked up again yet").isTrue();
        s.cluster.runUntil(s.startNs + RESOLUTION_MS * MS + MS);
        assertThat(s.a.messenger.stats("b").unresolved()).isFalse();
        assertThat(s.a.messenger.stats("b").address()).isEqualTo("10.0.0.2:7000");
        assertThat(s.b.delivered).as("sent as soon as resolved").extracting(InboundMessage::msgId).containsExactly(id);
        assertThat(s.a.acked).containsExactly(id);
        assertThat(s.a.peerChanges).containsExactly(new PeerChange("b", PeerChange.Kind.CHANGED,
                List.of("10.0.0.2:7000")));
        assertThat(s.a.failures).isEmpty();
    }

    @Test
    void aNameThatNeverResolvesFailsItsMessagesAsUsual() {
        Setup s = setup(2, new FakeDns(), "nowhere.svc:7000");
        long id = s.a.send("b", bytes("x"), bytes("ctx"));
        s.cluster.runFor(2_000 * MS);
        assertThat(s.a.failures).singleElement().satisfies(f -> {
            assertThat(f.msgId()).isEqualTo(id);
            assertThat(f.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            assertThat(f.userBuffer()).isEqualTo(bytes("ctx"));
        });
        assertThat(s.a.messenger.stats("b").noAddressDrops()).isEqualTo(11);
        assertThat(s.dns.lookupsOf("nowhere.svc")).as("at build and every interval").isGreaterThanOrEqualTo(4);
        assertThat(s.a.datagramsSentTo(s.b)).isZero();
    }

    @Test
    void aChangedRecordMovesThePeerAtTheNextLookupAndWhatWasInFlightGoesThereAtOnce() {
        Setup s = setup(3, new FakeDns().set("b.svc", "10.0.0.2"), "b.svc:7000");
        SimulatedCluster.Node moved = s.cluster.node("b-moved");
        long first = s.a.send("b", bytes("1"), null);
        s.cluster.runFor(MS);
        assertThat(s.b.delivered).hasSize(1);
        s.b.crash(); // b restarts elsewhere; its record follows
        s.dns.set("b.svc", "10.0.0.3");
        s.cluster.runUntil(s.startNs + RESOLUTION_MS * MS - 30 * MS);
        long second = s.a.send("b", bytes("2"), null); // in flight to the old address when the lookup comes
        s.cluster.runUntil(s.startNs + RESOLUTION_MS * MS + MS);

        assertThat(moved.delivered).extracting(InboundMessage::msgId).containsExactly(second);
        assertThat(s.a.acked).containsExactly(first, second);
        assertThat(s.a.messenger.stats("b").failoverCopies()).isEqualTo(1);
        assertThat(s.a.messenger.stats("b").retransmitted()).as("no retry used").isZero();
        assertThat(s.a.messenger.peers()).as("as given, still").containsEntry("b", List.of("b.svc:7000"));
    }

    @Test
    void severalAddressesForOneNameAreThePeersPathsAndAnotherOrderChangesNothing() {
        Setup s = setup(4, new FakeDns().set("b.svc", "10.0.0.2", "10.0.0.5"), "b.svc:7000");
        assertThat(s.a.messenger.stats("b").paths()).extracting(PathStats::address)
                .containsExactly("10.0.0.2:7000", "10.0.0.5:7000");
        s.dns.set("b.svc", "10.0.0.5", "10.0.0.2"); // a DNS server rotating its answers
        s.cluster.runFor(3 * RESOLUTION_MS * MS);
        assertThat(s.a.messenger.stats("b").paths()).extracting(PathStats::address)
                .containsExactly("10.0.0.2:7000", "10.0.0.5:7000");
        assertThat(s.a.peerChanges).isEmpty();
        s.dns.set("b.svc", "10.0.0.5", "10.0.0.6");
        s.cluster.runFor(RESOLUTION_MS * MS);
        assertThat(s.a.messenger.stats("b").paths()).as("kept first, in its order; then the new one")
                .extracting(PathStats::address).containsExactly("10.0.0.5:7000", "10.0.0.6:7000");
    }

    @Test
    void aLookupThatFailsKeepsTheAddressesThePeerHas() {
        Setup s = setup(5, new FakeDns().set("b.svc", "10.0.0.2"), "b.svc:7000");
        s.dns.fail("b.svc", new IllegalStateException("resolver broken"));
        s.cluster.runFor(2 * RESOLUTION_MS * MS);
        assertThat(s.dns.lookupsOf("b.svc")).isGreaterThanOrEqualTo(3);
        assertThat(s.a.messenger.stats("b").unresolved()).isFalse();
        long id = s.a.send("b", bytes("x"), null);
        s.cluster.runFor(MS);
        assertThat(s.a.acked).containsExactly(id);
        s.dns.set("b.svc"); // no record at all: still kept
        s.cluster.runFor(2 * RESOLUTION_MS * MS);
        assertThat(s.a.messenger.stats("b").address()).isEqualTo("10.0.0.2:7000");
    }

    @Test
    void literalAddressesAreNeverLookedUpAndAMixedPeerUsesWhatResolves() {
        FakeDns dns = new FakeDns();
        Setup s = setup(6, dns, "10.0.0.2:7000", "b2.svc:7000");
        assertThat(dns.lookups).allMatch(l -> l.startsWith("b2.svc@"));
        assertThat(s.a.messenger.stats("b").paths()).extracting(PathStats::address).containsExactly("10.0.0.2:7000");
        assertThat(s.a.messenger.stats("b").unresolved()).isFalse();
        dns.set("b2.svc", "10.0.0.7");
        s.cluster.runFor(RESOLUTION_MS * MS + MS);
        assertThat(s.a.messenger.stats("b").paths()).extracting(PathStats::address)
                .containsExactly("10.0.0.2:7000", "10.0.0.7:7000");
    }

    @Test
    void aPeerAddedByNameAtRuntimeIsResolvedOnTheCallingThread() {
        FakeDns dns = new FakeDns().set("late.svc", "10.0.0.2");
        Setup s = setup(7, dns);
        s.a.messenger.addPeer("b", "late.svc:7000");
        assertThat(dns.lookups).containsExactly("late.svc@" + Thread.currentThread().getName());
        long id = s.a.send("b", bytes("x"), null);
        s.cluster.runFor(MS);
        assertThat(s.a.acked).containsExactly(id);
    }
}
