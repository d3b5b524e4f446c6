package io.reliablemsg.internal;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.TraceContext;

/** Where the receiver hands a new message for the business handler. */
interface Delivery {
    /** Queues {@code message} for the inbound handler; false when the delivery queue is full. */
    boolean offer(InboundMessage message);

    /** Like {@link #offer(InboundMessage)}, with the trace context it carried (null: none). */
    default boolean offer(InboundMessage message, TraceContext traceContext) {
        return offer(message);
    }
}
