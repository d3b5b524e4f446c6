package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.FragmentAcks;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.RetransmitChain;

/**
 * Recovery of lost fragments within a round trip, for {@link Fragments} (docs/PROTOCOL.md, section 12, "Probes
 * of missing fragments"), in the manner of RACK-TLP (RFC 8985). Each fresh fragment ack of a message schedules a
 * probe one probe delay later: the least round trip of the message's fragment acks (RACK's {@code min_rtt}: the
 * acks of a long copy's last fragments come back late, queued behind the burst, and would delay every probe by
 * that), plus a quarter of it as the allowance for reordering ({@code min_rtt / 4}), that allowance at least 1 ms
 * and at most the reordering window. A later fragment ack moves the probe on; when none came for that long, the acks have
 * stopped while fragments are still unacked (the last fragments of a copy, or early copies lost again), and the
 * probe sends every unacked fragment below the highest acked one (the acks passed them: lost, or their acks
 * were) and the highest unacked one above it, as RACK-TLP's probe, to elicit an ack (the others above may only
 * be queued at a receiver that fell behind: they are not sent again at once); all acked and the message not,
 * its last fragment, which a receiver that has the message answers with the message's ACK. On the path of the
 * message's last copy, with a fresh send time. A probe no ack followed waits twice as long for the next one, and no probe goes at or after the
 * message's own deadline: the timer's copy comes then. A timer (or failover) copy sent meanwhile stands in for
 * the next probe. A copy that no fragment ack has answered within one probe delay (every ack of it lost, or
 * the message's ACK with them) gets a <em>tail probe</em>: its highest unacked fragment alone (or the last),
 * whose ack starts the probes above; in an outage that is one fragment per copy.
 * Every delay counts from the end of the pass that started it ({@link FragmentProbeSchedule}): that pass may have
 * spent milliseconds writing the copies the ack called for, and their acks cannot be back before.
 *
 * <p>Bounds: a probe is one early copy of the message, counted in {@code fastRetransmits} and inside the peer's
 * early-copy budget of {@link FastRetransmit} (the storm brake: at most the retransmit budget per half interval);
 * one over the budget waits for the budget's next half interval. A probe uses up no retry and moves no deadline,
 * so the time to failure stays {@code (maxRetries + 1) x interval} and a message still fails once.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class FragmentProbes {
    /**
     * Least allowance (and least probe delay, so that a zero round trip and a zero reordering window still move
     * on): the round trip is measured in whole milliseconds.
     */
    static final long MIN_DELAY_NS = 1_000_000L;
    /** Doublings of the delay at most (a guard against overflow: the deadline ends the probes long before). */
    static final int MAX_BACKOFF = 16;

    private final RetransmitChain chain;
    private final DataOut out;
    private final long allowanceNs;
    private final int budget;
    private final long halfIntervalNs;
    /** The probes scheduled, and when each is due. */
    private final FragmentProbeSchedule schedule = new FragmentProbeSchedule();

    FragmentProbes(MessengerConfig config, RetransmitChain chain, DataOut out) {
        this.chain = chain;
        this.out = out;
        this.allowanceNs = config.effectiveReorderingWindow().toNanos();
        this.budget = config.maxRetransmitsPerPeerPerScan();
        this.halfIntervalNs = Math.max(1, config.interval().toNanos() / 2);
    }

    /**
     * Time from the last sign of progress to a probe: the least round trip (0 before the first) plus a quarter of
     * it, that allowance within [1 ms, reordering window]; at least 1 ms.
     */
    long delayNs(FragmentAcks acks) {
        long roundTripNs = Math.max(0, acks.minRoundTripMillis()) * 1_000_000L;
        long allowance = Math.min(allowanceNs, Math.max(MIN_DELAY_NS, roundTripNs / 4));
        return Math.max(MIN_DELAY_NS, roundTripNs + allowance);
    }

    /** A fresh fragment ack of {@code m} (of {@code peer}) came at {@code nowNs}: its probe is due one delay on. */
    void onAcked(PeerSendState peer, PendingMessage m, long nowNs) {
        FragmentAcks acks = m.fragments();
        int slot = acks.probeSlot();
        if (slot < 0) {
            slot = schedule.add(peer, m);
        }
        schedule.probes[slot] = 0;
        schedule.copied[slot] = false;
        schedule.tail[slot] = false;
        schedule.dueAfter(slot, nowNs, delayNs(acks));
    }

    /**
     * A copy of {@code m} (of {@code peer}) is going out at {@code nowNs}: it stands in for the probe due, or, none
     * due, its tail probe is due one delay on.
     */
    void onCopy(PeerSendState peer, PendingMessage m, long nowNs) {
        int slot = m.fragments().probeSlot();
        if (slot >= 0 && !schedule.tail[slot]) {
            schedule.copied[slot] = true;
            return;
        }
        long delayNs = delayNs(m.fragments());
        if (nowNs + delayNs >= m.deadlineNs()) {
            return; // the timer's copy comes first (a scheduled tail probe goes at its time, then ends)
        }
        if (slot < 0) {
            slot = schedule.add(peer, m);
        }
        schedule.probes[slot] = 0;
        schedule.copied[slot] = false;
        schedule.tail[slot] = true;
        schedule.dueAfter(slot, nowNs, delayNs);
    }

    /** Earliest time {@link #run} may have a probe to send, or {@link Long#MAX_VALUE}. */
    long nextDeadlineNs() {
        return schedule.earliestNs;
    }

    /** Sends the probes due at {@code nowNs}, stamped {@code nowMillis}; forgets messages no longer on the chain. */
    void run(long nowNs, long nowMillis) {
        FragmentProbeSchedule s = schedule;
        if (nowNs < s.earliestNs) {
            return;
        }
        long earliest = Long.MAX_VALUE;
        int slot = 0;
        while (slot < s.size) {
            PendingMessage m = s.messages[slot];
            if (chain.get(m.msgId()) != m || s.dueNs[slot] <= nowNs && !probe(slot, nowNs, nowMillis)) {
                s.remove(slot); // acked, failed or its peer removed; or its probes are over until the next ack
                continue;
            }
            earliest = Math.min(earliest, s.dueNs[slot]);
            slot++;
        }
        s.earliestNs = earliest;
    }

    /** The probe of slot {@code slot} is due: sends it (within the budget); returns whether another is due later. */
    private boolean probe(int slot, long nowNs, long nowMillis) {
        FragmentProbeSchedule s = schedule;
        PendingMessage m = s.messages[slot];
        PeerSendState peer = s.peers[slot];
        if (!s.copied[slot]) {
            if (peer.earlyCopiesSinceNs == Long.MIN_VALUE || nowNs - peer.earlyCopiesSinceNs >= halfIntervalNs) {
                peer.earlyCopiesSinceNs = nowNs;
                peer.earlyCopies = 0;
            }
            if (peer.earlyCopies >= budget) { // the storm brake: wait for its next half interval
                long next = peer.earlyCopiesSinceNs + halfIntervalNs;
                return next < m.deadlineNs() && s.due(slot, next);
            }
            if (m.lastPath() == PendingMessage.NO_PATH) {
                return false; // no path took the last copy: the timer's copy finds one, or counts it
            }
            send(peer, m, peer.paths.paths[m.lastPath()].outbox, s.tail[slot], nowMillis);
            if (s.tail[slot]) {
                return false; // its ack, if any, schedules the next probe
            }
        }
        s.copied[slot] = false;
        s.probes[slot] = Math.min(s.probes[slot] + 1, MAX_BACKOFF);
        long delayNs = delayNs(m.fragments()) << s.probes[slot];
        return nowNs + delayNs < m.deadlineNs() && s.dueAfter(slot, nowNs, delayNs);
    }

    private void send(PeerSendState peer, PendingMessage m, PeerOutbox to, boolean tailProbe, long nowMillis) {
        FragmentAcks acks = m.fragments();
        int sent = 0;
        if (tailProbe || acks.ackedCount() == acks.count()) {
            int index = acks.count() - 1; // all acked: the last, answered by the message's ACK where it arrived
            if (acks.ackedCount() < acks.count()) {
                while (acks.acked(index)) {
                    index--; // the highest unacked
                }
            }
            out.fragment(to, m, index, nowMillis);
            sent = 1;
        } else {
            acks.newCopy(nowMillis); // the acks of this probe's fragments may show its earlier ones lost
            int passed = acks.highestAcked();
            for (int i = 0; i < passed; i++) {
                if (!acks.acked(i)) {
                    out.fragment(to, m, i, nowMillis);
                    sent++;
                }
            }
            if (passed < acks.count() - 1) { // nothing above the highest acked is acked: the last is the tail
                out.fragment(to, m, acks.count() - 1, nowMillis); // to elicit an ack
                sent++;
            }
        }
        peer.earlyCopies++;
        peer.fastRetransmits.incrementAndGet();
        peer.fragmentsSent.addAndGet(sent);
        peer.fragmentsRetransmitted.addAndGet(sent);
    }

    /** Messages with a probe due (for tests). */
    int size() {
        return schedule.size;
    }

    /** The pass that scheduled probes ended at {@code endNs}: their delays count from then ({@link FragmentProbeSchedule}). */
    void passEnded(long endNs) {
        schedule.passEnded(endNs);
    }

    /** Whether delays were started in the current pass. */
    boolean passEndMatters() {
        return schedule.moving();
    }
}
