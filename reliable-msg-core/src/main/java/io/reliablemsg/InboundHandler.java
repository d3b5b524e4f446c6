package io.reliablemsg;

/**
 * Business code that receives messages. Called once per message (duplicates are filtered out),
 * on the messenger's callback thread unless {@link MessengerConfig#inlineCallbacks()} is set. With
 * {@link MessengerConfig#handlerThreads()} above 1, on the lane of the sending peer: one peer's messages in
 * order on one thread, other peers' concurrently, so the handler must then be thread-safe across peers.
 * An exception thrown here is logged and counted ({@link MessengerStats#handlerErrors()}); the
 * message still counts as delivered, because its ack has already been sent.
 */
@FunctionalInterface
public interface InboundHandler {
    /** Handles one delivered message. */
    void onMessage(InboundMessage message);

    /**
     * Handles one delivered message that carried the sender's W3C {@code traceContext} (docs/PROTOCOL.md,
     * section 13; the sender set a {@link MessageTracer}): called instead of {@link #onMessage(InboundMessage)}
     * for such a message, and by default just calls it. Override it to continue the sender's trace (the
     * Spring Boot starter's observations do). A context is never null here; a message without one goes to
     * {@link #onMessage(InboundMessage)}, except with acks after the handler, where this is called with null.
     */
    default void onMessage(InboundMessage message, TraceContext traceContext) {
        onMessage(message);
    }
}
