package io.reliablemsg.spring;

import io.reliablemsg.FailureReason;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.SendFailure;
import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * Published once for every message the messenger gave up on: after {@code max-retries}
 * retransmissions without an ack, or at shutdown when the message was still pending after
 * {@code close-timeout}. Listen for it with {@code @EventListener}.
 *
 * <p>It is published on the messenger's callback thread, never on its I/O loop: a slow listener
 * delays later callbacks (and, because the message's chain slot is released only after the
 * listeners returned, eventually senders), but never acks or retransmissions.
 */
public class SendFailedEvent extends ApplicationEvent {
    private static final long serialVersionUID = 1L;

    private final transient SendFailure failure;

    /** An event from {@code messenger} for {@code failure}. */
    public SendFailedEvent(ReliableMessenger messenger, SendFailure failure) {
        super(messenger);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** The messenger that gave the message up. */
    public ReliableMessenger getMessenger() {
        return (ReliableMessenger) getSource();
    }

    /** The exact bytes given as {@code userBuffer} to {@code send} (a copy; empty when null was given). */
    public byte[] getUserBuffer() {
        return failure.userBuffer().clone();
    }

    /** Name of the peer the message was sent to. */
    public String getPeer() {
        return failure.peer();
    }

    /** Message id, as returned by {@link ReliableMessenger#trySend}. */
    public long getMsgId() {
        return failure.msgId();
    }

    /** How many times the message was put on the wire: the first send plus the retransmissions. */
    public int getAttempts() {
        return failure.transmissions();
    }

    /** Why the message was given up. */
    public FailureReason getReason() {
        return failure.reason();
    }

    /** The core's failure record. */
    public SendFailure getFailure() {
        return failure;
    }

    @Override
    public String toString() {
        return "SendFailedEvent[" + failure + "]";
    }
}
