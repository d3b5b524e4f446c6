package io.reliablemsg.spring.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.reliablemsg.InboundMessage;

/**
 * The context of a {@code reliable.msg.receive} observation: one delivered message (or request) around its
 * handler. Its carrier is the message, whose trace context (from the sender's TRACE_CONTEXT frame) a tracing
 * handler's propagator reads as {@code traceparent}/{@code tracestate}, so the handler's span is a child of the
 * sender's (PropagatingReceiverTracingObservationHandler).
 */
public final class ReceiveContext extends ReceiverContext<InboundMessage> {
    private final boolean request;
    private volatile String outcome = "handled";

    ReceiveContext(InboundMessage message, boolean request) {
        super((m, key) -> TraceCarrier.header(m.traceContext(), key), Kind.CONSUMER);
        setCarrier(message);
        setRemoteServiceName(message.peer());
        this.request = request;
    }

    /** The peer the message came from. */
    public String peer() {
        return getCarrier().peer();
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
