package io.reliablemsg.internal;

import io.reliablemsg.TraceContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The trace contexts one peer sent ahead of its messages (docs/PROTOCOL.md, "Trace context"), until the
 * message each belongs to is delivered: the last {@link #CAPACITY}, by sender incarnation and message id,
 * the oldest replaced first. A TRACE_CONTEXT comes just before its DATA or REQUEST, in the same datagram, so
 * it is taken at once; before a message in fragments it waits for the fragment that completes the message.
 * A context whose message never comes (a duplicate copy, a lost fragment) is replaced in time: nothing
 * expires, and the memory is fixed. Created at a peer's first TRACE_CONTEXT, so a peer that sends none costs
 * nothing. Not thread-safe: I/O loop only.
 */
final class InboundTraces {
    /** Contexts kept per peer: enough for the messages in fragments that one peer interleaves. */
    static final int CAPACITY = 16;

    private final long[] incarnations = new long[CAPACITY];
    private final long[] msgIds = new long[CAPACITY];
    private final TraceContext[] contexts = new TraceContext[CAPACITY];
    private int next;

    /** Keeps {@code context} for message {@code msgId} of sender incarnation {@code incarnation}. */
    void put(long incarnation, long msgId, TraceContext context) {
        for (int i = 0; i < CAPACITY; i++) {
            if (contexts[i] != null && msgIds[i] == msgId && incarnations[i] == incarnation) {
                contexts[i] = context; // a later copy's context replaces the earlier one's
                return;
            }
        }
        incarnations[next] = incarnation;
        msgIds[next] = msgId;
        contexts[next] = context;
        next = (next + 1) % CAPACITY;
    }

    /** The context sent for message {@code msgId} of {@code incarnation}, forgotten now; null when none was. */
    TraceContext take(long incarnation, long msgId) {
        for (int i = 0; i < CAPACITY; i++) {
            if (contexts[i] != null && msgIds[i] == msgId && incarnations[i] == incarnation) {
                TraceContext context = contexts[i];
                contexts[i] = null;
                return context;
            }
        }
        return null;
    }

    /**
     * A TRACE_CONTEXT frame from {@code peer} for message {@code msgId} of its {@code incarnation}: kept until the
     * message is delivered. One with an all-zero id is ignored (W3C: invalid); a tracestate that is not printable
     * ASCII is dropped, the rest kept.
     */
    static void keep(PeerReceiveState peer, long incarnation, long msgId, int flags, long traceIdHigh,
                     long traceIdLow, long parentSpanId, ByteBuffer datagram, int stateOffset, int stateLength) {
        if (traceIdHigh == 0 && traceIdLow == 0 || parentSpanId == 0) {
            return;
        }
        String state = null;
        if (stateLength > 0 && stateLength <= TraceContext.MAX_TRACE_STATE_LENGTH) {
            byte[] bytes = new byte[stateLength];
            datagram.get(stateOffset, bytes);
            state = new String(bytes, StandardCharsets.US_ASCII);
        }
        TraceContext context;
        try {
            context = TraceContext.of(traceIdHigh, traceIdLow, parentSpanId, flags, state);
        } catch (IllegalArgumentException e) { // a tracestate that is not printable ASCII: dropped
            context = TraceContext.of(traceIdHigh, traceIdLow, parentSpanId, flags, null);
        }
        if (peer.traces == null) {
            peer.traces = new InboundTraces();
        }
        peer.traces.put(incarnation, msgId, context);
    }

    /** The context for {@code msgId} of {@code incarnation} kept by {@code traces} (null when it is null). */
    static TraceContext take(InboundTraces traces, long incarnation, long msgId) {
        return traces == null ? null : traces.take(incarnation, msgId);
    }
}
