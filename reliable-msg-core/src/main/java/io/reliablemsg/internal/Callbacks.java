package io.reliablemsg.internal;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.SendFailure;

/** Where the engine hands business callbacks: to a callback thread, or inline on the loop. */
interface Callbacks {
    /** Queues {@code message} for the inbound handler; false when the delivery queue is full. */
    boolean offerDelivery(InboundMessage message);

    /** Queues {@code failure} for the failure listener; {@code release} runs after the listener. */
    void failure(SendFailure failure, Runnable release);

    /** Runs what is queued (for at most {@code timeoutNs}) and stops. */
    void close(long timeoutNs);
}
