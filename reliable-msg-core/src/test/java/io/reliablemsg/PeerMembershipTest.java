package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.wire.DatagramWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Peers added, given new addresses and removed while the messenger runs (issue 13): applied by the
 * loop between its other work; a removed peer's messages fail once each with PEER_REMOVED, wherever
 * they were (queued for the loop, in flight, being retransmitted); an address change sends what was
 * in flight to the new address at once and keeps the duplicate state. Manual clock, simulated network.
 */
class PeerMembershipTest {
    private static final long MS = 1_000_000L;
    private static final UnaryOperator<MessengerConfig.Builder> SETTINGS = b -> b.interval(Duration.ofMillis(100))
            .maxRetries(3).heartbeatInterval(Duration.ZERO);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A DATA datagram of client 2 (b), incarnation 2001, as b would send it now. */
    private static byte[] dataFromB(SimulatedCluster c, long msgId) {
        DatagramWriter writer = new DatagramWriter(1472);
        writer.begin(2, 2001, 0);
        writer.tryAppendData(msgId, c.clock.currentTimeMillis(), 1, bytes("from b " + msgId), 0);
        ByteBuffer datagram = writer.finish();
        byte[] out = new byte[datagram.remaining()];
        datagram.get(out);
        return out;
    }

    @Test
    void aPeerAddedAtRuntimeIsSentToAndHeardFromAndUnknownBefore() {
        SimulatedCluster c = new SimulatedCluster(1);
        SimulatedCluster.Node a = c.add("a", 1, SETTINGS);
        SimulatedCluster.Node b = c.add("b", 2, SETTINGS);
        a.knows = name -> false;
        c.startAll();
        assertThatThrownBy(() -> a.send("b", bytes("x"), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown peer 'b'");
        long fromB = b.send("a", bytes("early"), null);
        c.runFor(MS);
        assertThat(a.delivered).as("not a peer yet: an unknown source").isEmpty();
        assertThat(a.messenger.stats().unknownSourceDropped()).isPositive();

        a.messenger.addPeer("b", b.address.getHostString() + ":" + b.address.getPort());
        assertThat(a.messenger.peers()).containsExactly(Map.entry("b", List.of("10.0.0.2:7000")));
        long toB = a.send("b", bytes("hello"), bytes("ctx"));
        c.runFor(MS);
        assertThat(b.delivered).extracting(InboundMessage::msgId).containsExactly(toB);
        assertThat(a.acked).containsExactly(toB);
        assertThat(a.peerChanges).containsExactly(new PeerChange("b", PeerChange.Kind.ADDED, List.of("10.0.0.2:7000")));

        c.runFor(150 * MS); // b's retransmission now reaches a known peer
        assertThat(a.delivered).extracting(InboundMessage::msgId).containsExactly(fromB);
        assertThat(b.acked).containsExactly(fromB);
    }

    @Test
    void removingAPeerFailsEachPendingMessageOnceWithPeerRemovedWhereverItWas() throws Exception {
        SimulatedCluster c = new SimulatedCluster(2);
        SimulatedCluster.Node a = c.add("a", 1, SETTINGS);
        SimulatedCluster.Node b = c.add("b", 2, SETTINGS);
        c.startAll();
        c.network.partition(a.address, b.address, 0, Long.MAX_VALUE);
        long retransmitted = a.send("b", bytes("1"), bytes("u1"));
        c.runFor(250 * MS); // two retransmissions so far
        long inFlight = a.send("b", bytes("2"), bytes("u2"));
        c.runFor(MS);
        CompletableFuture<SendResult> future = a.messenger.sendAsync("b", bytes("3"), bytes("u3"));
        long queued = a.send("b", bytes("4"), bytes("u4")); // not yet taken by the loop: no pass since
        long datagramsBefore = a.datagramsSentTo(b);

        a.messenger.removePeer("b");
        assertThatThrownBy(() -> a.send("b", bytes("x"), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown peer 'b'");
        c.runFor(2_000 * MS);

        SendFailure ofFuture = failureOf(future);
        assertThat(ofFuture.reason()).isEqualTo(FailureReason.PEER_REMOVED);
        assertThat(a.failures).as("each once, with its user buffer").extracting(SendFailure::msgId)
                .containsExactlyInAnyOrder(retransmitted, inFlight, ofFuture.msgId(), queued);
        assertThat(a.failures).allSatisfy(f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.PEER_REMOVED);
            assertThat(f.peer()).isEqualTo("b");
            assertThat(new String(f.userBuffer(), StandardCharsets.UTF_8)).startsWith("u");
        });
        assertThat(a.failures).filteredOn(f -> f.msgId() == retransmitted).singleElement()
                .satisfies(f -> assertThat(f.userBuffer()).isEqualTo(bytes("u1")))
                .satisfies(f -> assertThat(f.transmissions()).isEqualTo(3));
        assertThat(a.failures).filteredOn(f -> f.msgId() == queued).singleElement()
                .satisfies(f -> assertThat(f.transmissions()).as("never sent").isZero());
        assertThat(a.acked).isEmpty();
        assertThat(a.messenger.pendingCount()).isZero();
        assertThat(a.datagramsSentTo(b)).as("nothing more goes to a removed peer").isEqualTo(datagramsBefore);
        assertThat(a.messenger.stats().failed()).as("its counters stay in the totals").isEqualTo(4);
        assertThat(a.messenger.stats().peers()).doesNotContainKey("b");
        assertThat(a.messenger.peers()).isEmpty();
        assertThat(a.peerChanges).containsExactly(new PeerChange("b", PeerChange.Kind.REMOVED, List.of()));
    }

    private static SendFailure failureOf(CompletableFuture<SendResult> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return ((SendFailedException) e.getCause()).failure();
        }
        throw new AssertionError("the future did not fail");
    }

    @Test
    void aRemovedPeersLateAckIsAnUnknownSourcesAndAcksNothing() {
        SimulatedCluster c = new SimulatedCluster(3);
        SimulatedCluster.Node a = c.add("a", 1, SETTINGS);
        SimulatedCluster.Node b = c.add("b", 2, SETTINGS);
        c.network.delayNs(40 * MS, 40 * MS);
        c.startAll();
        long id = a.send("b", bytes("x"), null);
        c.runFor(60 * MS); // b has delivered and acked; the ack is on its way
        assertThat(b.delivered).hasSize(1);
        a.messenger.removePeer("b");
        c.runFor(500 * MS);
        assertThat(a.acked).isEmpty();
        assertThat(a.failures).singleElement().satisfies(f -> {
            assertThat(f.msgId()).isEqualTo(id);
            assertThat(f.reason()).isEqualTo(FailureReason.PEER_REMOVED);
        });
        assertThat(a.messenger.stats().unknownSourceDropped()).as("the late ack").isPositive();
    }

    @Test
    void updatingAPeersAddressSendsWhatWasInFlightThereAtOnceAndKeepsItsCounters() {
        SimulatedCluster c = new SimulatedCluster(4);
        SimulatedCluster.Node a = c.add("a", 1, SETTINGS);
        SimulatedCluster.Node b = c.add("b", 2, SETTINGS);
        SimulatedCluster.Node moved = c.add("b-moved", 3, SETTINGS); // b restarted on 10.0.0.3
        a.knows = name -> name.equals("b");
        c.startAll();
        long first = a.send("b", bytes("1"), null);
        c.runFor(MS);
        b.crash();
        long second = a.send("b", bytes("2"), null);
        long third = a.send("b", bytes("3"), null);
        c.runFor(30 * MS); // in flight to the dead address, not due yet
        a.messenger.updatePeer("b", "10.0.0.3:7000");
        c.runFor(5 * MS); // well before the retransmit deadline at 100 ms

        assertThat(moved.delivered).extracting(InboundMessage::msgId).containsExactlyInAnyOrder(second, third);
        assertThat(a.acked).containsExactlyInAnyOrder(first, second, third);
        PeerStats stats = a.messenger.stats("b");
        assertThat(stats.sent()).as("counters kept").isEqualTo(3);
        assertThat(stats.failoverCopies()).isEqualTo(2);
        assertThat(stats.retransmitted()).isZero();
        assertThat(stats.address()).isEqualTo("10.0.0.3:7000");
        assertThat(a.messenger.peers()).containsExactly(Map.entry("b", List.of("10.0.0.3:7000")));
        assertThat(a.peerChanges).containsExactly(new PeerChange("b", PeerChange.Kind.CHANGED,
                List.of("10.0.0.3:7000")));
        c.runFor(1_000 * MS);
        assertThat(moved.delivered).as("once each").hasSize(2);
        assertThat(a.failures).isEmpty();
    }

    @Test
    void anAddressChangeWhileRetransmittingMovesTheNextCopiesToTheNewAddress() {
        SimulatedCluster c = new SimulatedCluster(5);
        SimulatedCluster.Node a = c.add("a", 1, SETTINGS);
        SimulatedCluster.Node b = c.add("b", 2, SETTINGS);
        SimulatedCluster.Node moved = c.add("b-moved", 3, SETTINGS);
        a.knows = name -> name.equals("b");
        c.startAll();
        b.crash();
        long id = a.send("b", bytes("x"), null);
        c.runFor(150 * MS); // first copy and one retransmission lost; the next is due at 200 ms
        a.messenger.updatePeer("b", "10.0.0.3:7000");
        c.runFor(MS);
        assertThat(moved.delivered).as("the last copy went to an address b no longer has: sent again at once")
                .extracting(InboundMessage::msgId).containsExactly(id);
        assertThat(a.acked).containsExactly(id);
        assertThat(a.messenger.stats("b").retransmitted()).isEqualTo(1);
    }

    /** a and b; b's process gone, its message 7 injected from its address and delivered by a. */
    private static SimulatedCluster messageSevenFromBDelivered(long seed) {
        SimulatedCluster c = new SimulatedCluster(seed);
        SimulatedCluster.Node a = c.add("a", 1, SETTINGS);
        c.add("b", 2, SETTINGS);
        c.startAll();
        c.node("b").crash(); // b's datagrams are injected from here on, as b would send them
        c.network.inject(c.node("b").address, a.address, dataFromB(c, 7));
        c.runFor(MS);
        assertThat(a.delivered).hasSize(1);
        return c;
    }

    @Test
    void anAddressChangeKeepsTheDuplicateStateOfThePeersIncarnations() {
        SimulatedCluster c = messageSevenFromBDelivered(6);
        SimulatedCluster.Node a = c.node("a");
        InetSocketAddress oldAddress = c.node("b").address;

        a.messenger.updatePeer("b", "10.0.0.9:7000");
        c.runFor(MS);
        c.network.inject(new InetSocketAddress("10.0.0.9", 7000), a.address, dataFromB(c, 7)); // ack was lost
        c.runFor(MS);
        assertThat(a.delivered).as("a retransmission from b's new address is a duplicate").hasSize(1);
        assertThat(a.messenger.stats("b").duplicates()).isEqualTo(1);
        c.network.inject(oldAddress, a.address, dataFromB(c, 8));
        c.runFor(MS);
        assertThat(a.delivered).as("the old address is no longer b's").hasSize(1);
    }

    @Test
    void anUnknownSourceAcceptedAtAnAddressIsForgottenWhenAPeerIsAddedThere() {
        SimulatedCluster c = new SimulatedCluster(10);
        SimulatedCluster.Node a = c.add("a", 1, b -> SETTINGS.apply(b).acceptUnknownPeers(true));
        SimulatedCluster.Node b = c.add("b", 2, SETTINGS);
        a.knows = name -> false;
        c.startAll();
        b.send("a", bytes("early"), null);
        c.runFor(MS);
        assertThat(a.messenger.stats().peers()).as("accepted as an unknown source").containsKey("10.0.0.2:7000");

        a.messenger.addPeer("b", "10.0.0.2:7000");
        c.runFor(MS);

        assertThat(a.messenger.stats().peers()).containsOnlyKeys("b");
    }

    @Test
    void aRemovedPeersDuplicateWindowsAreKeptForTheHoldTimeAndThenForgottenWithoutItComingBack() {
        SimulatedCluster c = messageSevenFromBDelivered(9);
        SimulatedCluster.Node a = c.node("a");
        a.messenger.removePeer("b");
        c.runFor(MS);
        assertThat(a.messenger.engine().trackedIncarnations()).as("kept in case b comes back").isOne();

        c.runFor(a.messenger.config().duplicateHoldTime().toNanos() / 2);
        assertThat(a.messenger.engine().trackedIncarnations()).isOne();
        c.runFor(a.messenger.config().duplicateHoldTime().toNanos() / 2 + 100 * MS);
        assertThat(a.messenger.engine().trackedIncarnations()).as("the memory bound holds for removed peers")
                .isZero();
    }

    @Test
    void aPeerRemovedAndAddedAgainWithinTheHoldTimeDeliversNothingTwice() {
        SimulatedCluster c = messageSevenFromBDelivered(7);
        SimulatedCluster.Node a = c.node("a");
        InetSocketAddress address = c.node("b").address;
        a.messenger.removePeer("b");
        c.runFor(MS);
        a.messenger.addPeer("b", "10.0.0.2:7000");
        c.runFor(50 * MS);
        c.network.inject(address, a.address, dataFromB(c, 7));
        c.runFor(MS);
        assertThat(a.delivered).hasSize(1);
        assertThat(a.messenger.stats("b").duplicates()).isEqualTo(1);
        assertThat(a.messenger.engine().trackedIncarnations()).isOne();

        c.runFor(a.messenger.config().duplicateHoldTime().toNanos() + 100 * MS);
        assertThat(a.messenger.engine().trackedIncarnations()).as("forgotten after the hold time").isZero();
    }

    @Test
    void badChangesAreRefusedWithTheReasonAndChangeNothing() {
        SimulatedCluster c = new SimulatedCluster(8);
        SimulatedCluster.Node a = c.add("a", 1, SETTINGS);
        c.add("b", 2, SETTINGS);
        c.add("c", 3, SETTINGS);
        c.startAll();
        assertThatThrownBy(() -> a.messenger.addPeer("b", "10.0.0.7:7000"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("is a peer already");
        assertThatThrownBy(() -> a.messenger.addPeer("d", "10.0.0.3:7000"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("which peer 'c' has too");
        assertThatThrownBy(() -> a.messenger.addPeer("d", "10.0.0.1:7000"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("this node's own socket");
        assertThatThrownBy(() -> a.messenger.addPeer("d", "no-port"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("must be host:port");
        assertThatThrownBy(() -> a.messenger.updatePeer("b", "10.0.0.3:7000"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("which peer 'c' has too");
        assertThatThrownBy(() -> a.messenger.updatePeer("nobody", "10.0.0.9:7000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown peer 'nobody'");
        assertThatThrownBy(() -> a.messenger.removePeer("nobody"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown peer 'nobody'");
        assertThat(a.messenger.peers()).containsOnlyKeys("b", "c");
        assertThat(a.messenger.peers().get("b")).containsExactly("10.0.0.2:7000");
        c.runFor(MS);
        assertThat(a.peerChanges).isEmpty();

        a.messenger.updatePeer("b", "10.0.0.7:7000"); // b's old address is free again
        a.messenger.addPeer("d", "10.0.0.2:7000");
        a.messenger.close();
        assertThatThrownBy(() -> a.messenger.addPeer("e", "10.0.0.8:7000")).isInstanceOf(IllegalStateException.class);
    }
}
