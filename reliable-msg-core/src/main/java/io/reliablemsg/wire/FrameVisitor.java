package io.reliablemsg.wire;

import java.nio.ByteBuffer;

/**
 * Receives the frames of a datagram that {@link DatagramReader} has fully validated. Every call
 * carries the {@code context} the caller handed to {@link DatagramReader#read}: what the caller
 * knows of the datagram (its sender, the time it arrived), passed along rather than parked in fields.
 *
 * @param <C> type of the caller's per-datagram context
 */
public interface FrameVisitor<C> {
    /**
     * A DATA frame. The payload is {@code payloadLength} bytes at {@code payloadOffset} (absolute) in
     * {@code datagram}, valid only during this call.
     */
    void onData(C context, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength);

    /** An ACK frame for the message {@code originClientId}/{@code originIncarnation}/{@code msgId}. */
    void onAck(C context, int senderClientId, long senderIncarnation, int originClientId, long originIncarnation,
               long msgId, long echoedSendTimeMillis, long ackTimeMillis, int transmissions);

    /** A PING frame (heartbeat) sent at {@code sendTimeMillis}; ignored unless overridden. */
    default void onPing(C context, int senderClientId, long senderIncarnation, long sendTimeMillis) {
    }

    /** A PONG frame answering our ping of {@code echoedSendTimeMillis}; ignored unless overridden. */
    default void onPong(C context, int senderClientId, long senderIncarnation, long echoedSendTimeMillis,
                        long pongTimeMillis) {
    }

    /**
     * A CAPABILITIES frame: the sender reads protocol {@code revision} and the frames of the
     * {@code features} bits ({@link WireFormat#FEATURE_OPTIONAL_FRAMES} and later ones; bits this
     * release does not know must be ignored, not rejected). What it advertises holds for
     * {@code senderIncarnation} only. When {@code answerRequested}, the sender asks for our own
     * CAPABILITIES, sent without that flag (docs/PROTOCOL.md, "Wire evolution"). Ignored unless
     * overridden.
     */
    default void onCapabilities(C context, int senderClientId, long senderIncarnation, int revision, long features,
                                boolean answerRequested) {
    }

    /**
     * A REQUEST frame (revision 3): like DATA, a message {@code msgId} whose handler answers with a
     * REPLY. The payload is {@code payloadLength} bytes at {@code payloadOffset} (absolute) in
     * {@code datagram}, valid only during this call. Ignored unless overridden.
     */
    default void onRequest(C context, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                           int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength) {
    }

    /**
     * A REPLY frame (revision 3) to the request {@code originClientId}/{@code originIncarnation}/{@code msgId};
     * {@code noReply} when the responder has none to give (then the reply is empty). The reply is
     * {@code replyLength} bytes at {@code replyOffset} (absolute) in {@code datagram}, valid only during this
     * call. Ignored unless overridden.
     */
    default void onReply(C context, int senderClientId, long senderIncarnation, int originClientId,
                         long originIncarnation, long msgId, long echoedSendTimeMillis, long replyTimeMillis,
                         boolean noReply, ByteBuffer datagram, int replyOffset, int replyLength) {
    }

    /**
     * A FRAGMENT frame (revision 4): fragment {@code index} of {@code count} of message {@code msgId}, whose
     * whole length is {@code messageLength}; its data is {@code dataLength} bytes at {@code dataOffset}
     * (absolute) in {@code datagram}, valid only during this call, and belongs at {@code messageOffset} in the
     * message. The reader has checked {@code 0 <= index < count}, {@code 1 <= count <= messageLength} and that
     * the data ends inside the message; whether the fragment agrees with the others of its message is the
     * caller's to check. Ignored unless overridden.
     */
    default void onFragment(C context, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                            int transmissions, int messageLength, int index, int count, int messageOffset,
                            ByteBuffer datagram, int dataOffset, int dataLength) {
    }

    /**
     * A FRAGMENT_ACK frame (revision 4) for fragment {@code index} of message
     * {@code originClientId}/{@code originIncarnation}/{@code msgId}. Ignored unless overridden.
     */
    default void onFragmentAck(C context, int senderClientId, long senderIncarnation, int originClientId,
                               long originIncarnation, long msgId, long echoedSendTimeMillis, long ackTimeMillis,
                               int index) {
    }

    /**
     * A TRACE_CONTEXT frame (revision 5): the W3C trace context of this sender's message {@code msgId}, whose
     * DATA, REQUEST or FRAGMENT frame follows (docs/PROTOCOL.md, "Trace context"): traceparent {@code version},
     * trace {@code flags}, the 128-bit trace id as {@code traceIdHigh}/{@code traceIdLow} and the
     * {@code parentSpanId}, as read (an all-zero id is the caller's to ignore); its tracestate is
     * {@code traceStateLength} ASCII bytes at {@code traceStateOffset} (absolute) in {@code datagram}, valid only
     * during this call. Ignored unless overridden.
     */
    default void onTraceContext(C context, int senderClientId, long senderIncarnation, long msgId, int version,
                                int flags, long traceIdHigh, long traceIdLow, long parentSpanId, ByteBuffer datagram,
                                int traceStateOffset, int traceStateLength) {
    }

    /**
     * An optional frame of a {@code type} (0x46-0x7F) this release does not know, skipped by its
     * {@code bodyLength}: a later revision wrote it. The caller counts it; its body is not handed
     * over, since no meaning can be read from it. Ignored unless overridden.
     */
    default void onUnknownOptionalFrame(C context, int senderClientId, long senderIncarnation, int type,
                                        int bodyLength) {
    }
}
