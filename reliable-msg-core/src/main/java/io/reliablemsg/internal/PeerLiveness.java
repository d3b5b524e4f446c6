package io.reliablemsg.internal;

import io.reliablemsg.PeerStats;

/**
 * What is known of one peer's liveness: whether it looks reachable, when it was last heard and
 * pinged, and the estimated offset of its clock. Written by {@link Liveness} on the I/O loop;
 * {@code reachable} and the clock offset are read by any thread.
 */
final class PeerLiveness {
    /** Marks "no estimate yet" in {@link #clockOffsetMillis}. */
    static final long NO_CLOCK_SAMPLE = Long.MIN_VALUE;

    final String name;
    final PeerPaths paths;
    volatile boolean reachable = true;
    /** Monotonic time a valid datagram last came from this peer (MIN_VALUE: heartbeats not started). */
    long lastHeardNs = Long.MIN_VALUE;
    /** Monotonic time of the last ping sent to this peer (set with lastHeardNs at start). */
    long lastPingNs;
    /** Estimated offset of the peer's wall clock against ours, in ms. */
    volatile long clockOffsetMillis = NO_CLOCK_SAMPLE;

    PeerLiveness(String name, PeerPaths paths) {
        this.name = name;
        this.paths = paths;
    }

    void addTo(PeerStats.Builder stats) {
        long offset = clockOffsetMillis;
        stats.reachable(reachable).clockOffsetMillis(offset == NO_CLOCK_SAMPLE ? null : offset);
    }
}
