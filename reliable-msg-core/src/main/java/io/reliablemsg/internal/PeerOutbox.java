package io.reliablemsg.internal;

import io.reliablemsg.wire.DatagramWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound side of one path to a peer: where its datagrams go and the datagram being bundled
 * for it.
 * Written by {@link Outbound} only, on the I/O loop.
 */
final class PeerOutbox {
    final InetSocketAddress address;
    private final int maxDatagramSize;
    private DatagramWriter writer;
    /** Whether the peer is on the outbound's flush list for the current pass. */
    boolean queuedForFlush;
    /** Datagrams handed to the transport for this address. */
    final AtomicLong datagramsSent = new AtomicLong();

    PeerOutbox(InetSocketAddress address, int maxDatagramSize) {
        this.address = address;
        this.maxDatagramSize = maxDatagramSize;
    }

    /** The writer, created on first use (a source we only ever receive from needs one only to ack). */
    DatagramWriter writer() {
        if (writer == null) {
            writer = new DatagramWriter(maxDatagramSize);
        }
        return writer;
    }
}
