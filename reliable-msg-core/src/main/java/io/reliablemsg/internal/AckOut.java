package io.reliablemsg.internal;

/** Where the receiver puts an ack on its way to the wire. */
interface AckOut {
    /**
     * Queues an ACK frame for {@code to} of message {@code originClientId}/{@code originIncarnation}/
     * {@code msgId}, echoing the copy's send time and transmission count, stamped {@code nowMillis} (S7).
     */
    void ack(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
             int transmissions, long nowMillis);

    /**
     * {@link #ack} for a copy of a plain message (not a request, not acked after its handler), which was a
     * {@code duplicate} of one delivered already or not: the output may send it again in its next datagrams to
     * {@code to} while duplicates come from there (docs/PROTOCOL.md, "Repeated acks").
     */
    default void messageAck(PeerOutbox to, int originClientId, long originIncarnation, long msgId,
                            long echoedSendTimeMillis, int transmissions, boolean duplicate, long nowNs,
                            long nowMillis) {
        ack(to, originClientId, originIncarnation, msgId, echoedSendTimeMillis, transmissions, nowMillis);
    }

    /**
     * Queues a FRAGMENT_ACK frame for {@code to} of fragment {@code index} of message
     * {@code originClientId}/{@code originIncarnation}/{@code msgId}, echoing the fragment copy's send time.
     */
    default void fragmentAck(PeerOutbox to, int originClientId, long originIncarnation, long msgId,
                             long echoedSendTimeMillis, int index, long nowMillis) {
        throw new UnsupportedOperationException("this output writes no fragment acks");
    }

    /**
     * Ends the datagram being bundled for {@code to}: what it holds goes now, and the next frame for {@code to}
     * starts another datagram (so that a repeat is not lost with what it repeats). An output that does not bundle
     * has nothing to do.
     */
    default void endDatagram(PeerOutbox to) {
    }
}
