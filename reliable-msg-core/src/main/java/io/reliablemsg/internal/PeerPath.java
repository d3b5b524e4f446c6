package io.reliablemsg.internal;

import io.reliablemsg.PathState;
import io.reliablemsg.PathStats;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One path to a peer: one of its addresses, with the datagram being bundled for it, its state, its
 * error count and smoothed round trip. Written by {@link Paths} and {@link Outbound} on the I/O loop;
 * state and counters read by any thread.
 */
final class PeerPath {
    /** Marks "no round trip measured yet" in {@link #smoothedRoundTripMicros}. */
    static final long NO_SAMPLE = -1;

    /** Position among the peer's paths (changes only when the peer's addresses change; loop only). */
    int index;
    final PeerOutbox outbox;
    volatile PathState state;
    /** Copies sent on this path in a row whose interval passed without an ack (SCTP's error count). */
    int errorCount;
    /** Monotonic time an error was last counted (MIN_VALUE: never), for the one-per-half-interval rule. */
    long lastErrorNs = Long.MIN_VALUE;
    /** Monotonic time of the last probe of this path (MIN_VALUE: none yet). */
    long lastProbeNs = Long.MIN_VALUE;
    /** Whether the last probe is still unanswered. */
    boolean probeOutstanding;
    volatile long smoothedRoundTripMicros = NO_SAMPLE;
    final AtomicLong failures = new AtomicLong();

    PeerPath(int index, PeerOutbox outbox, PathState state) {
        this.index = index;
        this.outbox = outbox;
        this.state = state;
    }

    PathStats snapshot() {
        long srtt = smoothedRoundTripMicros;
        return PathStats.of(outbox.address.getHostString() + ":" + outbox.address.getPort(), state,
                srtt == NO_SAMPLE ? null : srtt / 1000.0, outbox.datagramsSent.get(), failures.get());
    }
}
