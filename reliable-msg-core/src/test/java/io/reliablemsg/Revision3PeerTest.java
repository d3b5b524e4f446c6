package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.FrozenRevision3Node;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A node of this release (revision 4) and one of the previous release ({@link FrozenRevision3Node}, the frozen
 * revision 3 codec) exchange messages both ways (docs/PROTOCOL.md, "Wire evolution", 7.6, and section 12): a
 * message larger than one datagram goes to the revision 3 node whole, as revision 3 itself sends it, once the
 * node is known not to read fragments (until then it is held); one larger than a UDP datagram fails with UNSUPPORTED_BY_PEER once the
 * peer is known to be revision 3; the revision 3 node never sees a FRAGMENT. Seeded simulated network,
 * manual clock.
 */
class Revision3PeerTest {
    private static final long MS = 1_000_000L;
    private static final int MAX_RETRIES = 5;
    private static final InetSocketAddress OLD = new InetSocketAddress("10.0.0.9", 7000);

    private static MessengerConfig.Builder settings(MessengerConfig.Builder b) {
        return b.interval(Duration.ofMillis(100)).maxRetries(MAX_RETRIES).maxDatagramSize(1472)
                .peer("old", "10.0.0.9", 7000);
    }

    private static byte[] message(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void messagesOfEverySizeFlowBothWaysAndTheOldNodeGetsLargeOnesWholeNeverAFragment() {
        SimulatedCluster c = new SimulatedCluster(31);
        SimulatedCluster.Node fresh = c.add("new", 1, Revision3PeerTest::settings);
        FrozenRevision3Node old = new FrozenRevision3Node(c.network.endpoint(OLD), 9, 9_003L,
                c.clock::currentTimeMillis);
        c.participant(old::poll);
        c.startAll();
        byte[] small = message(100, 1);
        byte[] large = message(16_384, 2);
        fresh.send("old", small, null);
        fresh.send("old", large, null); // before the old node's revision is known: held until it is
        c.runFor(50 * MS);
        assertThat(fresh.messenger.stats("old").protocolRevision()).as("answered the probe").isEqualTo(3);
        byte[] later = message(40_000, 3);
        fresh.send("old", later, null); // after: still whole, the old node reads no fragments
        old.send(fresh.address, 1, large, 1);
        c.runFor(50 * MS);

        assertThat(old.delivered()).containsExactly(small, later, large); // the held one with its retransmission
        assertThat(old.deliveredDatagramSizes().get(1)).as("whole, over the datagram size").isGreaterThan(40_000);
        assertThat(old.deliveredDatagramSizes().get(2)).isGreaterThan(16_384);
        assertThat(old.unknownFramesSkipped()).as("no FRAGMENT or FRAGMENT_ACK reached it").isZero();
        assertThat(old.malformed()).isEmpty();
        assertThat(fresh.acked).hasSize(3);
        assertThat(fresh.messenger.stats("old").fragmentsSent()).isZero();
        assertThat(fresh.delivered).singleElement().satisfies(m -> assertThat(m.payload()).isEqualTo(large));
        assertThat(old.acked()).containsExactly(1L);
    }

    @Test
    void aMessageTooLargeForOneUdpDatagramFailsAsUnsupportedOnceThePeerIsKnownToBeRevision3() {
        SimulatedCluster c = new SimulatedCluster(32);
        SimulatedCluster.Node fresh = c.add("new", 1, Revision3PeerTest::settings);
        FrozenRevision3Node old = new FrozenRevision3Node(c.network.endpoint(OLD), 9, 9_003L,
                c.clock::currentTimeMillis);
        c.participant(old::poll);
        c.startAll();
        byte[] huge = message(MessengerConfig.MAX_WHOLE_PAYLOAD_SIZE + 1, 4);
        fresh.send("old", huge, "huge".getBytes()); // held while the old node's revision is found out
        c.runFor(50 * MS);
        assertThat(fresh.failures).isEmpty();
        c.runFor(100 * MS); // its next copy is due: the peer is known now
        assertThat(fresh.failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.UNSUPPORTED_BY_PEER);
            assertThat(f.userBuffer()).isEqualTo("huge".getBytes());
        });
        fresh.send("old", huge, "again".getBytes()); // known now: refused at once
        c.runFor(MS);
        assertThat(fresh.failures).hasSize(2);
        assertThat(fresh.failures.get(1).reason()).isEqualTo(FailureReason.UNSUPPORTED_BY_PEER);
        assertThat(old.delivered()).isEmpty();
        assertThat(Arrays.asList(old.malformed().toArray())).isEmpty();
    }
}
