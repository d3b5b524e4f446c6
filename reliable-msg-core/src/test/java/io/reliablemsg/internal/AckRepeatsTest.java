package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameVisitor;
import io.reliablemsg.wire.WireFormat;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which acks {@link Outbound} sends again ({@link AckRepeats}, docs/PROTOCOL.md, "Repeated acks"), pass by pass:
 * nothing before the path's first duplicate; after it, each ack in the room left in the next two datagrams of
 * the path, never in its own, newest first; the same frame each time; none once a quarter interval old (both
 * sides of the bound); none an interval after the last duplicate (both sides); at most one datagram more per
 * pass, and none for repeats alone; the newest {@link AckRepeats#CAPACITY} kept; none with bundling off.
 * Interval 100 ms.
 */
class AckRepeatsTest {
    private static final long MS = 1_000_000L;
    private static final long NOW_MILLIS = 1_800_000_000_000L;
    private static final long T0 = 5_000 * MS;
    private static final InetSocketAddress B = new InetSocketAddress("10.0.0.2", 7000);

    /** Each datagram sent: its ACK frames as "id(echo,ackTime,tx)", or just ids with {@link #ids}. */
    private final List<List<String>> sent = new ArrayList<>();
    private final PeerOutbox box = new PeerOutbox(B, 1472);

    private final Transport transport = new Transport() {
        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("10.0.0.1", 7000);
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            List<String> acks = new ArrayList<>();
            assertThat(DatagramReader.read(datagram.duplicate(), acks, new FrameVisitor<List<String>>() {
                @Override
                public void onData(List<String> f, int c, long i, long id, long t, int tx, ByteBuffer d, int o, int l) {
                    f.add("data " + id);
                }

                @Override
                public void onAck(List<String> f, int c, long i, int oc, long oi, long id, long echo, long at, int tx) {
                    f.add(id + "(" + (echo - NOW_MILLIS) + "," + (at - NOW_MILLIS) + "," + tx + ")");
                }
            })).isNull();
            sent.add(acks);
            return true;
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) {
            return null;
        }

        @Override
        public void await(long timeoutNs) {
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() {
        }
    };

    private Outbound outbound(int bundleSize) {
        return new Outbound(MessengerConfig.builder().clientId(9).interval(Duration.ofMillis(100)).bundleSize(bundleSize)
                .build(), 77, transport, null);
    }

    /** Acks message {@code id} (echo -id ms, acked at +atMs, id transmissions) at {@code T0 + atMs}. */
    private static void ack(Outbound out, PeerOutbox to, long id, boolean duplicate, long atMs) {
        out.messageAck(to, 2, 20, id, NOW_MILLIS - id, (int) id, duplicate, T0 + atMs * MS, NOW_MILLIS + atMs);
    }

    /** One pass at {@code atMs}: acks {@code ids} (the first a duplicate when so said), then the end of the pass. */
    private static void pass(Outbound out, PeerOutbox to, long atMs, boolean firstIsDuplicate, long... ids) {
        for (int i = 0; i < ids.length; i++) {
            ack(out, to, ids[i], i == 0 && firstIsDuplicate, atMs);
        }
        out.flush(T0 + atMs * MS);
    }

    private List<List<Long>> ids() {
        return sent.stream().map(d -> d.stream().map(a -> Long.parseLong(a.substring(0, a.indexOf('(')))).toList())
                .toList();
    }

    @Test
    void withoutADuplicateNothingIsKeptAndEveryAckGoesOnce() {
        Outbound out = outbound(1472);
        pass(out, box, 0, false, 1);
        pass(out, box, 1, false, 2, 3);
        pass(out, box, 2, false, 4);

        assertThat(ids()).containsExactly(List.of(1L), List.of(2L, 3L), List.of(4L));
        assertThat(box.ackRepeats).as("no memory for a link with no duplicates").isNull();
    }

    @Test
    void afterADuplicateEachAckGoesAgainInTheNextTwoDatagramsTheSameFrame() {
        Outbound out = outbound(1472);
        pass(out, box, 0, true, 1);
        pass(out, box, 1, false, 2);
        pass(out, box, 2, false, 3, 4);
        pass(out, box, 3, false, 5);
        pass(out, box, 4, false, 6);

        assertThat(ids()).containsExactly(List.of(1L), List.of(2L, 1L), List.of(3L, 4L, 2L, 1L),
                List.of(5L, 4L, 3L, 2L), List.of(6L, 5L, 4L, 3L));
        assertThat(sent.get(2)).as("the first frame again: echo, ack time and transmissions as they were")
                .containsExactly("3(-3,2,3)", "4(-4,2,4)", "2(-2,1,2)", "1(-1,0,1)");
    }

    @Test
    void anAckIsRepeatedUntilAQuarterIntervalAfterItWasSentNotAtIt() {
        Outbound out = outbound(1472);
        pass(out, box, 0, true, 1);
        out.messageAck(box, 2, 20, 2, NOW_MILLIS, 1, false, T0 + 25 * MS - 1, NOW_MILLIS + 24);
        out.flush(T0 + 25 * MS - 1);
        out.messageAck(box, 2, 20, 3, NOW_MILLIS, 1, false, T0 + 25 * MS, NOW_MILLIS + 25);
        out.flush(T0 + 25 * MS);

        assertThat(ids()).containsExactly(List.of(1L), List.of(2L, 1L), List.of(3L, 2L));
    }

    @Test
    void anIntervalAfterTheLastDuplicateAcksAreNeitherKeptNorRepeated() {
        Outbound out = outbound(1472);
        pass(out, box, 0, true, 1);
        pass(out, box, 80, false, 2); // 1 is too old by now
        out.messageAck(box, 2, 20, 3, NOW_MILLIS, 1, false, T0 + 100 * MS, NOW_MILLIS + 100);
        out.flush(T0 + 100 * MS); // an interval after the duplicate: still repeats 2
        out.messageAck(box, 2, 20, 4, NOW_MILLIS, 1, false, T0 + 100 * MS + 1, NOW_MILLIS + 100);
        out.flush(T0 + 100 * MS + 1); // just past it: 3 was kept, but nothing goes again
        pass(out, box, 101, true, 5); // a new duplicate: from here on again (2, kept at 80, for the second time)
        pass(out, box, 102, false, 6);

        assertThat(ids()).containsExactly(List.of(1L), List.of(2L), List.of(3L, 2L), List.of(4L), List.of(5L, 3L, 2L),
                List.of(6L, 5L, 3L));
    }

    @Test
    void whatDoesNotFitTheDatagramGoesInOneMoreAndNoDatagramGoesForRepeatsAlone() {
        int threeAcks = WireFormat.HEADER_LENGTH + 3 * WireFormat.ACK_LENGTH + MessengerConfig.TRAILER_RESERVE_BYTES;
        Outbound out = outbound(threeAcks);
        pass(out, box, 0, true, 1, 2);
        pass(out, box, 1, false, 3, 4, 5, 6);
        out.flush(T0 + 2 * MS); // a pass with nothing for the path

        assertThat(ids()).containsExactly(List.of(1L, 2L),
                List.of(3L, 4L, 5L), // full: sent as the fourth came
                List.of(6L, 5L, 4L), // room for two repeats, newest first
                List.of(6L, 3L, 2L)); // one more datagram, of repeats only: not yet repeated first; 1 waits
    }

    @Test
    void theNewestAcksAreKept() {
        Outbound out = outbound(65_507);
        PeerOutbox box = new PeerOutbox(B, 65_507);
        long[] many = new long[AckRepeats.CAPACITY + 6];
        for (int i = 0; i < many.length; i++) {
            many[i] = i + 1;
        }
        pass(out, box, 0, true, many);
        pass(out, box, 1, false, 1_000);

        List<Long> second = ids().get(1);
        assertThat(second).as("1000 and the 63 newest before it").hasSize(AckRepeats.CAPACITY);
        assertThat(second.get(1)).isEqualTo(many.length);
        assertThat(second.get(AckRepeats.CAPACITY - 1)).isEqualTo(many.length - AckRepeats.CAPACITY + 2);
    }

    @Test
    void withBundlingOffNothingIsKept() {
        Outbound out = outbound(0);
        pass(out, box, 0, true, 1);
        pass(out, box, 1, false, 2);

        assertThat(ids()).containsExactly(List.of(1L), List.of(2L));
        assertThat(box.ackRepeats).isNull();
    }
}
