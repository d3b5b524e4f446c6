package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sender's peer table: a peer at the next index past the table grows it (to twice its size, or to
 * the index if that is further), the size it reports is what the chain is grown to; a removed peer
 * leaves the scans at once but stays at its index until another peer takes it.
 */
class SendPeersTest {
    private static PeerSendState peer(String name, int index) {
        PeerPaths paths = new PeerPaths(name, index,
                List.of(new InetSocketAddress("10.0.0." + (index + 1), 7000)), 1472);
        PeerLiveness liveness = new PeerLiveness(name, paths);
        return new PeerSendState(name, index, paths, liveness, new PeerCapabilities(name, paths, true));
    }

    @Test
    void aPeerJustPastTheTableGrowsItToTwiceItsSizeAndOneFurtherOutToItsIndex() {
        SendPeers peers = new SendPeers(2);
        assertThat(peers.install(peer("a", 0))).isEqualTo(2);
        assertThat(peers.install(peer("b", 1))).isEqualTo(2);
        assertThat(peers.install(peer("c", 2))).as("index 2 in a table of 2: doubled").isEqualTo(4);
        assertThat(peers.install(peer("d", 9))).as("further than twice: up to the index").isEqualTo(10);

        assertThat(peers.get(2).name).isEqualTo("c");
        assertThat(peers.get(9).name).isEqualTo("d");
        assertThat(peers.get(5)).isNull();
        assertThat(peers.active()).extracting(p -> p.name).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aRemovedPeerLeavesTheScansAtOnceAndStaysAtItsIndexUntilAnotherTakesIt() {
        SendPeers peers = new SendPeers(2);
        PeerSendState a = peer("a", 0);
        peers.install(a);
        peers.install(peer("b", 1));

        peers.remove(a);

        assertThat(a.removed).isTrue();
        assertThat(peers.active()).extracting(p -> p.name).containsExactly("b");
        assertThat(peers.get(0)).as("a message of it may still be on its way to the loop").isSameAs(a);

        peers.install(peer("e", 0));
        assertThat(peers.get(0).name).isEqualTo("e");
        assertThat(peers.active()).extracting(p -> p.name).containsExactly("e", "b");
    }
}
