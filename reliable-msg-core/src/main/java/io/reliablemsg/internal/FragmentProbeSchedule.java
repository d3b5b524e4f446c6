package io.reliablemsg.internal;

import io.reliablemsg.chain.PendingMessage;
import java.util.Arrays;

/**
 * When each probe of missing fragments is due, for {@link FragmentProbes}: one slot per message with a probe
 * scheduled, in no order (swap-removed; the message's {@code FragmentAcks} knows its slot), with the probe's
 * state. A delay counts from the end of the pass that scheduled it ({@link #passEnded}): a pass reads the clock
 * once, at its start, and the pass that took an ack may then spend milliseconds writing the copies the ack
 * called for (a 1 MiB copy is 760 datagrams); timed from the pass's start, a probe would go before the acks of
 * those copies could be back.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class FragmentProbeSchedule {
    PendingMessage[] messages = new PendingMessage[8];
    PeerSendState[] peers = new PeerSendState[8];
    long[] dueNs = new long[8];
    /** Probes sent (or stood in for by a timer copy) since the message's last fragment ack. */
    int[] probes = new int[8];
    /** Whether a timer or failover copy went out since the probe was scheduled. */
    boolean[] copied = new boolean[8];
    /** Whether the probe due is a tail probe (one fragment, after a copy no ack answered yet). */
    boolean[] tail = new boolean[8];
    /** Whether the probe's delay was counted from the start of the current pass: moved to its end. */
    private boolean[] inPass = new boolean[8];
    int size;
    /** No probe is due before this; may be earlier than any (a probe moved on), never later. */
    long earliestNs = Long.MAX_VALUE;
    /** Start of the pass whose delays {@link #passEnded} moves; meaningful while {@link #moving} is true. */
    private long passNs;
    private boolean moving;

    /** Slot {@code slot}'s probe is due at {@code atNs}; returns true. */
    boolean due(int slot, long atNs) {
        dueNs[slot] = atNs;
        inPass[slot] = false;
        earliestNs = Math.min(earliestNs, atNs);
        return true;
    }

    /**
     * Slot {@code slot}'s probe is due one delay on from the pass that started at {@code nowNs}: at
     * {@code nowNs + delayNs} until that pass ends, then as long after its end; returns true.
     */
    boolean dueAfter(int slot, long nowNs, long delayNs) {
        due(slot, nowNs + delayNs);
        inPass[slot] = true;
        passNs = nowNs;
        moving = true;
        return true;
    }

    /**
     * The pass that started at the {@code nowNs} of the last {@link #dueAfter} ended at {@code endNs}: the delays
     * scheduled in it count from now, each as long as it stays before its message's deadline (no probe goes at or
     * after it: the timer's copy goes then).
     */
    void passEnded(long endNs) {
        if (!moving) {
            return;
        }
        moving = false;
        long shift = Math.max(0, endNs - passNs); // a monotonic clock: never negative
        for (int slot = 0; slot < size; slot++) {
            if (inPass[slot]) {
                inPass[slot] = false;
                if (dueNs[slot] + shift < messages[slot].deadlineNs()) {
                    dueNs[slot] += shift; // later, never earlier: earliestNs stays a lower bound
                }
            }
        }
    }

    /** Whether delays were started in the current pass, for {@link #passEnded} to move. */
    boolean moving() {
        return moving;
    }

    int add(PeerSendState peer, PendingMessage m) {
        if (size == messages.length) {
            messages = Arrays.copyOf(messages, size * 2);
            peers = Arrays.copyOf(peers, size * 2);
            dueNs = Arrays.copyOf(dueNs, size * 2);
            probes = Arrays.copyOf(probes, size * 2);
            copied = Arrays.copyOf(copied, size * 2);
            tail = Arrays.copyOf(tail, size * 2);
            inPass = Arrays.copyOf(inPass, size * 2);
        }
        messages[size] = m;
        peers[size] = peer;
        m.fragments().probeSlot(size);
        return size++;
    }

    void remove(int slot) {
        messages[slot].fragments().probeSlot(-1);
        int last = --size;
        if (slot != last) {
            messages[slot] = messages[last];
            peers[slot] = peers[last];
            dueNs[slot] = dueNs[last];
            probes[slot] = probes[last];
            copied[slot] = copied[last];
            tail[slot] = tail[last];
            inPass[slot] = inPass[last];
            messages[slot].fragments().probeSlot(slot);
        }
        inPass[last] = false;
        messages[last] = null;
        peers[last] = null;
    }
}
