package io.reliablemsg.internal;

import io.reliablemsg.wire.DatagramWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound side of one path to a peer: where its datagrams go and the datagram being bundled
 * for it, in a writer of at most the bundle size (1472 bytes by default), created when the first frame
 * is bundled for it: a peer costs no buffer until traffic needs one, and never a whole 64 KiB one (a
 * frame larger than the bundle goes out alone, from the {@link Outbound}'s one large writer).
 * Written by {@link Outbound} only, on the I/O loop.
 */
final class PeerOutbox {
    final InetSocketAddress address;
    private final int maxDatagramSize;
    private DatagramWriter writer;
    /** Whether the peer is on the outbound's flush list for the current pass. */
    boolean queuedForFlush;
    /** The acks this path repeats while its peer sends duplicates; null until the first (loop only). */
    AckRepeats ackRepeats;
    /** Datagrams handed to the transport for this address. */
    final AtomicLong datagramsSent = new AtomicLong();

    PeerOutbox(InetSocketAddress address, int maxDatagramSize) {
        this.address = address;
        this.maxDatagramSize = maxDatagramSize;
    }

    /**
     * The writer, created on first use (a source we only ever receive from needs one only to ack), of
     * {@code bytes} bytes at most, or of {@code maxDatagramSize} when that is less.
     */
    DatagramWriter writer(int bytes) {
        if (writer == null) {
            writer = new DatagramWriter(Math.min(bytes, maxDatagramSize));
        }
        return writer;
    }

    /**
     * An ACK frame, for a copy that was a {@code duplicate} or not, went into the datagram being bundled:
     * kept for repeating from the first duplicate on ({@link AckRepeats}).
     */
    void keepAck(int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis, int transmissions,
                 long ackTimeMillis, boolean duplicate, long intervalNs, long nowNs) {
        if (ackRepeats == null) {
            if (!duplicate) {
                return;
            }
            ackRepeats = new AckRepeats(intervalNs, nowNs);
        }
        ackRepeats.acked(originClientId, originIncarnation, msgId, echoedSendTimeMillis, transmissions, ackTimeMillis,
                datagramsSent.get(), duplicate, nowNs);
    }

    /**
     * Fills the room the datagram being bundled has left with acks of earlier datagrams to repeat, at
     * {@code nowNs}; {@code alone}: the datagram may hold nothing else (else none is started for repeats).
     * Returns whether an ack to repeat was left out for want of room.
     */
    boolean appendRepeatedAcks(long nowNs, int reserveBytes, boolean alone) {
        AckRepeats r = ackRepeats;
        if (r == null || writer == null || writer.frameCount() == 0 && !alone) {
            return false;
        }
        long datagram = datagramsSent.get();
        for (int left = AckRepeats.REPEATS; left > 0; left--) {
            for (int k = r.nextDue(0, left, datagram, nowNs); k >= 0; k = r.nextDue(k + 1, left, datagram, nowNs)) {
                if (!writer.tryAppendAck(r.originClientId(k), r.originIncarnation(k), r.msgId(k),
                        r.echoedSendTimeMillis(k), r.ackTimeMillis(k), r.transmissions(k), reserveBytes)) {
                    return true;
                }
                r.repeated(k, datagram);
            }
        }
        return false;
    }

    /** Whether a writer was created (for tests of what a peer costs). */
    boolean hasWriter() {
        return writer != null;
    }
}
