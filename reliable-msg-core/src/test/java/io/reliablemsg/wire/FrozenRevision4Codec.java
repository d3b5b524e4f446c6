package io.reliablemsg.wire;

import static io.reliablemsg.wire.FrozenRevision4Codec.WireFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The protocol revision 4 codec exactly as released: a frozen copy of {@code WireFormat},
 * {@code DecodeError}, {@code FrameVisitor}, {@code DatagramReader}, {@code DatagramWriter} and
 * {@code FrameAuthenticator} from commit f518245, the last commit of revision 4 (fragments, no trace
 * context). It is what a node of the previous release runs, so the compatibility tests read and
 * write through it to prove that this release still talks with such a node (docs/PROTOCOL.md, "Wire
 * evolution", 7.6), beside {@link FrozenRevision3Codec}, {@link FrozenRevision2Codec} and {@link FrozenV1Codec}.
 *
 * <p><b>Never change this class</b>, not even to follow a refactoring of the real codec: a change
 * here would change what the tests call "revision 4" and so prove nothing. The nested types keep
 * their original names and bodies (only {@code public} on the types became package visibility and
 * the text is indented one level), so
 * {@code git show f518245:reliable-msg-core/src/main/java/io/reliablemsg/wire/DatagramReader.java}
 * and the nested class compare line by line. Nothing here refers to the current codec: the nested
 * types shadow the package's own.
 */
final class FrozenRevision4Codec {
    private FrozenRevision4Codec() {
    }

    /**
     * Byte layout of a reliable-msg datagram: header version 1, protocol revision 4. All integers are
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
     * </pre>
     */
    static final class WireFormat {
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

        /**
         * Protocol revision of this release, advertised in CAPABILITIES: 1 was the first release (no
         * CAPABILITIES, no optional frames), 2 reads optional frames, 3 adds REQUEST and REPLY, 4 adds
         * FRAGMENT and FRAGMENT_ACK. Revision N talks with revision N-1.
         */
        public static final int PROTOCOL_REVISION = 4;
        /** Feature bit 0: reads optional frames and skips unknown ones by their length (a revision 2 reader). */
        public static final long FEATURE_OPTIONAL_FRAMES = 1L;
        /** Feature bit 1: reads REQUEST and REPLY, and answers a REQUEST with a REPLY (revision 3). */
        public static final long FEATURE_REQUEST_REPLY = 1L << 1;
        /** Feature bit 2: reads FRAGMENT and FRAGMENT_ACK and reassembles messages from fragments (revision 4). */
        public static final long FEATURE_FRAGMENTS = 1L << 2;
        /** Feature bits this release reads and advertises. */
        public static final long FEATURES = FEATURE_OPTIONAL_FRAMES | FEATURE_REQUEST_REPLY | FEATURE_FRAGMENTS;

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

    /**
     * Why a datagram was rejected by {@link DatagramReader}; each is counted as a malformed drop. An
     * unknown optional frame is not an error: it is skipped (docs/PROTOCOL.md, "Wire evolution").
     */
    enum DecodeError {
        /** Shorter than a header, or a frame (a DATA payload, an optional frame's body) runs past the end. */
        TRUNCATED,
        /** First two bytes are not "RM". */
        BAD_MAGIC,
        /** A header layout version this build does not read. */
        UNSUPPORTED_VERSION,
        /** A core frame type (0x00-0x3F) this build does not know, or any type in the reserved range (0x80-0xFF). */
        UNKNOWN_FRAME_TYPE,
        /**
         * A header or frame field holds a value the layout forbids (zero frames, reserved bits set in
         * the header or a core frame, an optional frame of a known type shorter than its fields, ...).
         */
        BAD_FIELD,
        /** Bytes left after the last frame the header announced. */
        TRAILING_BYTES
    }

    /**
     * Receives the frames of a datagram that {@link DatagramReader} has fully validated. Every call
     * carries the {@code context} the caller handed to {@link DatagramReader#read}: what the caller
     * knows of the datagram (its sender, the time it arrived), passed along rather than parked in fields.
     *
     * @param <C> type of the caller's per-datagram context
     */
    interface FrameVisitor<C> {
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
         * An optional frame of a {@code type} (0x45-0x7F) this release does not know, skipped by its
         * {@code bodyLength}: a later revision wrote it. The caller counts it; its body is not handed
         * over, since no meaning can be read from it. Ignored unless overridden.
         */
        default void onUnknownOptionalFrame(C context, int senderClientId, long senderIncarnation, int type,
                                            int bodyLength) {
        }
    }

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
     * long as its fields (a REQUEST's payload and a REPLY's reply are the body after its fields), and
     * its flags and reserved fields beyond what this revision defines are ignored; an unknown one is skipped and reported through
     * {@link FrameVisitor#onUnknownOptionalFrame}.
     */
    static final class DatagramReader {
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

        /** Visits a PING, PONG, CAPABILITIES, REQUEST, REPLY or unknown optional frame at {@code at}; returns its length. */
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
                default -> 0;
            };
            if (bodyLength < fewest) {
                return DecodeError.BAD_FIELD;
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
    static final class DatagramWriter {
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
