package io.reliablemsg.internal;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Messages being put together from their fragments at the receiver (docs/PROTOCOL.md, section 12), keyed by
 * sender (peer, client id, incarnation) and message id. Bounded in bytes over all peers: the buffer of a
 * message (its whole length) is taken when its first fragment arrives, and a message that does not fit is
 * refused (the caller counts it and does not ack, so the sender retries). A fragment that disagrees with the
 * others of its message (another length or count) is refused as inconsistent, and a message whose distinct
 * fragments do not add up to its length is dropped whole. A partial message expires a hold time after its
 * last fragment arrived: by then its sender has given it up (the hold time outlives the retry span).
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Reassembly {
    /** What became of a fragment. */
    enum Outcome {
        /** No room for a new message: refused, not acked. */
        REFUSED,
        /** Disagrees with its message's other fragments, or completes a message that does not add up: dropped. */
        INCONSISTENT,
        /** Stored; the message is still missing fragments. */
        STORED,
        /** Had it already; the message is still missing fragments. */
        ALREADY_HELD,
        /** The message is whole: {@link #message} holds it until {@link #remove}. */
        COMPLETE
    }

    /** Identifies one message of one sender incarnation of one peer. */
    record Key(PeerReceiveState peer, int clientId, long incarnation, long msgId) {
    }

    private static final class Partial {
        final byte[] data;
        final int count;
        final long[] held;
        int fragments;
        long bytes;
        long lastNs;

        Partial(int length, int count) {
            this.data = new byte[length];
            this.count = count;
            this.held = new long[(count + 63) >>> 6];
        }
    }

    private final long maxBytes;
    private final long holdNs;
    private final Map<Key, Partial> partials = new HashMap<>();
    private long heldBytes;

    /** At most {@code maxBytes} held at once; a partial message is forgotten {@code holdNs} after its last fragment. */
    Reassembly(long maxBytes, long holdNs) {
        this.maxBytes = maxBytes;
        this.holdNs = holdNs;
    }

    /**
     * Fragment {@code index} of {@code count} of message {@code key} of {@code length} bytes: {@code dataLength}
     * bytes at {@code dataOffset} in {@code datagram}, belonging at {@code messageOffset} (the reader checked
     * these against each other).
     */
    Outcome add(Key key, int length, int index, int count, int messageOffset, ByteBuffer datagram, int dataOffset,
                int dataLength, long nowNs) {
        Partial partial = partials.get(key);
        if (partial == null) {
            if (heldBytes + length > maxBytes) {
                return Outcome.REFUSED;
            }
            partial = new Partial(length, count);
            partials.put(key, partial);
            heldBytes += length;
        } else if (partial.data.length != length || partial.count != count) {
            return Outcome.INCONSISTENT;
        }
        partial.lastNs = nowNs;
        long bit = 1L << index;
        if ((partial.held[index >>> 6] & bit) != 0) {
            return partial.fragments == partial.count ? Outcome.COMPLETE : Outcome.ALREADY_HELD;
        }
        partial.held[index >>> 6] |= bit;
        partial.fragments++;
        partial.bytes += dataLength;
        datagram.get(dataOffset, partial.data, messageOffset, dataLength);
        if (partial.fragments < partial.count) {
            return Outcome.STORED;
        }
        if (partial.bytes != length) { // distinct fragments that overlap or leave a gap: no message to deliver
            remove(key);
            return Outcome.INCONSISTENT;
        }
        return Outcome.COMPLETE;
    }

    /** The whole message {@code key}, after {@link Outcome#COMPLETE}; null when none is held. */
    byte[] message(Key key) {
        Partial partial = partials.get(key);
        return partial == null ? null : partial.data;
    }

    /** Forgets message {@code key} (delivered, or dropped). */
    void remove(Key key) {
        Partial partial = partials.remove(key);
        if (partial != null) {
            heldBytes -= partial.data.length;
        }
    }

    /** Forgets the partial messages whose last fragment arrived more than the hold time before {@code nowNs}. */
    void expire(long nowNs) {
        for (Iterator<Partial> it = partials.values().iterator(); it.hasNext(); ) {
            Partial partial = it.next();
            if (nowNs - partial.lastNs > holdNs) {
                heldBytes -= partial.data.length;
                it.remove();
            }
        }
    }

    /** Bytes held now. */
    long heldBytes() {
        return heldBytes;
    }

    /** Messages being reassembled now. */
    int size() {
        return partials.size();
    }
}
