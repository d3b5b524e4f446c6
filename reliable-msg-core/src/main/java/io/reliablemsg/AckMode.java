package io.reliablemsg;

/**
 * When a receiver acks a new message (docs/PROTOCOL.md, section 10).
 */
public enum AckMode {
    /**
     * At once, before the handler runs (seed rule S7, the default): the lowest latency, and the sender's
     * interval need not cover the handler; a handler that throws has lost its message, which was acked.
     */
    ON_RECEIPT,
    /**
     * When the handler returned normally: a handler that throws leaves the message unacked, the sender
     * retransmits it and the handler runs again, until it succeeds or the sender gives up after
     * {@code maxRetries} (its failure listener fires). The ack waits for the handler, so the retransmit
     * interval must cover the handler's time, or the sender retransmits (harmless: the copies are
     * recognised) and, past {@code maxRetries} intervals, fails a message that was handled.
     */
    AFTER_HANDLER
}
