package io.reliablemsg.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded queue for many producers and one consumer that allocates nothing per element
 * (D. Vyukov's bounded queue: each slot carries a sequence number that says whose turn it is).
 * Used to hand accepted messages from sending threads to the I/O loop: chain reservations already
 * bound what can be in flight, so with a capacity of at least {@code maxStoredMessages} an offer
 * never finds it full.
 */
final class BoundedMpscQueue<E> {
    private final AtomicReferenceArray<E> elements;
    private final AtomicLongArray sequences;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private long head; // consumer only

    BoundedMpscQueue(int minCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, minCapacity) * 2 - 1);
        elements = new AtomicReferenceArray<>(capacity);
        sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
        mask = capacity - 1;
    }

    /** Adds {@code e}; false when full. Thread-safe. */
    boolean offer(E e) {
        while (true) {
            long position = tail.get();
            int slot = (int) position & mask;
            long difference = sequences.get(slot) - position;
            if (difference == 0) {
                if (tail.compareAndSet(position, position + 1)) {
                    elements.set(slot, e);
                    sequences.set(slot, position + 1); // publish: the consumer may take it now
                    return true;
                }
            } else if (difference < 0) {
                return false;
            }
            // else another producer took this position: retry with the new tail
        }
    }

    /** Takes the oldest element, or null when none is ready. Consumer thread only. */
    E poll() {
        int slot = (int) head & mask;
        if (sequences.get(slot) != head + 1) {
            return null;
        }
        E e = elements.get(slot);
        elements.set(slot, null);
        sequences.set(slot, head + mask + 1); // free the slot for the producer one lap ahead
        head++;
        return e;
    }

    /** Whether no element is ready for the consumer (a producer may be about to publish one). */
    boolean isEmpty() {
        return sequences.get((int) head & mask) != head + 1;
    }
}
