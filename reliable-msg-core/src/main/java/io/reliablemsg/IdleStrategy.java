package io.reliablemsg;

/**
 * What the I/O loop does when a pass found nothing to do (Aeron's vocabulary). The choice trades CPU for
 * the time between a datagram's arrival and the loop noticing it (docs/THREADING.md, "Idle strategy").
 */
public enum IdleStrategy {
    /**
     * Sleep in the selector until a datagram arrives, a sender wakes it, or the next timer is due (the
     * default): no CPU while idle; a datagram or a send on an idle loop costs a thread wake-up.
     */
    PARK,
    /**
     * Poll the socket without sleeping, calling {@link Thread#yield()} between passes: one core busy
     * while the messenger runs, but the loop runs again as soon as the scheduler lets it, with no wake-up
     * system call; other threads still get the core when they need it.
     */
    YIELD,
    /**
     * Poll the socket without sleeping or yielding ({@link Thread#onSpinWait()}): one core at 100 % for the
     * lowest latency, for hosts with a core to spare for each messenger.
     */
    SPIN
}
