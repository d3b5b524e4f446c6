package io.reliablemsg.internal;

/**
 * The acks one path sends again while its peer shows that our acks get lost (docs/PROTOCOL.md, "Repeated
 * acks"). A lost datagram of bundled ACK frames costs the peer a copy of every message it acked; so while a
 * duplicate came from the peer on this path within the last interval (it resent a message we had: our ack
 * did not reach it), each ACK frame of a plain message is kept here, and the next datagrams to the path carry
 * it again in the room they have left: the same frame, byte for byte (message id, echoed send time,
 * transmissions, ack time), so the sender's age check (S9) judges it as it would the first. An ack goes again
 * at most {@link #REPEATS} times, once per datagram, only in a datagram after its own, and not once it is a
 * quarter of an interval old; the acks not yet repeated first, newest first. No datagram is
 * sent for a repeat: on a link with no duplicates nothing is kept and nothing is repeated.
 *
 * <p>Memory: {@link #CAPACITY} acks (a little over 3 KiB), made at the path's first duplicate. Owns no thread and
 * reads no clock. Not thread-safe: I/O loop only.
 */
final class AckRepeats {
    /** How many of the newest acks are kept. */
    static final int CAPACITY = 64;
    /** How many times an ack goes again after its own datagram. */
    static final int REPEATS = 2;

    private final long intervalNs;
    private final long maxAgeNs;
    private long duplicateSeenNs;
    private final int[] originClientIds = new int[CAPACITY];
    private final long[] originIncarnations = new long[CAPACITY];
    private final long[] msgIds = new long[CAPACITY];
    private final long[] echoedSendTimes = new long[CAPACITY];
    private final long[] ackTimes = new long[CAPACITY];
    private final int[] transmissions = new int[CAPACITY];
    /** The path's datagram (its count of datagrams sent when the ack was bundled) that carried the ack first. */
    private final long[] datagrams = new long[CAPACITY];
    private final long[] keptNs = new long[CAPACITY];
    private final int[] repeatsLeft = new int[CAPACITY];
    /** The datagram that carried the ack's last repeat: one copy per datagram. */
    private final long[] repeatedIn = new long[CAPACITY];
    /** Where the next ack is kept; the newest is just before it. */
    private int next;
    private int count;

    /** Repeats for a path of a messenger with an interval of {@code intervalNs}, made at a duplicate seen at {@code nowNs}. */
    AckRepeats(long intervalNs, long nowNs) {
        this.intervalNs = intervalNs;
        this.maxAgeNs = intervalNs / 4;
        this.duplicateSeenNs = nowNs;
    }

    /** Whether a duplicate came on the path within the last interval. */
    boolean active(long nowNs) {
        return nowNs - duplicateSeenNs <= intervalNs;
    }

    /**
     * An ACK frame went to the path in its datagram {@code datagram}, for a copy that was a {@code duplicate}
     * or not; kept for repeating while {@link #active}.
     */
    void acked(int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis, int transmissions,
               long ackTimeMillis, long datagram, boolean duplicate, long nowNs) {
        if (duplicate) {
            duplicateSeenNs = nowNs;
        }
        if (!active(nowNs)) {
            return;
        }
        int i = next;
        originClientIds[i] = originClientId;
        originIncarnations[i] = originIncarnation;
        msgIds[i] = msgId;
        echoedSendTimes[i] = echoedSendTimeMillis;
        ackTimes[i] = ackTimeMillis;
        this.transmissions[i] = transmissions;
        datagrams[i] = datagram;
        keptNs[i] = nowNs;
        repeatsLeft[i] = REPEATS;
        repeatedIn[i] = datagram;
        next = (i + 1) % CAPACITY;
        count = Math.min(count + 1, CAPACITY);
    }

    /**
     * The first ack at or after position {@code k} (0: the newest kept, 1: the one before it, ...) with
     * {@code repeatsLeft} repeats left to go in the path's datagram {@code datagram} at {@code nowNs}, or -1 when
     * there is none: none while inactive, none that went in this datagram already, none a quarter of an interval
     * old or older. The caller asks for {@link #REPEATS} left first, then fewer: the acks not yet repeated go
     * before those repeated once.
     */
    int nextDue(int k, int repeatsLeft, long datagram, long nowNs) {
        if (!active(nowNs)) {
            return -1;
        }
        for (; k < count; k++) {
            int i = slot(k);
            if (nowNs - keptNs[i] >= maxAgeNs) {
                return -1; // the older ones are older still
            }
            if (this.repeatsLeft[i] == repeatsLeft && repeatedIn[i] != datagram) {
                return k;
            }
        }
        return -1;
    }

    /** The ack at position {@code k} went again, in the path's datagram {@code datagram}. */
    void repeated(int k, long datagram) {
        int i = slot(k);
        repeatsLeft[i]--;
        repeatedIn[i] = datagram;
    }

    int originClientId(int k) {
        return originClientIds[slot(k)];
    }

    long originIncarnation(int k) {
        return originIncarnations[slot(k)];
    }

    long msgId(int k) {
        return msgIds[slot(k)];
    }

    long echoedSendTimeMillis(int k) {
        return echoedSendTimes[slot(k)];
    }

    long ackTimeMillis(int k) {
        return ackTimes[slot(k)];
    }

    int transmissions(int k) {
        return transmissions[slot(k)];
    }

    private int slot(int k) {
        return (next - 1 - k + 2 * CAPACITY) % CAPACITY;
    }
}
