package io.reliablemsg.internal;

/**
 * The receiver's repeats of its fragment acks (docs/PROTOCOL.md, section 12, "Repeated fragment acks"), for
 * {@link FragmentReceiver}: each FRAGMENT_ACK goes again, {@link #REPEATS} times, in front of the fragment acks of
 * the next passes that write any, so that a lost datagram of acks is made good by the next one instead of by the
 * sender sending those fragments again. A pass reads the clock once: acks written at the same {@code nowNs} may
 * share a datagram, and a repeat goes only at a later one, so in another datagram. The repeats go first (oldest
 * first), so that the sender marks the fragments they name before a later ack takes them as overtaken. Only what
 * was first written within a quarter of the interval is repeated: older news would reach the sender after its
 * probes or its timer sent the fragments again anyway, or be dropped there as stale (S9). At most the last
 * {@link #CAPACITY} acks are kept, over all peers, so a pass repeats at most that many; while fragments come that
 * were held already (the sender got no ack of them: acks are being lost), the last {@link #LOSSY_CAPACITY}, until
 * an interval has passed without one. Each goes back on the path of its fragment. No new frame: a repeat is the
 * same FRAGMENT_ACK, echoing the same send time, stamped anew.
 * The ACK of a message made whole from fragments goes twice, the second time in a datagram of its own
 * ({@link #completed}).
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class FragmentAckRepeats {
    /** Times each fragment ack goes again after its first. */
    static final int REPEATS = 2;
    /**
     * Fragment acks kept for repeats, over all peers, while no fragment comes twice ({@link #LOSSY_CAPACITY} while
     * fragments do): so a pass repeats at most 16 (768 bytes, about half a datagram
     * of acks), whatever the number of fragments it took. A receiver that keeps up with its sender takes a few
     * fragments a pass, and their repeats fit the datagram of the next pass's acks; one that fell behind takes up to
     * 256 a pass, and more repeats would make the sender read more datagrams of acks even without loss.
     */
    static final int CAPACITY = 16;
    /**
     * Fragment acks kept within an interval of a fragment that came again ({@link #heldAgain}): a pass that took a
     * burst writes several datagrams of acks, and with 16 kept the loss of any but the last left its acks unrepeated,
     * so the sender sent those fragments again (97 % of the fragments it sent to a receiver holding them, in a trace of
     * 1 MiB messages at 30 % loss on a veth). 256 is what one pass can take.
     */
    static final int LOSSY_CAPACITY = 256;

    private final AckOut out;
    private final long withinNs;
    private final long intervalNs;
    private final PeerOutbox[] to = new PeerOutbox[LOSSY_CAPACITY];
    private final int[] clientId = new int[LOSSY_CAPACITY];
    private final long[] incarnation = new long[LOSSY_CAPACITY];
    private final long[] msgId = new long[LOSSY_CAPACITY];
    private final long[] echoedMillis = new long[LOSSY_CAPACITY];
    private final int[] index = new int[LOSSY_CAPACITY];
    private final long[] writtenNs = new long[LOSSY_CAPACITY];
    private final int[] left = new int[LOSSY_CAPACITY];
    /** When a fragment last came that was held already; MIN_VALUE: never. */
    private long heldAgainNs = Long.MIN_VALUE;
    /** Slot the next ack goes in; the live acks are the {@code live} slots before it (they end in that order). */
    private int next;
    private int live;
    /** {@code nowNs} of the pass that wrote the latest fragment ack. */
    private long passNs = Long.MIN_VALUE;

    /** Repeats on {@code out} what was first written within {@code intervalNs / 4}. */
    FragmentAckRepeats(AckOut out, long intervalNs) {
        this.out = out;
        this.withinNs = intervalNs / 4;
        this.intervalNs = intervalNs;
    }

    /** A fragment came that was held already: its sender got no ack of it, so more acks are kept for a while. */
    void heldAgain(long nowNs) {
        heldAgainNs = nowNs;
    }

    /** How many acks are kept at {@code nowNs}: {@link #LOSSY_CAPACITY} within an interval of {@link #heldAgain}. */
    int capacity(long nowNs) {
        return heldAgainNs != Long.MIN_VALUE && nowNs - heldAgainNs <= intervalNs ? LOSSY_CAPACITY : CAPACITY;
    }

    /**
     * Writes a FRAGMENT_ACK for {@code to} (as {@link AckOut#fragmentAck}), after the repeats due when this is the
     * first fragment ack of a pass, and keeps it to repeat.
     */
    void ack(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
             int index, long nowNs, long nowMillis) {
        if (nowNs != passNs) {
            passNs = nowNs;
            repeat(nowNs, nowMillis);
        }
        out.fragmentAck(to, originClientId, originIncarnation, msgId, echoedSendTimeMillis, index, nowMillis);
        int slot = next;
        this.to[slot] = to;
        this.clientId[slot] = originClientId;
        this.incarnation[slot] = originIncarnation;
        this.msgId[slot] = msgId;
        this.echoedMillis[slot] = echoedSendTimeMillis;
        this.index[slot] = index;
        this.writtenNs[slot] = nowNs;
        this.left[slot] = REPEATS;
        next = (slot + 1) % LOSSY_CAPACITY;
        live = Math.min(live + 1, capacity(nowNs)); // back to 16: the newest stay
    }

    /** Writes once more, oldest first, every kept ack with repeats left that is recent enough; ends the others. */
    private void repeat(long nowNs, long nowMillis) {
        int first = next - live;
        int ended = 0;
        for (int k = 0; k < live; k++) {
            int slot = Math.floorMod(first + k, LOSSY_CAPACITY);
            if (nowNs - writtenNs[slot] <= withinNs) {
                out.fragmentAck(to[slot], clientId[slot], incarnation[slot], msgId[slot], echoedMillis[slot],
                        index[slot], nowMillis);
                if (--left[slot] > 0) {
                    continue;
                }
            }
            // too old, or repeated for the last time: written in order and repeated in the same passes as those
            // before it, so everything before it has ended too
            ended = k + 1;
            to[slot] = null; // no reference kept to a path that may go
        }
        live -= ended;
    }

    /**
     * The message's ACK was just written for {@code to}, answering the fragment that completed the message: it goes
     * once more, in a datagram of its own, so that its loss (the sender would probe the last fragment a probe delay
     * later to have it again, S8) takes the loss of two datagrams.
     */
    void completed(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
                   int transmissions, long nowMillis) {
        out.endDatagram(to);
        out.ack(to, originClientId, originIncarnation, msgId, echoedSendTimeMillis, transmissions, nowMillis);
    }

    /** Acks kept with repeats left (for tests). */
    int live() {
        return live;
    }
}
