package io.reliablemsg.receive;

import java.util.Arrays;

/**
 * Remembers which message ids of one sender incarnation were delivered: a bitmap over the last
 * {@code size} ids below the highest seen, in the manner of the IPsec anti-replay window
 * (RFC 4303 §3.4.3, RFC 6479). Ids above the window's top are new; ids inside it are new until
 * marked; ids below it are {@link Verdict#BELOW_WINDOW}, because whether they were delivered is no
 * longer known. Memory is {@code size / 8} bytes, fixed. Not thread-safe.
 */
public final class DuplicateWindow {
    /** What an id is to this window. */
    public enum Verdict { NEW, DUPLICATE, BELOW_WINDOW }

    private final long[] words;
    private final int size;
    private long highest = Long.MIN_VALUE;

    /** A window over {@code size} ids, a power of two of at least 64. */
    public DuplicateWindow(int size) {
        if (size < 64 || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("size must be a power of two >= 64 but was " + size);
        }
        this.size = size;
        this.words = new long[size / 64];
    }

    /** Classifies {@code msgId} without changing anything. */
    public Verdict check(long msgId) {
        if (highest == Long.MIN_VALUE || msgId > highest) {
            return Verdict.NEW;
        }
        if (highest - msgId >= size) {
            return Verdict.BELOW_WINDOW;
        }
        return isSet(msgId) ? Verdict.DUPLICATE : Verdict.NEW;
    }

    /** Records {@code msgId} as delivered; only call for an id {@link #check} found NEW. */
    public void mark(long msgId) {
        if (highest == Long.MIN_VALUE) {
            highest = msgId;
        } else if (msgId > highest) {
            if (msgId - highest >= size) {
                Arrays.fill(words, 0L);
            } else {
                clearRange(highest + 1, msgId);
            }
            highest = msgId;
        }
        int bit = (int) (msgId & (size - 1));
        words[bit >>> 6] |= 1L << (bit & 63);
    }

    /** Highest id marked, or {@link Long#MIN_VALUE} before the first. */
    public long highest() {
        return highest;
    }

    private boolean isSet(long msgId) {
        int bit = (int) (msgId & (size - 1));
        return (words[bit >>> 6] & (1L << (bit & 63))) != 0;
    }

    /**
     * Clears the bits of ids {@code from..to} (fewer than {@code size} of them), a word at a time:
     * the ids between two marks are mostly ids the sender gave to other peers, so the gap can be
     * long and clearing bit by bit would cost the hot path per id skipped.
     */
    private void clearRange(long from, long to) {
        int mask = size - 1;
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
