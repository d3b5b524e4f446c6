package io.reliablemsg.wire;

/**
 * Byte layout of a reliable-msg datagram: header version 1, protocol revision 5. All integers are
 * big-endian (network order). How the layout may change, and what a reader does with what it does
 * not know, is docs/PROTOCOL.md, "Wire evolution".
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
 * Frame type byte: its two high bits say what a reader does with a type it does not know.
 *   0x00-0x3F core      fixed layout per type; unknown: the whole datagram is dropped (malformed)
 *   0x40-0x7F optional  optional-frame head below; unknown: skipped by its body length, counted
 *   0x80-0xFF reserved  never written; the whole datagram is dropped (malformed)
 *
 * Core frames (types 1-4, the frames of version 1)
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
 *
 * Optional frames (types 0x40-0x7F): a common 4-byte head, then the body
 *  0               1               2               3
 *  0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
 * +---------------+---------------+-------------------------------+
 * |  type (u8)    |  flags (u8)   |       body length (u16)       |  0
 * +---------------+---------------+-------------------------------+
 * |  body: body length bytes                                    ...  4
 *
 * CAPABILITIES frame (type 0x40, 16 bytes: head + 12-byte body)
 * +---------------+---------------+-------------------------------+
 * |  type = 0x40  |  flags        |       body length (12)        |  0
 * +---------------+---------------+-------------------------------+
 * |     protocol revision (u16)   |        reserved (0)           |  4
 * +-------------------------------+-------------------------------+
 * |                      feature bits (u64)                       |  8
 * |                                                               |
 * +---------------------------------------------------------------+
 *   flags bit 0: answer requested. A body longer than 12 bytes is read up to 12, the rest ignored.
 *
 * REQUEST frame (type 0x41, 24 bytes + payload)   REPLY frame (type 0x42, 40 bytes + reply)
 *  0 type = 0x41 (u8)                           0 type = 0x42 (u8)
 *  1 flags (u8, 0)                              1 flags (u8): bit 0 no reply
 *  2 body length = 20 + payload (u16)           2 body length = 36 + reply (u16)
 *  4 transmissions, 1 = first send (u8)         4 origin client id (u32): the requester's
 *  5 reserved (u8, 0) 6 reserved (u16, 0)       8 origin incarnation (u64)
 *  8 message id (u64)                          16 message id of the request (u64)
 * 16 send time, epoch ms (u64)                 24 echoed send time of the request copy answered (u64)
 * 24 payload                                   32 reply time, epoch ms, responder's clock (u64)
 *                                              40 reply bytes
 *   Both only to a peer that advertised FEATURE_REQUEST_REPLY. Reserved fields, undefined flags and
 *   body bytes after the fields a revision knows are ignored when read (optional frames).
 *
 * FRAGMENT frame (type 0x43, 40 bytes + data)     FRAGMENT_ACK frame (type 0x44, 44 bytes)
 *  0 type = 0x43 (u8)                           0 type = 0x44 (u8)
 *  1 flags (u8, 0)                              1 flags (u8, 0)
 *  2 body length = 36 + data (u16)              2 body length = 40 (u16)
 *  4 transmissions, 1 = first send (u8)         4 origin client id (u32): the message sender's
 *  5 reserved (u8, 0) 6 reserved (u16, 0)       8 origin incarnation (u64)
 *  8 message id (u64)                          16 message id (u64)
 * 16 send time of this copy, epoch ms (u64)    24 echoed send time of the fragment copy acked (u64)
 * 24 message length, all fragments (u32)       32 ack time, epoch ms, receiver's clock (u64)
 * 28 fragment index, from 0 (u32)              40 fragment index (u32)
 * 32 fragment count (u32)
 * 36 offset of this fragment's data in the message (u32)
 * 40 data
 *   Both only to a peer that advertised FEATURE_FRAGMENTS (revision 4). A FRAGMENT whose index is not
 *   below its count, whose count is 0 or above the message length, or whose data ends past the message
 *   length is malformed (BAD_FIELD). The whole message is acked by an ordinary ACK of its message id.
 *
 * TRACE_CONTEXT frame (type 0x45, 40 bytes + tracestate): the W3C trace context of a message
 *  0 type = 0x45 (u8)
 *  1 flags (u8, 0)
 *  2 body length = 36 + tracestate length (u16)
 *  4 message id (u64): the DATA, REQUEST or FRAGMENT of this sender that the context belongs to
 * 12 traceparent version (u8; 0 as written)
 * 13 trace flags (u8; W3C, bit 0 sampled)
 * 14 tracestate length (u16; at most 512 as written)
 * 16 trace id (16 bytes)
 * 32 parent span id (8 bytes)
 * 40 tracestate (W3C tracestate header value, ASCII)
 *   Only to a peer that advertised FEATURE_TRACE_CONTEXT (revision 5). Written just before the frame of
 *   its message: in the same datagram for DATA and REQUEST; before the first FRAGMENT of each copy. A body
 *   shorter than 36 bytes, or than 36 plus its tracestate length, is malformed (BAD_FIELD); bytes after
 *   the tracestate are ignored (later fields).
 * </pre>
 */
public final class WireFormat {
    /** "RM": first two bytes of every datagram. */
    public static final int MAGIC = 0x524D;
    /**
     * Header layout version written and the only one read. It stays 1 while the header layout
     * does; new frames do not change it (they are negotiated, see {@link #PROTOCOL_REVISION}).
     */
    public static final int VERSION = 1;

    /** Header: offset of the magic (u16). */
    public static final int MAGIC_OFFSET = 0;
    /** Header: offset of the layout version (u8). */
    public static final int VERSION_OFFSET = 2;
    /** Header: offset of the flags (u8); only {@link #FLAG_AUTHENTICATED} may be set. */
    public static final int FLAGS_OFFSET = 3;
    /** Header: offset of the sender's client id (u32). */
    public static final int CLIENT_ID_OFFSET = 4;
    /** Header: offset of the sender's incarnation (u64). */
    public static final int INCARNATION_OFFSET = 8;
    /** Header: offset of the number of frames that follow (u16, at least 1). */
    public static final int FRAME_COUNT_OFFSET = 16;
    /** Header: offset of the reserved field (u16, 0). */
    public static final int HEADER_RESERVED_OFFSET = 18;
    /** Bytes of the header. */
    public static final int HEADER_LENGTH = 20;

    /** Flag bit: an authentication trailer follows the last frame. */
    public static final int FLAG_AUTHENTICATED = 0x01;

    /**
     * The two high bits of a frame type byte: they say what a reader does with a type it does not
     * know, so that rule holds for types not yet assigned (after SCTP's chunk types, RFC 9260 §3.2).
     */
    public static final int FRAME_TYPE_RANGE_MASK = 0xC0;
    /** Range bits of a core frame type (0x00-0x3F): unknown means the whole datagram is dropped. */
    public static final int CORE_FRAME_TYPES = 0x00;
    /** Range bits of an optional frame type (0x40-0x7F): unknown means the frame is skipped by its length. */
    public static final int OPTIONAL_FRAME_TYPES = 0x40;

    /** Core frame type: a business message. */
    public static final int TYPE_DATA = 1;
    /** Core frame type: the acknowledgement of one DATA copy. */
    public static final int TYPE_ACK = 2;
    /** Core frame type: liveness probe of an idle peer (heartbeat); answered at once with a PONG. */
    public static final int TYPE_PING = 3;
    /** Core frame type: the answer to a PING. */
    public static final int TYPE_PONG = 4;
    /** Optional frame type: what the sender reads (protocol revision and feature bits). */
    public static final int TYPE_CAPABILITIES = 0x40;
    /** Optional frame type: a request, a message whose handler answers with a REPLY (revision 3). */
    public static final int TYPE_REQUEST = 0x41;
    /** Optional frame type: the answer to a REQUEST (revision 3). */
    public static final int TYPE_REPLY = 0x42;
    /** Optional frame type: one piece of a message larger than one datagram (revision 4). */
    public static final int TYPE_FRAGMENT = 0x43;
    /** Optional frame type: the acknowledgement of one FRAGMENT copy (revision 4). */
    public static final int TYPE_FRAGMENT_ACK = 0x44;
    /** Optional frame type: the W3C trace context of the DATA, REQUEST or FRAGMENT it precedes (revision 5). */
    public static final int TYPE_TRACE_CONTEXT = 0x45;

    /** Every frame: offset of the type (u8). */
    public static final int FRAME_TYPE_OFFSET = 0;
    /** Core frame: offset of the transmission count (u8, never 0). */
    public static final int FRAME_TRANSMISSIONS_OFFSET = 1;
    /** Core frame: offset of the reserved field (u16, 0). */
    public static final int FRAME_RESERVED_OFFSET = 2;

    /** DATA: offset of the payload length (u32). */
    public static final int DATA_PAYLOAD_LENGTH_OFFSET = 4;
    /** DATA: offset of the message id (u64). */
    public static final int DATA_MSG_ID_OFFSET = 8;
    /** DATA: offset of the send time of this copy, epoch ms (u64). */
    public static final int DATA_SEND_TIME_OFFSET = 16;
    /** DATA: bytes before the payload. */
    public static final int DATA_HEADER_LENGTH = 24;

    /** ACK: offset of the DATA sender's client id (u32). */
    public static final int ACK_ORIGIN_CLIENT_ID_OFFSET = 4;
    /** ACK: offset of the DATA sender's incarnation (u64). */
    public static final int ACK_ORIGIN_INCARNATION_OFFSET = 8;
    /** ACK: offset of the acked message id (u64). */
    public static final int ACK_MSG_ID_OFFSET = 16;
    /** ACK: offset of the echoed send time of the copy acked, epoch ms (u64). */
    public static final int ACK_ECHOED_SEND_TIME_OFFSET = 24;
    /** ACK: offset of the ack time, epoch ms, receiver's clock (u64). */
    public static final int ACK_TIME_OFFSET = 32;
    /** Bytes of an ACK frame. */
    public static final int ACK_LENGTH = 40;

    /** PING and PONG: offset of the reserved u32 after the common fields (0). */
    public static final int HEARTBEAT_RESERVED_OFFSET = 4;
    /** PING: offset of the send time, epoch ms (u64). */
    public static final int PING_SEND_TIME_OFFSET = 8;
    /** Bytes of a PING frame. */
    public static final int PING_LENGTH = 16;
    /** PONG: offset of the ping's echoed send time (u64). */
    public static final int PONG_ECHOED_SEND_TIME_OFFSET = 8;
    /** PONG: offset of the pong time, epoch ms, answering peer's clock (u64). */
    public static final int PONG_TIME_OFFSET = 16;
    /** Bytes of a PONG frame. */
    public static final int PONG_LENGTH = 24;

    /** Optional frame head: offset of the flags (u8), whose meaning is the type's. */
    public static final int OPTIONAL_FRAME_FLAGS_OFFSET = 1;
    /** Optional frame head: offset of the body length (u16), the bytes after the head. */
    public static final int OPTIONAL_FRAME_BODY_LENGTH_OFFSET = 2;
    /** Bytes of the optional frame head; the body starts here. */
    public static final int OPTIONAL_FRAME_HEAD_LENGTH = 4;
    /** Largest body length the head can carry. */
    public static final int MAX_OPTIONAL_FRAME_BODY_LENGTH = 0xFFFF;

    /** CAPABILITIES flag bit: the sender asks for our CAPABILITIES in return. */
    public static final int CAPABILITIES_FLAG_ANSWER_REQUESTED = 0x01;
    /** CAPABILITIES: offset of the sender's protocol revision (u16). */
    public static final int CAPABILITIES_REVISION_OFFSET = 4;
    /** CAPABILITIES: offset of the reserved field (u16, written 0, ignored when read). */
    public static final int CAPABILITIES_RESERVED_OFFSET = 6;
    /** CAPABILITIES: offset of the feature bits (u64). */
    public static final int CAPABILITIES_FEATURES_OFFSET = 8;
    /** CAPABILITIES: body bytes this revision writes and the fewest it accepts. */
    public static final int CAPABILITIES_BODY_LENGTH = 12;
    /** Bytes of a CAPABILITIES frame as this revision writes it. */
    public static final int CAPABILITIES_LENGTH = OPTIONAL_FRAME_HEAD_LENGTH + CAPABILITIES_BODY_LENGTH;

    /** REQUEST: offset of the transmission count (u8; 1 for the first send, never 0 as written). */
    public static final int REQUEST_TRANSMISSIONS_OFFSET = 4;
    /** REQUEST: offset of the message id (u64), from the same sequence as DATA's. */
    public static final int REQUEST_MSG_ID_OFFSET = 8;
    /** REQUEST: offset of the send time of this copy, epoch ms (u64). */
    public static final int REQUEST_SEND_TIME_OFFSET = 16;
    /** REQUEST: bytes before the payload (head included). */
    public static final int REQUEST_HEADER_LENGTH = 24;
    /** REQUEST: body bytes before the payload, the fewest a reader accepts. */
    public static final int REQUEST_MIN_BODY_LENGTH = REQUEST_HEADER_LENGTH - OPTIONAL_FRAME_HEAD_LENGTH;

    /** REPLY flag bit: the responder has no reply to give (its handler failed, or the reply left its cache). */
    public static final int REPLY_FLAG_NO_REPLY = 0x01;
    /** REPLY: offset of the requester's client id (u32). */
    public static final int REPLY_ORIGIN_CLIENT_ID_OFFSET = 4;
    /** REPLY: offset of the requester's incarnation (u64). */
    public static final int REPLY_ORIGIN_INCARNATION_OFFSET = 8;
    /** REPLY: offset of the request's message id (u64). */
    public static final int REPLY_MSG_ID_OFFSET = 16;
    /** REPLY: offset of the echoed send time of the request copy answered, epoch ms (u64). */
    public static final int REPLY_ECHOED_SEND_TIME_OFFSET = 24;
    /** REPLY: offset of the reply time, epoch ms, responder's clock (u64). */
    public static final int REPLY_TIME_OFFSET = 32;
    /** REPLY: bytes before the reply bytes (head included). */
    public static final int REPLY_HEADER_LENGTH = 40;
    /** REPLY: body bytes before the reply bytes, the fewest a reader accepts. */
    public static final int REPLY_MIN_BODY_LENGTH = REPLY_HEADER_LENGTH - OPTIONAL_FRAME_HEAD_LENGTH;

    /** FRAGMENT: offset of the transmission count (u8; 1 for the first send). */
    public static final int FRAGMENT_TRANSMISSIONS_OFFSET = 4;
    /** FRAGMENT: offset of the message id (u64), from the same sequence as DATA's. */
    public static final int FRAGMENT_MSG_ID_OFFSET = 8;
    /** FRAGMENT: offset of the send time of this copy, epoch ms (u64). */
    public static final int FRAGMENT_SEND_TIME_OFFSET = 16;
    /** FRAGMENT: offset of the whole message's length (u32). */
    public static final int FRAGMENT_MESSAGE_LENGTH_OFFSET = 24;
    /** FRAGMENT: offset of the fragment index (u32, from 0). */
    public static final int FRAGMENT_INDEX_OFFSET = 28;
    /** FRAGMENT: offset of the fragment count (u32, at least 1). */
    public static final int FRAGMENT_COUNT_OFFSET = 32;
    /** FRAGMENT: offset of this fragment's data in the message (u32). */
    public static final int FRAGMENT_DATA_OFFSET_OFFSET = 36;
    /** FRAGMENT: bytes before the data (head included). */
    public static final int FRAGMENT_HEADER_LENGTH = 40;
    /** FRAGMENT: body bytes before the data, the fewest a reader accepts. */
    public static final int FRAGMENT_MIN_BODY_LENGTH = FRAGMENT_HEADER_LENGTH - OPTIONAL_FRAME_HEAD_LENGTH;

    /** FRAGMENT_ACK: offset of the message sender's client id (u32). */
    public static final int FRAGMENT_ACK_ORIGIN_CLIENT_ID_OFFSET = 4;
    /** FRAGMENT_ACK: offset of the message sender's incarnation (u64). */
    public static final int FRAGMENT_ACK_ORIGIN_INCARNATION_OFFSET = 8;
    /** FRAGMENT_ACK: offset of the message id (u64). */
    public static final int FRAGMENT_ACK_MSG_ID_OFFSET = 16;
    /** FRAGMENT_ACK: offset of the echoed send time of the fragment copy acked, epoch ms (u64). */
    public static final int FRAGMENT_ACK_ECHOED_SEND_TIME_OFFSET = 24;
    /** FRAGMENT_ACK: offset of the ack time, epoch ms, receiver's clock (u64). */
    public static final int FRAGMENT_ACK_TIME_OFFSET = 32;
    /** FRAGMENT_ACK: offset of the fragment index acked (u32). */
    public static final int FRAGMENT_ACK_INDEX_OFFSET = 40;
    /** Bytes of a FRAGMENT_ACK frame as this revision writes it. */
    public static final int FRAGMENT_ACK_LENGTH = 44;
    /** FRAGMENT_ACK: body bytes this revision writes and the fewest it accepts. */
    public static final int FRAGMENT_ACK_BODY_LENGTH = FRAGMENT_ACK_LENGTH - OPTIONAL_FRAME_HEAD_LENGTH;

    /** TRACE_CONTEXT: offset of the message id (u64) the context belongs to. */
    public static final int TRACE_CONTEXT_MSG_ID_OFFSET = 4;
    /** TRACE_CONTEXT: offset of the W3C traceparent version (u8; 0 as written). */
    public static final int TRACE_CONTEXT_VERSION_OFFSET = 12;
    /** TRACE_CONTEXT: offset of the W3C trace flags (u8; bit 0: sampled). */
    public static final int TRACE_CONTEXT_FLAGS_OFFSET = 13;
    /** TRACE_CONTEXT: offset of the tracestate length (u16). */
    public static final int TRACE_CONTEXT_STATE_LENGTH_OFFSET = 14;
    /** TRACE_CONTEXT: offset of the 16-byte trace id. */
    public static final int TRACE_CONTEXT_TRACE_ID_OFFSET = 16;
    /** TRACE_CONTEXT: offset of the 8-byte parent span id. */
    public static final int TRACE_CONTEXT_SPAN_ID_OFFSET = 32;
    /** TRACE_CONTEXT: bytes before the tracestate (head included). */
    public static final int TRACE_CONTEXT_HEADER_LENGTH = 40;
    /** TRACE_CONTEXT: body bytes before the tracestate, the fewest a reader accepts. */
    public static final int TRACE_CONTEXT_MIN_BODY_LENGTH = TRACE_CONTEXT_HEADER_LENGTH - OPTIONAL_FRAME_HEAD_LENGTH;
    /** TRACE_CONTEXT: the longest tracestate written (W3C asks to propagate at least 512 characters). */
    public static final int MAX_TRACE_STATE_LENGTH = 512;

    /**
     * Protocol revision of this release, advertised in CAPABILITIES: 1 was the first release (no
     * CAPABILITIES, no optional frames), 2 reads optional frames, 3 adds REQUEST and REPLY, 4 adds
     * FRAGMENT and FRAGMENT_ACK, 5 adds TRACE_CONTEXT. Revision N talks with revision N-1.
     */
    public static final int PROTOCOL_REVISION = 5;
    /** Feature bit 0: reads optional frames and skips unknown ones by their length (a revision 2 reader). */
    public static final long FEATURE_OPTIONAL_FRAMES = 1L;
    /** Feature bit 1: reads REQUEST and REPLY, and answers a REQUEST with a REPLY (revision 3). */
    public static final long FEATURE_REQUEST_REPLY = 1L << 1;
    /** Feature bit 2: reads FRAGMENT and FRAGMENT_ACK and reassembles messages from fragments (revision 4). */
    public static final long FEATURE_FRAGMENTS = 1L << 2;
    /** Feature bit 3: reads TRACE_CONTEXT and hands the trace context to the message's handler (revision 5). */
    public static final long FEATURE_TRACE_CONTEXT = 1L << 3;
    /** Feature bits this release reads and advertises. */
    public static final long FEATURES = FEATURE_OPTIONAL_FRAMES | FEATURE_REQUEST_REPLY | FEATURE_FRAGMENTS
            | FEATURE_TRACE_CONTEXT;

    /** Largest UDP payload over IPv4. */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    /** Largest transmission count a frame can carry. */
    public static final int MAX_TRANSMISSIONS = 255;

    private WireFormat() {
    }

    /** Whether {@code type} (0-255) is in the optional range 0x40-0x7F, whose frames carry the optional head. */
    public static boolean isOptionalFrameType(int type) {
        return (type & FRAME_TYPE_RANGE_MASK) == OPTIONAL_FRAME_TYPES;
    }
}
