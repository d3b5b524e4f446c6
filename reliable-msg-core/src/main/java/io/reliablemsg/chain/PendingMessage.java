package io.reliablemsg.chain;

/**
 * One message on the retransmit chain. Created by the sending thread, then owned by the I/O loop.
 * Links to its neighbours in its peer's deadline queue (intrusive, so the chain allocates nothing
 * per message). Kept small (64 bytes with compressed references): the wall-clock send time of a
 * copy is read from the clock when its frame is written (S4), not stored.
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
    /** Monotonic time at which, unacked, it is retransmitted or failed. */
    long deadlineNs;
    PendingMessage previous;
    PendingMessage next;

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

    public long deadlineNs() {
        return deadlineNs;
    }
}
