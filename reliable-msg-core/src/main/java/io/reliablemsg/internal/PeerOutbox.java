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

    /** Whether a writer was created (for tests of what a peer costs). */
    boolean hasWriter() {
        return writer != null;
    }
}
