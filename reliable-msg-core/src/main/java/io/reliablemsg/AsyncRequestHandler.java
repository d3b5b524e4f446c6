package io.reliablemsg;

import java.util.concurrent.CompletionStage;

/**
 * Business code that answers requests later: returns a stage that completes with the reply bytes. The
 * method itself runs where a {@link RequestHandler} runs and must not block; the stage may complete on
 * any thread. Until it completes the request counts as being handled: duplicates of it are acked (with
 * {@link AckMode#ON_RECEIPT}) and never start the handler again, and it holds one place of
 * {@link MessengerConfig#deliveryQueueCapacity()}. A stage that completes exceptionally is treated as a
 * {@link RequestHandler} that threw. A stage that never completes holds its place until the messenger
 * closes; the requester's future then fails with {@link FailureReason#REPLY_TIMEOUT}.
 */
@FunctionalInterface
public interface AsyncRequestHandler {
    /** A stage (never null itself) completing with the reply to {@code request}, or with null for none. */
    CompletionStage<byte[]> onRequest(InboundMessage request);

    /**
     * Like {@link #onRequest(InboundMessage)}, with the W3C trace context the request carried, or null when it
     * carried none (docs/PROTOCOL.md, section 13). Always the method called; by default it ignores the context.
     */
    default CompletionStage<byte[]> onRequest(InboundMessage request, TraceContext traceContext) {
        return onRequest(request);
    }
}
