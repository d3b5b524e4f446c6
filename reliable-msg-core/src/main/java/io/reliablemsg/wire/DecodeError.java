package io.reliablemsg.wire;

/** Why a datagram was rejected by {@link DatagramReader}; each is counted as a malformed drop. */
public enum DecodeError {
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
