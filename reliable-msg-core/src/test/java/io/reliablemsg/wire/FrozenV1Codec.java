package io.reliablemsg.wire;

import static io.reliablemsg.wire.FrozenV1Codec.WireFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The wire format version 1 codec exactly as released: a frozen copy of {@code WireFormat},
 * {@code DecodeError}, {@code FrameVisitor}, {@code DatagramReader}, {@code DatagramWriter} and
 * {@code FrameAuthenticator} from commit d001113, the last commit before the visitor gained its
 * context parameter. It is what a node that has not been upgraded yet runs, so the compatibility
 * tests read and write through it to prove that this release still talks with such a node
 * (docs/PROTOCOL.md, "Wire evolution").
 *
 * <p><b>Never change this class</b>, not even to follow a refactoring of the real codec: a change
 * here would change what the tests call "version 1" and so prove nothing. The nested types keep
 * their original names and bodies (only {@code public} became package visibility and the text is
 * indented one level), so {@code git show d001113:reliable-msg-core/src/main/java/io/reliablemsg/wire/DatagramReader.java}
 * and the nested class compare line by line. Nothing here refers to the current codec: the nested
 * {@code WireFormat}, {@code DecodeError} and {@code FrameVisitor} shadow the package's own. When a
 * later revision is released, freeze this release's codec the same way beside it.
 */
final class FrozenV1Codec {
    private FrozenV1Codec() {
    }

    /**
     * Byte layout of a reliable-msg datagram, version 1. All integers are big-endian (network order).
     *
     * <pre>
     * Datagram header (20 bytes)
     *  0               1               2               3
     *  0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
     * +-------------------------------+---------------+---------------+
     * |        magic 0x524D "RM"      |  version (1)  |     flags     |  0
     * +-------------------------------+---------------+---------------+
     * |                     sender client id (u32)                    |  4
     * +---------------------------------------------------------------+
     * |                 sender incarnation (u64)                      |  8
     * |                                                               |
     * +-------------------------------+-------------------------------+
     * |        frame count (u16)      |        reserved (0)           | 16
     * +-------------------------------+-------------------------------+
     * then frame count frames, back to back; then, when flags bit 0 is set, the authentication trailer.
     *
     * DATA frame (24 bytes + payload)           ACK frame (40 bytes)
     *  0 type = 1 (u8)                           0 type = 2 (u8)
     *  1 transmissions, 1 = first send (u8)      1 transmissions of the copy acked (u8)
     *  2 reserved (u16)                          2 reserved (u16)
     *  4 payload length (u32)                    4 origin client id (u32): the DATA sender's
     *  8 message id (u64)                        8 origin incarnation (u64)
     * 16 send time, epoch ms (u64)              16 message id (u64)
     * 24 payload                                24 echoed send time of the copy acked, epoch ms (u64)
     *                                            32 ack time, epoch ms (u64)
     *
     * PING frame (16 bytes)                     PONG frame (24 bytes)
     *  0 type = 3 (u8)                           0 type = 4 (u8)
     *  1 1 (u8)                                  1 1 (u8)
     *  2 reserved (u16)                          2 reserved (u16)
     *  4 reserved (u32)                          4 reserved (u32)
     *  8 send time, epoch ms (u64)               8 echoed send time of the ping (u64)
     *                                           16 pong time, epoch ms (u64)
     * </pre>
     */
    static final class WireFormat {
        /** "RM": first two bytes of every datagram. */
        public static final int MAGIC = 0x524D;
        /** Layout version written and the only one read. */
        public static final int VERSION = 1;

        public static final int MAGIC_OFFSET = 0;
        public static final int VERSION_OFFSET = 2;
        public static final int FLAGS_OFFSET = 3;
        public static final int CLIENT_ID_OFFSET = 4;
        public static final int INCARNATION_OFFSET = 8;
        public static final int FRAME_COUNT_OFFSET = 16;
        public static final int HEADER_RESERVED_OFFSET = 18;
        public static final int HEADER_LENGTH = 20;

        /** Flag bit: an authentication trailer follows the last frame. */
        public static final int FLAG_AUTHENTICATED = 0x01;

        public static final int TYPE_DATA = 1;
        public static final int TYPE_ACK = 2;
        /** Liveness probe of an idle peer (heartbeat); answered at once with a PONG. */
        public static final int TYPE_PING = 3;
        public static final int TYPE_PONG = 4;

        public static final int FRAME_TYPE_OFFSET = 0;
        public static final int FRAME_TRANSMISSIONS_OFFSET = 1;
        public static final int FRAME_RESERVED_OFFSET = 2;

        public static final int DATA_PAYLOAD_LENGTH_OFFSET = 4;
        public static final int DATA_MSG_ID_OFFSET = 8;
        public static final int DATA_SEND_TIME_OFFSET = 16;
        public static final int DATA_HEADER_LENGTH = 24;

        public static final int ACK_ORIGIN_CLIENT_ID_OFFSET = 4;
        public static final int ACK_ORIGIN_INCARNATION_OFFSET = 8;
        public static final int ACK_MSG_ID_OFFSET = 16;
        public static final int ACK_ECHOED_SEND_TIME_OFFSET = 24;
        public static final int ACK_TIME_OFFSET = 32;
        public static final int ACK_LENGTH = 40;

        public static final int PING_SEND_TIME_OFFSET = 8;
        public static final int PING_LENGTH = 16;
        public static final int PONG_ECHOED_SEND_TIME_OFFSET = 8;
        public static final int PONG_TIME_OFFSET = 16;
        public static final int PONG_LENGTH = 24;

        /** Largest UDP payload over IPv4. */
        public static final int MAX_UDP_PAYLOAD = 65_507;

        /** Largest transmission count a frame can carry. */
        public static final int MAX_TRANSMISSIONS = 255;

        private WireFormat() {
        }
    }

    /** Why a datagram was rejected by {@link DatagramReader}; each is counted as a malformed drop. */
    enum DecodeError {
        /** Shorter than a header, or a frame runs past the end. */
        TRUNCATED,
        /** First two bytes are not "RM". */
        BAD_MAGIC,
        /** A layout version this build does not read. */
        UNSUPPORTED_VERSION,
        /** Unknown frame type byte. */
        UNKNOWN_FRAME_TYPE,
        /** A header or frame field holds a value the layout forbids (zero frames, reserved bits set, ...). */
        BAD_FIELD,
        /** Bytes left after the last frame the header announced. */
        TRAILING_BYTES
    }

    /** Receives the frames of a datagram that {@link DatagramReader} has fully validated. */
    interface FrameVisitor {
        /**
         * A DATA frame. The payload is {@code payloadLength} bytes at {@code payloadOffset} (absolute) in
         * {@code datagram}, valid only during this call.
         */
        void onData(int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis, int transmissions,
                    ByteBuffer datagram, int payloadOffset, int payloadLength);

        /** An ACK frame for the message {@code originClientId}/{@code originIncarnation}/{@code msgId}. */
        void onAck(int senderClientId, long senderIncarnation, int originClientId, long originIncarnation, long msgId,
                   long echoedSendTimeMillis, long ackTimeMillis, int transmissions);

        /** A PING frame (heartbeat) sent at {@code sendTimeMillis}; ignored unless overridden. */
        default void onPing(int senderClientId, long senderIncarnation, long sendTimeMillis) {
        }

        /** A PONG frame answering our ping of {@code echoedSendTimeMillis}; ignored unless overridden. */
        default void onPong(int senderClientId, long senderIncarnation, long echoedSendTimeMillis, long pongTimeMillis) {
        }
    }

    /**
     * Parses datagrams written by {@link DatagramWriter}. A datagram is validated whole before any
     * frame is handed to the visitor, so a datagram that is bad anywhere changes no state. No length
     * field is trusted before it is checked against the bytes actually received, and nothing is
     * allocated. Stateless and thread-safe.
     */
    static final class DatagramReader {
        private DatagramReader() {
        }

        /**
         * Validates {@code datagram} between its position and limit and, when valid, visits its frames
         * in order. Returns null on success or the reason for rejecting it. The buffer's position and
         * limit are left unchanged.
         */
        public static DecodeError read(ByteBuffer datagram, FrameVisitor visitor) {
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
                    visitor.onData(clientId, incarnation, datagram.getLong(at + DATA_MSG_ID_OFFSET),
                            datagram.getLong(at + DATA_SEND_TIME_OFFSET), transmissions,
                            datagram, at + DATA_HEADER_LENGTH, length);
                    at += DATA_HEADER_LENGTH + length;
                } else if (type == TYPE_ACK) {
                    visitor.onAck(clientId, incarnation, datagram.getInt(at + ACK_ORIGIN_CLIENT_ID_OFFSET),
                            datagram.getLong(at + ACK_ORIGIN_INCARNATION_OFFSET), datagram.getLong(at + ACK_MSG_ID_OFFSET),
                            datagram.getLong(at + ACK_ECHOED_SEND_TIME_OFFSET), datagram.getLong(at + ACK_TIME_OFFSET),
                            transmissions);
                    at += ACK_LENGTH;
                } else if (type == TYPE_PING) {
                    visitor.onPing(clientId, incarnation, datagram.getLong(at + PING_SEND_TIME_OFFSET));
                    at += PING_LENGTH;
                } else {
                    visitor.onPong(clientId, incarnation, datagram.getLong(at + PONG_ECHOED_SEND_TIME_OFFSET),
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

    /**
     * Builds one datagram of one or more frames in a reusable buffer. {@link #begin} writes the header,
     * each {@code tryAppend...} adds a frame if it fits within the datagram limit, {@link #finish}
     * fixes the frame count and returns the bytes to send. Not thread-safe; allocation-free after
     * construction.
     */
    static final class DatagramWriter {
        private final ByteBuffer buffer;
        private final int limit;
        private int frameCount;

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

        /** Appends a DATA frame, or returns false (writing nothing) if it does not fit. */
        public boolean tryAppendData(long msgId, long sendTimeMillis, int transmissions, byte[] payload, int reserveBytes) {
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

        /** Appends an ACK frame, or returns false (writing nothing) if it does not fit. */
        public boolean tryAppendAck(int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
                                    long ackTimeMillis, int transmissions, int reserveBytes) {
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

        /** Appends a PING frame, or returns false (writing nothing) if it does not fit. */
        public boolean tryAppendPing(long sendTimeMillis, int reserveBytes) {
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

        /** Appends a PONG frame answering a ping sent at {@code echoedSendTimeMillis}. */
        public boolean tryAppendPong(long echoedSendTimeMillis, long pongTimeMillis, int reserveBytes) {
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

    /**
     * Signs and verifies datagrams with HMAC-SHA256 (JDK {@code javax.crypto}), truncated to 16 bytes.
     *
     * <pre>
     * authentication trailer (17 bytes), after the last frame, present when header flags bit 0 is set
     *  0 key id (u8)
     *  1 HMAC-SHA256(key, header with flag set + frames)[0..16)
     * </pre>
     *
     * Several keys may be configured at once, each with an id: datagrams are signed with the send key
     * and accepted under any configured key, so keys rotate without downtime (add the new key
     * everywhere, then switch the send key, then remove the old one). Key bytes are never logged.
     * Not thread-safe (one instance per I/O loop); allocation-free after construction.
     */
    static final class FrameAuthenticator {
        /** Bytes the trailer adds to a datagram. */
        public static final int TRAILER_LENGTH = 17;
        /** Bytes of the truncated MAC. */
        public static final int MAC_LENGTH = 16;

        /** Why a datagram failed verification. */
        public enum Failure { NOT_SIGNED, TOO_SHORT, UNKNOWN_KEY, BAD_MAC }

        private final Mac[] macs = new Mac[256];
        private final int sendKeyId;
        private final byte[] scratch = new byte[32];

        /** Keys by id (0-255); {@code sendKeyId} must be one of them. */
        public FrameAuthenticator(Map<Integer, byte[]> keys, int sendKeyId) {
            if (!keys.containsKey(sendKeyId)) {
                throw new IllegalArgumentException("send key id " + sendKeyId + " is not among the configured key ids "
                        + keys.keySet());
            }
            for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
                int id = e.getKey();
                if (id < 0 || id > 255) {
                    throw new IllegalArgumentException("key id must be in [0, 255] but was " + id);
                }
                macs[id] = newMac(e.getValue());
            }
            this.sendKeyId = sendKeyId;
        }

        private static Mac newMac(byte[] key) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
            } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }

        /**
         * Sets the authenticated flag on {@code datagram} (position 0, limit at the end of its last
         * frame) and appends the trailer, moving the limit. The buffer needs {@link #TRAILER_LENGTH}
         * bytes of room beyond the limit.
         */
        public void sign(ByteBuffer datagram) {
            int end = datagram.limit();
            datagram.put(WireFormat.FLAGS_OFFSET, (byte) (datagram.get(WireFormat.FLAGS_OFFSET) | WireFormat.FLAG_AUTHENTICATED));
            Mac mac = macs[sendKeyId];
            int position = datagram.position();
            mac.update(datagram);
            datagram.position(position);
            finish(mac);
            datagram.limit(end + TRAILER_LENGTH);
            datagram.put(end, (byte) sendKeyId);
            datagram.put(end + 1, scratch, 0, MAC_LENGTH);
        }

        /**
         * Checks the trailer of {@code datagram} (between position and limit) and, when it verifies,
         * moves the limit back to exclude it. Returns null on success, otherwise why it failed (the
         * buffer is then left as it was).
         */
        public Failure verify(ByteBuffer datagram) {
            int start = datagram.position();
            int end = datagram.limit();
            if (end - start < WireFormat.HEADER_LENGTH + TRAILER_LENGTH) {
                return (end - start >= WireFormat.HEADER_LENGTH && !flagged(datagram, start)) ? Failure.NOT_SIGNED
                        : Failure.TOO_SHORT;
            }
            if (!flagged(datagram, start)) {
                return Failure.NOT_SIGNED;
            }
            int trailer = end - TRAILER_LENGTH;
            Mac mac = macs[Byte.toUnsignedInt(datagram.get(trailer))];
            if (mac == null) {
                return Failure.UNKNOWN_KEY;
            }
            datagram.limit(trailer);
            mac.update(datagram);
            datagram.position(start);
            datagram.limit(end);
            finish(mac);
            int difference = 0;
            for (int i = 0; i < MAC_LENGTH; i++) { // constant time: no early exit on the first wrong byte
                difference |= scratch[i] ^ datagram.get(trailer + 1 + i);
            }
            if (difference != 0) {
                return Failure.BAD_MAC;
            }
            datagram.limit(trailer);
            return null;
        }

        /** Removes a trailer without checking it (used when no key is configured). */
        public static void stripUnverified(ByteBuffer datagram) {
            int start = datagram.position();
            if (datagram.limit() - start >= WireFormat.HEADER_LENGTH + TRAILER_LENGTH && flagged(datagram, start)) {
                datagram.limit(datagram.limit() - TRAILER_LENGTH);
            }
        }

        private static boolean flagged(ByteBuffer datagram, int start) {
            return (datagram.get(start + WireFormat.FLAGS_OFFSET) & WireFormat.FLAG_AUTHENTICATED) != 0;
        }

        private void finish(Mac mac) {
            try {
                mac.doFinal(scratch, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
