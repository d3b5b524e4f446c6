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
 */
public record InboundMessage(String peer, int clientId, long incarnation, long msgId, long sendTimeMillis,
                             byte[] payload) {
    @Override
    public boolean equals(Object other) {
        return other instanceof InboundMessage m && m.clientId == clientId && m.incarnation == incarnation
                && m.msgId == msgId && m.sendTimeMillis == sendTimeMillis && m.peer.equals(peer)
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(msgId) * 31 + clientId;
    }

    @Override
    public String toString() {
        return "InboundMessage[peer=" + peer + ", clientId=" + clientId + ", incarnation=" + incarnation
                + ", msgId=" + msgId + ", payload=" + payload.length + " bytes]";
    }
}
