package io.reliablemsg.internal;

import io.reliablemsg.SendFailure;

/**
 * Where the sender reports how each message ended. The receiver of these reports runs the business
 * listeners and then frees the message's send slot, so the sender itself never runs user code.
 */
interface SendOutcomes {
    /** Message {@code msgId} to peer {@code peer} (chain index {@code peerIndex}) was acked. */
    void acked(String peer, int peerIndex, long msgId, long latencyNs, int transmissions);

    /** A message to the peer with chain index {@code peerIndex} failed. */
    void failed(SendFailure failure, int peerIndex);
}
