package io.reliablemsg;

/**
 * Business code that answers requests ({@link ReliableMessenger#request}): returns the reply bytes.
 * Called once per request and receiver incarnation: a duplicate of a request that was answered gets
 * the cached reply again without a second call (docs/PROTOCOL.md, section 9). Runs on the messenger's
 * callback thread (with {@link MessengerConfig#handlerThreads()} above 1: the requesting peer's lane), in order
 * with the other callbacks there, unless {@link MessengerConfig#inlineCallbacks()}.
 *
 * <p>An exception, or a reply longer than {@link MessengerConfig#maxReplySize()}, is counted
 * ({@link MessengerStats#handlerErrors()}) and logged. With {@link AckMode#ON_RECEIPT} the request was
 * already acked, so the requester's future fails with {@link FailureReason#NO_REPLY}; with
 * {@link AckMode#AFTER_HANDLER} nothing is acked or answered, the requester retransmits and the handler
 * runs again.
 */
@FunctionalInterface
public interface RequestHandler {
    /**
     * The reply to {@code request} (an empty array is a valid reply), or null for none: the request is then
     * acked and answered "no reply" ({@link FailureReason#NO_REPLY} at the requester) without an error.
     */
    byte[] onRequest(InboundMessage request) throws Exception;

    /**
     * Like {@link #onRequest(InboundMessage)}, with the W3C trace context the request carried, or null when it
     * carried none (docs/PROTOCOL.md, section 13). Always the method called; by default it ignores the context.
     */
    default byte[] onRequest(InboundMessage request, TraceContext traceContext) throws Exception {
        return onRequest(request);
    }
}
