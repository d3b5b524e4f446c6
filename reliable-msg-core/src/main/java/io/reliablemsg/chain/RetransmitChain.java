package io.reliablemsg.chain;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The sender's retransmit chain (seed S2-S5) and its policy.
 *
 * <p>Every message sent is hung on the chain (S3) with a deadline one interval after its send.
 * When a deadline passes without an ack, the message is retransmitted with a fresh send time and a
 * new deadline (S4), until it has been retransmitted {@code maxRetries} times; the next deadline
 * after that gives it up (S5); a request's ack restarts that count ({@link PendingMessage#restartRetries()}).
 * Messages are kept per peer in deadline order, so a scan touches only
 * what is due: the work of a tick does not grow with the chain's length.
 *
 * <p>At most {@code budget} retransmissions per peer per {@link #pollDue} call: after a long flap,
 * a full chain is resent in slices rather than in one burst (the storm brake). What is left stays
 * due at the head and goes out on the next scan.
 *
 * <p>Owns no thread and reads no clock: callers pass the time. Not thread-safe.
 */
public final class RetransmitChain {
    private long bytes;
    private LongConsumer bytesReleased = released -> { };

    /** Told what a scan decided. */
    public interface Listener {
        /**
         * {@code m} is due again: its transmission count and deadline are already updated; the
         * listener sends it with {@code nowMillis}, the wall-clock time of the scan, as its send time (S4);
         * {@code nowNs} is the scan's monotonic time.
         */
        void onRetransmit(PendingMessage m, long nowNs, long nowMillis);

        /**
         * {@code m} was retransmitted {@code maxRetries} times without an ack and has left the chain
         * (S5); {@code nowNs} is the time of the scan.
         */
        void onExhausted(PendingMessage m, long nowNs);
    }

    private final LongObjectMap<PendingMessage> byId;
    private DeadlineQueue[] queues;
    private final long intervalNs;
    private final int maxRetries;
    private final int capacity;

    /** A chain of at most {@code capacity} messages to {@code peers} peers (indexes 0..peers-1). */
    public RetransmitChain(int capacity, int peers, long intervalNs, int maxRetries) {
        if (capacity < 1 || peers < 0 || intervalNs <= 0 || maxRetries < 0) {
            throw new IllegalArgumentException("capacity=" + capacity + " peers=" + peers
                    + " intervalNs=" + intervalNs + " maxRetries=" + maxRetries);
        }
        this.capacity = capacity;
        this.byId = new LongObjectMap<>(capacity);
        this.queues = new DeadlineQueue[peers];
        for (int i = 0; i < peers; i++) {
            queues[i] = new DeadlineQueue();
        }
        this.intervalNs = intervalNs;
        this.maxRetries = maxRetries;
    }

    /**
     * Makes room for peers with indexes up to {@code peers - 1} (a peer was added at runtime); the
     * queues of the existing peers stay as they are.
     */
    public void ensurePeers(int peers) {
        if (peers <= queues.length) {
            return;
        }
        DeadlineQueue[] grown = Arrays.copyOf(queues, Math.max(peers, queues.length * 2));
        for (int i = queues.length; i < grown.length; i++) {
            grown[i] = new DeadlineQueue();
        }
        queues = grown;
    }

    /** Messages on the chain. */
    public int size() {
        return byId.size();
    }

    /** Messages on the chain for {@code peer}. */
    public int size(int peer) {
        return queues[peer].size();
    }

    /** Maximum messages on the chain. */
    public int capacity() {
        return capacity;
    }

    /**
     * Hangs {@code m} on the chain as sent now for the first time (S3). Throws if the chain is full
     * or the id is already on it: callers reserve capacity before they accept a send.
     */
    public void add(PendingMessage m, long nowNs) {
        if (byId.size() >= capacity) {
            throw new IllegalStateException("retransmit chain full (" + capacity + ")");
        }
        bytes += m.payload().length;
        m.transmissions = 1;
        m.firstSendNs = nowNs;
        m.deadlineNs = nowNs + intervalNs;
        byId.putNew(m.msgId, m);
        queues[m.peer].append(m);
    }

    /** The message with {@code msgId}, or null when it is not on the chain. */
    public PendingMessage get(long msgId) {
        return byId.get(msgId);
    }

    /** Takes {@code m} off the chain (it was acked). */
    public void remove(PendingMessage m) {
        if (byId.remove(m.msgId) != null) {
            queues[m.peer].remove(m);
            left(m);
        }
    }

    /** Payload bytes of the messages on the chain now. */
    public long bytes() {
        return bytes;
    }

    /** Tells {@code listener} the payload bytes of each message that leaves the chain (and of {@link #release}). */
    public void onBytesReleased(LongConsumer listener) {
        this.bytesReleased = listener;
    }

    /** Reports the bytes of {@code m}, which was accepted but ends without reaching the chain. */
    public void release(PendingMessage m) {
        bytesReleased.accept(m.payload().length);
    }

    private void left(PendingMessage m) {
        bytes -= m.payload().length;
        bytesReleased.accept(m.payload().length);
    }

    /**
     * Handles the messages of {@code peer} whose deadline is at or before {@code nowNs}: each is
     * retransmitted or, when out of retries, removed and reported exhausted. Stops after
     * {@code budget} retransmissions. Returns the number of retransmissions. {@code nowMillis} is
     * only handed to the listener, as the send time of the copies it writes.
     */
    public int pollDue(int peer, long nowNs, long nowMillis, int budget, Listener listener) {
        DeadlineQueue queue = queues[peer];
        int retransmitted = 0;
        PendingMessage m;
        while ((m = queue.head()) != null && m.deadlineNs <= nowNs) {
            queue.remove(m);
            if (m.transmissions - m.retriesFrom > maxRetries) {
                byId.remove(m.msgId);
                left(m);
                listener.onExhausted(m, nowNs);
                continue;
            }
            if (retransmitted == budget) {
                queue.prepend(m); // still due: it leads the next scan
                break;
            }
            m.transmissions++;
            m.deadlineNs = nowNs + intervalNs;
            queue.append(m);
            retransmitted++;
            listener.onRetransmit(m, nowNs, nowMillis);
        }
        return retransmitted;
    }

    /**
     * The next message of {@code peer} whose last timed copy (first send or retransmission) went out
     * before {@code sentBeforeNs}, that this scan has not handed out since that copy; or null. Each
     * call hands out one message and moves the scan past it, so a message is handed out at most once
     * per interval (until its next retransmission puts it back at the tail). Changes no deadline and
     * no transmission count. For fast retransmission: the caller passes the send time of an acked
     * copy less the reordering window.
     */
    public PendingMessage nextOvertaken(int peer, long sentBeforeNs) {
        DeadlineQueue queue = queues[peer];
        PendingMessage m = queue.nextUnscanned();
        if (m == null || m.deadlineNs - intervalNs >= sentBeforeNs) {
            return null;
        }
        queue.markScanned(m);
        return m;
    }

    /**
     * When the last timed copy of the message {@link #nextOvertaken} would look at next went out, or
     * {@link Long#MAX_VALUE} when it has looked at every message of {@code peer}.
     */
    public long nextUnscannedSentNs(int peer) {
        PendingMessage m = queues[peer].nextUnscanned();
        return m == null ? Long.MAX_VALUE : m.deadlineNs - intervalNs;
    }

    /** When the last timed copy of {@code m} (first send or retransmission) went out. */
    public long lastTimedSendNs(PendingMessage m) {
        return m.deadlineNs - intervalNs;
    }

    /** Earliest deadline on the chain, or {@link Long#MAX_VALUE} when it is empty. */
    public long nextDeadlineNs() {
        long earliest = Long.MAX_VALUE;
        for (DeadlineQueue queue : queues) {
            PendingMessage head = queue.head();
            if (head != null && head.deadlineNs < earliest) {
                earliest = head.deadlineNs;
            }
        }
        return earliest;
    }

    /** Earliest deadline of {@code peer}'s messages, or {@link Long#MAX_VALUE}. */
    public long nextDeadlineNs(int peer) {
        PendingMessage head = queues[peer].head();
        return head == null ? Long.MAX_VALUE : head.deadlineNs;
    }

    /**
     * Hands every message of {@code peer} whose deadline is after {@code nowNs} to {@code sink}, in
     * deadline order, up to {@code limit} of them; returns how many. Changes nothing on the chain.
     */
    public int forEachNotDue(int peer, long nowNs, int limit, Consumer<PendingMessage> sink) {
        int handed = 0;
        for (PendingMessage m = queues[peer].head(); m != null && handed < limit; m = m.next) {
            if (m.deadlineNs > nowNs) {
                sink.accept(m);
                handed++;
            }
        }
        return handed;
    }

    /** Hands every message of {@code peer} to {@code sink}, in deadline order. Changes nothing on the chain. */
    public void forEach(int peer, Consumer<PendingMessage> sink) {
        for (PendingMessage m = queues[peer].head(); m != null; m = m.next) {
            sink.accept(m);
        }
    }

    /** Removes every message, handing each to {@code sink} in deadline order per peer. */
    public void drain(Consumer<PendingMessage> sink) {
        for (int peer = 0; peer < queues.length; peer++) {
            drain(peer, sink);
        }
    }

    /** Removes every message of {@code peer}, handing each to {@code sink} in deadline order. */
    public void drain(int peer, Consumer<PendingMessage> sink) {
        DeadlineQueue queue = queues[peer];
        PendingMessage m;
        while ((m = queue.head()) != null) {
            queue.remove(m);
            byId.remove(m.msgId);
            left(m);
            sink.accept(m);
        }
    }
}
