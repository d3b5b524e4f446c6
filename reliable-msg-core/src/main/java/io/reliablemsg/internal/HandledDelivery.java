package io.reliablemsg.internal;

/**
 * Where the responder hands a message whose handler's end it must hear of: a request (it waits for the
 * reply), or any message with {@code ackMode=after-handler} (the ack waits for the handler). The result
 * comes back through {@link HandlerCompletions}.
 */
interface HandledDelivery {
    /** Queues {@code handling}'s message for its handler; false when the delivery queue is full. */
    boolean offer(Handling handling);
}
