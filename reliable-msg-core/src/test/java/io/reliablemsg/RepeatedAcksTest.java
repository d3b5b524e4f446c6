package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameVisitor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Repeated acks (docs/PROTOCOL.md, "Repeated acks"), end to end on a simulated pair: once a duplicate came
 * from the sender (one of our acks did not reach it), the receiver's next datagrams to it carry its recent ACK
 * frames again, so an ack lost on the way costs no copy of its message; on a link with no duplicates no ack
 * goes twice; a repeat is the same frame, so the sender's age check (S9) drops one that comes too late; a
 * repeat of an ack already taken is counted in {@code unmatchedAcks} and does nothing else. Manual clock;
 * interval 100 ms; a fixed one-way delay, 1 ms unless a test says otherwise; a sends, b acks.
 */
class RepeatedAcksTest {
    private static final long MS = 1_000_000L;

    private final SimulatedCluster cluster = new SimulatedCluster(7);
    private final SimulatedCluster.Node a;
    private final SimulatedCluster.Node b;
    /** Message ids of the ACK frames of each datagram b sent, dropped or not. */
    private final List<List<Long>> acksFromB = new ArrayList<>();
    /** Message whose first ack is lost: the first datagram of b that acks it is dropped. */
    private long loseFirstAckOf = -1;

    RepeatedAcksTest() {
        var settings = (java.util.function.UnaryOperator<MessengerConfig.Builder>) x -> x
                .interval(Duration.ofMillis(100)).maxRetries(4).heartbeatInterval(Duration.ZERO);
        a = cluster.add("a", 1, settings);
        b = cluster.add("b", 2, settings);
        cluster.network.delayNs(MS, MS);
        cluster.startAll();
        cluster.runFor(50 * MS); // the capabilities exchange is done
        b.dropOutgoing = d -> {
            List<Long> ids = ackIds(d);
            if (ids.isEmpty()) {
                return false;
            }
            acksFromB.add(ids);
            boolean lose = ids.contains(loseFirstAckOf);
            if (lose) {
                loseFirstAckOf = -1;
            }
            return lose;
        };
    }

    private static List<Long> ackIds(ByteBuffer datagram) {
        List<Long> ids = new ArrayList<>();
        DatagramReader.read(datagram, null, new FrameVisitor<Object>() {
            @Override
            public void onData(Object c, int s, long i, long msgId, long t, int tx, ByteBuffer d, int o, int l) {
            }

            @Override
            public void onAck(Object c, int s, long i, int oc, long oi, long msgId, long e, long t, int tx) {
                ids.add(msgId);
            }
        });
        return ids;
    }

    private long send(String text) {
        long id = a.send("b", text.getBytes(), null);
        assertThat(id).isNotEqualTo(ReliableMessenger.NOT_ACCEPTED);
        return id;
    }

    private PeerStats sender() {
        return a.messenger.stats("b");
    }

    /** m1's first ack is lost: the timer sends m1 again, b sees a duplicate, and acks to a are repeated from now. */
    private long duplicateFromA() {
        long m1 = send("m1");
        loseFirstAckOf = m1;
        cluster.runFor(150 * MS);
        assertThat(a.acked).containsExactly(m1);
        assertThat(b.messenger.stats("a").duplicates()).isOne();
        assertThat(sender().retransmitted()).isOne();
        return m1;
    }

    @Test
    void anAckLostAfterADuplicateIsRepeatedInTheNextDatagramAndItsMessageGetsNoCopy() {
        long m1 = duplicateFromA();
        cluster.runFor(30 * MS); // m1's ack is older than a quarter interval now: not repeated with m2's
        long m2 = send("m2");
        loseFirstAckOf = m2;
        cluster.runFor(10 * MS);
        assertThat(a.acked).containsExactly(m1);
        long m3 = send("m3"); // 10 ms after m2, 89 ms after the duplicate: its ack proves m2 lost, but m2's comes too
        cluster.runFor(5 * MS);

        assertThat(acksFromB.get(acksFromB.size() - 1)).as("m3's ack, then m2's again").containsExactly(m3, m2);
        assertThat(a.acked).containsExactly(m1, m3, m2);
        assertThat(sender().fastRetransmits()).as("m2 is acked before its copy would go").isZero();
        assertThat(sender().retransmitted()).as("m1's only").isOne();
        assertThat(b.messenger.stats("a").duplicates()).as("m1's only").isOne();
        assertThat(sender().unmatchedAcks()).isZero();

        long m4 = send("m4");
        cluster.runFor(5 * MS);
        assertThat(acksFromB.get(acksFromB.size() - 1)).as("m2's second repeat, m3's first")
                .containsExactly(m4, m3, m2);
        assertThat(sender().unmatchedAcks()).as("repeats of acks already taken: counted, nothing else")
                .isEqualTo(2);
        assertThat(a.acked).containsExactly(m1, m3, m2, m4);
        assertThat(a.failures).isEmpty();
    }

    @Test
    void onALinkWithNoDuplicatesEveryAckGoesOnce() {
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(send("m" + i));
            cluster.runFor(3 * MS);
        }
        cluster.runFor(100 * MS);

        assertThat(a.acked).containsExactlyElementsOf(sent);
        assertThat(acksFromB.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(sent);
        assertThat(sender().unmatchedAcks()).isZero();
    }

    @Test
    void anIntervalAfterTheLastDuplicateAcksGoOnceAgain() {
        duplicateFromA(); // the duplicate reached b 101 ms after m1 was sent, 49 ms ago
        cluster.runFor(52 * MS); // an interval and 1 ms after it
        int before = acksFromB.size();
        long m2 = send("m2");
        cluster.runFor(5 * MS);
        long m3 = send("m3");
        cluster.runFor(5 * MS);

        assertThat(acksFromB.subList(before, acksFromB.size())).containsExactly(List.of(m2), List.of(m3));
    }

    @Test
    void aRepeatThatArrivesOlderThanTheIntervalIsDroppedAsStaleByTheSendersOwnClock() {
        cluster.network.delayNs(45 * MS, 45 * MS); // a round trip of 90 ms: a repeat 20 ms later arrives at 110
        long m1 = send("m1");
        loseFirstAckOf = m1;
        cluster.runFor(150 * MS); // m1 again at 100 ms, a duplicate at b at 145 (its ack is back at 190)
        long m2 = send("m2");
        loseFirstAckOf = m2;
        cluster.runFor(20 * MS);
        long m3 = send("m3");
        cluster.runFor(91 * MS); // m3's ack, and m2's again, 110 ms after m2 left

        assertThat(acksFromB).containsExactly(List.of(m1), List.of(m1), List.of(m2), List.of(m3, m2));
        assertThat(sender().staleAcksDropped()).as("the repeat of m2's ack, judged as its first copy").isOne();
        assertThat(a.acked).containsExactly(m1, m3);
        assertThat(sender().retransmitted()).as("m1's, and m2's at its deadline, before the repeat came (a repeat"
                + " is stale only after its message's timer fired)").isEqualTo(2);
        cluster.runFor(100 * MS); // the ack of m2's second copy
        assertThat(a.acked).containsExactly(m1, m3, m2);
        assertThat(a.failures).isEmpty();
    }
}
