package io.reliablemsg.chain;

/**
 * Which fragments of a message larger than one datagram the receiver has acked (FRAGMENT_ACK,
 * docs/PROTOCOL.md, section 12): a retransmission sends only the others. Acks count only from one receiver
 * incarnation: an ack from another one (the receiver restarted mid-message, and with it its partial
 * message) forgets the earlier ones, so every fragment goes again. Machinery, not API; I/O loop only.
 */
public final class FragmentAcks {
    private final int count;
    private final int fragmentBytes;
    private final long[] acked;
    /**
     * Lowest index not yet looked at for an early copy in the current copy: each index is looked at once per
     * copy, so a fragment goes early at most once per copy.
     */
    private int earlyFrom;
    /** Send time of the current copy (ms, the sender's clock): only acks of copies sent since look for overtaken ones. */
    private long copySentMillis = Long.MIN_VALUE;
    private int ackedCount;
    /** Highest fragment index acked (by the current receiver incarnation), or -1. */
    private int highestAcked = -1;
    private long receiverIncarnation;
    private boolean receiverKnown;
    /** Least round trip of the fragment acks so far, ms; MAX_VALUE before the first. */
    private long minRoundTripMillis = Long.MAX_VALUE;
    /** Where the message sits among the messages with a probe due ({@code internal.FragmentProbes}); -1: none. */
    private int probeSlot = -1;

    /** No fragment acked yet of {@code count} fragments of {@code fragmentBytes} each (the last may be shorter). */
    public FragmentAcks(int count, int fragmentBytes) {
        this.count = count;
        this.fragmentBytes = fragmentBytes;
        this.acked = new long[(count + 63) >>> 6];
    }

    /**
     * A fragment ack echoing {@code echoedSendTimeMillis} came at {@code nowMillis}: its round trip (a negative
     * one, a wall clock stepped back, counts as 0) may be the least, which {@link #minRoundTripMillis()} gives
     * (RACK's {@code min_rtt}, RFC 8985 section 6.1: the round trip without the queueing of a copy's burst).
     */
    public void sampleRoundTrip(long echoedSendTimeMillis, long nowMillis) {
        minRoundTripMillis = Math.min(minRoundTripMillis, Math.max(0, nowMillis - echoedSendTimeMillis));
    }

    /** Least round trip of this message's fragment acks, ms; -1 before the first. */
    public long minRoundTripMillis() {
        return minRoundTripMillis == Long.MAX_VALUE ? -1 : minRoundTripMillis;
    }

    /** Slot of this message among those with a probe due, or -1 (kept by the probes; nothing else reads it). */
    public int probeSlot() {
        return probeSlot;
    }

    /** Sets {@link #probeSlot()}. */
    public void probeSlot(int slot) {
        this.probeSlot = slot;
    }

    /**
     * A copy of the message is being sent at {@code sentMillis} (the first, the timer's, a probe): early copies may
     * be made again, once each, on the acks of this copy.
     */
    public void newCopy(long sentMillis) {
        earlyFrom = 0;
        copySentMillis = sentMillis;
    }

    /**
     * Whether an ack echoing {@code echoedSendTimeMillis} acks a fragment sent in the current copy or after it
     * (an early copy), so that the fragments it overtook in this copy may be taken as lost. A late ack of an
     * earlier copy says nothing of what this copy sent: on a receiver that fell behind it would make early copies
     * of everything still queued.
     */
    public boolean ofThisCopy(long echoedSendTimeMillis) {
        return echoedSendTimeMillis >= copySentMillis;
    }

    /**
     * The next fragment overtaken by the acked fragment {@code ackedIndex}: not acked, sent at least
     * {@code threshold} places before it in this copy (fragments go in index order), and not yet looked at in
     * this copy. -1 when there is none. Each fragment is looked at once per copy, so it goes early at most once
     * per copy and the work per ack is O(1) amortised.
     */
    public int nextOverdue(int ackedIndex, int threshold) {
        int last = ackedIndex - threshold;
        while (earlyFrom <= last) {
            int index = earlyFrom++;
            if (!acked(index)) {
                return index;
            }
        }
        return -1;
    }

    /** Number of fragments. */
    public int count() {
        return count;
    }

    /** Data bytes per fragment (the last one may carry fewer). */
    public int fragmentBytes() {
        return fragmentBytes;
    }

    /**
     * Fragment {@code index} was acked by the receiver's incarnation {@code incarnation}; returns whether that
     * was news. An index out of range is ignored (false).
     */
    public boolean ack(int index, long incarnation) {
        if (index < 0 || index >= count) {
            return false;
        }
        if (receiverKnown && incarnation != receiverIncarnation) {
            clear(); // a receiver restarted mid-message holds none of what the earlier one acked
        }
        receiverKnown = true;
        receiverIncarnation = incarnation;
        long bit = 1L << index;
        if ((acked[index >>> 6] & bit) != 0) {
            return false;
        }
        acked[index >>> 6] |= bit;
        ackedCount++;
        highestAcked = Math.max(highestAcked, index);
        return true;
    }

    /** Whether fragment {@code index} was acked. */
    public boolean acked(int index) {
        return (acked[index >>> 6] & (1L << index)) != 0;
    }

    /** Fragments acked so far. */
    public int ackedCount() {
        return ackedCount;
    }

    /** The highest fragment index acked so far, or -1: the acks have passed every fragment below it. */
    public int highestAcked() {
        return highestAcked;
    }

    /** Forgets every ack: the next copy sends every fragment. */
    public void clear() {
        java.util.Arrays.fill(acked, 0L);
        ackedCount = 0;
        highestAcked = -1;
        receiverKnown = false;
        earlyFrom = 0;
    }
}
