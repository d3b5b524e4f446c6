package io.reliablemsg.internal;

/**
 * Where the sender reports a request answered. Like {@link SendOutcomes}, the receiver of these reports
 * completes the business future off the I/O loop and then frees the request's send slot.
 */
interface ReplyOutcomes {
    /**
     * Request {@code msgId} to {@code peer} (chain index {@code peerIndex}) was answered with {@code reply}
     * after {@code transmissions} copies, {@code roundTripNs} after its first send.
     */
    void replied(String peer, int peerIndex, long msgId, byte[] reply, long roundTripNs, int transmissions);
}
