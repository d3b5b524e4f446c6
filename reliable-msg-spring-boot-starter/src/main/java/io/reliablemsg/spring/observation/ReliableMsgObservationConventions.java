package io.reliablemsg.spring.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the starter's observations (docs/SPRING.md, "Tracing"). Low cardinality, so they
 * may tag meters too: {@code peer} (the peer's name), {@code type} ({@code message} or {@code request}),
 * {@code outcome} (send: {@code acked} or the failure reason in lower case; receive: {@code handled} or
 * {@code error}). High cardinality, on spans only: {@code reliable.msg.id}, the message id.
 */
public final class ReliableMsgObservationConventions {
    /** Name of the observation of a send, from the call to its ack or failure. */
    public static final String SEND = "reliable.msg.send";
    /** Name of the observation of a delivered message, around its handler. */
    public static final String RECEIVE = "reliable.msg.receive";

    private ReliableMsgObservationConventions() {
    }

    /** The convention of {@link #SEND}. */
    public static final class Send implements ObservationConvention<SendContext> {
        @Override
        public String getName() {
            return SEND;
        }

        @Override
        public String getContextualName(SendContext context) {
            return "send to " + context.peer();
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(SendContext context) {
            return KeyValues.of("peer", context.peer(), "type", context.request() ? "request" : "message",
                    "outcome", context.outcome());
        }

        @Override
        public KeyValues getHighCardinalityKeyValues(SendContext context) {
            return KeyValues.of("reliable.msg.id", Long.toString(context.msgId()));
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof SendContext;
        }
    }

    /** The convention of {@link #RECEIVE}. */
    public static final class Receive implements ObservationConvention<ReceiveContext> {
        @Override
        public String getName() {
            return RECEIVE;
        }

        @Override
        public String getContextualName(ReceiveContext context) {
            return "receive from " + context.peer();
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(ReceiveContext context) {
            return KeyValues.of("peer", context.peer(), "type", context.request() ? "request" : "message",
                    "outcome", context.outcome());
        }

        @Override
        public KeyValues getHighCardinalityKeyValues(ReceiveContext context) {
            return KeyValues.of("reliable.msg.id", Long.toString(context.message().msgId()));
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof ReceiveContext;
        }
    }
}
