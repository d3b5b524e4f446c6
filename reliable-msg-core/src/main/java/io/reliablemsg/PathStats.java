package io.reliablemsg;

import java.util.Objects;

/**
 * Counters of one path to a peer (one of its addresses) at one moment. A final class with accessors,
 * like {@link PeerStats}, so that a counter can be added without breaking readers.
 */
public final class PathStats {
    private final String address;
    private final PathState state;
    private final Double smoothedRoundTripMillis;
    private final long transmissions;
    private final long failures;

    private PathStats(String address, PathState state, Double smoothedRoundTripMillis, long transmissions,
                      long failures) {
        this.address = Objects.requireNonNull(address, "address");
        this.state = Objects.requireNonNull(state, "state");
        this.smoothedRoundTripMillis = smoothedRoundTripMillis;
        this.transmissions = transmissions;
        this.failures = failures;
    }

    /**
     * A snapshot of a path at {@code address} in {@code state}; {@code smoothedRoundTripMillis} is null
     * before the first round trip measured on it.
     */
    public static PathStats of(String address, PathState state, Double smoothedRoundTripMillis, long transmissions,
                               long failures) {
        return new PathStats(address, state, smoothedRoundTripMillis, transmissions, failures);
    }

    /** The path's address, as host:port. */
    public String address() {
        return address;
    }

    /** Its state now. */
    public PathState state() {
        return state;
    }

    /**
     * Smoothed round trip on this path in ms (acks and pongs that came back on it, weight 1/8 as
     * TCP's SRTT), or null before the first.
     */
    public Double smoothedRoundTripMillis() {
        return smoothedRoundTripMillis;
    }

    /** Datagrams sent on this path (messages, acks, probes, heartbeats, possibly bundled). */
    public long transmissions() {
        return transmissions;
    }

    /** Times this path was declared failed. */
    public long failures() {
        return failures;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathStats p && address.equals(p.address) && state == p.state
                && Objects.equals(smoothedRoundTripMillis, p.smoothedRoundTripMillis)
                && transmissions == p.transmissions && failures == p.failures;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, state, smoothedRoundTripMillis, transmissions, failures);
    }

    @Override
    public String toString() {
        return "PathStats[address=" + address + ", state=" + state + ", smoothedRoundTripMillis="
                + smoothedRoundTripMillis + ", transmissions=" + transmissions + ", failures=" + failures + "]";
    }
}
