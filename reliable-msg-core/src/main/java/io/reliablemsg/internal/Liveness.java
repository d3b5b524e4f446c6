package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Whether each peer looks reachable, and how far its clock is from ours.
 *
 * <p>Reachability: a peer is unreachable once a message to it fails, or (with heartbeats on) once it
 * has been silent for {@code maxRetries + 1} heartbeat intervals while pinged every interval; it is
 * reachable again on the next ack or pong, the proof that a round trip works. An idle peer is pinged
 * when it has been silent for a heartbeat interval; an unreachable one is pinged every interval even
 * while we hear from it, because only a reply shows that our datagrams reach it too.
 *
 * <p>Clock offset (docs/PROTOCOL.md, gap 2): the peer stamped its reply at {@code replyTime} on its
 * clock, between our send ({@code echoedSendTime}) and now on ours, so its clock runs about
 * {@code replyTime - (echoedSendTime + now) / 2} ahead of ours, within half the round trip (as in
 * NTP). Smoothed, exposed per peer, and logged when it exceeds the skew allowance, before the age
 * check (S6) starts dropping that peer's messages.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Liveness implements PeerHealth {
    private static final Logger LOG = System.getLogger(Liveness.class.getName());

    private PeerLiveness[] sendingPeers;
    private final ProbeOut out;
    private final Routes routes;
    private final long intervalMillis;
    private final long skewMillis;
    /** Heartbeat interval, or 0 when heartbeats are off. */
    private final long heartbeatNs;
    /** Silence after which a pinged peer is reported unreachable. */
    private final long heartbeatTimeoutNs;
    private final RateLimitedLog skewLog;
    /**
     * A lower bound of the earliest heartbeat work, as {@link RetransmitTimer} keeps its own: exact after each
     * {@link #runHeartbeats}, lowered when a peer turns unreachable, reset when the peer set changes; hearing
     * from a peer only postpones its work. {@link Long#MIN_VALUE} until the first run starts the clocks.
     */
    private long earliestNs = Long.MIN_VALUE;

    Liveness(MessengerConfig config, PeerLiveness[] sendingPeers, ProbeOut out, Routes routes,
             RateLimitedLog skewLog) {
        this.sendingPeers = sendingPeers;
        this.out = out;
        this.routes = routes;
        this.intervalMillis = config.interval().toMillis();
        this.skewMillis = config.clockSkewAllowance().toMillis();
        this.heartbeatNs = config.heartbeatInterval().toNanos();
        this.heartbeatTimeoutNs = heartbeatNs * (config.maxRetries() + 1L);
        this.skewLog = skewLog;
    }

    /** The sending peers are {@code sendingPeers} from now on (one was added or removed). */
    void peers(PeerLiveness[] sendingPeers) {
        this.sendingPeers = sendingPeers;
        earliestNs = Long.MIN_VALUE; // a new peer's clocks start at the next run
    }

    /** A valid datagram came from {@code peer}. */
    void onHeard(PeerLiveness peer, long nowNs) {
        peer.lastHeardNs = nowNs;
    }

    /** A PING from {@code peer}: answered at once, on the path it came in by ({@code replyTo}). */
    void onPing(PeerOutbox replyTo, long sendTimeMillis, long nowMillis) {
        out.pong(replyTo, sendTimeMillis, nowMillis);
    }

    /** A PONG from {@code peer}, come back on path {@code via}, answering our ping of {@code echoedSendTimeMillis}. */
    void onPong(PeerLiveness peer, PeerPath via, long echoedSendTimeMillis, long pongTimeMillis, long nowNs,
                long nowMillis) {
        routes.onReply(peer.paths, via, echoedSendTimeMillis, nowMillis);
        onTimestampedReply(peer, echoedSendTimeMillis, pongTimeMillis, nowNs, nowMillis);
        markReachable(peer);
    }

    @Override
    public void onTimestampedReply(PeerLiveness peer, long echoedSendTimeMillis, long replyTimeMillis, long nowNs,
                                   long nowMillis) {
        long roundTripMillis = nowMillis - echoedSendTimeMillis;
        if (roundTripMillis < 0 || roundTripMillis > intervalMillis) {
            return; // not a usable sample
        }
        long sample = replyTimeMillis - (echoedSendTimeMillis + nowMillis) / 2;
        long previous = peer.clockOffsetMillis;
        long offset = previous == PeerLiveness.NO_CLOCK_SAMPLE ? sample : previous + (sample - previous) / 8;
        peer.clockOffsetMillis = offset;
        if (Math.abs(offset) > skewMillis) {
            skewLog.log(nowNs, "clock of peer " + peer.name + " is about " + offset + " ms off ours (+/- "
                    + (roundTripMillis / 2 + 1) + " ms), beyond the skew allowance of " + skewMillis
                    + " ms: messages may be dropped as stale; synchronise the clocks (NTP) or raise the allowance");
        }
    }

    @Override
    public void onAcked(PeerLiveness peer) {
        markReachable(peer);
    }

    @Override
    public void onExhausted(PeerLiveness peer, long msgId, int transmissions) {
        if (peer.reachable) {
            peer.reachable = false;
            earliestNs = heartbeatNs == 0 ? earliestNs : Math.min(earliestNs, nextHeartbeatNs(peer)); // pinged sooner
            LOG.log(Level.WARNING, "peer " + peer.name + " (" + addresses(peer) + ") looks unreachable: message "
                    + msgId + " got no ack after " + transmissions + " transmissions");
        }
    }

    /** Earliest time heartbeat work is due over all peers, or earlier; {@link Long#MAX_VALUE} with heartbeats off. */
    long nextDeadlineNs() {
        return heartbeatNs == 0 ? Long.MAX_VALUE : earliestNs;
    }

    /**
     * When {@code peer} next needs heartbeat work: a ping once it has been silent for an interval
     * (and the last ping is an interval old), or the unreachable verdict after the timeout.
     */
    private long nextHeartbeatNs(PeerLiveness peer) {
        if (peer.lastHeardNs == Long.MIN_VALUE) {
            return Long.MIN_VALUE; // not started yet: the first timer pass starts the clocks
        }
        if (!peer.reachable) {
            return peer.lastPingNs + heartbeatNs; // keep probing until a pong or an ack proves the round trip
        }
        long ping = Math.max(peer.lastHeardNs, peer.lastPingNs) + heartbeatNs;
        return Math.min(ping, peer.lastHeardNs + heartbeatTimeoutNs);
    }

    /** Pings silent peers and reports the ones silent for too long (liveness while idle). */
    void runHeartbeats(long nowNs, long nowMillis) {
        if (heartbeatNs == 0) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        for (PeerLiveness peer : sendingPeers) {
            heartbeat(peer, nowNs, nowMillis);
            earliest = Math.min(earliest, nextHeartbeatNs(peer));
        }
        earliestNs = earliest;
    }

    private void heartbeat(PeerLiveness peer, long nowNs, long nowMillis) {
        if (peer.lastHeardNs == Long.MIN_VALUE) { // first pass: the silence is counted from now
            peer.lastHeardNs = nowNs;
            peer.lastPingNs = nowNs;
            return;
        }
        long silentNs = nowNs - peer.lastHeardNs;
        if ((silentNs >= heartbeatNs || !peer.reachable) && nowNs - peer.lastPingNs >= heartbeatNs) {
            PeerPath path = routes.route(peer.paths);
            if (path != null) { // none while the peer's names do not resolve: silence, as for a dead peer
                out.ping(path.outbox, nowMillis);
            }
            peer.lastPingNs = nowNs;
        }
        if (peer.reachable && silentNs >= heartbeatTimeoutNs) {
            peer.reachable = false;
            LOG.log(Level.WARNING, "peer " + peer.name + " (" + addresses(peer) + ") looks unreachable: silent "
                    + "for " + silentNs / 1_000_000 + " ms, " + (heartbeatTimeoutNs / heartbeatNs)
                    + " pings unanswered");
        }
    }

    private void markReachable(PeerLiveness peer) {
        if (!peer.reachable) {
            peer.reachable = true;
            LOG.log(Level.INFO, "peer " + peer.name + " (" + addresses(peer) + ") is reachable again");
        }
    }

    private static String addresses(PeerLiveness peer) {
        StringBuilder b = new StringBuilder();
        for (PeerPath path : peer.paths.paths) {
            b.append(b.length() == 0 ? "" : ", ").append(path.outbox.address);
        }
        return b.toString();
    }
}
