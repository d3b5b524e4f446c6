package io.reliablemsg.internal;

/** Where the receiver puts an ack on its way to the wire. */
interface AckOut {
    /**
     * Queues an ACK frame for {@code to} of message {@code originClientId}/{@code originIncarnation}/
     * {@code msgId}, echoing the copy's send time and transmission count, stamped {@code nowMillis} (S7).
     */
    void ack(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
             int transmissions, long nowMillis);
}
