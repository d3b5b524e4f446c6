package io.reliablemsg.internal;

import io.reliablemsg.PeerStats;
import io.reliablemsg.receive.SenderIncarnations;
import io.reliablemsg.wire.DatagramWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the messenger knows of one peer: its address, its duplicate windows, the datagram being
 * bundled for it and its counters. Counters are written by the I/O loop and read by any thread.
 */
public final class PeerState {
    /** Peer name ("host:port" for an unknown source). */
    public final String name;
    /** Resolved address. */
    public final InetSocketAddress address;
    /** Index on the retransmit chain, or -1 for a source we never send to. */
    public final int index;
    final SenderIncarnations incarnations;
    /** Client id this peer's datagrams must carry, or null when any is accepted. */
    final Integer expectedClientId;
    private final int maxDatagramSize;
    private DatagramWriter writer;
    boolean queuedForFlush;

    /** Messages to this peer on the chain or awaiting their failure callback. */
    public final AtomicInteger pending = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong retransmitted = new AtomicLong();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong staleMessagesDropped = new AtomicLong();
    final AtomicLong staleAcksDropped = new AtomicLong();
    final AtomicLong outsideWindowDropped = new AtomicLong();
    final AtomicLong deliveryRejected = new AtomicLong();
    final AtomicLong unmatchedAcks = new AtomicLong();
    final AtomicLong malformedDropped = new AtomicLong();
    final AtomicLong authenticationFailures = new AtomicLong();
    final AtomicLong failedAtShutdown = new AtomicLong();
    volatile boolean reachable = true;
    /** Monotonic time a valid datagram last came from this peer (loop only; MIN_VALUE: not yet started). */
    long lastHeardNs = Long.MIN_VALUE;
    /** Monotonic time of the last ping sent to this peer (loop only; set with lastHeardNs at start). */
    long lastPingNs;
    /** Marks "no estimate yet" in {@link #clockOffsetMillis}. */
    static final long NO_CLOCK_SAMPLE = Long.MIN_VALUE;
    /** Estimated offset of the peer's wall clock against ours, in ms (written by the loop only). */
    volatile long clockOffsetMillis = NO_CLOCK_SAMPLE;

    PeerState(String name, InetSocketAddress address, int index, SenderIncarnations incarnations, int maxDatagramSize,
              Integer expectedClientId) {
        this.expectedClientId = expectedClientId;
        this.name = name;
        this.address = address;
        this.index = index;
        this.incarnations = incarnations;
        this.maxDatagramSize = maxDatagramSize;
    }

    DatagramWriter writer() {
        if (writer == null) {
            writer = new DatagramWriter(maxDatagramSize);
        }
        return writer;
    }

    /** Sender incarnations whose duplicate windows are held now (I/O loop or single-threaded use). */
    public int trackedIncarnations() {
        return incarnations.size();
    }

    /** A snapshot of this peer's counters. */
    public PeerStats snapshot() {
        return new PeerStats(name, address.getHostString() + ":" + address.getPort(), pending.get(), sent.get(),
                retransmitted.get(), acked.get(), failed.get(), delivered.get(), duplicates.get(),
                staleMessagesDropped.get(), staleAcksDropped.get(), outsideWindowDropped.get(),
                deliveryRejected.get(), unmatchedAcks.get(), reachable, malformedDropped.get(),
                authenticationFailures.get(), failedAtShutdown.get(),
                clockOffsetMillis == NO_CLOCK_SAMPLE ? null : clockOffsetMillis);
    }
}
