package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.DatagramWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two processes configured with one client id (an operator's slip): the peer that hears both counts
 * every datagram of the second as a conflict and warns, and still loses nothing, since each peer keeps
 * its own duplicate window. Two addresses of one peer are paths, not a conflict. A removed peer's id is
 * free for the next peer, the others' are not; a peer whose id changes is judged by its new id.
 * Simulated network.
 */
class ClientIdConflictTest {
    private static final long MS = 1_000_000L;

    @Test
    void twoPeersWithTheSameClientIdAreCountedAndStillDelivered() {
        SimulatedCluster c = new SimulatedCluster(31);
        SimulatedCluster.Node a = c.add("a", 1, b -> b.interval(Duration.ofMillis(100)));
        SimulatedCluster.Node b = c.add("b", 7, b2 -> b2.interval(Duration.ofMillis(100)));
        SimulatedCluster.Node twin = c.add("twin", 7, b2 -> b2.interval(Duration.ofMillis(100)));
        c.network.delayNs(MS, 2 * MS);
        c.startAll();
        for (int i = 0; i < 5; i++) { // b's one at a time, so b and the twin send different datagram counts
            c.at(c.clock.nanoTime() + i * 40 * MS, () -> b.send("a", new byte[] {1}, null));
        }
        for (int i = 0; i < 4; i++) {
            twin.send("a", new byte[] {2}, null);
        }
        c.runFor(600 * MS);

        // both probe a's CAPABILITIES at start, so which of the two a heard first depends on the
        // draw; every datagram of the other one is a conflict, and nothing else is
        long conflicts = a.messenger.stats().clientIdConflicts();
        assertThat(conflicts).isPositive().isIn(b.datagramsSentTo(a), twin.datagramsSentTo(a));
        assertThat(b.datagramsSentTo(a)).isNotEqualTo(twin.datagramsSentTo(a));
        assertThat(a.delivered).as("the twin's msg ids overlap b's and are delivered all the same").hasSize(9);
        assertThat(b.acked).hasSize(5);
        assertThat(twin.acked).hasSize(4);
        assertThat(b.messenger.stats().clientIdConflicts()).as("b hears one other peer with id 1").isZero();
    }

    @Test
    void datagramsFromTwoAddressesOfOnePeerAreNoConflict() {
        SimulatedCluster c = new SimulatedCluster(32);
        SimulatedCluster.Node a = c.addMultiHomed("a", 1, 2, b -> b.interval(Duration.ofMillis(100)));
        SimulatedCluster.Node b = c.addMultiHomed("b", 2, 2, b2 -> b2.interval(Duration.ofMillis(100)));
        c.network.delayNs(MS, 2 * MS);
        c.startAll();
        c.network.partition(a.addresses.get(0), b.addresses.get(0), c.clock.nanoTime() + 50 * MS,
                c.clock.nanoTime() + 2_000 * MS);
        for (int i = 0; i < 20; i++) {
            long at = c.clock.nanoTime() + i * 50 * MS;
            c.at(at, () -> b.send("a", new byte[] {3}, null));
        }
        c.runFor(3_000 * MS);
        assertThat(a.delivered).hasSize(20);
        assertThat(a.messenger.stats("b").paths()).allSatisfy(p -> assertThat(p.transmissions()).isPositive());
        assertThat(a.messenger.stats().clientIdConflicts()).isZero();
    }

    /** A datagram with one PING from client {@code clientId}, as sent now. */
    private static byte[] pingFrom(SimulatedCluster c, int clientId) {
        DatagramWriter writer = new DatagramWriter(1472);
        writer.begin(clientId, 900 + clientId, 0);
        writer.tryAppendPing(c.clock.currentTimeMillis(), 0);
        ByteBuffer datagram = writer.finish();
        byte[] out = new byte[datagram.remaining()];
        datagram.get(out);
        return out;
    }

    @Test
    void aRemovedPeersClientIdIsFreeForTheNextPeerTheOthersAreNotAndAChangedIdIsJudgedAnew() {
        SimulatedCluster c = new SimulatedCluster(33);
        java.util.function.UnaryOperator<MessengerConfig.Builder> quiet =
                s -> s.interval(Duration.ofMillis(100)).heartbeatInterval(Duration.ZERO);
        SimulatedCluster.Node a = c.add("a", 1, quiet);
        SimulatedCluster.Node b = c.add("b", 2, quiet);
        SimulatedCluster.Node n3 = c.add("c", 3, quiet);
        c.startAll();
        c.runFor(50 * MS); // a hears b (id 2) and c (id 3)
        assertThat(a.messenger.stats().clientIdConflicts()).isZero();

        a.messenger.removePeer("b");
        InetSocketAddress d = new InetSocketAddress("10.0.0.9", 7000);
        a.messenger.addPeer("d", "10.0.0.9:7000");
        c.runFor(MS);

        c.network.inject(d, a.address, pingFrom(c, 2));
        c.runFor(MS);
        assertThat(a.messenger.stats().clientIdConflicts()).as("b's id, b removed: d's now").isZero();

        c.network.inject(d, a.address, pingFrom(c, 3));
        c.runFor(MS);
        assertThat(a.messenger.stats().clientIdConflicts()).as("c's id, c still a peer").isOne();

        c.network.inject(d, a.address, pingFrom(c, 4));
        c.runFor(MS);
        assertThat(a.messenger.stats().clientIdConflicts()).as("d's new id is its own").isOne();
        assertThat(b.messenger.stats().clientIdConflicts() + n3.messenger.stats().clientIdConflicts()).isZero();
    }
}
