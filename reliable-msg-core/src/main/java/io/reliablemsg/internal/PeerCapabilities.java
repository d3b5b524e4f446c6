package io.reliablemsg.internal;

import io.reliablemsg.PeerStats;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one peer reads, per incarnation of that peer (docs/PROTOCOL.md, "Wire evolution", 7.5):
 * the negotiation state, the advertised revision and feature bits, and the probes spent on it.
 * Written by {@link Capabilities} on the I/O loop; the state and counters are read by any thread.
 */
final class PeerCapabilities {
    /** Negotiation state of the peer's current incarnation. */
    enum State { UNKNOWN, PROBING, KNOWN, LEGACY }

    final String name;
    final PeerPaths paths;
    /** Whether we probe this peer (configured peers) or only answer and learn (unknown sources). */
    final boolean probed;
    volatile State state = State.UNKNOWN;
    /** Revision the peer advertised (when KNOWN). */
    volatile int revision;
    /** Feature bits the peer advertised (when KNOWN). */
    volatile long features;
    /** Whether a datagram has been heard from the peer, so {@link #incarnation} means something. */
    boolean incarnationSeen;
    long incarnation;
    /** Whether {@link #previousIncarnation} holds an incarnation the peer has left. */
    boolean previousSeen;
    long previousIncarnation;
    /** Probes sent to the current incarnation. */
    int probesToIncarnation;
    /** Monotonic time of the last probe (MIN_VALUE: none yet for this incarnation). */
    long lastProbeNs = Long.MIN_VALUE;
    final AtomicLong probesSent = new AtomicLong();
    final AtomicLong answersSent = new AtomicLong();
    final AtomicLong capabilitiesReceived = new AtomicLong();
    final AtomicLong unknownFramesSkipped = new AtomicLong();

    PeerCapabilities(String name, PeerPaths paths, boolean probed) {
        this.name = name;
        this.paths = paths;
        this.probed = probed;
    }

    void addTo(PeerStats.Builder stats) {
        State now = state;
        stats.protocolRevision(now == State.KNOWN ? Integer.valueOf(revision) : now == State.LEGACY ? 1 : null)
                .features(now == State.KNOWN ? Long.valueOf(features) : null)
                .capabilityProbesSent(probesSent.get()).capabilityAnswersSent(answersSent.get())
                .capabilitiesReceived(capabilitiesReceived.get()).unknownFramesSkipped(unknownFramesSkipped.get());
    }
}
