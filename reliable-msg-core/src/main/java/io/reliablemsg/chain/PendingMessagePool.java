package io.reliablemsg.chain;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The free chain entries of one messenger, so that a send in the steady state allocates no
 * {@link PendingMessage}: the I/O loop gives back an entry once it has left the chain and its outcome was
 * built ({@link #recycle}), and a sending thread takes one before it would make one ({@link #take}).
 *
 * <p>Only a plain message or request goes back: not a {@link TracedMessage}, not one that went in fragments
 * (what fragments it has is known only on the loop, and the probes of missing fragments drop such an entry from
 * their schedule only when they next find it off the chain). The caller promises that nothing refers to the
 * entry any more; {@link #recycle} checks what it can (off every deadline queue) and fails loudly otherwise.
 *
 * <p>Entries are taken by many sending threads at once and given back by the loop (or a sending thread that
 * holds the engine lock), so this is D. Vyukov's bounded multi-producer multi-consumer queue (each slot's
 * sequence number says whether it waits for a put or a take; the same algorithm as the submission queue's
 * {@code BoundedMpscQueue}, with the taking side made multi-consumer by a compare-and-set). It allocates
 * nothing per operation, and it has no ABA problem, which a Treiber stack of reused nodes would. It holds at
 * most the chain's capacity, rounded up to a power of two: that many entries can be in use at once, so in the
 * steady state none is dropped; when it is full (or its next slot is busy with a put or take on another
 * thread) an entry is left to the garbage collector, and an empty pool makes {@link #take} allocate.
 */
public final class PendingMessagePool {
    private final AtomicReferenceArray<PendingMessage> entries;
    private final AtomicLongArray sequences;
    private final int mask;
    /** Position of the next put. */
    private final AtomicLong tail = new AtomicLong();
    /** Position of the next take. */
    private final AtomicLong head = new AtomicLong();

    /** A pool of up to {@code capacity} entries (the chain's), rounded up to a power of two. */
    public PendingMessagePool(int capacity) {
        if (capacity < 1 || capacity > 1 << 30) {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
        entries = new AtomicReferenceArray<>(slots);
        sequences = new AtomicLongArray(slots);
        for (int i = 0; i < slots; i++) {
            sequences.set(i, i);
        }
        mask = slots - 1;
    }

    /**
     * The entry for an accepted message, as {@link PendingMessage#PendingMessage(long, int, byte[], byte[], boolean)}
     * makes it: a free one with every field set again, or a new one when none is free. Thread-safe.
     */
    public PendingMessage take(long msgId, int peer, byte[] payload, byte[] userBuffer, boolean request) {
        PendingMessage m = poll();
        if (m == null) {
            return new PendingMessage(msgId, peer, payload, userBuffer, request);
        }
        m.reuse(msgId, peer, payload, userBuffer, request);
        return m;
    }

    /**
     * Gives back {@code m}, which has left the chain and whose outcome is built: nothing may refer to it from now
     * on. Returns whether the pool kept it (false: a traced or fragmented entry, or the pool full). Thread-safe;
     * called by the loop, under the engine lock.
     *
     * @throws IllegalStateException when {@code m} is still linked in a deadline queue
     */
    public boolean recycle(PendingMessage m) {
        if (m.getClass() != PendingMessage.class || m.fragments() != null) {
            return false;
        }
        if (m.previous != null || m.next != null) {
            throw new IllegalStateException("message " + m.msgId + " is still on a deadline queue");
        }
        m.release();
        return offer(m);
    }

    /** Entries free now (for tests and stats; a snapshot when other threads take or give back). */
    public int size() {
        return (int) Math.max(0, tail.get() - head.get());
    }

    private boolean offer(PendingMessage m) {
        while (true) {
            long position = tail.get();
            int slot = (int) position & mask;
            long difference = sequences.get(slot) - position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    entries.set(slot, m);
                    sequences.set(slot, position + 1); // published: a taker may have it now
                    return true;
                }
            } else if (difference < 0) {
                return false; // full, or a take of this slot one lap behind is not finished: left to the GC
            }
            // else another put took this position: retry with the new tail
        }
    }

    private PendingMessage poll() {
        while (true) {
            long position = head.get();
            int slot = (int) position & mask;
            long difference = sequences.get(slot) - (position + 1);
            if (difference == 0) {
                if (head.compareAndSet(position, position + 1)) {
                    PendingMessage m = entries.get(slot);
                    entries.set(slot, null);
                    sequences.set(slot, position + mask + 1); // free for the put one lap ahead
                    return m;
                }
            } else if (difference < 0) {
                return null; // empty, or the put of this slot is not finished: the caller makes an entry
            }
            // else another take took this position: retry with the new head
        }
    }
}
