package io.reliablemsg.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The replies a responder keeps so that a duplicate of an answered request gets the same answer again
 * without its handler running twice (docs/PROTOCOL.md, section 9), as GTP-C and PFCP keep their
 * responses. Keyed by the request's (client id, incarnation, message id); an entry without reply bytes
 * records "no reply" (the handler failed). Each entry is charged its reply's length plus
 * {@link #ENTRY_OVERHEAD_BYTES} against {@code capacityBytes}; it is kept until {@code holdNs} has
 * passed since it was last sent (the duplicate hold time: by then the requester can no longer be
 * retransmitting). A reply that does not fit makes room by dropping the least recently sent entries
 * (counted as evictions: a late duplicate of one of those is answered "no reply"); a reply larger than
 * the whole capacity is sent once and not kept.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only (the counters are read anywhere).
 */
final class ReplyCache {
    /** What an entry costs beyond its reply bytes: key, entry and map node, with room to spare. */
    static final int ENTRY_OVERHEAD_BYTES = 128;

    /** A request, by its sender incarnation and message id. */
    record Key(int clientId, long incarnation, long msgId) {
    }

    /** A cached answer: the reply, or none ({@code noReply}). */
    static final class Entry {
        final byte[] reply;
        final boolean noReply;
        final long costBytes;
        long lastSentNs;

        Entry(byte[] reply, boolean noReply, long nowNs) {
            this.reply = reply;
            this.noReply = noReply;
            this.costBytes = reply.length + (long) ENTRY_OVERHEAD_BYTES;
            this.lastSentNs = nowNs;
        }
    }

    /** In access order: the first entry is the least recently sent. */
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final long capacityBytes;
    private final long holdNs;
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong count = new AtomicLong();
    final AtomicLong evictions = new AtomicLong();

    ReplyCache(long capacityBytes, long holdNs) {
        this.capacityBytes = capacityBytes;
        this.holdNs = holdNs;
    }

    /** The answer kept for {@code key}, marked as sent now, or null. */
    Entry get(Key key, long nowNs) {
        Entry entry = entries.get(key);
        if (entry != null) {
            entry.lastSentNs = nowNs;
        }
        return entry;
    }

    /** Keeps the answer to {@code key}, sent now, dropping the least recently sent answers to make room. */
    void put(Key key, byte[] reply, boolean noReply, long nowNs) {
        Entry entry = new Entry(reply, noReply, nowNs);
        if (entry.costBytes > capacityBytes) {
            evictions.incrementAndGet(); // kept no time at all
            return;
        }
        Iterator<Entry> oldest = entries.values().iterator();
        while (bytes.get() + entry.costBytes > capacityBytes && oldest.hasNext()) {
            drop(oldest);
            evictions.incrementAndGet();
        }
        Entry previous = entries.put(key, entry);
        if (previous != null) {
            bytes.addAndGet(-previous.costBytes);
            count.decrementAndGet();
        }
        bytes.addAndGet(entry.costBytes);
        count.incrementAndGet();
    }

    /** Forgets the answers not sent for longer than the hold time. */
    void expire(long nowNs) {
        Iterator<Entry> oldest = entries.values().iterator();
        while (oldest.hasNext()) {
            Entry entry = oldest.next();
            if (nowNs - entry.lastSentNs <= holdNs) {
                return; // the rest were sent later
            }
            bytes.addAndGet(-entry.costBytes);
            count.decrementAndGet();
            oldest.remove();
        }
    }

    private void drop(Iterator<Entry> oldest) {
        Entry entry = oldest.next();
        bytes.addAndGet(-entry.costBytes);
        count.decrementAndGet();
        oldest.remove();
    }
}
