package io.reliablemsg.internal;

/** Business work run on the callback thread, in order with the other callbacks (inline: at once, on the caller). */
interface CallbackTasks {
    /** Runs {@code delivery}, a handler's run, counted against the delivery queue; false when it is full. */
    boolean offerDelivery(Runnable delivery);

    /** Runs {@code task} (bounded elsewhere: by the send slots). */
    void execute(Runnable task);
}
