package io.reliablemsg.receive;

/**
 * Duplicate windows of the sender incarnations seen from one peer address, keyed by
 * (client id, incarnation). A restarted sender has a new incarnation and so a fresh window: its
 * message ids may start again without being taken for duplicates, while late copies from the old
 * incarnation are still checked against the old window.
 *
 * <p>Bounded: at most {@code maxIncarnations} windows; a window idle for longer than the hold time
 * is forgotten (by then the sender can no longer be retransmitting into it). When all slots are
 * taken, the least recently used window is reused only if it has been idle for longer than
 * {@code quietNs} (two intervals plus the skew allowance: no retransmission of its sender is in
 * flight and any delayed copy fails the age check), because forgetting a live window could let a
 * retransmission be delivered twice. Otherwise the new incarnation is refused ({@code null}) until
 * a slot frees up: its messages go unacked and are retransmitted. Not thread-safe; time comes in
 * as an argument.
 *
 * <p>Inside a window, ids older than the hold time are forgotten ({@link DuplicateWindow#forgetUpTo}),
 * so that its bitmap spans only the ids its sender gave out in the last one or two hold times: at every
 * {@link #expire} at least a hold time after the last such step, the window forgets every id up to the
 * highest it had marked at that step. Safe: an id at or below that highest was given out before a
 * message the window had already marked a hold time ago, so its first copy was sent before then, and a
 * copy sent within its retry span arrives fresh (rule S6) before the hold time passes.
 */
public final class SenderIncarnations {
    private final int windowSize;
    private final long holdNs;
    private final int[] clientIds;
    private final long[] incarnations;
    private final long[] lastUsedNs;
    /** Per window: when its last step of forgetting was, and its highest id then. */
    private final long[] stepNs;
    private final long[] highestAtStep;
    private final DuplicateWindow[] windows;
    private final long quietNs;
    private long evictions;
    private long refusals;

    public SenderIncarnations(int maxIncarnations, int windowSize, long holdNs, long quietNs) {
        this.windowSize = windowSize;
        this.holdNs = holdNs;
        this.quietNs = quietNs;
        this.clientIds = new int[maxIncarnations];
        this.incarnations = new long[maxIncarnations];
        this.lastUsedNs = new long[maxIncarnations];
        this.stepNs = new long[maxIncarnations];
        this.highestAtStep = new long[maxIncarnations];
        this.windows = new DuplicateWindow[maxIncarnations];
    }

    /**
     * The window of {@code clientId}/{@code incarnation}, created (or a quiet slot reused) when
     * absent; null when every slot holds a window that may still be in use.
     */
    public DuplicateWindow window(int clientId, long incarnation, long nowNs) {
        int free = -1;
        int oldest = 0;
        for (int i = 0; i < windows.length; i++) {
            if (windows[i] == null) {
                if (free < 0) {
                    free = i;
                }
                continue;
            }
            if (clientIds[i] == clientId && incarnations[i] == incarnation) {
                lastUsedNs[i] = nowNs;
                return windows[i];
            }
            if (nowNs - lastUsedNs[i] > holdNs) {
                windows[i] = null; // expired: the sender cannot still be retransmitting into it
                if (free < 0) {
                    free = i;
                }
            } else if (lastUsedNs[i] < lastUsedNs[oldest] || windows[oldest] == null) {
                oldest = i;
            }
        }
        int slot = free;
        if (slot < 0) {
            if (nowNs - lastUsedNs[oldest] <= quietNs) {
                refusals++;
                return null;
            }
            slot = oldest;
            evictions++;
        }
        clientIds[slot] = clientId;
        incarnations[slot] = incarnation;
        lastUsedNs[slot] = nowNs;
        stepNs[slot] = nowNs;
        highestAtStep[slot] = Long.MIN_VALUE;
        windows[slot] = new DuplicateWindow(windowSize);
        return windows[slot];
    }

    /**
     * Forgets windows idle for longer than the hold time, and, in the others, the ids older than it (see
     * the class comment).
     */
    public void expire(long nowNs) {
        for (int i = 0; i < windows.length; i++) {
            if (windows[i] == null) {
                continue;
            }
            if (nowNs - lastUsedNs[i] > holdNs) {
                windows[i] = null;
            } else if (nowNs - stepNs[i] >= holdNs) {
                windows[i].forgetUpTo(highestAtStep[i]);
                highestAtStep[i] = windows[i].highest();
                stepNs[i] = nowNs;
            }
        }
    }

    /** Bytes the bitmaps of the windows held now take. */
    public long windowBytes() {
        long bytes = 0;
        for (DuplicateWindow w : windows) {
            if (w != null) {
                bytes += w.bits() / 8;
            }
        }
        return bytes;
    }

    /** Windows held now. */
    public int size() {
        int n = 0;
        for (DuplicateWindow w : windows) {
            if (w != null) {
                n++;
            }
        }
        return n;
    }

    /** Quiet windows reused for another incarnation because every slot was taken. */
    public long evictions() {
        return evictions;
    }

    /** New incarnations refused because every slot held a window that may still be in use. */
    public long refusals() {
        return refusals;
    }
}
