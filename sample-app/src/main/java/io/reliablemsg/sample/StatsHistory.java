package io.reliablemsg.sample;

import io.reliablemsg.MessengerStats;
import io.reliablemsg.PeerStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The node's recent past, kept on the server so that a page opened late or reloaded shows it: a
 * ring of the last {@value #CAPACITY} samples of the messenger's counters ({@link HistorySampler}
 * takes one a second: ten minutes). Each sample holds the counters' rates since the sample before,
 * per second of the time between the two. Owns no thread and reads no clock. Thread-safe.
 */
@Component
public final class StatsHistory {
    /** Samples kept; the oldest goes when a new one comes. */
    public static final int CAPACITY = 600;

    /**
     * One peer at one moment: this node's messages to it (pending, and whether it looks reachable)
     * and what it advertised.
     *
     * @param pending          messages to the peer held until acked or failed
     * @param reachable        whether the peer looks reachable ({@link PeerStats#reachable()})
     * @param protocolRevision what the peer advertised; 1 for a first-release node, null while unknown
     */
    public record PeerSample(int pending, boolean reachable, Integer protocolRevision) {
    }

    /**
     * The node at one moment.
     *
     * @param timeMillis             when it was taken, epoch ms
     * @param pending                messages held for all peers
     * @param ackedPerSecond         messages acked per second since the sample before
     * @param retransmittedPerSecond retransmissions per second since the sample before
     * @param failedPerSecond        messages given up per second since the sample before
     * @param deliveredPerSecond     messages from peers delivered per second since the sample before
     * @param peers                  each configured peer, by name
     */
    public record Sample(long timeMillis, int pending, double ackedPerSecond, double retransmittedPerSecond,
                         double failedPerSecond, double deliveredPerSecond, Map<String, PeerSample> peers) {
    }

    private record Totals(long timeMillis, long acked, long retransmitted, long failed, long delivered) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>(CAPACITY);
    private Totals previous;

    /** Adds a sample of {@code stats} taken at {@code nowMillis}; the first one has rates of 0. */
    public synchronized void record(long nowMillis, MessengerStats stats) {
        Totals now = new Totals(nowMillis, stats.acked(), stats.retransmitted(), stats.failed(), stats.delivered());
        double seconds = previous == null || nowMillis <= previous.timeMillis() ? 0
                : (nowMillis - previous.timeMillis()) / 1000.0;
        Map<String, PeerSample> peers = new LinkedHashMap<>();
        stats.peers().forEach((name, peer) ->
                peers.put(name, new PeerSample(peer.pending(), peer.reachable(), peer.protocolRevision())));
        Sample sample = new Sample(nowMillis, stats.pending(),
                rate(now.acked(), previous == null ? 0 : previous.acked(), seconds),
                rate(now.retransmitted(), previous == null ? 0 : previous.retransmitted(), seconds),
                rate(now.failed(), previous == null ? 0 : previous.failed(), seconds),
                rate(now.delivered(), previous == null ? 0 : previous.delivered(), seconds), peers);
        if (samples.size() == CAPACITY) {
            samples.removeFirst();
        }
        samples.addLast(sample);
        previous = now;
    }

    private static double rate(long now, long before, double seconds) {
        return seconds == 0 ? 0 : Math.max(0, now - before) / seconds;
    }

    /** The samples taken after {@code afterMillis} (all of them for 0), oldest first. */
    public synchronized List<Sample> since(long afterMillis) {
        List<Sample> newer = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.timeMillis() > afterMillis) {
                newer.add(sample);
            }
        }
        return newer;
    }
}
