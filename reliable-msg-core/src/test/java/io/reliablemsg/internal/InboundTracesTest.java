package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.TraceContext;
import io.reliablemsg.receive.SenderIncarnations;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The trace contexts a peer sent ahead of its messages: kept by sender incarnation and message id until
 * taken once, a later copy's replacing an earlier one, the oldest of {@link InboundTraces#CAPACITY} replaced
 * first; what {@code keep} accepts from a TRACE_CONTEXT frame (docs/PROTOCOL.md, "Trace context").
 */
class InboundTracesTest {
    private static final long INCARNATION = 7;

    private static TraceContext context(long span) {
        return TraceContext.of(0x0af7651916cd43ddL, 0x8448eb211c80319cL, span, TraceContext.FLAG_SAMPLED, null);
    }

    @Test
    void aContextIsTakenOnceForItsOwnIncarnationAndId() {
        InboundTraces traces = new InboundTraces();
        traces.put(INCARNATION, 1, context(11));
        traces.put(INCARNATION + 1, 1, context(12));

        assertThat(traces.take(INCARNATION, 2)).as("another id").isNull();
        assertThat(traces.take(INCARNATION, 1)).isEqualTo(context(11));
        assertThat(traces.take(INCARNATION, 1)).as("taken already").isNull();
        assertThat(traces.take(INCARNATION + 1, 1)).as("the other incarnation's").isEqualTo(context(12));
        assertThat(InboundTraces.take(null, INCARNATION, 1)).as("a peer that sent none").isNull();
    }

    @Test
    void aLaterCopysContextReplacesTheEarlierOneInsteadOfTakingASecondPlace() {
        InboundTraces traces = new InboundTraces();
        traces.put(INCARNATION, 1, context(11));
        traces.put(INCARNATION, 1, context(21));

        assertThat(traces.take(INCARNATION, 1)).isEqualTo(context(21));
        assertThat(traces.take(INCARNATION, 1)).as("one place only").isNull();
    }

    @Test
    void theOldestIsReplacedOnceTheCapacityIsFull() {
        InboundTraces traces = new InboundTraces();
        for (long id = 1; id <= InboundTraces.CAPACITY + 1; id++) {
            traces.put(INCARNATION, id, context(100 + id));
        }
        assertThat(traces.take(INCARNATION, 1)).as("the oldest, replaced").isNull();
        for (long id = 2; id <= InboundTraces.CAPACITY + 1; id++) {
            assertThat(traces.take(INCARNATION, id)).as("id %d", id).isEqualTo(context(100 + id));
        }
    }

    @Test
    void keepIgnoresAllZeroIdsAndKeepsAContextWhoseTraceStateCannotBeRead() {
        PeerReceiveState peer = new PeerReceiveState("b", new SenderIncarnations(4, 1024, 1_000, 1_000));
        ByteBuffer datagram = ByteBuffer.wrap("xxrojo=00f067aa0ba902b7\u00ff".getBytes(StandardCharsets.ISO_8859_1));

        InboundTraces.keep(peer, INCARNATION, 1, 1, 0, 0, 5, datagram, 2, 4);
        InboundTraces.keep(peer, INCARNATION, 2, 1, 3, 4, 0, datagram, 2, 4);
        assertThat(peer.traces).as("nothing valid kept, nothing allocated").isNull();

        InboundTraces.keep(peer, INCARNATION, 3, 1, 0, 4, 5, datagram, 2, 21); // trace id high half zero: valid
        InboundTraces.keep(peer, INCARNATION, 4, 1, 3, 0, 5, datagram, 2, 0);
        InboundTraces.keep(peer, INCARNATION, 5, 1, 3, 4, 5, datagram, 2, 22); // ends in a byte not ASCII
        InboundTraces.keep(peer, INCARNATION, 6, 1, 3, 4, 5, datagram, 2, TraceContext.MAX_TRACE_STATE_LENGTH + 1);

        assertThat(InboundTraces.take(peer.traces, INCARNATION, 3).traceState()).isEqualTo("rojo=00f067aa0ba902b7");
        assertThat(InboundTraces.take(peer.traces, INCARNATION, 4).traceState()).as("no tracestate").isEmpty();
        TraceContext unreadable = InboundTraces.take(peer.traces, INCARNATION, 5);
        assertThat(unreadable.traceState()).as("tracestate dropped, context kept").isEmpty();
        assertThat(unreadable.parentSpanId()).isEqualTo(5);
        assertThat(InboundTraces.take(peer.traces, INCARNATION, 6).traceState()).as("longer than allowed").isEmpty();

        String longest = "k=" + "v".repeat(TraceContext.MAX_TRACE_STATE_LENGTH - 2);
        InboundTraces.keep(peer, INCARNATION, 7, 1, 3, 4, 5, ByteBuffer.wrap(longest.getBytes(StandardCharsets.US_ASCII)),
                0, longest.length());
        assertThat(InboundTraces.take(peer.traces, INCARNATION, 7).traceState()).as("as long as allowed").isEqualTo(longest);
    }
}
