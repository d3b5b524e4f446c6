package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Fragments} against a recording output, time by hand: what goes whole and what in fragments, to peers
 * that read fragments, do not, or are not known yet; a copy sends only the unacked fragments; a fragment ack is
 * judged (ours, fresh on the interval's edge, matching a fragmented message of this peer, news) and proves lost
 * what it overtook; it schedules the message's probe one probe delay on.
 */
class FragmentsTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL_MS = 100;
    private static final long T0 = 9_000 * MS;
    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final int CLIENT_ID = 1;
    private static final long INCARNATION = 5;
    private static final long RECEIVER = 77;
    /** 600 - 20 (header) - 32 (trailer reserve) - 24 (DATA head). */
    private static final int WHOLE_FITS = 524;
    /** 600 - 20 - 32 - 40 (FRAGMENT head). */
    private static final int PER_FRAGMENT = 508;

    private final PeerPaths paths = new PeerPaths("b", 0, List.of(new InetSocketAddress("10.1.0.2", 7000),
            new InetSocketAddress("10.2.0.2", 7000)), 600);
    private final PeerSendState peer = new PeerSendState("b", 0, paths, new PeerLiveness("b", paths),
            new PeerCapabilities("b", paths, true));
    private final RetransmitChain chain = new RetransmitChain(16, 2, INTERVAL_MS * MS, 4);
    /** What went out: "data 1@0" or "1#2@0" (fragment 2 of message 1 on path 0). */
    private final List<String> sent = new ArrayList<>();
    private boolean reads = true;
    private boolean settled = true;

    private final DataOut out = new DataOut() {
        @Override
        public void data(PeerOutbox to, PendingMessage m, long nowMillis) {
            sent.add("data " + m.msgId() + "@" + path(to));
        }

        @Override
        public void fragment(PeerOutbox to, PendingMessage m, int index, long nowMillis) {
            sent.add(m.msgId() + "#" + index + "@" + path(to));
        }
    };

    private final PeerFeatures features = new PeerFeatures() {
        @Override
        public boolean reads(PeerCapabilities p, long feature) {
            return reads;
        }

        @Override
        public boolean settled(PeerCapabilities p) {
            return settled;
        }
    };

    private int path(PeerOutbox to) {
        return to == paths.paths[0].outbox ? 0 : to == paths.paths[1].outbox ? 1 : -1;
    }

    private static MessengerConfig.Builder config() {
        return MessengerConfig.builder().clientId(CLIENT_ID).interval(Duration.ofMillis(INTERVAL_MS))
                .maxDatagramSize(600);
    }

    private Fragments fragments() {
        return fragments(config().build());
    }

    private Fragments fragments(MessengerConfig config) {
        return new Fragments(config, INCARNATION, features, chain, out);
    }

    private PendingMessage onChain(long msgId, int length) {
        PendingMessage m = new PendingMessage(msgId, 0, new byte[length], null);
        chain.add(m, T0);
        m.lastPath(0);
        return m;
    }

    /** Fragment ack of fragment {@code index} of {@code msgId} on path {@code via}, echoing {@code echoed}. */
    private void ack(Fragments f, long msgId, int index, long echoed, int via) {
        f.onAck(peer, paths.paths[via].outbox, RECEIVER, CLIENT_ID, INCARNATION, msgId, echoed, index, T0, NOW_MILLIS);
    }

    /** The timer's copy of {@code m}: its transmission count goes up, then it is sent. */
    private void retransmit(Fragments f, PendingMessage m) {
        chain.pollDue(0, m.deadlineNs(), NOW_MILLIS, 10, new RetransmitChain.Listener() {
            @Override
            public void onRetransmit(PendingMessage due, long nowNs, long nowMillis) {
                f.send(peer, due, paths.paths[0].outbox, out, nowNs, nowMillis);
            }

            @Override
            public void onExhausted(PendingMessage due, long nowNs) {
            }
        });
    }

    @Test
    void aMessageThatFitsADatagramGoesAsOneDataFrameAndOneByteMoreGoesInFragments() {
        Fragments f = fragments();
        PendingMessage fits = onChain(1, WHOLE_FITS);
        PendingMessage over = onChain(2, WHOLE_FITS + 1);
        assertThat(f.large(fits)).isFalse();
        assertThat(f.large(over)).isTrue();

        f.send(peer, fits, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        f.send(peer, over, paths.paths[1].outbox, out, T0, NOW_MILLIS);
        assertThat(sent).containsExactly("data 1@0", "2#0@1", "2#1@1");
        assertThat(fits.fragments()).isNull();
        assertThat(over.fragments().count()).isEqualTo(2);
        assertThat(over.fragments().fragmentBytes()).isEqualTo(PER_FRAGMENT);
        assertThat(peer.fragmentsSent.get()).isEqualTo(2);
        assertThat(peer.fragmentsRetransmitted.get()).as("a first copy").isZero();
    }

    @Test
    void aMessageOfExactlyWholeFragmentsHasNoEmptyLastOne() {
        PendingMessage m = onChain(1, 3 * PER_FRAGMENT);
        fragments().send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        assertThat(m.fragments().count()).isEqualTo(3);
        assertThat(sent).containsExactly("1#0@0", "1#1@0", "1#2@0");
    }

    @Test
    void theTimersCopySendsOnlyTheUnackedFragmentsAndCountsThemRetransmitted() {
        Fragments f = fragments();
        PendingMessage m = onChain(1, 4 * PER_FRAGMENT);
        f.send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        ack(f, 1, 0, NOW_MILLIS, 0);
        ack(f, 1, 2, NOW_MILLIS, 0);
        sent.clear();
        retransmit(f, m);

        assertThat(sent).containsExactly("1#1@0", "1#3@0");
        assertThat(peer.fragmentsSent.get()).isEqualTo(6);
        assertThat(peer.fragmentsRetransmitted.get()).isEqualTo(2);
    }

    @Test
    void whenEveryFragmentWasAckedButTheMessageNotTheNextCopySendsThemAllAgain() {
        Fragments f = fragments();
        PendingMessage m = onChain(1, 2 * PER_FRAGMENT);
        f.send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        ack(f, 1, 0, NOW_MILLIS, 0);
        ack(f, 1, 1, NOW_MILLIS, 0);
        sent.clear();
        retransmit(f, m);
        assertThat(sent).as("the receiver lost its part").containsExactly("1#0@0", "1#1@0");
        assertThat(m.fragments().ackedCount()).isZero();
    }

    @Test
    void toAPeerKnownNotToReadFragmentsAMessageGoesWholeUpToTheLargestDatagramAndALargerOneIsRefused() {
        Fragments f = fragments(config().maxMessageSize(1 << 20).build());
        reads = false;
        PendingMessage largest = onChain(1, MessengerConfig.MAX_WHOLE_PAYLOAD_SIZE);
        PendingMessage larger = onChain(2, MessengerConfig.MAX_WHOLE_PAYLOAD_SIZE + 1);
        assertThat(f.refused(peer, largest)).isFalse();
        assertThat(f.refused(peer, larger)).isTrue();
        f.send(peer, largest, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        f.send(peer, larger, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        assertThat(sent).containsExactly("data 1@0");

        reads = true;
        assertThat(f.refused(peer, larger)).as("to a peer that reads them").isFalse();
    }

    @Test
    void whileThePeersCapabilitiesAreBeingFoundOutALargeMessageIsHeldNotRefused() {
        Fragments f = fragments(config().maxMessageSize(1 << 20).build());
        reads = false;
        settled = false;
        PendingMessage m = onChain(1, MessengerConfig.MAX_WHOLE_PAYLOAD_SIZE + 1);
        PendingMessage small = onChain(2, 1_000);
        assertThat(f.refused(peer, m)).isFalse();
        f.send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        f.send(peer, small, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        assertThat(sent).isEmpty();
        assertThat(peer.fragmentsSent.get()).isZero();
    }

    @Test
    void aFragmentAckIsTakenOnlyWhenItIsOursFreshOnTheIntervalsEdgeAndNews() {
        Fragments f = fragments();
        PendingMessage m = onChain(1, 4 * PER_FRAGMENT);
        PendingMessage whole = onChain(2, 100);
        PendingMessage otherPeers = new PendingMessage(3, 1, new byte[4 * PER_FRAGMENT], null);
        chain.add(otherPeers, T0);
        f.send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        f.send(peer, whole, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        f.send(peer, otherPeers, paths.paths[0].outbox, out, T0, NOW_MILLIS);

        f.onAck(peer, paths.paths[0].outbox, RECEIVER, CLIENT_ID + 1, INCARNATION, 1, NOW_MILLIS, 0, T0, NOW_MILLIS);
        f.onAck(peer, paths.paths[0].outbox, RECEIVER, CLIENT_ID, INCARNATION + 1, 1, NOW_MILLIS, 0, T0, NOW_MILLIS);
        assertThat(peer.unmatchedAcks.get()).as("another process's, an earlier incarnation's").isEqualTo(2);
        ack(f, 1, 1, NOW_MILLIS - INTERVAL_MS - 1, 0);
        assertThat(peer.staleAcksDropped.get()).isEqualTo(1);
        ack(f, 1, 0, NOW_MILLIS - INTERVAL_MS, 0);
        assertThat(m.fragments().acked(0)).as("a round trip of the interval itself is fresh").isTrue();
        assertThat(m.fragments().acked(1)).isFalse();

        ack(f, 1, 0, NOW_MILLIS, 0);
        ack(f, 2, 0, NOW_MILLIS, 0);
        ack(f, 3, 0, NOW_MILLIS, 0);
        ack(f, 99, 0, NOW_MILLIS, 0);
        assertThat(peer.unmatchedAcks.get()).as("again; a whole message; another peer's; none").isEqualTo(6);
        assertThat(otherPeers.fragments().acked(0)).isFalse();
        assertThat(peer.staleAcksDropped.get()).isEqualTo(1);
    }

    @Test
    void anAckOvertakingEarlierFragmentsSendsThemAgainAtOnceOnThePathItCameByOncePerCopy() {
        Fragments f = fragments();
        PendingMessage m = onChain(1, 6 * PER_FRAGMENT);
        f.send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        sent.clear();
        ack(f, 1, 3, NOW_MILLIS, 1);
        assertThat(sent).as("3 places before 3: 0").containsExactly("1#0@1");
        ack(f, 1, 5, NOW_MILLIS, 1);
        assertThat(sent).containsExactly("1#0@1", "1#1@1", "1#2@1");
        ack(f, 1, 4, NOW_MILLIS, 1);
        assertThat(sent).as("once per copy").hasSize(3);
        assertThat(peer.fragmentsSent.get()).isEqualTo(9);
        assertThat(peer.fragmentsRetransmitted.get()).isEqualTo(3);
        assertThat(m.transmissions()).as("no retry used").isEqualTo(1);
        assertThat(m.deadlineNs()).isEqualTo(T0 + INTERVAL_MS * MS);
    }

    @Test
    void aLateAckOfAnEarlierCopyMakesNoEarlyCopiesInTheNewOne() {
        Fragments f = fragments();
        PendingMessage m = onChain(1, 6 * PER_FRAGMENT);
        f.send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS - 50);
        retransmit(f, m); // the timer's copy, stamped NOW_MILLIS
        sent.clear();
        ack(f, 1, 5, NOW_MILLIS - 50, 0);
        assertThat(m.fragments().acked(5)).isTrue();
        assertThat(sent).as("it says nothing of what the new copy sent").isEmpty();
        ack(f, 1, 4, NOW_MILLIS, 0);
        assertThat(sent).as("an ack of the new copy").containsExactly("1#0@0", "1#1@0");
    }

    @Test
    void aFreshFragmentAckSchedulesTheProbeTheLeastRoundTripAndItsAllowanceOn() {
        Fragments f = fragments();
        PendingMessage m = onChain(1, 6 * PER_FRAGMENT);
        f.send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS - 3);
        assertThat(f.nextProbeNs()).as("nothing acked yet: the copy's tail probe, 1 ms on").isEqualTo(T0 + MS);
        ack(f, 1, 4, NOW_MILLIS - 3, 0);
        f.runProbes(T0 + MS, NOW_MILLIS + 1);
        assertThat(f.nextProbeNs()).as("the ack made it a probe: 3 ms and 1 ms on").isEqualTo(T0 + 4 * MS);

        sent.clear();
        f.runProbes(T0 + 4 * MS - 1, NOW_MILLIS + 1);
        assertThat(sent).isEmpty();
        f.runProbes(T0 + 4 * MS, NOW_MILLIS + 1);
        assertThat(sent).as("every unacked fragment, on the last copy's path")
                .containsExactly("1#0@0", "1#1@0", "1#2@0", "1#3@0", "1#5@0");
        assertThat(peer.fastRetransmits.get()).isEqualTo(1);
    }

    @Test
    void withoutFastRetransmissionNoProbeIsScheduled() {
        Fragments f = fragments(config().fastRetransmit(false).build());
        PendingMessage m = onChain(1, 6 * PER_FRAGMENT);
        f.send(peer, m, paths.paths[0].outbox, out, T0, NOW_MILLIS);
        ack(f, 1, 4, NOW_MILLIS, 0);
        assertThat(f.nextProbeNs()).isEqualTo(Long.MAX_VALUE);
        sent.clear();
        f.runProbes(T0 + INTERVAL_MS * MS / 2, NOW_MILLIS + 50);
        assertThat(sent).isEmpty();
        assertThat(m.fragments().probeSlot()).isEqualTo(-1);
    }
}
