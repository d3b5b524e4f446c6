package io.reliablemsg.chain;

import java.util.Arrays;

/**
 * Open-addressing map from a long key to an object, with linear probing and backward-shift
 * deletion, so lookups stay short without tombstones and nothing is boxed. Capacity is fixed at
 * construction (load factor at most 0.5). Not thread-safe.
 */
final class LongObjectMap<V> {
    private final long[] keys;
    private final Object[] values;
    private final int mask;
    private int size;

    LongObjectMap(int maxEntries) {
        int slots = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1;
        keys = new long[slots];
        values = new Object[slots];
        mask = slots - 1;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        for (int i = slot(key); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Puts a key that is not present; the caller keeps size within the construction bound. */
    void putNew(long key, V value) {
        if (size * 2 >= values.length) {
            throw new IllegalStateException("map full: " + size);
        }
        int i = slot(key);
        while (values[i] != null) {
            if (keys[i] == key) {
                throw new IllegalStateException("duplicate key " + key);
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    @SuppressWarnings("unchecked")
    V remove(long key) {
        int i = slot(key);
        while (values[i] != null) {
            if (keys[i] == key) {
                V removed = (V) values[i];
                deleteAt(i);
                size--;
                return removed;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    private void deleteAt(int hole) {
        int i = hole;
        while (true) {
            i = (i + 1) & mask;
            if (values[i] == null) {
                break;
            }
            int home = slot(keys[i]);
            // Move the entry back into the hole unless its home lies cyclically in (hole, i].
            boolean homeBetween = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeBetween) {
                keys[hole] = keys[i];
                values[hole] = values[i];
                hole = i;
            }
        }
        values[hole] = null;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
