package io.reliablemsg.spring.observation;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

/**
 * The context of a {@code reliable.msg.send} observation: one message (or request) from its send to its ack
 * or failure. Its carrier is where a tracing handler's propagator writes the trace context the message takes
 * along (PropagatingSenderTracingObservationHandler).
 */
public final class SendContext extends SenderContext<TraceCarrier> {
    private final String peer;
    private final long msgId;
    private final boolean request;
    private volatile String outcome = "pending";

    SendContext(String peer, long msgId, boolean request) {
        super(TraceCarrier::set, Kind.PRODUCER);
        setCarrier(new TraceCarrier());
        setRemoteServiceName(peer);
        this.peer = peer;
        this.msgId = msgId;
        this.request = request;
    }

    /** The peer the message goes to. */
    public String peer() {
        return peer;
    }

    /** The message id. */
    public long msgId() {
        return msgId;
    }

    /** Whether it is a request. */
    public boolean request() {
        return request;
    }

    /**
     * How it ended: {@code acked}, the failure reason in lower case ({@code retries_exhausted}, ...), or for a
     * request {@code sent}.
     */
    public String outcome() {
        return outcome;
    }

    void outcome(String outcome) {
        this.outcome = outcome;
    }
}
