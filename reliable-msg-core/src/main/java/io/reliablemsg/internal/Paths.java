package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PathChange;
import io.reliablemsg.PathState;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Arrays;

/**
 * Which of a peer's addresses its traffic takes, after SCTP's multi-homing (RFC 9260 §6.4, §8.2,
 * §8.3; docs/PROTOCOL.md, "Paths"). The first address carries the traffic while it works. A copy
 * whose interval passes without an ack counts one error against the path it took (at most one per
 * half interval, as SCTP counts one per timer expiry, so a burst of messages lost together is one
 * error, not many); {@code pathMaxRetransmissions} errors in a row fail the path, and the traffic moves
 * at once to the next usable path in preference order. Any ack or pong that comes back on a path
 * clears its errors; on a failed path it makes the path usable again, and with
 * {@code returnToPrimary} the first address takes the traffic back. Every path not in use (standby
 * or failed) is probed with a PING every interval, as SCTP heartbeats its idle destinations: a probe
 * unanswered for an interval is an error too, so a standby path that broke is failed before the
 * traffic needs it; the path in use is probed as well while it has errors. A retransmission goes over
 * another usable path than the copy that timed out (RFC 9260 §6.4.1), so a path that loses much but
 * not all holds no message; new messages stay on the path in use until it fails. With every path
 * failed, each copy tries the next path in turn.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Paths implements Routes {
    private static final Logger LOG = System.getLogger(Paths.class.getName());

    private PeerPaths[] sendingPeers;
    /** The sending peers with more than one path: the only ones {@link #nextDeadlineNs} can find due. */
    private PeerPaths[] multiPathPeers;
    private final ProbeOut probes;
    private final PathEvents events;
    private final long intervalNs;
    private final long halfIntervalNs;
    private final int maxErrors;
    private final boolean returnToPrimary;

    Paths(MessengerConfig config, PeerPaths[] sendingPeers, ProbeOut probes, PathEvents events) {
        peers(sendingPeers);
        this.probes = probes;
        this.events = events;
        this.intervalNs = config.interval().toNanos();
        this.halfIntervalNs = Math.max(1, intervalNs / 2);
        this.maxErrors = config.pathMaxRetransmissions();
        this.returnToPrimary = config.returnToPrimary();
    }

    /** The sending peers are {@code sendingPeers} from now on (one was added or removed, or its addresses changed). */
    void peers(PeerPaths[] sendingPeers) {
        this.sendingPeers = sendingPeers;
        this.multiPathPeers = Arrays.stream(sendingPeers).filter(p -> p.paths.length > 1).toArray(PeerPaths[]::new);
    }

    @Override
    public PeerPath route(PeerPaths peer) {
        return peer.current();
    }

    @Override
    public PeerPath onCopyTimedOut(PeerPaths peer, PeerPath path, long nowNs) {
        if (peer.paths.length == 1) {
            return path;
        }
        countError(peer, path, nowNs);
        if (path.state == PathState.FAILED && peer.current() == path && allFailed(peer)) {
            peer.active = (path.index + 1) % peer.paths.length; // nothing works: the next copy tries another
        }
        PeerPath current = peer.current();
        if (current == path) { // retransmit over another usable path, as SCTP does (RFC 9260 6.4.1)
            for (PeerPath alternate : peer.paths) {
                if (alternate != path && alternate.state != PathState.FAILED) {
                    return alternate;
                }
            }
        }
        return current;
    }

    @Override
    public void onReply(PeerPaths peer, PeerPath path, long echoedSendTimeMillis, long nowMillis) {
        long roundTripMillis = nowMillis - echoedSendTimeMillis;
        if (roundTripMillis >= 0) {
            long sample = roundTripMillis * 1000;
            long previous = path.smoothedRoundTripMicros;
            path.smoothedRoundTripMicros = previous == PeerPath.NO_SAMPLE ? sample : previous + (sample - previous) / 8;
        }
        path.errorCount = 0;
        path.probeOutstanding = false;
        if (peer.paths.length == 1) {
            return;
        }
        if (path.state == PathState.FAILED) {
            boolean inUse = peer.active == path.index;
            change(peer, path, inUse ? PathState.ACTIVE : PathState.STANDBY, "answered again");
        }
        PeerPath current = peer.current();
        boolean primaryBack = returnToPrimary && path.index == 0 && peer.active != 0;
        if (current != path && (primaryBack || current.state == PathState.FAILED)) {
            switchTo(peer, path, primaryBack ? "the first address answers again" : "the path in use failed");
        }
    }

    /** Earliest time a path not in use is due for a probe, or {@link Long#MAX_VALUE}. */
    long nextDeadlineNs() {
        long earliest = Long.MAX_VALUE;
        for (PeerPaths peer : multiPathPeers) { // called every pass: single-path peers are never probed
            for (PeerPath path : peer.paths) {
                if (probed(peer, path)) {
                    earliest = Math.min(earliest, path.lastProbeNs == Long.MIN_VALUE ? Long.MIN_VALUE
                            : path.lastProbeNs + intervalNs);
                }
            }
        }
        return earliest;
    }

    /** Told when a probe failed the path in use: what was sent on it moves to {@code next} at once. */
    interface InUseFailed {
        void moveTraffic(PeerPaths peer, PeerPath failed, PeerPath next, long nowNs, long nowMillis);
    }

    /** {@link #runProbes(long, long, InUseFailed)} with nobody to tell of a failed path in use. */
    void runProbes(long nowNs, long nowMillis) {
        runProbes(nowNs, nowMillis, (peer, failed, next, ns, ms) -> { });
    }

    /**
     * Probes every path not in use that has not been probed for an interval; a probe still unanswered
     * after its interval counts one error against its path (and so may fail a standby path, or the path
     * in use while it has errors: then {@code inUseFailed} moves its traffic, as a timeout's failure does).
     */
    void runProbes(long nowNs, long nowMillis, InUseFailed inUseFailed) {
        for (PeerPaths peer : sendingPeers) {
            if (peer.paths.length == 1) {
                continue;
            }
            for (PeerPath path : peer.paths) {
                if (!probed(peer, path)
                        || path.lastProbeNs != Long.MIN_VALUE && nowNs - path.lastProbeNs < intervalNs) {
                    continue;
                }
                if (path.probeOutstanding) {
                    boolean inUse = peer.active == path.index;
                    countError(peer, path, nowNs);
                    if (inUse && peer.active != path.index) { // this probe failed the path in use
                        inUseFailed.moveTraffic(peer, path, peer.current(), nowNs, nowMillis);
                    }
                }
                probes.ping(path.outbox, nowMillis);
                path.lastProbeNs = nowNs;
                path.probeOutstanding = true;
            }
        }
    }

    /**
     * Whether {@code path} is probed: every path not in use, and the path in use while it has errors,
     * since its retransmissions go elsewhere and, with no new traffic, nothing else would tell whether
     * it still works.
     */
    private static boolean probed(PeerPaths peer, PeerPath path) {
        return path.index != peer.active || path.errorCount > 0;
    }

    /** One error against {@code path}, at most one per half interval; the last allowed one fails it. */
    private void countError(PeerPaths peer, PeerPath path, long nowNs) {
        if (path.lastErrorNs == Long.MIN_VALUE || nowNs - path.lastErrorNs >= halfIntervalNs) {
            path.lastErrorNs = nowNs;
            path.errorCount++;
            if (path.state != PathState.FAILED && path.errorCount >= maxErrors) {
                fail(peer, path);
            }
        }
    }

    private static boolean allFailed(PeerPaths peer) {
        for (PeerPath path : peer.paths) {
            if (path.state != PathState.FAILED) {
                return false;
            }
        }
        return true;
    }

    private void fail(PeerPaths peer, PeerPath path) {
        path.failures.incrementAndGet();
        if (peer.active == path.index) {
            path.lastProbeNs = Long.MIN_VALUE; // it leaves use: probe it at the next pass
            path.probeOutstanding = false;
        }
        change(peer, path, PathState.FAILED, path.errorCount + " copies in a row unacked");
        if (peer.active != path.index) {
            return;
        }
        PeerPath next = null;
        for (PeerPath candidate : peer.paths) {
            if (candidate.state != PathState.FAILED) {
                next = candidate;
                break;
            }
        }
        if (next == null) { // every path failed: each copy tries the next one in turn (see onCopyTimedOut)
            return;
        }
        switchTo(peer, next, "the path in use failed");
    }

    private void switchTo(PeerPaths peer, PeerPath next, String reason) {
        PeerPath previous = peer.current();
        peer.active = next.index;
        if (previous.state == PathState.ACTIVE) {
            change(peer, previous, PathState.STANDBY, reason);
        }
        if (next.state != PathState.ACTIVE) {
            change(peer, next, PathState.ACTIVE, reason);
        }
    }

    private void change(PeerPaths peer, PeerPath path, PathState to, String reason) {
        PathState from = path.state;
        if (from == to) {
            return;
        }
        path.state = to;
        String address = path.outbox.address.getHostString() + ":" + path.outbox.address.getPort();
        LOG.log(to == PathState.FAILED ? Level.WARNING : Level.INFO, "peer " + peer.name + " path " + address + ": "
                + from + " -> " + to + " (" + reason + ")");
        events.pathChanged(new PathChange(peer.name, address, from, to, reason));
    }
}
