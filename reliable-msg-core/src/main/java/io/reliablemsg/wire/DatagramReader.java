package io.reliablemsg.wire;

import static io.reliablemsg.wire.WireFormat.*;

import java.nio.ByteBuffer;

/**
 * Parses datagrams written by {@link DatagramWriter} or by any earlier or later revision. A
 * datagram is validated whole before any frame is handed to the visitor, so a datagram that is bad
 * anywhere changes no state. No length field is trusted before it is checked against the bytes
 * actually received, and nothing is allocated. Stateless and thread-safe.
 *
 * <p>What is rejected and what is skipped (docs/PROTOCOL.md, "Wire evolution"): a core frame
 * (type 0x00-0x3F) is checked field by field exactly as wire format version 1 checks it, and an
 * unknown core type rejects the datagram; a reserved type (0x80-0xFF) rejects it too. An optional
 * frame (0x40-0x7F) must fit in the datagram by its body length; a known one must be at least as
 * long as its fields (a REQUEST's payload and a REPLY's reply are the body after its fields; a
 * TRACE_CONTEXT's tracestate must end inside its body), and
 * its flags and reserved fields beyond what this revision defines are ignored; an unknown one is skipped and reported through
 * {@link FrameVisitor#onUnknownOptionalFrame}.
 */
public final class DatagramReader {
    private DatagramReader() {
    }

    /**
     * Validates {@code datagram} between its position and limit and, when valid, visits its frames
     * in order, handing each call {@code context}. Returns null on success or the reason for
     * rejecting it. The buffer's position and limit are left unchanged.
     */
    public static <C> DecodeError read(ByteBuffer datagram, C context, FrameVisitor<? super C> visitor) {
        DecodeError error = validate(datagram);
        if (error != null) {
            return error;
        }
        int base = datagram.position();
        int clientId = datagram.getInt(base + CLIENT_ID_OFFSET);
        long incarnation = datagram.getLong(base + INCARNATION_OFFSET);
        int frames = Short.toUnsignedInt(datagram.getShort(base + FRAME_COUNT_OFFSET));
        int at = base + HEADER_LENGTH;
        for (int i = 0; i < frames; i++) {
            int type = Byte.toUnsignedInt(datagram.get(at + FRAME_TYPE_OFFSET));
            int transmissions = Byte.toUnsignedInt(datagram.get(at + FRAME_TRANSMISSIONS_OFFSET));
            // DATA and ACK inline, the rest in visitOther: keeps this method small enough for the JIT
            // to inline it into its caller (the per-datagram path), as before optional frames existed.
            if (type == TYPE_DATA) {
                int length = datagram.getInt(at + DATA_PAYLOAD_LENGTH_OFFSET);
                visitor.onData(context, clientId, incarnation, datagram.getLong(at + DATA_MSG_ID_OFFSET),
                        datagram.getLong(at + DATA_SEND_TIME_OFFSET), transmissions, datagram,
                        at + DATA_HEADER_LENGTH, length);
                at += DATA_HEADER_LENGTH + length;
            } else if (type == TYPE_ACK) {
                visitor.onAck(context, clientId, incarnation, datagram.getInt(at + ACK_ORIGIN_CLIENT_ID_OFFSET),
                        datagram.getLong(at + ACK_ORIGIN_INCARNATION_OFFSET), datagram.getLong(at + ACK_MSG_ID_OFFSET),
                        datagram.getLong(at + ACK_ECHOED_SEND_TIME_OFFSET), datagram.getLong(at + ACK_TIME_OFFSET),
                        transmissions);
                at += ACK_LENGTH;
            } else {
                at += visitOther(datagram, at, type, clientId, incarnation, context, visitor);
            }
        }
        return null;
    }

    /** Visits a PING, PONG or optional frame (known or not) at {@code at}; returns its length. */
    private static <C> int visitOther(ByteBuffer datagram, int at, int type, int clientId, long incarnation,
                                      C context, FrameVisitor<? super C> visitor) {
        switch (type) {
            case TYPE_PING -> visitor.onPing(context, clientId, incarnation, datagram.getLong(at + PING_SEND_TIME_OFFSET));
            case TYPE_PONG -> visitor.onPong(context, clientId, incarnation,
                    datagram.getLong(at + PONG_ECHOED_SEND_TIME_OFFSET), datagram.getLong(at + PONG_TIME_OFFSET));
            case TYPE_CAPABILITIES -> visitor.onCapabilities(context, clientId, incarnation,
                    Short.toUnsignedInt(datagram.getShort(at + CAPABILITIES_REVISION_OFFSET)),
                    datagram.getLong(at + CAPABILITIES_FEATURES_OFFSET),
                    (datagram.get(at + OPTIONAL_FRAME_FLAGS_OFFSET) & CAPABILITIES_FLAG_ANSWER_REQUESTED) != 0);
            case TYPE_REQUEST -> visitor.onRequest(context, clientId, incarnation,
                    datagram.getLong(at + REQUEST_MSG_ID_OFFSET), datagram.getLong(at + REQUEST_SEND_TIME_OFFSET),
                    Byte.toUnsignedInt(datagram.get(at + REQUEST_TRANSMISSIONS_OFFSET)), datagram,
                    at + REQUEST_HEADER_LENGTH, bodyLength(datagram, at) - REQUEST_MIN_BODY_LENGTH);
            case TYPE_REPLY -> visitor.onReply(context, clientId, incarnation,
                    datagram.getInt(at + REPLY_ORIGIN_CLIENT_ID_OFFSET), datagram.getLong(at + REPLY_ORIGIN_INCARNATION_OFFSET),
                    datagram.getLong(at + REPLY_MSG_ID_OFFSET), datagram.getLong(at + REPLY_ECHOED_SEND_TIME_OFFSET),
                    datagram.getLong(at + REPLY_TIME_OFFSET),
                    (datagram.get(at + OPTIONAL_FRAME_FLAGS_OFFSET) & REPLY_FLAG_NO_REPLY) != 0, datagram,
                    at + REPLY_HEADER_LENGTH, bodyLength(datagram, at) - REPLY_MIN_BODY_LENGTH);
            case TYPE_FRAGMENT -> visitor.onFragment(context, clientId, incarnation,
                    datagram.getLong(at + FRAGMENT_MSG_ID_OFFSET), datagram.getLong(at + FRAGMENT_SEND_TIME_OFFSET),
                    Byte.toUnsignedInt(datagram.get(at + FRAGMENT_TRANSMISSIONS_OFFSET)),
                    datagram.getInt(at + FRAGMENT_MESSAGE_LENGTH_OFFSET), datagram.getInt(at + FRAGMENT_INDEX_OFFSET),
                    datagram.getInt(at + FRAGMENT_COUNT_OFFSET), datagram.getInt(at + FRAGMENT_DATA_OFFSET_OFFSET),
                    datagram, at + FRAGMENT_HEADER_LENGTH, bodyLength(datagram, at) - FRAGMENT_MIN_BODY_LENGTH);
            case TYPE_FRAGMENT_ACK -> visitor.onFragmentAck(context, clientId, incarnation,
                    datagram.getInt(at + FRAGMENT_ACK_ORIGIN_CLIENT_ID_OFFSET),
                    datagram.getLong(at + FRAGMENT_ACK_ORIGIN_INCARNATION_OFFSET),
                    datagram.getLong(at + FRAGMENT_ACK_MSG_ID_OFFSET),
                    datagram.getLong(at + FRAGMENT_ACK_ECHOED_SEND_TIME_OFFSET),
                    datagram.getLong(at + FRAGMENT_ACK_TIME_OFFSET), datagram.getInt(at + FRAGMENT_ACK_INDEX_OFFSET));
            case TYPE_TRACE_CONTEXT -> visitor.onTraceContext(context, clientId, incarnation,
                    datagram.getLong(at + TRACE_CONTEXT_MSG_ID_OFFSET),
                    Byte.toUnsignedInt(datagram.get(at + TRACE_CONTEXT_VERSION_OFFSET)),
                    Byte.toUnsignedInt(datagram.get(at + TRACE_CONTEXT_FLAGS_OFFSET)),
                    datagram.getLong(at + TRACE_CONTEXT_TRACE_ID_OFFSET),
                    datagram.getLong(at + TRACE_CONTEXT_TRACE_ID_OFFSET + 8),
                    datagram.getLong(at + TRACE_CONTEXT_SPAN_ID_OFFSET), datagram, at + TRACE_CONTEXT_HEADER_LENGTH,
                    Short.toUnsignedInt(datagram.getShort(at + TRACE_CONTEXT_STATE_LENGTH_OFFSET)));
            default -> visitor.onUnknownOptionalFrame(context, clientId, incarnation, type, bodyLength(datagram, at));
        }
        return frameLength(datagram, at, type);
    }

    /** Checks the whole datagram; returns null when every frame is well formed. */
    public static DecodeError validate(ByteBuffer datagram) {
        int base = datagram.position();
        int end = datagram.limit();
        if (end - base < HEADER_LENGTH) {
            return end - base >= 2 && Short.toUnsignedInt(datagram.getShort(base)) != MAGIC
                    ? DecodeError.BAD_MAGIC : DecodeError.TRUNCATED;
        }
        if (Short.toUnsignedInt(datagram.getShort(base + MAGIC_OFFSET)) != MAGIC) {
            return DecodeError.BAD_MAGIC;
        }
        if (Byte.toUnsignedInt(datagram.get(base + VERSION_OFFSET)) != VERSION) {
            return DecodeError.UNSUPPORTED_VERSION;
        }
        if ((datagram.get(base + FLAGS_OFFSET) & ~FLAG_AUTHENTICATED) != 0
                || datagram.getShort(base + HEADER_RESERVED_OFFSET) != 0) {
            return DecodeError.BAD_FIELD;
        }
        int frames = Short.toUnsignedInt(datagram.getShort(base + FRAME_COUNT_OFFSET));
        if (frames == 0) {
            return DecodeError.BAD_FIELD;
        }
        int at = base + HEADER_LENGTH;
        for (int i = 0; i < frames; i++) {
            if (end - at < OPTIONAL_FRAME_HEAD_LENGTH) { // also the common part of every core frame
                return DecodeError.TRUNCATED;
            }
            int type = Byte.toUnsignedInt(datagram.get(at + FRAME_TYPE_OFFSET));
            DecodeError error = isOptionalFrameType(type)
                    ? checkOptionalFrame(datagram, at, end, type) : checkCoreFrame(datagram, at, end, type);
            if (error != null) {
                return error;
            }
            at += frameLength(datagram, at, type);
        }
        return at == end ? null : DecodeError.TRAILING_BYTES;
    }

    /**
     * Checks a frame outside the optional range exactly as wire format version 1 does, in the same
     * order, so both reject the same bytes with the same error.
     */
    private static DecodeError checkCoreFrame(ByteBuffer datagram, int at, int end, int type) {
        if (datagram.getShort(at + FRAME_RESERVED_OFFSET) != 0
                || Byte.toUnsignedInt(datagram.get(at + FRAME_TRANSMISSIONS_OFFSET)) == 0) {
            return DecodeError.BAD_FIELD;
        }
        switch (type) {
            case TYPE_DATA -> {
                if (end - at < DATA_HEADER_LENGTH) {
                    return DecodeError.TRUNCATED;
                }
                int length = datagram.getInt(at + DATA_PAYLOAD_LENGTH_OFFSET);
                return length < 0 || length > end - at - DATA_HEADER_LENGTH ? DecodeError.TRUNCATED : null;
            }
            case TYPE_ACK -> {
                return end - at < ACK_LENGTH ? DecodeError.TRUNCATED : null;
            }
            case TYPE_PING, TYPE_PONG -> {
                if (end - at < (type == TYPE_PING ? PING_LENGTH : PONG_LENGTH)) {
                    return DecodeError.TRUNCATED;
                }
                return datagram.getInt(at + HEARTBEAT_RESERVED_OFFSET) != 0 ? DecodeError.BAD_FIELD : null;
            }
            default -> {
                return DecodeError.UNKNOWN_FRAME_TYPE; // an unknown core type, or the reserved range 0x80-0xFF
            }
        }
    }

    /**
     * Checks an optional frame: its body inside the datagram, and a known type's body long enough
     * for its fields. Flags and reserved fields are not checked: an optional frame is read the
     * same way by every revision from 2 on, so a later one may give them a meaning.
     */
    private static DecodeError checkOptionalFrame(ByteBuffer datagram, int at, int end, int type) {
        int bodyLength = bodyLength(datagram, at);
        if (bodyLength > end - at - OPTIONAL_FRAME_HEAD_LENGTH) {
            return DecodeError.TRUNCATED;
        }
        int fewest = switch (type) {
            case TYPE_CAPABILITIES -> CAPABILITIES_BODY_LENGTH;
            case TYPE_REQUEST -> REQUEST_MIN_BODY_LENGTH;
            case TYPE_REPLY -> REPLY_MIN_BODY_LENGTH;
            case TYPE_FRAGMENT -> FRAGMENT_MIN_BODY_LENGTH;
            case TYPE_FRAGMENT_ACK -> FRAGMENT_ACK_BODY_LENGTH;
            case TYPE_TRACE_CONTEXT -> TRACE_CONTEXT_MIN_BODY_LENGTH;
            default -> 0;
        };
        if (bodyLength < fewest) {
            return DecodeError.BAD_FIELD;
        }
        if (type == TYPE_TRACE_CONTEXT) { // the tracestate inside the body; what follows it is a later revision's
            int stateLength = Short.toUnsignedInt(datagram.getShort(at + TRACE_CONTEXT_STATE_LENGTH_OFFSET));
            return stateLength > bodyLength - TRACE_CONTEXT_MIN_BODY_LENGTH ? DecodeError.BAD_FIELD : null;
        }
        return type == TYPE_FRAGMENT ? checkFragment(datagram, at, bodyLength - FRAGMENT_MIN_BODY_LENGTH) : null;
    }

    /**
     * A FRAGMENT's fields against each other, all unsigned: {@code index < count}, {@code 1 <= count <= length},
     * its data inside the message. What needs the other fragments (the same length and count) is the receiver's.
     */
    private static DecodeError checkFragment(ByteBuffer datagram, int at, int dataLength) {
        long length = Integer.toUnsignedLong(datagram.getInt(at + FRAGMENT_MESSAGE_LENGTH_OFFSET));
        long index = Integer.toUnsignedLong(datagram.getInt(at + FRAGMENT_INDEX_OFFSET));
        long count = Integer.toUnsignedLong(datagram.getInt(at + FRAGMENT_COUNT_OFFSET));
        long offset = Integer.toUnsignedLong(datagram.getInt(at + FRAGMENT_DATA_OFFSET_OFFSET));
        boolean valid = length <= Integer.MAX_VALUE && count >= 1 && count <= length && index < count
                && offset + dataLength <= length;
        return valid ? null : DecodeError.BAD_FIELD;
    }

    private static int bodyLength(ByteBuffer datagram, int at) {
        return Short.toUnsignedInt(datagram.getShort(at + OPTIONAL_FRAME_BODY_LENGTH_OFFSET));
    }

    /** Bytes of the frame of {@code type} at {@code at}; valid only once the frame has been checked. */
    private static int frameLength(ByteBuffer datagram, int at, int type) {
        return switch (type) {
            case TYPE_DATA -> DATA_HEADER_LENGTH + datagram.getInt(at + DATA_PAYLOAD_LENGTH_OFFSET);
            case TYPE_ACK -> ACK_LENGTH;
            case TYPE_PING -> PING_LENGTH;
            case TYPE_PONG -> PONG_LENGTH;
            default -> OPTIONAL_FRAME_HEAD_LENGTH + bodyLength(datagram, at);
        };
    }
}
