package io.reliablemsg.internal;

import io.reliablemsg.InboundMessage;

/** Where the receiver hands a new message for the business handler. */
interface Delivery {
    /** Queues {@code message} for the inbound handler; false when the delivery queue is full. */
    boolean offer(InboundMessage message);
}
