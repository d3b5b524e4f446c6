package io.reliablemsg.receive;

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
            long advance = msgId - highest;
            if (advance >= size) {
                java.util.Arrays.fill(words, 0L);
            } else {
                for (long id = highest + 1; id <= msgId; id++) {
                    clear(id);
                }
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

    private void clear(long msgId) {
        int bit = (int) (msgId & (size - 1));
        words[bit >>> 6] &= ~(1L << (bit & 63));
    }
}
