package io.reliablemsg;

/** Why a message was given up. */
public enum FailureReason {
    /** No ack came after the first send and {@code maxRetries} retransmissions (seed rule S5). */
    RETRIES_EXHAUSTED,
    /** The messenger was closed before the message was acked. */
    SHUTDOWN
}
