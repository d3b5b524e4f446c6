package io.reliablemsg;

import java.time.Duration;
import java.util.Arrays;

/**
 * The answer to a request: what {@link ReliableMessenger#request}'s future completes with.
 *
 * @param peer          the peer that answered
 * @param msgId         the request's message id
 * @param payload       the reply bytes the peer's request handler returned (a private copy)
 * @param transmissions copies of the request sent before the reply came (1: the first)
 * @param roundTrip     from the request's first send to the reply
 */
public record Reply(String peer, long msgId, byte[] payload, int transmissions, Duration roundTrip) {
    @Override
    public boolean equals(Object other) {
        return other instanceof Reply r && r.msgId == msgId && r.transmissions == transmissions
                && r.peer.equals(peer) && Arrays.equals(r.payload, payload) && r.roundTrip.equals(roundTrip);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(msgId) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Reply[peer=" + peer + ", msgId=" + msgId + ", payload=" + payload.length + " bytes, transmissions="
                + transmissions + ", roundTrip=" + roundTrip + "]";
    }
}
