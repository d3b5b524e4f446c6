package io.reliablemsg.chain;

/**
 * One message on the retransmit chain. Created by the sending thread, then owned by the I/O loop.
 * Links to its neighbours in its peer's deadline queue (intrusive, so the chain allocates nothing
 * per message).
 */
public final class PendingMessage {
    /** Message id (seed S1). */
    public final long msgId;
    /** Index of the destination peer. */
    public final int peer;
    /** Private copy of the payload. */
    public final byte[] payload;
    /** Private copy of the user buffer handed back on failure (seed S5). */
    public final byte[] userBuffer;

    /** Times put on the wire so far; 0 until first sent. */
    int transmissions;
    /** Monotonic time of the first send. */
    long firstSendNs;
    /** Wall-clock send time of the latest copy (seed S4: updated on retransmit). */
    long sendTimeMillis;
    /** Monotonic time at which, unacked, it is retransmitted or failed. */
    long deadlineNs;
    PendingMessage previous;
    PendingMessage next;
    boolean queued;

    public PendingMessage(long msgId, int peer, byte[] payload, byte[] userBuffer) {
        this.msgId = msgId;
        this.peer = peer;
        this.payload = payload;
        this.userBuffer = userBuffer;
    }

    public int transmissions() {
        return transmissions;
    }

    public long firstSendNs() {
        return firstSendNs;
    }

    public long sendTimeMillis() {
        return sendTimeMillis;
    }

    public long deadlineNs() {
        return deadlineNs;
    }
}
