package io.reliablemsg.chain;

/**
 * One message on the retransmit chain. Made (or taken from the {@link PendingMessagePool}) by the sending
 * thread, then owned by the I/O loop. Links to its neighbours in its peer's deadline queue (intrusive, so the
 * chain allocates nothing per message). Machinery, not API. Kept small (72 bytes with compressed references):
 * the wall-clock send time of a copy is read from the clock when its frame is written (S4), not stored.
 *
 * <p>An entry is reused: once it has left the chain and its outcome was built (an ack's figures, a
 * {@code SendFailure}, a reply), the loop gives a plain one back to the messenger's {@link PendingMessagePool},
 * which hands it to a later send with every field set again ({@link #reuse}). So its id, peer, payload, user
 * buffer and kind are not final; they do not change while the entry is in use. Nothing may keep an entry past
 * its outcome: what outlives it (a {@code SendFailure}'s user buffer, the payload a datagram was written from)
 * keeps the arrays, which are never reused.
 *
 * <p>A request (docs/PROTOCOL.md, section 9) is a message that stays on the chain after its ack, until its
 * reply: each ack restarts its retry count ({@link #restartRetries()}), so it fails after {@code maxRetries}
 * unanswered copies in a row, counted from the last ack.
 *
 * <p>Not final for one reason: a message that carries a trace context is a {@link TracedMessage}, so the
 * messages that carry none (all of them, without a {@code MessageTracer}) keep their 72 bytes. Traced entries
 * are not reused (the pool takes only this class), nor are those that went in fragments ({@link #fragments()}
 * non-null: the probes of missing fragments keep them in their schedule until they find them off the chain).
 */
public class PendingMessage {
    /** {@link #lastPath()} of a message no copy of which went on a path the peer still has. */
    public static final int NO_PATH = -1;

    /** Set at creation or {@link #reuse}; 0 while the entry waits in the pool (ids start at 1). */
    long msgId;
    int peer;
    private byte[] payload;
    private byte[] userBuffer;
    private boolean request;

    /** Times put on the wire so far; 0 until first sent. */
    int transmissions;
    /** {@link #transmissions} when the retry count last restarted (a request's ack); 0 for a message. */
    int retriesFrom;
    /** Index of the path (peer address) the last copy took; kept by the sender. */
    private byte lastPath;
    /** Monotonic time of the first send. */
    long firstSendNs;
    /** Monotonic time at which, unacked, it is retransmitted or failed. */
    long deadlineNs;
    PendingMessage previous;
    PendingMessage next;
    /** Which fragments were acked, once the message goes in fragments; null while it goes whole. */
    private FragmentAcks fragments;

    /**
     * A message {@code msgId} to the peer with index {@code peer}; {@code payload} and
     * {@code userBuffer} are the caller's private copies, owned by the message from now on. A sender takes
     * its entries from {@link PendingMessagePool#take}, which makes one only when none is free.
     */
    public PendingMessage(long msgId, int peer, byte[] payload, byte[] userBuffer) {
        this(msgId, peer, payload, userBuffer, false);
    }

    /** Like {@link #PendingMessage(long, int, byte[], byte[])}, a request (it waits for a reply) when {@code request}. */
    public PendingMessage(long msgId, int peer, byte[] payload, byte[] userBuffer, boolean request) {
        this.msgId = msgId;
        this.peer = peer;
        this.payload = payload;
        this.userBuffer = userBuffer;
        this.request = request;
    }

    /**
     * Makes this entry, taken from the pool, the message {@code msgId} as the constructor would: every field set
     * again, so nothing of its last message (copies, path, times, links, fragments) is left.
     */
    void reuse(long msgId, int peer, byte[] payload, byte[] userBuffer, boolean request) {
        this.msgId = msgId;
        this.peer = peer;
        this.payload = payload;
        this.userBuffer = userBuffer;
        this.request = request;
        this.transmissions = 0;
        this.retriesFrom = 0;
        this.lastPath = 0;
        this.firstSendNs = 0;
        this.deadlineNs = 0;
        this.previous = null;
        this.next = null;
        this.fragments = null;
    }

    /**
     * Lets go of the message's arrays as the entry goes into the pool, so that the pool keeps no payload alive;
     * its id becomes 0, which no message has, so no lookup by the old id can find it.
     */
    void release() {
        this.msgId = 0;
        this.payload = null;
        this.userBuffer = null;
        this.fragments = null;
    }

    /** Whether this is a request: it goes as a REQUEST frame and stays on the chain until its reply. */
    public boolean isRequest() {
        return request;
    }

    /**
     * A copy of this request was acked: the peer has it, so the retries left start again from now (the
     * requester goes on retransmitting it until the reply comes, docs/PROTOCOL.md, section 9).
     */
    public void restartRetries() {
        retriesFrom = transmissions;
    }

    /** Message id (rule S1, docs/PROTOCOL.md). */
    public long msgId() {
        return msgId;
    }

    /** Index of the destination peer. */
    public int peer() {
        return peer;
    }

    /** The payload (the message's own copy; not to be changed). */
    public byte[] payload() {
        return payload;
    }

    /** The user buffer handed back if the message fails (rule S5; the message's own copy). */
    public byte[] userBuffer() {
        return userBuffer;
    }

    /** Times put on the wire so far; 0 until first sent. */
    public int transmissions() {
        return transmissions;
    }

    /**
     * Index of the path (peer address) the last copy took, or {@link #NO_PATH} when none did (the
     * peer had no address) or that path is gone (its addresses changed).
     */
    public int lastPath() {
        return lastPath;
    }

    /** Records that the last copy took path {@code path} (0-127, or {@link #NO_PATH}). */
    public void lastPath(int path) {
        this.lastPath = (byte) path;
    }

    /** Which fragments the receiver acked, or null when the message has not gone in fragments. */
    public FragmentAcks fragments() {
        return fragments;
    }

    /** The message goes in fragments from now on, tracked by {@code acks}. */
    public void fragments(FragmentAcks acks) {
        this.fragments = acks;
    }

    /** Monotonic time of the first send. */
    public long firstSendNs() {
        return firstSendNs;
    }

    /** Monotonic time at which, unacked, it is retransmitted or failed. */
    public long deadlineNs() {
        return deadlineNs;
    }
}
