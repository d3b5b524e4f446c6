package io.reliablemsg.chain;

import io.reliablemsg.TraceContext;

/**
 * A chain message that carries a W3C trace context to its peer (docs/PROTOCOL.md, "Trace context"): a
 * TRACE_CONTEXT frame goes before its frame in every copy, when the peer reads it. A subclass rather than a
 * field of {@link PendingMessage}, so that messages without one cost nothing more. Created by the sending
 * thread, then owned by the I/O loop like any chain message; never reused ({@link PendingMessagePool} takes back
 * only plain entries: the tracer gives each message a context of its own anyway).
 */
public final class TracedMessage extends PendingMessage {
    private static final byte[] NO_STATE = new byte[0];

    private final TraceContext traceContext;
    private final byte[] traceState;
    /** Whether the peer read TRACE_CONTEXT when the current copy went out (set per copy, loop only). */
    private boolean peerReadsTrace;
    /** The transmission whose copy carried the context before its fragments (0: none yet; loop only). */
    private int tracedTransmission;

    /** Like {@link PendingMessage#PendingMessage(long, int, byte[], byte[], boolean)}, carrying {@code traceContext}. */
    public TracedMessage(long msgId, int peer, byte[] payload, byte[] userBuffer, boolean request,
                         TraceContext traceContext) {
        super(msgId, peer, payload, userBuffer, request);
        this.traceContext = traceContext;
        this.traceState = traceContext.traceStateLength() == 0 ? NO_STATE : traceContext.traceStateBytes();
    }

    /** The trace context the message carries. */
    public TraceContext traceContext() {
        return traceContext;
    }

    /** The tracestate as written (the message's own copy; not to be changed). */
    public byte[] traceState() {
        return traceState;
    }

    /** Records, before a copy goes out, whether its peer reads TRACE_CONTEXT frames. */
    public void peerReadsTrace(boolean reads) {
        this.peerReadsTrace = reads;
    }

    /** Whether the copy going out carries the context: the peer reads TRACE_CONTEXT frames. */
    public boolean carriesTrace() {
        return peerReadsTrace;
    }

    /**
     * Whether the context still has to go before the next fragment of the current copy (once per copy), and
     * marks it sent.
     */
    public boolean traceDueBeforeFragment() {
        if (!peerReadsTrace || tracedTransmission == transmissions) {
            return false;
        }
        tracedTransmission = transmissions;
        return true;
    }
}
