package io.reliablemsg.receive;

import java.util.Arrays;

/**
 * Remembers which message ids of one sender incarnation were delivered: a bitmap over the last
 * {@code size} ids below the highest seen, in the manner of the IPsec anti-replay window
 * (RFC 4303 §3.4.3, RFC 6479). Ids above the window's top are new; ids inside it are new until
 * marked; ids below it are {@link Verdict#BELOW_WINDOW}, because whether they were delivered is no
 * longer known. Not thread-safe.
 *
 * <p>Memory follows traffic, not {@code size}: the bitmap covers only the ids from the lowest one
 * still remembered to the highest, starting at 64 bits (8 bytes) and doubling as that span grows, up to
 * {@code size} bits. The span is kept short by {@link #forgetUpTo}: ids that can no longer arrive fresh
 * (the owner knows when: {@link SenderIncarnations}) are forgotten, become {@code BELOW_WINDOW}, and
 * the bitmap shrinks again. An id between the lowest one remembered and the window's bottom was never
 * marked, so it is new, as in a fixed bitmap: the verdicts are those of a fixed bitmap of {@code size}
 * bits, except for the ids forgotten.
 */
public final class DuplicateWindow {
    /** What an id is to this window. */
    public enum Verdict { NEW, DUPLICATE, BELOW_WINDOW }

    private static final int MIN_BITS = 64;

    private final int size;
    /** A ring of bits over [lowest, highest]: id i is bit (i & (bits - 1)). */
    private long[] words = new long[MIN_BITS / 64];
    private long highest = Long.MIN_VALUE;
    /** Lowest id whose bit is kept; every id below it and in the window was never marked. */
    private long lowest;
    /** Ids at or below this are forgotten: {@code BELOW_WINDOW}. */
    private long floor = Long.MIN_VALUE;

    /** A window over {@code size} ids, a power of two of at least 64. */
    public DuplicateWindow(int size) {
        if (size < 64 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two >= 64 but was " + size);
        }
        this.size = size;
    }

    /** Classifies {@code msgId} without changing anything. */
    public Verdict check(long msgId) {
        if (highest == Long.MIN_VALUE || msgId > highest) {
            return Verdict.NEW;
        }
        if (highest - msgId >= size || msgId <= floor) {
            return Verdict.BELOW_WINDOW;
        }
        if (msgId < lowest) {
            return Verdict.NEW;
        }
        return isSet(msgId) ? Verdict.DUPLICATE : Verdict.NEW;
    }

    /** Records {@code msgId} as delivered; only call for an id {@link #check} found NEW. */
    public void mark(long msgId) {
        if (highest == Long.MIN_VALUE) {
            highest = msgId;
            lowest = msgId;
        } else if (msgId > highest) {
            long low = Math.max(Math.max(lowest, msgId - size + 1), floor + 1);
            if (low > highest) { // every id kept so far falls out of the window
                Arrays.fill(words, 0L);
                lowest = msgId;
            } else {
                ensureBits(msgId - low + 1, low);
                clearRange(highest + 1, msgId);
                lowest = low;
            }
            highest = msgId;
        } else if (msgId < lowest) { // a late id below the ones kept, inside the window
            ensureBits(highest - msgId + 1, lowest);
            clearRange(msgId, lowest - 1);
            lowest = msgId;
        }
        words[(int) ((msgId >> 6) & (words.length - 1))] |= 1L << (msgId & 63);
    }

    /**
     * Forgets every id up to {@code msgId}: from now on they are {@link Verdict#BELOW_WINDOW}. For ids that
     * can no longer arrive fresh; the bitmap shrinks to what is left.
     */
    public void forgetUpTo(long msgId) {
        if (highest == Long.MIN_VALUE || msgId <= floor) {
            return;
        }
        floor = Math.min(msgId, highest);
        if (lowest <= floor) {
            lowest = lowestMarkedAbove(floor); // the ids between were never marked: new either way
        }
        long span = Math.max(0, highest - lowest + 1);
        int wanted = bitsFor(Math.max(MIN_BITS, 2 * span));
        if (wanted * 4L <= bits()) {
            relayout(wanted, lowest);
        }
    }

    /** Highest id marked, or {@link Long#MIN_VALUE} before the first. */
    public long highest() {
        return highest;
    }

    /** Bits the window holds now: 64 at first, at most {@code size}; its memory is an eighth of it in bytes. */
    public int bits() {
        return words.length * 64;
    }

    /** The lowest marked id above {@code id} (there is one: the highest is marked), a word at a time. */
    private long lowestMarkedAbove(long id) {
        long from = id + 1;
        while (from < highest) {
            long word = words[(int) ((from >> 6) & (words.length - 1))] & (-1L << (from & 63));
            if (word != 0) {
                return Math.min(highest, (from & ~63L) + Long.numberOfTrailingZeros(word));
            }
            from = (from & ~63L) + 64;
        }
        return highest;
    }

    private boolean isSet(long msgId) {
        return (words[(int) ((msgId >> 6) & (words.length - 1))] & (1L << (msgId & 63))) != 0;
    }

    /** Grows the ring to hold {@code span} ids, keeping the bits of the ids from {@code keepFrom} up. */
    private void ensureBits(long span, long keepFrom) {
        if (span > bits()) {
            relayout(bitsFor(span), keepFrom);
        }
    }

    private int bitsFor(long span) {
        long bits = Math.min(size, Math.max(MIN_BITS, Long.highestOneBit(span - 1) << 1));
        return (int) bits;
    }

    /** A ring of {@code bits} bits holding the bits of the ids kept now from {@code from} up. */
    private void relayout(int bits, long from) {
        long[] next = new long[bits / 64];
        long first = Math.max(from, lowest);
        if (first <= highest) {
            for (long block = first >> 6; block <= highest >> 6; block++) {
                long mask = -1L;
                if (block == first >> 6) {
                    mask &= -1L << (first & 63);
                }
                if (block == highest >> 6) {
                    mask &= -1L >>> (63 - (highest & 63));
                }
                next[(int) (block & (next.length - 1))] |= words[(int) (block & (words.length - 1))] & mask;
            }
        }
        words = next;
    }

    /**
     * Clears the bits of ids {@code from..to} (fewer than the ring's bits), a word at a time: the ids between
     * two marks are mostly ids the sender gave to other peers, so the gap can be long and clearing bit by
     * bit would cost the hot path per id skipped.
     */
    private void clearRange(long from, long to) {
        int mask = bits() - 1;
        int bit = (int) (from & mask);
        long remaining = to - from + 1;
        while (remaining > 0) {
            int inWord = bit & 63;
            int count = (int) Math.min(remaining, 64 - inWord);
            long bits = count == 64 ? -1L : ((1L << count) - 1) << inWord;
            words[bit >>> 6] &= ~bits;
            remaining -= count;
            bit = (bit + count) & mask;
        }
    }
}
