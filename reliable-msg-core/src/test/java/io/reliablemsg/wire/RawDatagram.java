package io.reliablemsg.wire;

import static io.reliablemsg.wire.WireFormat.*;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Writes datagrams byte by byte from the {@link WireFormat} offsets, independently of
 * {@link DatagramWriter}: for what the writer refuses to write (CAPABILITIES bundled with other
 * frames) or cannot (optional frame types of a later revision, lying body lengths), as a peer of
 * another revision or an attacker would send them.
 */
final class RawDatagram {
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_UDP_PAYLOAD);
    private int frames;

    /** A datagram from {@code clientId}/{@code incarnation}, header written, no frames yet. */
    RawDatagram(int clientId, long incarnation) {
        buffer.putShort(MAGIC_OFFSET, (short) MAGIC);
        buffer.put(VERSION_OFFSET, (byte) VERSION);
        buffer.put(FLAGS_OFFSET, (byte) 0);
        buffer.putInt(CLIENT_ID_OFFSET, clientId);
        buffer.putLong(INCARNATION_OFFSET, incarnation);
        buffer.putShort(HEADER_RESERVED_OFFSET, (short) 0);
        buffer.position(HEADER_LENGTH);
    }

    /** Appends a DATA frame. */
    RawDatagram data(long msgId, long sendTimeMillis, int transmissions, byte[] payload) {
        int at = buffer.position();
        buffer.put(at + FRAME_TYPE_OFFSET, (byte) TYPE_DATA);
        buffer.put(at + FRAME_TRANSMISSIONS_OFFSET, (byte) transmissions);
        buffer.putShort(at + FRAME_RESERVED_OFFSET, (short) 0);
        buffer.putInt(at + DATA_PAYLOAD_LENGTH_OFFSET, payload.length);
        buffer.putLong(at + DATA_MSG_ID_OFFSET, msgId);
        buffer.putLong(at + DATA_SEND_TIME_OFFSET, sendTimeMillis);
        buffer.position(at + DATA_HEADER_LENGTH).put(payload);
        frames++;
        return this;
    }

    /** Appends an optional frame of {@code type} whose head announces exactly {@code body}. */
    RawDatagram optional(int type, int flags, byte[] body) {
        return optional(type, flags, body.length, body);
    }

    /** Appends an optional frame whose head announces {@code bodyLength}, then {@code body} whatever its length. */
    RawDatagram optional(int type, int flags, int bodyLength, byte[] body) {
        int at = buffer.position();
        buffer.put(at + FRAME_TYPE_OFFSET, (byte) type);
        buffer.put(at + OPTIONAL_FRAME_FLAGS_OFFSET, (byte) flags);
        buffer.putShort(at + OPTIONAL_FRAME_BODY_LENGTH_OFFSET, (short) bodyLength);
        buffer.position(at + OPTIONAL_FRAME_HEAD_LENGTH).put(body);
        frames++;
        return this;
    }

    /** Appends a TRACE_CONTEXT frame as this revision writes it, with {@code state} as its tracestate. */
    RawDatagram traceContext(long msgId, int flags, long traceIdHigh, long traceIdLow, long spanId, byte[] state) {
        ByteBuffer body = ByteBuffer.allocate(TRACE_CONTEXT_MIN_BODY_LENGTH + state.length);
        int head = OPTIONAL_FRAME_HEAD_LENGTH;
        body.putLong(TRACE_CONTEXT_MSG_ID_OFFSET - head, msgId);
        body.put(TRACE_CONTEXT_VERSION_OFFSET - head, (byte) 0);
        body.put(TRACE_CONTEXT_FLAGS_OFFSET - head, (byte) flags);
        body.putShort(TRACE_CONTEXT_STATE_LENGTH_OFFSET - head, (short) state.length);
        body.putLong(TRACE_CONTEXT_TRACE_ID_OFFSET - head, traceIdHigh);
        body.putLong(TRACE_CONTEXT_TRACE_ID_OFFSET + 8 - head, traceIdLow);
        body.putLong(TRACE_CONTEXT_SPAN_ID_OFFSET - head, spanId);
        body.put(TRACE_CONTEXT_HEADER_LENGTH - head, state);
        return optional(TYPE_TRACE_CONTEXT, 0, body.array());
    }

    /** Appends a CAPABILITIES frame with the body this revision writes. */
    RawDatagram capabilities(int revision, long features, boolean answerRequested) {
        return optional(TYPE_CAPABILITIES, answerRequested ? CAPABILITIES_FLAG_ANSWER_REQUESTED : 0,
                capabilitiesBody(revision, 0, features));
    }

    /** A CAPABILITIES body: revision, the reserved field as given, features. */
    static byte[] capabilitiesBody(int revision, int reserved, long features) {
        ByteBuffer body = ByteBuffer.allocate(CAPABILITIES_BODY_LENGTH);
        body.putShort(CAPABILITIES_REVISION_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, (short) revision);
        body.putShort(CAPABILITIES_RESERVED_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, (short) reserved);
        body.putLong(CAPABILITIES_FEATURES_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, features);
        return body.array();
    }

    /** Appends a REQUEST frame as this revision writes it. */
    RawDatagram request(long msgId, long sendTimeMillis, int transmissions, byte[] payload) {
        ByteBuffer body = ByteBuffer.allocate(REQUEST_MIN_BODY_LENGTH + payload.length);
        body.put(REQUEST_TRANSMISSIONS_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, (byte) transmissions);
        body.putLong(REQUEST_MSG_ID_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, msgId);
        body.putLong(REQUEST_SEND_TIME_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, sendTimeMillis);
        body.put(REQUEST_MIN_BODY_LENGTH, payload);
        return optional(TYPE_REQUEST, 0, body.array());
    }

    /** Appends a REPLY frame as this revision writes it. */
    RawDatagram reply(int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
                      long replyTimeMillis, boolean noReply, byte[] reply) {
        ByteBuffer body = ByteBuffer.allocate(REPLY_MIN_BODY_LENGTH + reply.length);
        body.putInt(REPLY_ORIGIN_CLIENT_ID_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, originClientId);
        body.putLong(REPLY_ORIGIN_INCARNATION_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, originIncarnation);
        body.putLong(REPLY_MSG_ID_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, msgId);
        body.putLong(REPLY_ECHOED_SEND_TIME_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, echoedSendTimeMillis);
        body.putLong(REPLY_TIME_OFFSET - OPTIONAL_FRAME_HEAD_LENGTH, replyTimeMillis);
        body.put(REPLY_MIN_BODY_LENGTH, reply);
        return optional(TYPE_REPLY, noReply ? REPLY_FLAG_NO_REPLY : 0, body.array());
    }

    /** The datagram: header with the frame count, then the frames appended. */
    byte[] bytes() {
        buffer.putShort(FRAME_COUNT_OFFSET, (short) frames);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
