package io.reliablemsg;

/** Why a message was given up. */
public enum FailureReason {
    /** No ack came after the first send and {@code maxRetries} retransmissions (seed rule S5). */
    RETRIES_EXHAUSTED,
    /** The messenger was closed before the message was acked. */
    SHUTDOWN,
    /**
     * Refused at once: the retransmit chain was full ({@code send} returns false, {@code trySend}
     * {@link ReliableMessenger#NOT_ACCEPTED}). Only {@link ReliableMessenger#sendAsync}'s future reports it;
     * the message was never accepted, so no failure listener hears of it.
     */
    CHAIN_FULL
}
