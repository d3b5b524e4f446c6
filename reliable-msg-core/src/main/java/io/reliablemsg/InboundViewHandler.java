package io.reliablemsg;

/**
 * Business code that reads each new message in place, on the I/O loop, without a copy
 * ({@link ReliableMessenger.Builder#inboundViewHandler(InboundViewHandler)}): for handlers that never block
 * and want no allocation per message (a decoder into structures of their own, a counter). Needs
 * {@link MessengerConfig#inlineCallbacks()} and {@link AckMode#ON_RECEIPT}; replaces the
 * {@link InboundHandler} for messages (requests still go to the request handler). The view is valid only
 * during the call. Called once per new message, before its ack; an exception is logged and counted
 * ({@link MessengerStats#handlerErrors()}) and the message still counts as delivered, as with an
 * {@link InboundHandler}.
 */
@FunctionalInterface
public interface InboundViewHandler {
    /** Reads one delivered message; {@code view} is reused after this returns. */
    void onMessage(InboundView view);
}
