package io.reliablemsg.wire;

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
public final class WireFormat {
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
