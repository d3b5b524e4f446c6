package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.internal.PeerCapabilities.State;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Finds out what each peer reads, so that a node of this release still talks with one of the first
 * (docs/PROTOCOL.md, "Wire evolution", 7.5). Per peer incarnation: probe a configured peer with a
 * CAPABILITIES "answer requested" at most once per interval and at most {@code maxRetries + 1}
 * times; a CAPABILITIES from the peer's current incarnation makes it KNOWN; no answer one interval
 * after the last probe makes it LEGACY (version 1 frames only) until a new incarnation of the peer
 * is heard; a probe is answered, in any state, by a CAPABILITIES that asks for nothing. A datagram
 * from the incarnation just left changes nothing. Until a peer is KNOWN, everything is sent as
 * version 1, so negotiation never holds traffic back.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Capabilities implements PeerFeatures {
    private static final Logger LOG = System.getLogger(Capabilities.class.getName());

    private PeerCapabilities[] probedPeers;
    private final CapabilitiesOut out;
    private final Routes routes;
    private final long intervalNs;
    private final int maxProbes;
    /**
     * {@link #nextDeadlineNs} as last computed (it is asked every pass of the loop); computed again
     * after anything that changes a peer's state or probe time, so it is always exact.
     */
    private long cachedDeadlineNs;
    private boolean deadlineStale = true;

    Capabilities(MessengerConfig config, PeerCapabilities[] probedPeers, CapabilitiesOut out, Routes routes) {
        this.probedPeers = probedPeers;
        this.out = out;
        this.routes = routes;
        this.intervalNs = config.interval().toNanos();
        this.maxProbes = config.maxRetries() + 1;
    }

    /** The probed peers are {@code probedPeers} from now on (one was added or removed). */
    void peers(PeerCapabilities[] probedPeers) {
        this.probedPeers = probedPeers;
        deadlineStale = true;
    }

    /**
     * A well-formed datagram of incarnation {@code incarnation} came from {@code peer}. Returns false
     * when it comes from the incarnation the peer has left (a late copy: nothing in it is believed).
     */
    boolean onHeard(PeerCapabilities peer, long incarnation) {
        if (peer.incarnationSeen && peer.incarnation == incarnation) {
            return true;
        }
        if (peer.previousSeen && peer.previousIncarnation == incarnation) {
            return false;
        }
        deadlineStale = true;
        if (!peer.incarnationSeen) {
            // First contact: the probes sent so far went to this process, so they count for it; but a
            // verdict reached before anything was heard is not about it.
            peer.incarnationSeen = true;
            peer.incarnation = incarnation;
            if (peer.state == State.LEGACY) {
                restart(peer);
            }
            return true;
        }
        peer.previousSeen = true;
        peer.previousIncarnation = peer.incarnation;
        if (peer.state != State.UNKNOWN) {
            LOG.log(Level.INFO, "peer " + peer.name + " has a new incarnation (" + Long.toHexString(incarnation)
                    + "): what it reads is unknown again");
        }
        peer.incarnation = incarnation;
        restart(peer);
        return true;
    }

    private static void restart(PeerCapabilities peer) {
        peer.state = State.UNKNOWN;
        peer.probesToIncarnation = 0;
        peer.lastProbeNs = Long.MIN_VALUE;
    }

    /**
     * A CAPABILITIES frame from {@code peer}'s incarnation {@code incarnation}, come in on the path whose
     * outbound is {@code replyTo} (where an answer goes).
     */
    void onCapabilities(PeerCapabilities peer, PeerOutbox replyTo, long incarnation, int revision, long features,
                        boolean answerRequested) {
        if (!onHeard(peer, incarnation)) {
            return; // from a process that no longer runs
        }
        peer.capabilitiesReceived.incrementAndGet();
        if (peer.state != State.KNOWN || peer.revision != revision || peer.features != features) {
            LOG.log(Level.INFO, "peer " + peer.name + " reads protocol revision " + revision + " (features 0x"
                    + Long.toHexString(features) + ")");
        }
        peer.revision = revision;
        peer.features = features;
        peer.state = State.KNOWN;
        deadlineStale = true;
        if (answerRequested) {
            out.capabilities(replyTo, false); // never asks back: two nodes cannot loop
            peer.answersSent.incrementAndGet();
        }
    }

    /** An optional frame of a type this release does not know was skipped (a later revision wrote it). */
    void onUnknownOptionalFrame(PeerCapabilities peer) {
        peer.unknownFramesSkipped.incrementAndGet();
    }

    @Override
    public boolean reads(PeerCapabilities peer, long feature) {
        return peer.state == State.KNOWN && (peer.features & feature) == feature;
    }

    @Override
    public boolean settled(PeerCapabilities peer) {
        // LEGACY about a peer never heard from says it is silent, not that it is old: not settled
        return peer.state == State.KNOWN || peer.state == State.LEGACY && peer.incarnationSeen;
    }

    /** Earliest time a probe or a verdict is due, or {@link Long#MAX_VALUE}. */
    long nextDeadlineNs() {
        if (!deadlineStale) {
            return cachedDeadlineNs;
        }
        long earliest = Long.MAX_VALUE;
        for (PeerCapabilities peer : probedPeers) {
            if (peer.state == State.UNKNOWN || peer.state == State.PROBING) {
                long due = peer.lastProbeNs == Long.MIN_VALUE ? Long.MIN_VALUE : peer.lastProbeNs + intervalNs;
                earliest = Math.min(earliest, due);
            }
        }
        cachedDeadlineNs = earliest;
        deadlineStale = false;
        return earliest;
    }

    /** Probes the peers whose capabilities are unknown, and gives up on those that never answered. */
    void runProbes(long nowNs) {
        deadlineStale = true;
        for (PeerCapabilities peer : probedPeers) {
            if (peer.state != State.UNKNOWN && peer.state != State.PROBING) {
                continue;
            }
            if (peer.lastProbeNs != Long.MIN_VALUE && nowNs - peer.lastProbeNs < intervalNs) {
                continue;
            }
            if (peer.probesToIncarnation >= maxProbes) {
                peer.state = State.LEGACY;
                LOG.log(Level.INFO, "peer " + peer.name + " answered none of " + maxProbes + " capability probes: "
                        + "treated as protocol revision 1 until it restarts");
                continue;
            }
            PeerPath path = routes.route(peer.paths);
            if (path == null) { // no address yet: nothing is sent, nothing counts; asked again an interval on
                peer.lastProbeNs = nowNs;
                continue;
            }
            out.capabilities(path.outbox, true);
            peer.probesToIncarnation++;
            peer.probesSent.incrementAndGet();
            peer.lastProbeNs = nowNs;
            peer.state = State.PROBING;
        }
    }
}
