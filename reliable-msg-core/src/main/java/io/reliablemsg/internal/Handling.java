package io.reliablemsg.internal;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.TraceContext;

/**
 * One message or request whose handler runs now (docs/PROTOCOL.md, sections 9 and 10): what the
 * {@link Responder} must know to ack it or answer it once the handler returns, and the handler's result.
 * The loop fills the routing fields; the thread that runs the handler sets the result once
 * ({@link #succeeded} or {@link #failed}) before it hands the object back through
 * {@link HandlerCompletions}, which orders the writes before the loop reads them.
 */
final class Handling {
    final PeerReceiveState peer;
    final InboundMessage message;
    final boolean request;
    /** The trace context the message carried, or null (it fits the object's padding: no byte more). */
    final TraceContext traceContext;
    /** Where the latest copy came from, its send time and transmissions: the ack and reply answer it. */
    PeerOutbox replyTo;
    long latestSendTimeMillis;
    int latestTransmissions;
    /** The handler's result: set once, by the handler's thread. */
    private boolean success;
    private byte[] reply;

    Handling(PeerReceiveState peer, InboundMessage message, boolean request, PeerOutbox replyTo, int transmissions,
             TraceContext traceContext) {
        this.peer = peer;
        this.traceContext = traceContext;
        this.message = message;
        this.request = request;
        this.replyTo = replyTo;
        this.latestSendTimeMillis = message.sendTimeMillis();
        this.latestTransmissions = transmissions;
    }

    /** Another copy came in while the handler runs: the ack after it answers this one (loop only). */
    void copy(PeerOutbox from, long sendTimeMillis, int transmissions) {
        replyTo = from;
        latestSendTimeMillis = sendTimeMillis;
        latestTransmissions = transmissions;
    }

    /** The handler returned normally, with {@code reply} for a request (null for a message). */
    void succeeded(byte[] reply) {
        this.success = true;
        this.reply = reply;
    }

    /** The handler threw, or its reply could not be sent. */
    void failed() {
        this.success = false;
        this.reply = null;
    }

    boolean success() {
        return success;
    }

    byte[] reply() {
        return reply;
    }
}
