package io.reliablemsg;

import java.util.Arrays;

/**
 * A message that was given up: the design's failure callback with the user buffer (rule S5,
 * docs/PROTOCOL.md), with context.
 *
 * @param peer          name of the peer it was sent to
 * @param msgId         its message id
 * @param userBuffer    the exact user buffer bytes given to {@code send} (a private copy)
 * @param transmissions how many times it was put on the wire (first send plus retransmissions)
 * @param reason        why it was given up
 */
public record SendFailure(String peer, long msgId, byte[] userBuffer, int transmissions, FailureReason reason) {
    @Override
    public boolean equals(Object other) {
        return other instanceof SendFailure f && f.msgId == msgId && f.transmissions == transmissions
                && f.reason == reason && f.peer.equals(peer) && Arrays.equals(f.userBuffer, userBuffer);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(msgId);
    }

    @Override
    public String toString() {
        return "SendFailure[peer=" + peer + ", msgId=" + msgId + ", userBuffer=" + userBuffer.length
                + " bytes, transmissions=" + transmissions + ", reason=" + reason + "]";
    }
}
