package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameVisitor;
import io.reliablemsg.wire.WireFormat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A message tracer's trace context travels with the message, in a TRACE_CONTEXT frame (docs/PROTOCOL.md, "Trace
 * context"), to the receiver's handler: for DATA and REQUEST in the datagram of the frame itself, on every copy;
 * for a message in fragments ahead of each copy's fragments; with acks after the handler too. Without a tracer
 * no such frame is written and nothing is carried. Seeded simulated network, manual clock.
 */
class TraceContextCarriageTest {
    private static final long MS = 1_000_000L;
    private static final TraceContext TRACE = TraceContext.of(0x0af7651916cd43ddL, 0x8448eb211c80319cL,
            0xb7ad6b7169203331L, TraceContext.FLAG_SAMPLED, "rojo=00f067aa0ba902b7");

    /** What one node sent, frame by frame: "type msgId" per frame, one list per datagram. */
    private static final class Sent {
        final List<List<String>> datagrams = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();

        /** Records the frames of {@code datagram}; returns them. */
        List<String> record(ByteBuffer datagram) {
            List<String> frames = new ArrayList<>();
            datagrams.add(frames);
            sizes.add(datagram.remaining());
            DatagramReader.read(datagram, frames, new FrameVisitor<List<String>>() {
                @Override
                public void onData(List<String> f, int c, long i, long msgId, long sendTime, int t, ByteBuffer d,
                                   int offset, int length) {
                    f.add("DATA " + msgId);
                }

                @Override
                public void onAck(List<String> f, int c, long i, int oc, long oi, long msgId, long echoed, long at,
                                  int t) {
                    f.add("ACK " + msgId);
                }

                @Override
                public void onRequest(List<String> f, int c, long i, long msgId, long sendTime, int t, ByteBuffer d,
                                      int offset, int length) {
                    f.add("REQUEST " + msgId);
                }

                @Override
                public void onFragment(List<String> f, int c, long i, long msgId, long sendTime, int t, int length,
                                       int index, int count, int offset, ByteBuffer d, int dataOffset, int dataLength) {
                    f.add("FRAGMENT " + msgId);
                }

                @Override
                public void onTraceContext(List<String> f, int c, long i, long msgId, int version, int flags,
                                           long high, long low, long span, ByteBuffer d, int offset, int length) {
                    f.add("TRACE_CONTEXT " + msgId);
                }
            });
            return frames;
        }

        long traceFrames() {
            return datagrams.stream().flatMap(List::stream).filter(f -> f.startsWith("TRACE_CONTEXT")).count();
        }
    }

    private static MessengerConfig.Builder settings(MessengerConfig.Builder b) {
        return b.interval(Duration.ofMillis(100)).maxRetries(5).maxDatagramSize(1472);
    }

    private static Sent watch(SimulatedCluster.Node node) {
        Sent sent = new Sent();
        node.dropOutgoing = d -> {
            sent.record(d);
            return false;
        };
        return sent;
    }

    @Test
    void aMessageCarriesItsTracersContextToTheHandlerInTheDatagramOfItsData() {
        SimulatedCluster c = new SimulatedCluster(41);
        SimulatedCluster.Node a = c.add("a", 1, TraceContextCarriageTest::settings);
        SimulatedCluster.Node b = c.add("b", 2, TraceContextCarriageTest::settings);
        List<String> asked = new ArrayList<>();
        a.tracer = (peer, msgId, request) -> {
            asked.add(peer + " " + msgId + " " + request);
            return TRACE;
        };
        c.startAll();
        c.runFor(50 * MS); // capabilities known both ways
        Sent sent = watch(a);
        long id = a.send("b", "hello".getBytes(), null);
        c.runFor(50 * MS);

        assertThat(asked).containsExactly("b " + id + " false");
        assertThat(b.deliveredTraces).containsExactly(TRACE);
        assertThat(sent.datagrams).anySatisfy(frames ->
                assertThat(frames).containsSubsequence("TRACE_CONTEXT " + id, "DATA " + id));
        assertThat(a.acked).containsExactly(id);
    }

    @Test
    void withoutATracerNoTraceContextFrameIsWrittenAndNoneIsDelivered() {
        SimulatedCluster c = new SimulatedCluster(42);
        SimulatedCluster.Node a = c.add("a", 1, TraceContextCarriageTest::settings);
        SimulatedCluster.Node b = c.add("b", 2, TraceContextCarriageTest::settings);
        c.startAll();
        c.runFor(50 * MS);
        Sent sent = watch(a);
        a.send("b", "hello".getBytes(), null);
        a.request("b", "question".getBytes(), null);
        a.send("b", new byte[5_000], null); // in fragments
        c.runFor(100 * MS);

        assertThat(b.delivered).hasSize(2);
        assertThat(b.deliveredTraces).containsExactly(null, null);
        assertThat(b.handledRequestTraces).containsExactly((TraceContext) null);
        assertThat(sent.datagrams).isNotEmpty();
        assertThat(sent.traceFrames()).isZero();
    }

    @Test
    void everyCopyCarriesTheContextSoARetransmissionThatArrivesBringsIt() {
        SimulatedCluster c = new SimulatedCluster(43);
        SimulatedCluster.Node a = c.add("a", 1, TraceContextCarriageTest::settings);
        SimulatedCluster.Node b = c.add("b", 2, TraceContextCarriageTest::settings);
        a.tracer = (peer, msgId, request) -> TRACE;
        c.startAll();
        c.runFor(50 * MS);
        Sent sent = new Sent();
        boolean[] lostOne = new boolean[1];
        a.dropOutgoing = d -> {
            boolean data = sent.record(d).stream().anyMatch(f -> f.startsWith("DATA"));
            if (data && !lostOne[0]) {
                lostOne[0] = true;
                return true; // the first copy is lost
            }
            return false;
        };
        long id = a.send("b", "hello".getBytes(), null);
        c.runFor(300 * MS);

        assertThat(a.messenger.stats("b").retransmitted()).isPositive();
        assertThat(b.deliveredTraces).containsExactly(TRACE);
        assertThat(sent.traceFrames()).as("one per copy").isGreaterThanOrEqualTo(2);
        assertThat(a.acked).containsExactly(id);
    }

    @Test
    void aRequestAndAMessageInFragmentsCarryItAndNoDatagramGrowsPastThePath() {
        SimulatedCluster c = new SimulatedCluster(44);
        SimulatedCluster.Node a = c.add("a", 1, TraceContextCarriageTest::settings);
        SimulatedCluster.Node b = c.add("b", 2, TraceContextCarriageTest::settings);
        a.tracer = (peer, msgId, request) -> TRACE;
        c.startAll();
        c.runFor(50 * MS);
        Sent sent = watch(a);
        byte[] large = new byte[20_000];
        new Random(7).nextBytes(large);
        byte[] fits = new byte[1472 - 20 - 32 - 24]; // fills a datagram alone: its context goes in the one before
        CompletableFuture<Reply> reply = a.request("b", "question".getBytes(), null);
        a.send("b", large, null);
        a.send("b", fits, null);
        c.runFor(200 * MS);

        assertThat(reply).isCompleted();
        assertThat(b.handledRequestTraces).containsExactly(TRACE);
        assertThat(b.deliveredTraces).containsExactly(TRACE, TRACE);
        assertThat(b.delivered).anySatisfy(m -> assertThat(m.payload()).isEqualTo(large));
        assertThat(a.messenger.stats("b").fragmentsSent()).isGreaterThan(10);
        assertThat(sent.sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(1472));
    }

    @Test
    void withAcksAfterTheHandlerTheHandlerGetsTheContextToo() {
        SimulatedCluster c = new SimulatedCluster(45);
        SimulatedCluster.Node a = c.add("a", 1, TraceContextCarriageTest::settings);
        SimulatedCluster.Node b = c.add("b", 2, s -> settings(s).ackMode(AckMode.AFTER_HANDLER));
        a.tracer = (peer, msgId, request) -> TRACE;
        c.startAll();
        c.runFor(50 * MS);
        long id = a.send("b", "hello".getBytes(), null);
        c.runFor(100 * MS);

        assertThat(b.deliveredTraces).containsExactly(TRACE);
        assertThat(a.acked).containsExactly(id);
    }

    @Test
    void aTracerThatThrowsLeavesTheMessageUntracedButSent() {
        SimulatedCluster c = new SimulatedCluster(46);
        SimulatedCluster.Node a = c.add("a", 1, TraceContextCarriageTest::settings);
        SimulatedCluster.Node b = c.add("b", 2, TraceContextCarriageTest::settings);
        a.tracer = (peer, msgId, request) -> {
            throw new IllegalStateException("tracer down");
        };
        c.startAll();
        c.runFor(50 * MS);
        long id = a.send("b", "hello".getBytes(), null);
        c.runFor(50 * MS);

        assertThat(b.deliveredTraces).containsExactly((TraceContext) null);
        assertThat(a.acked).containsExactly(id);
        assertThat(WireFormat.FEATURES & WireFormat.FEATURE_TRACE_CONTEXT).isNotZero();
    }
}
