package io.reliablemsg;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Finds the addresses of a peer's host name: each becomes one of the peer's paths, in the order
 * returned. The messenger asks when a peer is added and again every
 * {@link MessengerConfig#peerResolutionInterval()}, on a daemon thread of its own (at start and in
 * {@link ReliableMessenger#addPeer}, on the calling thread), never on the I/O loop; literal IP addresses
 * are never looked up. Must be thread-safe. A name without addresses leaves the peer unresolved
 * ({@link PeerStats#unresolved()}) until it has some.
 */
@FunctionalInterface
public interface PeerResolver {
    /**
     * The system resolver: {@link InetAddress#getAllByName}, which answers from the JVM's own cache for
     * {@code networkaddress.cache.ttl} seconds (30 by default) and remembers a failure for
     * {@code networkaddress.cache.negative.ttl} (10).
     */
    PeerResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /**
     * The addresses of {@code host}, in preference order.
     *
     * @throws UnknownHostException when it has none (an empty list means the same)
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
