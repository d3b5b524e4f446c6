package io.reliablemsg;

/**
 * Gives each message sent the trace context it carries to its peer ({@link ReliableMessenger.Builder#messageTracer}),
 * whose handler gets it ({@link InboundHandler#onMessage(InboundMessage, TraceContext)}):
 * the hook for tracing, which the Spring Boot starter implements with Micrometer Observations
 * ({@code reliable-msg.observations.enabled}). Without a tracer nothing is asked and nothing is carried.
 *
 * <p>Called on the thread that sends, once the message was accepted (it has its id and a send slot) and
 * before it goes to the I/O loop, so the message's outcome (the ack listener, the failure listener, its
 * future) always comes after this call. Must be fast and must not block. An exception is logged and the
 * message goes without a trace context.
 */
@FunctionalInterface
public interface MessageTracer {
    /**
     * The trace context for message {@code msgId} to {@code peer} ({@code request}: a
     * {@link ReliableMessenger#request}), or null for none. It goes on every copy of the message, to a peer
     * that reads TRACE_CONTEXT frames (protocol revision 5 and later); an older peer gets the message
     * without it.
     */
    TraceContext onSend(String peer, long msgId, boolean request);
}
