package io.reliablemsg;

/**
 * How {@link ReliableMessenger#sendAsync}'s future fails: the message was given up
 * ({@link FailureReason#RETRIES_EXHAUSTED}, {@link FailureReason#SHUTDOWN}), the same outcome the
 * failure listener (the starter's {@code SendFailedEvent}) reports once; or it was refused at once
 * ({@link FailureReason#CHAIN_FULL}, which no listener hears of).
 */
public final class SendFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient SendFailure failure;

    /** A failure of the message {@code failure} describes. */
    public SendFailedException(SendFailure failure) {
        super("message " + failure.msgId() + " to " + failure.peer() + " failed: " + failure.reason() + " after "
                + failure.transmissions() + " transmissions", null, false, false);
        this.failure = failure;
    }

    /** The failure: peer, msg id ({@link ReliableMessenger#NOT_ACCEPTED} when refused), user buffer, reason. */
    public SendFailure failure() {
        return failure;
    }

    /** Shortcut for {@code failure().reason()}. */
    public FailureReason reason() {
        return failure.reason();
    }

    /** Shortcut for {@code failure().userBuffer()}: the bytes given at send time. */
    public byte[] userBuffer() {
        return failure.userBuffer();
    }

    /** Shortcut for {@code failure().transmissions()}. */
    public int transmissions() {
        return failure.transmissions();
    }
}
