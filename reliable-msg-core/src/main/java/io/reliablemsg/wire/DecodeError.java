package io.reliablemsg.wire;

/**
 * Why a datagram was rejected by {@link DatagramReader}; each is counted as a malformed drop. An
 * unknown optional frame is not an error: it is skipped (docs/PROTOCOL.md, "Wire evolution").
 */
public enum DecodeError {
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
