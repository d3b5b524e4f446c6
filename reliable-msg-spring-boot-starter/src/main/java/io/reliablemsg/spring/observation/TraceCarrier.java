package io.reliablemsg.spring.observation;

import io.reliablemsg.TraceContext;

/**
 * The headers a tracer's propagator writes for one message sent (W3C {@code traceparent} and
 * {@code tracestate}), turned into the {@link TraceContext} the message carries in its datagram. Written by
 * the propagator on the sending thread while the send observation starts, read right after.
 */
public final class TraceCarrier {
    /** The W3C trace context header. */
    public static final String TRACEPARENT = "traceparent";
    /** The W3C vendor state header. */
    public static final String TRACESTATE = "tracestate";

    private String traceparent;
    private String tracestate;

    /** Records header {@code key}; headers other than the two W3C ones (B3, baggage) are not carried. */
    public void set(String key, String value) {
        if (TRACEPARENT.equalsIgnoreCase(key)) {
            traceparent = value;
        } else if (TRACESTATE.equalsIgnoreCase(key)) {
            tracestate = value;
        }
    }

    /** The trace context written, or null when the propagator wrote no valid {@code traceparent}. */
    public TraceContext traceContext() {
        return TraceContext.parse(traceparent, tracestate);
    }

    /** The header {@code key} of a received message's {@code context}, or null. */
    static String header(TraceContext context, String key) {
        if (context == null) {
            return null;
        }
        if (TRACEPARENT.equalsIgnoreCase(key)) {
            return context.traceparent();
        }
        if (TRACESTATE.equalsIgnoreCase(key) && context.traceStateLength() > 0) {
            return context.traceState();
        }
        return null;
    }
}
