package io.reliablemsg.wire;

import static io.reliablemsg.wire.WireFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds one datagram of one or more frames in a reusable buffer. {@link #begin} writes the header,
 * each {@code tryAppend...} adds a frame if it fits within the datagram limit, {@link #finish}
 * fixes the frame count and returns the bytes to send. Not thread-safe; allocation-free after
 * construction.
 */
public final class DatagramWriter {
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
