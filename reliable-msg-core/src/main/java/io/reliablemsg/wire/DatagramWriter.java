package io.reliablemsg.wire;

import static io.reliablemsg.wire.WireFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds one datagram of one or more frames in a reusable buffer. {@link #begin} writes the header,
 * each {@code tryAppend...} adds a frame if it fits within the datagram limit, {@link #finish}
 * fixes the frame count and returns the bytes to send. Not thread-safe; allocation-free after
 * construction.
 *
 * <p>A CAPABILITIES frame goes in a datagram of its own (docs/PROTOCOL.md, "Wire evolution"): a
 * version 1 peer drops a datagram holding it whole, so anything bundled with it would be lost
 * there. The writer enforces it: {@link #tryAppendCapabilities} into a datagram that already holds
 * a frame, and any other frame after it, throw {@link IllegalStateException}.
 */
public final class DatagramWriter {
    private static final byte[] NO_BYTES = new byte[0];

    private final ByteBuffer buffer;
    private final int limit;
    private int frameCount;
    private boolean holdsCapabilities;

    /** A writer whose datagrams never exceed {@code maxDatagramBytes}. */
    public DatagramWriter(int maxDatagramBytes) {
        if (maxDatagramBytes < HEADER_LENGTH + ACK_LENGTH || maxDatagramBytes > MAX_UDP_PAYLOAD) {
            throw new IllegalArgumentException("maxDatagramBytes must be in [" + (HEADER_LENGTH + ACK_LENGTH)
                    + ", " + MAX_UDP_PAYLOAD + "] but was " + maxDatagramBytes);
        }
        this.limit = maxDatagramBytes;
        this.buffer = ByteBuffer.allocateDirect(maxDatagramBytes).order(ByteOrder.BIG_ENDIAN);
    }

    /** Starts a new datagram from {@code clientId}/{@code incarnation}, discarding any unfinished one. */
    public void begin(int clientId, long incarnation, int flags) {
        buffer.clear();
        buffer.putShort(MAGIC_OFFSET, (short) MAGIC);
        buffer.put(VERSION_OFFSET, (byte) VERSION);
        buffer.put(FLAGS_OFFSET, (byte) flags);
        buffer.putInt(CLIENT_ID_OFFSET, clientId);
        buffer.putLong(INCARNATION_OFFSET, incarnation);
        buffer.putShort(FRAME_COUNT_OFFSET, (short) 0);
        buffer.putShort(HEADER_RESERVED_OFFSET, (short) 0);
        buffer.position(HEADER_LENGTH);
        frameCount = 0;
        holdsCapabilities = false;
    }

    /** Frames appended since {@link #begin}. */
    public int frameCount() {
        return frameCount;
    }

    /** Bytes written so far, header included. */
    public int length() {
        return buffer.position();
    }

    /** Whether a frame of {@code frameBytes} would still fit, keeping {@code reserveBytes} free for a trailer. */
    public boolean fits(int frameBytes, int reserveBytes) {
        return frameCount < 0xFFFF && buffer.position() + frameBytes + reserveBytes <= limit;
    }

    /** Appends a DATA frame, or returns false (writing nothing) if it does not fit; never after CAPABILITIES. */
    public boolean tryAppendData(long msgId, long sendTimeMillis, int transmissions, byte[] payload, int reserveBytes) {
        requireNoCapabilities();
        int frameBytes = DATA_HEADER_LENGTH + payload.length;
        if (!fits(frameBytes, reserveBytes)) {
            return false;
        }
        int at = buffer.position();
        buffer.put(at + FRAME_TYPE_OFFSET, (byte) TYPE_DATA);
        buffer.put(at + FRAME_TRANSMISSIONS_OFFSET, (byte) Math.min(transmissions, MAX_TRANSMISSIONS));
        buffer.putShort(at + FRAME_RESERVED_OFFSET, (short) 0);
        buffer.putInt(at + DATA_PAYLOAD_LENGTH_OFFSET, payload.length);
        buffer.putLong(at + DATA_MSG_ID_OFFSET, msgId);
        buffer.putLong(at + DATA_SEND_TIME_OFFSET, sendTimeMillis);
        buffer.position(at + DATA_HEADER_LENGTH);
        buffer.put(payload);
        frameCount++;
        return true;
    }

    /** Appends an ACK frame, or returns false (writing nothing) if it does not fit; never after CAPABILITIES. */
    public boolean tryAppendAck(int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
                                long ackTimeMillis, int transmissions, int reserveBytes) {
        requireNoCapabilities();
        if (!fits(ACK_LENGTH, reserveBytes)) {
            return false;
        }
        int at = buffer.position();
        buffer.put(at + FRAME_TYPE_OFFSET, (byte) TYPE_ACK);
        buffer.put(at + FRAME_TRANSMISSIONS_OFFSET, (byte) Math.min(transmissions, MAX_TRANSMISSIONS));
        buffer.putShort(at + FRAME_RESERVED_OFFSET, (short) 0);
        buffer.putInt(at + ACK_ORIGIN_CLIENT_ID_OFFSET, originClientId);
        buffer.putLong(at + ACK_ORIGIN_INCARNATION_OFFSET, originIncarnation);
        buffer.putLong(at + ACK_MSG_ID_OFFSET, msgId);
        buffer.putLong(at + ACK_ECHOED_SEND_TIME_OFFSET, echoedSendTimeMillis);
        buffer.putLong(at + ACK_TIME_OFFSET, ackTimeMillis);
        buffer.position(at + ACK_LENGTH);
        frameCount++;
        return true;
    }

    /** Appends a PING frame, or returns false (writing nothing) if it does not fit; never after CAPABILITIES. */
    public boolean tryAppendPing(long sendTimeMillis, int reserveBytes) {
        requireNoCapabilities();
        if (!fits(PING_LENGTH, reserveBytes)) {
            return false;
        }
        int at = buffer.position();
        buffer.putLong(at, 0L);
        buffer.put(at + FRAME_TYPE_OFFSET, (byte) TYPE_PING);
        buffer.put(at + FRAME_TRANSMISSIONS_OFFSET, (byte) 1);
        buffer.putLong(at + PING_SEND_TIME_OFFSET, sendTimeMillis);
        buffer.position(at + PING_LENGTH);
        frameCount++;
        return true;
    }

    /** Appends a PONG frame answering a ping sent at {@code echoedSendTimeMillis}; never after CAPABILITIES. */
    public boolean tryAppendPong(long echoedSendTimeMillis, long pongTimeMillis, int reserveBytes) {
        requireNoCapabilities();
        if (!fits(PONG_LENGTH, reserveBytes)) {
            return false;
        }
        int at = buffer.position();
        buffer.putLong(at, 0L);
        buffer.put(at + FRAME_TYPE_OFFSET, (byte) TYPE_PONG);
        buffer.put(at + FRAME_TRANSMISSIONS_OFFSET, (byte) 1);
        buffer.putLong(at + PONG_ECHOED_SEND_TIME_OFFSET, echoedSendTimeMillis);
        buffer.putLong(at + PONG_TIME_OFFSET, pongTimeMillis);
        buffer.position(at + PONG_LENGTH);
        frameCount++;
        return true;
    }

    /**
     * Appends a REQUEST frame (send only to a peer that advertised {@link WireFormat#FEATURE_REQUEST_REPLY}),
     * or returns false (writing nothing) if it does not fit; never after CAPABILITIES.
     */
    public boolean tryAppendRequest(long msgId, long sendTimeMillis, int transmissions, byte[] payload,
                                    int reserveBytes) {
        requireNoCapabilities();
        int at = beginOptional(TYPE_REQUEST, 0, REQUEST_HEADER_LENGTH, payload, reserveBytes);
        if (at < 0) {
            return false;
        }
        buffer.putInt(at + REQUEST_TRANSMISSIONS_OFFSET, 0);
        buffer.put(at + REQUEST_TRANSMISSIONS_OFFSET, (byte) Math.min(Math.max(transmissions, 1), MAX_TRANSMISSIONS));
        buffer.putLong(at + REQUEST_MSG_ID_OFFSET, msgId);
        buffer.putLong(at + REQUEST_SEND_TIME_OFFSET, sendTimeMillis);
        return true;
    }

    /**
     * Appends a REPLY frame to request {@code originClientId}/{@code originIncarnation}/{@code msgId}
     * carrying {@code reply} (empty and flagged "no reply" when {@code noReply}), or returns false
     * (writing nothing) if it does not fit; never after CAPABILITIES.
     */
    public boolean tryAppendReply(int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
                                  long replyTimeMillis, boolean noReply, byte[] reply, int reserveBytes) {
        requireNoCapabilities();
        int at = beginOptional(TYPE_REPLY, noReply ? REPLY_FLAG_NO_REPLY : 0, REPLY_HEADER_LENGTH, reply,
                reserveBytes);
        if (at < 0) {
            return false;
        }
        buffer.putInt(at + REPLY_ORIGIN_CLIENT_ID_OFFSET, originClientId);
        buffer.putLong(at + REPLY_ORIGIN_INCARNATION_OFFSET, originIncarnation);
        buffer.putLong(at + REPLY_MSG_ID_OFFSET, msgId);
        buffer.putLong(at + REPLY_ECHOED_SEND_TIME_OFFSET, echoedSendTimeMillis);
        buffer.putLong(at + REPLY_TIME_OFFSET, replyTimeMillis);
        return true;
    }

    /**
     * Appends a FRAGMENT frame (send only to a peer that advertised {@link WireFormat#FEATURE_FRAGMENTS}):
     * fragment {@code index} of {@code count} of message {@code msgId}, carrying {@code dataLength} bytes of
     * {@code message} from {@code messageOffset}; returns false (writing nothing) if it does not fit; never
     * after CAPABILITIES.
     */
    public boolean tryAppendFragment(long msgId, long sendTimeMillis, int transmissions, byte[] message, int index,
                                     int count, int messageOffset, int dataLength, int reserveBytes) {
        requireNoCapabilities();
        int at = beginOptional(TYPE_FRAGMENT, 0, FRAGMENT_HEADER_LENGTH, message, messageOffset, dataLength,
                reserveBytes);
        if (at < 0) {
            return false;
        }
        buffer.putInt(at + FRAGMENT_TRANSMISSIONS_OFFSET, 0);
        buffer.put(at + FRAGMENT_TRANSMISSIONS_OFFSET, (byte) Math.min(Math.max(transmissions, 1), MAX_TRANSMISSIONS));
        buffer.putLong(at + FRAGMENT_MSG_ID_OFFSET, msgId);
        buffer.putLong(at + FRAGMENT_SEND_TIME_OFFSET, sendTimeMillis);
        buffer.putInt(at + FRAGMENT_MESSAGE_LENGTH_OFFSET, message.length);
        buffer.putInt(at + FRAGMENT_INDEX_OFFSET, index);
        buffer.putInt(at + FRAGMENT_COUNT_OFFSET, count);
        buffer.putInt(at + FRAGMENT_DATA_OFFSET_OFFSET, messageOffset);
        return true;
    }

    /**
     * Appends a FRAGMENT_ACK frame for fragment {@code index} of message
     * {@code originClientId}/{@code originIncarnation}/{@code msgId}, or returns false (writing nothing) if it
     * does not fit; never after CAPABILITIES.
     */
    public boolean tryAppendFragmentAck(int originClientId, long originIncarnation, long msgId,
                                        long echoedSendTimeMillis, long ackTimeMillis, int index, int reserveBytes) {
        requireNoCapabilities();
        int at = beginOptional(TYPE_FRAGMENT_ACK, 0, FRAGMENT_ACK_LENGTH, NO_BYTES, 0, 0, reserveBytes);
        if (at < 0) {
            return false;
        }
        buffer.putInt(at + FRAGMENT_ACK_ORIGIN_CLIENT_ID_OFFSET, originClientId);
        buffer.putLong(at + FRAGMENT_ACK_ORIGIN_INCARNATION_OFFSET, originIncarnation);
        buffer.putLong(at + FRAGMENT_ACK_MSG_ID_OFFSET, msgId);
        buffer.putLong(at + FRAGMENT_ACK_ECHOED_SEND_TIME_OFFSET, echoedSendTimeMillis);
        buffer.putLong(at + FRAGMENT_ACK_TIME_OFFSET, ackTimeMillis);
        buffer.putInt(at + FRAGMENT_ACK_INDEX_OFFSET, index);
        return true;
    }

    /** Bytes of a TRACE_CONTEXT frame carrying {@code traceStateLength} bytes of tracestate. */
    public static int traceContextLength(int traceStateLength) {
        return TRACE_CONTEXT_HEADER_LENGTH + traceStateLength;
    }

    /**
     * Appends a TRACE_CONTEXT frame for message {@code msgId} (send only to a peer that advertised
     * {@link WireFormat#FEATURE_TRACE_CONTEXT}, just before the message's own frame): W3C traceparent
     * {@code version} 0, trace {@code flags}, the trace id {@code traceIdHigh}/{@code traceIdLow}, the
     * {@code parentSpanId} and {@code traceState} (ASCII, at most {@link WireFormat#MAX_TRACE_STATE_LENGTH}
     * bytes); returns false (writing nothing) if it does not fit; never after CAPABILITIES.
     */
    public boolean tryAppendTraceContext(long msgId, int flags, long traceIdHigh, long traceIdLow, long parentSpanId,
                                         byte[] traceState, int reserveBytes) {
        requireNoCapabilities();
        if (traceState.length > MAX_TRACE_STATE_LENGTH) {
            throw new IllegalArgumentException("tracestate of " + traceState.length + " bytes exceeds "
                    + MAX_TRACE_STATE_LENGTH);
        }
        int at = beginOptional(TYPE_TRACE_CONTEXT, 0, TRACE_CONTEXT_HEADER_LENGTH, traceState, reserveBytes);
        if (at < 0) {
            return false;
        }
        buffer.putLong(at + TRACE_CONTEXT_MSG_ID_OFFSET, msgId);
        buffer.put(at + TRACE_CONTEXT_VERSION_OFFSET, (byte) 0);
        buffer.put(at + TRACE_CONTEXT_FLAGS_OFFSET, (byte) flags);
        buffer.putShort(at + TRACE_CONTEXT_STATE_LENGTH_OFFSET, (short) traceState.length);
        buffer.putLong(at + TRACE_CONTEXT_TRACE_ID_OFFSET, traceIdHigh);
        buffer.putLong(at + TRACE_CONTEXT_TRACE_ID_OFFSET + 8, traceIdLow);
        buffer.putLong(at + TRACE_CONTEXT_SPAN_ID_OFFSET, parentSpanId);
        return true;
    }

    /**
     * Writes the head of an optional frame of {@code headerLength} bytes of fields followed by {@code tail},
     * and the tail itself; returns the frame's offset, or -1 (writing nothing) when it does not fit or its
     * body would exceed the head's u16 length. The caller writes the fields.
     */
    private int beginOptional(int type, int flags, int headerLength, byte[] tail, int reserveBytes) {
        return beginOptional(type, flags, headerLength, tail, 0, tail.length, reserveBytes);
    }

    /** Like {@link #beginOptional(int, int, int, byte[], int)} with {@code tailLength} bytes of {@code tail} from {@code tailOffset}. */
    private int beginOptional(int type, int flags, int headerLength, byte[] tail, int tailOffset, int tailLength,
                              int reserveBytes) {
        int bodyLength = headerLength - OPTIONAL_FRAME_HEAD_LENGTH + tailLength;
        if (bodyLength > MAX_OPTIONAL_FRAME_BODY_LENGTH || !fits(headerLength + tailLength, reserveBytes)) {
            return -1;
        }
        int at = buffer.position();
        buffer.put(at + FRAME_TYPE_OFFSET, (byte) type);
        buffer.put(at + OPTIONAL_FRAME_FLAGS_OFFSET, (byte) flags);
        buffer.putShort(at + OPTIONAL_FRAME_BODY_LENGTH_OFFSET, (short) bodyLength);
        buffer.position(at + headerLength);
        buffer.put(tail, tailOffset, tailLength);
        frameCount++;
        return at;
    }

    /**
     * Appends a CAPABILITIES frame advertising protocol {@code revision} (0-65535; this release
     * sends {@link WireFormat#PROTOCOL_REVISION}) and {@code features}, flagged "answer requested"
     * when {@code answerRequested}; returns false (writing nothing) if it does not fit. It must be
     * the only frame of its datagram: throws {@link IllegalStateException} if a frame was already
     * appended since {@link #begin}, and any later append throws until the next {@link #begin}.
     */
    public boolean tryAppendCapabilities(int revision, long features, boolean answerRequested, int reserveBytes) {
        if (revision < 0 || revision > 0xFFFF) {
            throw new IllegalArgumentException("revision must be in [0, 65535] but was " + revision);
        }
        if (frameCount > 0) {
            throw new IllegalStateException("CAPABILITIES goes in a datagram of its own, but " + frameCount
                    + " frame(s) were appended since begin: a version 1 peer would drop them with it");
        }
        if (!fits(CAPABILITIES_LENGTH, reserveBytes)) {
            return false;
        }
        int at = buffer.position();
        buffer.put(at + FRAME_TYPE_OFFSET, (byte) TYPE_CAPABILITIES);
        buffer.put(at + OPTIONAL_FRAME_FLAGS_OFFSET, (byte) (answerRequested ? CAPABILITIES_FLAG_ANSWER_REQUESTED : 0));
        buffer.putShort(at + OPTIONAL_FRAME_BODY_LENGTH_OFFSET, (short) CAPABILITIES_BODY_LENGTH);
        buffer.putShort(at + CAPABILITIES_REVISION_OFFSET, (short) revision);
        buffer.putShort(at + CAPABILITIES_RESERVED_OFFSET, (short) 0);
        buffer.putLong(at + CAPABILITIES_FEATURES_OFFSET, features);
        buffer.position(at + CAPABILITIES_LENGTH);
        frameCount++;
        holdsCapabilities = true;
        return true;
    }

    private void requireNoCapabilities() {
        if (holdsCapabilities) {
            throw new IllegalStateException("this datagram holds CAPABILITIES, which goes alone: "
                    + "finish it and begin a new datagram for other frames");
        }
    }

    /**
     * Fixes the frame count and returns the datagram (position 0, limit at its end). The buffer is
     * reused: consume it before the next {@link #begin}. Bytes may still be appended after the
     * returned limit by an authenticator, up to the reserve it asked for.
     */
    public ByteBuffer finish() {
        buffer.putShort(FRAME_COUNT_OFFSET, (short) frameCount);
        buffer.flip();
        return buffer;
    }
}
