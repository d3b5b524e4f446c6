package io.reliablemsg.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chain's capacity as send slots: a send reserves one before its message is accepted, and the
 * slot is freed only once the message's outcome has been reported (after the ack listener or the
 * failure listener ran), so that outcomes waiting for a slow listener still count against the
 * sender's capacity and nothing waiting can grow without bound. Thread-safe: reserved by sending
 * threads, released by the I/O loop or the callback thread. Internal: not API.
 */
public final class SendSlots {
    private final int capacity;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicIntegerArray heldPerPeer;
    private final AtomicLong rejections = new AtomicLong();

    /** {@code capacity} slots shared by {@code peers} peers (indexes 0..peers-1). */
    public SendSlots(int capacity, int peers) {
        this.capacity = capacity;
        this.heldPerPeer = new AtomicIntegerArray(peers);
    }

    /** Takes a slot for a message to peer {@code peer}; false (and counted) when every slot is held. */
    public boolean tryReserve(int peer) {
        int now;
        do {
            now = held.get();
            if (now >= capacity) {
                rejections.incrementAndGet();
                return false;
            }
        } while (!held.compareAndSet(now, now + 1));
        heldPerPeer.incrementAndGet(peer);
        return true;
    }

    /** Frees a slot of peer {@code peer}: its message's outcome has been reported. */
    public void release(int peer) {
        heldPerPeer.decrementAndGet(peer);
        held.decrementAndGet();
    }

    /** Slots held now over all peers. */
    public int held() {
        return held.get();
    }

    /** Slots held now for peer {@code peer}. */
    public int held(int peer) {
        return heldPerPeer.get(peer);
    }

    /** Slots in all. */
    public int capacity() {
        return capacity;
    }

    /** Reservations refused because every slot was held. */
    public long rejections() {
        return rejections.get();
    }
}
