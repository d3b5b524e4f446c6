package io.reliablemsg.wire;

import static io.reliablemsg.wire.WireFormat.*;

import java.nio.ByteBuffer;

/**
 * Parses datagrams written by {@link DatagramWriter}. A datagram is validated whole before any
 * frame is handed to the visitor, so a datagram that is bad anywhere changes no state. No length
 * field is trusted before it is checked against the bytes actually received, and nothing is
 * allocated. Stateless and thread-safe.
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
            int type = datagram.get(at + FRAME_TYPE_OFFSET);
            int transmissions = Byte.toUnsignedInt(datagram.get(at + FRAME_TRANSMISSIONS_OFFSET));
            if (type == TYPE_DATA) {
                int length = datagram.getInt(at + DATA_PAYLOAD_LENGTH_OFFSET);
                visitor.onData(context, clientId, incarnation, datagram.getLong(at + DATA_MSG_ID_OFFSET),
                        datagram.getLong(at + DATA_SEND_TIME_OFFSET), transmissions,
                        datagram, at + DATA_HEADER_LENGTH, length);
                at += DATA_HEADER_LENGTH + length;
            } else if (type == TYPE_ACK) {
                visitor.onAck(context, clientId, incarnation, datagram.getInt(at + ACK_ORIGIN_CLIENT_ID_OFFSET),
                        datagram.getLong(at + ACK_ORIGIN_INCARNATION_OFFSET), datagram.getLong(at + ACK_MSG_ID_OFFSET),
                        datagram.getLong(at + ACK_ECHOED_SEND_TIME_OFFSET), datagram.getLong(at + ACK_TIME_OFFSET),
                        transmissions);
                at += ACK_LENGTH;
            } else if (type == TYPE_PING) {
                visitor.onPing(context, clientId, incarnation, datagram.getLong(at + PING_SEND_TIME_OFFSET));
                at += PING_LENGTH;
            } else {
                visitor.onPong(context, clientId, incarnation, datagram.getLong(at + PONG_ECHOED_SEND_TIME_OFFSET),
                        datagram.getLong(at + PONG_TIME_OFFSET));
                at += PONG_LENGTH;
            }
        }
        return null;
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
            if (end - at < 4) {
                return DecodeError.TRUNCATED;
            }
            int type = datagram.get(at + FRAME_TYPE_OFFSET);
            if (datagram.getShort(at + FRAME_RESERVED_OFFSET) != 0) {
                return DecodeError.BAD_FIELD;
            }
            if (Byte.toUnsignedInt(datagram.get(at + FRAME_TRANSMISSIONS_OFFSET)) == 0) {
                return DecodeError.BAD_FIELD;
            }
            if (type == TYPE_DATA) {
                if (end - at < DATA_HEADER_LENGTH) {
                    return DecodeError.TRUNCATED;
                }
                int length = datagram.getInt(at + DATA_PAYLOAD_LENGTH_OFFSET);
                if (length < 0 || length > end - at - DATA_HEADER_LENGTH) {
                    return DecodeError.TRUNCATED;
                }
                at += DATA_HEADER_LENGTH + length;
            } else if (type == TYPE_ACK || type == TYPE_PING || type == TYPE_PONG) {
                int length = type == TYPE_ACK ? ACK_LENGTH : type == TYPE_PING ? PING_LENGTH : PONG_LENGTH;
                if (end - at < length) {
                    return DecodeError.TRUNCATED;
                }
                if (type != TYPE_ACK && datagram.getInt(at + 4) != 0) {
                    return DecodeError.BAD_FIELD;
                }
                at += length;
            } else {
                return DecodeError.UNKNOWN_FRAME_TYPE;
            }
        }
        return at == end ? null : DecodeError.TRAILING_BYTES;
    }
}
