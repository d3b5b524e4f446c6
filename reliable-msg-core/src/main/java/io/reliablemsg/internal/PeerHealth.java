package io.reliablemsg.internal;

/** What the sender tells liveness: how its messages fare, which says whether a peer is reachable. */
interface PeerHealth {
    /**
     * A reply (ack or pong) to our datagram sent at {@code echoedSendTimeMillis} on our clock was
     * stamped {@code replyTimeMillis} on the peer's: a sample of the clock offset.
     */
    void onTimestampedReply(PeerLiveness peer, long echoedSendTimeMillis, long replyTimeMillis, long nowNs,
                            long nowMillis);

    /** A message to {@code peer} was acked: our datagrams reach it and its reach us. */
    void onAcked(PeerLiveness peer);

    /** Message {@code msgId} to {@code peer} failed after {@code transmissions} copies without an ack. */
    void onExhausted(PeerLiveness peer, long msgId, int transmissions);
}
