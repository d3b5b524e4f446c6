package io.reliablemsg;

import java.util.Arrays;

/**
 * One delivered message.
 *
 * @param peer           name of the configured peer it came from (or "host:port" when unknown
 *                       sources are accepted)
 * @param clientId       the sender's client id
 * @param incarnation    the sender's incarnation (changes when the sender restarts)
 * @param msgId          the sender's message id, unique per (clientId, incarnation)
 * @param sendTimeMillis send time of the copy that arrived, epoch milliseconds, sender's clock
 * @param payload        the message bytes (a private copy)
 * @param traceContext   the sender's W3C trace context (docs/PROTOCOL.md, "Trace context"), or null when the
 *                       sender gave none ({@link MessageTracer}) or runs a release that carries none
 */
public record InboundMessage(String peer, int clientId, long incarnation, long msgId, long sendTimeMillis,
                             byte[] payload, TraceContext traceContext) {
    /** A message that carried no trace context. */
    public InboundMessage(String peer, int clientId, long incarnation, long msgId, long sendTimeMillis,
                          byte[] payload) {
        this(peer, clientId, incarnation, msgId, sendTimeMillis, payload, null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InboundMessage m && m.clientId == clientId && m.incarnation == incarnation
                && m.msgId == msgId && m.sendTimeMillis == sendTimeMillis && m.peer.equals(peer)
                && Arrays.equals(m.payload, payload) && java.util.Objects.equals(m.traceContext, traceContext);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(msgId) * 31 + clientId;
    }

    @Override
    public String toString() {
        return "InboundMessage[peer=" + peer + ", clientId=" + clientId + ", incarnation=" + incarnation
                + ", msgId=" + msgId + ", payload=" + payload.length + " bytes"
                + (traceContext == null ? "" : ", " + traceContext) + "]";
    }
}
