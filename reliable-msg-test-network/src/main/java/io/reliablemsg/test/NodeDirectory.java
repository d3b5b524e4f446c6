package io.reliablemsg.test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The names of a {@link TestNetwork}'s nodes and the addresses and client ids it hands out. A name
 * stands for every address any node's configuration gives it (a peer {@code bob} at
 * {@code 127.0.0.1:7002} in one messenger's {@code peers}) and for the address the network assigned
 * it. Thread-safe.
 */
final class NodeDirectory {
    /** First port the network hands out: the start of the dynamic range (RFC 6335). */
    static final int FIRST_PORT = 49152;
    /** The loopback address without a host name (printed {@code /127.0.0.1}, as a socket's address is). */
    static final InetAddress LOOPBACK = withoutHostName(InetAddress.getLoopbackAddress());

    private final Map<String, Set<InetSocketAddress>> addressesByName = new LinkedHashMap<>();
    private final Map<String, Integer> clientIdsByName = new LinkedHashMap<>();
    private final Set<Integer> clientIdsInUse = new HashSet<>();
    private int nextPort = FIRST_PORT;
    private int nextClientId = 1;

    /** Records that {@code name} is at {@code address} (in addition to any address it had). */
    synchronized void register(String name, InetSocketAddress address) {
        addressesByName.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(address);
    }

    /** The addresses of {@code name}, or an empty list when it has none. */
    synchronized List<InetSocketAddress> addresses(String name) {
        return List.copyOf(addressesByName.getOrDefault(name, Set.of()));
    }

    /** Every name known, in the order they became known. */
    synchronized List<String> names() {
        return new ArrayList<>(addressesByName.keySet());
    }

    /**
     * The one address of {@code name}; when it has none yet, a new one on the loopback address, at a
     * port that neither {@code bound} nor any known name uses.
     */
    synchronized InetSocketAddress addressOf(String name, Predicate<InetSocketAddress> bound) {
        Set<InetSocketAddress> known = addressesByName.get(name);
        if (known != null && known.size() > 1) {
            throw new IllegalStateException("node '" + name + "' has several addresses " + known + " (a peer with "
                    + "several paths): a test network node binds one address; give it one with node(name).at(address)");
        }
        if (known != null && !known.isEmpty()) {
            return known.iterator().next();
        }
        InetSocketAddress assigned = freeAddress(LOOPBACK, bound);
        register(name, assigned);
        return assigned;
    }

    /** An address on {@code host} at a port that neither {@code bound} nor any known name uses. */
    synchronized InetSocketAddress freeAddress(InetAddress host, Predicate<InetSocketAddress> bound) {
        Set<InetSocketAddress> named = new HashSet<>();
        addressesByName.values().forEach(named::addAll);
        for (int tries = 0; tries < 65536; tries++) {
            InetSocketAddress candidate = new InetSocketAddress(host, nextPort);
            nextPort = nextPort == 65535 ? FIRST_PORT : nextPort + 1;
            if (!named.contains(candidate) && !bound.test(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port left on " + host + " in this test network");
    }

    private static InetAddress withoutHostName(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the loopback address has no valid length", e);
        }
    }

    /** Records that a messenger uses {@code clientId}, so that the network hands it to no other node. */
    synchronized void clientIdInUse(int clientId) {
        clientIdsInUse.add(clientId);
    }

    /** The client id of the node {@code name}: the same for every messenger of that name, none in use when assigned. */
    synchronized int clientIdOf(String name) {
        Integer known = clientIdsByName.get(name);
        if (known != null) {
            return known;
        }
        while (clientIdsInUse.contains(nextClientId)) {
            nextClientId++;
        }
        int assigned = nextClientId++;
        clientIdsInUse.add(assigned);
        clientIdsByName.put(name, assigned);
        return assigned;
    }
}
