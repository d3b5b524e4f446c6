package io.reliablemsg.internal;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Hands handlers' results back to the I/O loop: the thread that ran a handler (the callback thread, or
 * whichever thread completed an asynchronous request handler's stage) adds its {@link Handling} and wakes
 * the loop; the loop takes them at its next pass. Bounded by the handlings in progress, which the
 * {@link Responder} caps at {@code deliveryQueueCapacity}. Thread-safe.
 */
final class HandlerCompletions {
    private final ConcurrentLinkedQueue<Handling> done = new ConcurrentLinkedQueue<>();
    private volatile Runnable wakeup = () -> { };

    /** Wakes the loop when a result comes (set once the loop exists). */
    void wakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** A handler finished: {@code handling} carries its result. Any thread. */
    void completed(Handling handling) {
        done.add(handling);
        wakeup.run();
    }

    /** The next result, or null when none waits (loop only). */
    Handling poll() {
        return done.poll();
    }

    /** Whether a result waits for the loop. */
    boolean pending() {
        return !done.isEmpty();
    }
}
