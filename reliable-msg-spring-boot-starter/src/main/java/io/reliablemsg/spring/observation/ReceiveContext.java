package io.reliablemsg.spring.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.TraceContext;

/**
 * The context of a {@code reliable.msg.receive} observation: one delivered message (or request) around its
 * handler. Its carrier is the message with the trace context it carried (from the sender's TRACE_CONTEXT
 * frame), which a tracing handler's propagator reads as {@code traceparent}/{@code tracestate}, so the
 * handler's span is a child of the sender's (PropagatingReceiverTracingObservationHandler).
 */
public final class ReceiveContext extends ReceiverContext<ReceiveContext.Received> {
    private final boolean request;
    private volatile String outcome = "handled";

    /** A delivered message and the trace context it carried (null: none). */
    public record Received(InboundMessage message, TraceContext traceContext) {
    }

    ReceiveContext(InboundMessage message, TraceContext traceContext, boolean request) {
        super((received, key) -> TraceCarrier.header(received.traceContext(), key), Kind.CONSUMER);
        setCarrier(new Received(message, traceContext));
        setRemoteServiceName(message.peer());
        this.request = request;
    }

    /** The message. */
    public InboundMessage message() {
        return getCarrier().message();
    }

    /** The peer the message came from. */
    public String peer() {
        return message().peer();
    }

    /** Whether it is a request. */
    public boolean request() {
        return request;
    }

    /** How the handler ended: {@code handled} or {@code error}. */
    public String outcome() {
        return outcome;
    }

    void outcome(String outcome) {
        this.outcome = outcome;
    }
}
