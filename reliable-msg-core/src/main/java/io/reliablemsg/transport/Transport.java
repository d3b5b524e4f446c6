package io.reliablemsg.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Moves datagrams. The messenger's I/O loop is the only caller of every method but
 * {@link #wakeup()}, which any thread may call. Sends never block: a datagram the transport cannot
 * take now is refused and left to the retransmit chain (one slow peer must not stall the others).
 */
public interface Transport extends AutoCloseable {
    /** Address this transport receives on. */
    InetSocketAddress localAddress();

    /**
     * Sends the bytes between {@code datagram}'s position and limit to {@code target} without
     * blocking. Returns false when the datagram was not taken (send buffer full, unreachable).
     */
    boolean send(InetSocketAddress target, ByteBuffer datagram);

    /**
     * Copies one waiting datagram into {@code into} (at its position) without blocking and returns
     * its source, or returns null when none is waiting. A datagram larger than the space left is cut.
     */
    InetSocketAddress receive(ByteBuffer into) throws IOException;

    /**
     * Blocks for at most {@code timeoutNs} until a datagram may be waiting or {@link #wakeup()} is called.
     * Returns at once while a datagram is waiting (level-triggered, like a selector): the I/O loop waits here
     * straight after a pass that stopped receiving early (docs/THREADING.md).
     */
    void await(long timeoutNs) throws IOException;

    /** Makes a current or the next {@link #await} return at once. Thread-safe. */
    void wakeup();

    /**
     * Largest datagram (UDP payload bytes) that reaches {@code target} without IP fragmentation, as far as this
     * transport can tell: the messenger's datagram size when {@code maxDatagramSize} is left to the path. The
     * default, for transports that know no path, is {@value #UNKNOWN_PATH_DATAGRAM_SIZE}: one datagram in a
     * 1500-byte IPv4 Ethernet MTU.
     */
    default int pathDatagramSize(InetSocketAddress target) {
        return UNKNOWN_PATH_DATAGRAM_SIZE;
    }

    /** {@link #pathDatagramSize} of a path whose MTU is not known: 1500 - 20 (IPv4) - 8 (UDP). */
    int UNKNOWN_PATH_DATAGRAM_SIZE = 1472;

    /** Releases the socket. */
    @Override
    void close();
}
