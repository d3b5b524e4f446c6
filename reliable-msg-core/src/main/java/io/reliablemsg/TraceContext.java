package io.reliablemsg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A W3C trace context (https://www.w3.org/TR/trace-context/): the {@code traceparent} (version, 128-bit
 * trace id, 64-bit parent span id, trace flags) and an optional {@code tracestate}. A message carries one
 * to its peer in a TRACE_CONTEXT frame (docs/PROTOCOL.md, "Trace context"), never in the user buffer, when
 * a {@link MessageTracer} gives it one and the peer reads that frame; the receiver's handler finds it in
 * {@link InboundHandler#onMessage(InboundMessage, TraceContext)} (and the request handlers' two-argument
 * {@code onRequest}; not a field of {@link InboundMessage}, which keeps its size). The core only carries it:
 * what makes spans of it is the tracer
 * (the starter's Micrometer Observations).
 *
 * <p>Immutable. The ids are never all zero (W3C: such a traceparent is invalid); the tracestate is
 * printable ASCII of at most {@link #MAX_TRACE_STATE_LENGTH} characters, or empty.
 */
public final class TraceContext {
    /** The longest tracestate carried: W3C asks every hop to propagate at least 512 characters. */
    public static final int MAX_TRACE_STATE_LENGTH = 512;
    /** Trace flag bit 0: the caller recorded (sampled) its span. */
    public static final int FLAG_SAMPLED = 0x01;

    private static final byte[] NO_STATE = new byte[0];

    private final long traceIdHigh;
    private final long traceIdLow;
    private final long parentSpanId;
    private final int flags;
    private final byte[] traceState;

    private TraceContext(long traceIdHigh, long traceIdLow, long parentSpanId, int flags, byte[] traceState) {
        this.traceIdHigh = traceIdHigh;
        this.traceIdLow = traceIdLow;
        this.parentSpanId = parentSpanId;
        this.flags = flags;
        this.traceState = traceState;
    }

    /**
     * The trace context of trace {@code traceIdHigh}/{@code traceIdLow} and span {@code parentSpanId}, with
     * trace {@code flags} (0-255) and {@code traceState} (null or empty for none).
     *
     * @throws IllegalArgumentException for an all-zero trace or span id, flags outside 0-255, or a tracestate
     *                                  longer than {@link #MAX_TRACE_STATE_LENGTH} or not printable ASCII
     */
    public static TraceContext of(long traceIdHigh, long traceIdLow, long parentSpanId, int flags, String traceState) {
        if (traceIdHigh == 0 && traceIdLow == 0 || parentSpanId == 0) {
            throw new IllegalArgumentException("a W3C trace id and parent span id are never all zero");
        }
        if (flags < 0 || flags > 0xFF) {
            throw new IllegalArgumentException("trace flags must be in [0, 255] but were " + flags);
        }
        return new TraceContext(traceIdHigh, traceIdLow, parentSpanId, flags, stateBytes(traceState));
    }

    /**
     * Reads a {@code traceparent} header value ({@code 00-<32 hex>-<16 hex>-<2 hex>}; a later version's
     * value is read by its first four fields, as W3C asks) and an optional {@code tracestate} (null for none;
     * one longer than {@link #MAX_TRACE_STATE_LENGTH} is dropped, as W3C allows). Returns null when the
     * traceparent is null or invalid, so a bad header never fails a send.
     */
    public static TraceContext parse(String traceparent, String traceState) {
        if (traceparent == null || traceparent.length() < 55 || traceparent.charAt(2) != '-'
                || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-'
                || traceparent.length() > 55 && (traceparent.startsWith("00") || traceparent.charAt(55) != '-')) {
            return null;
        }
        try {
            int version = Integer.parseInt(traceparent, 0, 2, 16);
            long high = Long.parseUnsignedLong(traceparent, 3, 19, 16);
            long low = Long.parseUnsignedLong(traceparent, 19, 35, 16);
            long span = Long.parseUnsignedLong(traceparent, 36, 52, 16);
            int flags = Integer.parseInt(traceparent, 53, 55, 16);
            if (version == 0xFF || !lowerHex(traceparent) || high == 0 && low == 0 || span == 0) {
                return null;
            }
            String state = traceState == null || traceState.length() > MAX_TRACE_STATE_LENGTH ? null : traceState;
            return of(high, low, span, flags, printable(state) ? state : null);
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return null;
        }
    }

    private static boolean lowerHex(String traceparent) {
        for (int i = 0; i < 55; i++) {
            char c = traceparent.charAt(i);
            if (c != '-' && (c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean printable(String state) {
        return state == null || state.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    }

    private static byte[] stateBytes(String traceState) {
        if (traceState == null || traceState.isEmpty()) {
            return NO_STATE;
        }
        if (traceState.length() > MAX_TRACE_STATE_LENGTH || !printable(traceState)) {
            throw new IllegalArgumentException("a tracestate is printable ASCII of at most " + MAX_TRACE_STATE_LENGTH
                    + " characters, but this one has " + traceState.length());
        }
        return traceState.getBytes(StandardCharsets.US_ASCII);
    }

    /** The high 64 bits of the trace id. */
    public long traceIdHigh() {
        return traceIdHigh;
    }

    /** The low 64 bits of the trace id. */
    public long traceIdLow() {
        return traceIdLow;
    }

    /** The id of the span that sent the message (the receiver's parent), as a number. */
    public long parentSpanId() {
        return parentSpanId;
    }

    /** The trace flags (bit 0: {@link #FLAG_SAMPLED}). */
    public int flags() {
        return flags;
    }

    /** Whether the sender sampled its span ({@link #FLAG_SAMPLED}). */
    public boolean sampled() {
        return (flags & FLAG_SAMPLED) != 0;
    }

    /** The trace id as 32 lowercase hex digits. */
    public String traceId() {
        return hex(traceIdHigh) + hex(traceIdLow);
    }

    /** The parent span id as 16 lowercase hex digits. */
    public String spanId() {
        return hex(parentSpanId);
    }

    /** The {@code traceparent} header value, version 00: {@code 00-<trace id>-<span id>-<flags>}. */
    public String traceparent() {
        return "00-" + traceId() + "-" + spanId() + "-" + (flags < 0x10 ? "0" : "") + Integer.toHexString(flags);
    }

    /** The {@code tracestate} header value, or an empty string when there is none. */
    public String traceState() {
        return new String(traceState, StandardCharsets.US_ASCII);
    }

    /** Bytes of the tracestate as it goes on the wire (a copy). */
    public byte[] traceStateBytes() {
        return traceState.clone();
    }

    /** Bytes of the tracestate. */
    public int traceStateLength() {
        return traceState.length;
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TraceContext t && t.traceIdHigh == traceIdHigh && t.traceIdLow == traceIdLow
                && t.parentSpanId == parentSpanId && t.flags == flags && Arrays.equals(t.traceState, traceState);
    }

    @Override
    public int hashCode() {
        return Objects.hash(traceIdHigh, traceIdLow, parentSpanId, flags) * 31 + Arrays.hashCode(traceState);
    }

    @Override
    public String toString() {
        return "TraceContext[" + traceparent() + (traceState.length == 0 ? "" : ", tracestate=" + traceState()) + "]";
    }
}
