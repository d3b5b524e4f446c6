package io.reliablemsg.internal;

/** Business work run on the callback lanes, in order with the other callbacks of its lane (inline: at once, on the caller). */
interface CallbackTasks {
    /**
     * Runs {@code delivery}, a handler's run for a message of {@code peer} (on that peer's lane), counted against
     * the delivery queue; false when it is full.
     */
    boolean offerDelivery(String peer, Runnable delivery);

    /** Runs {@code task} (bounded elsewhere: by the send slots). */
    void execute(Runnable task);
}
