package io.reliablemsg.internal;

import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerSetting;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The peers known now, by address (every address of a peer leads to it): the configured ones (in
 * configuration order, which is their chain index) and the unknown sources accepted so far (only with {@code acceptUnknownPeers}, at most
 * {@code maxUnknownPeers}). Lookups and admissions on the I/O loop; the lists readable from any thread.
 */
final class PeerTable {
    private final MessengerConfig config;
    private final List<Peer> configured;
    private final Map<InetSocketAddress, Peer> byAddress = new HashMap<>();
    private final List<Peer> unknown = new CopyOnWriteArrayList<>();

    PeerTable(MessengerConfig config, List<Peer> configured) {
        this.config = config;
        this.configured = List.copyOf(configured);
        for (Peer p : configured) {
            for (PeerPath path : p.paths.paths) {
                Peer other = byAddress.putIfAbsent(path.outbox.address, p);
                if (other != null) {
                    throw new InvalidSettingException(MessengerSetting.PEER, p.name, "has address "
                            + path.outbox.address + ", which peer '" + other.name + "' has too");
                }
            }
        }
    }

    /** The peer at {@code source}, or null when none is known there. */
    Peer find(InetSocketAddress source) {
        return byAddress.get(source);
    }

    /** Accepts {@code source} as a new unknown peer, or returns null when that is not allowed or the table is full. */
    Peer admitUnknown(InetSocketAddress source) {
        if (!config.acceptUnknownPeers() || unknown.size() >= config.maxUnknownPeers()) {
            return null;
        }
        Peer peer = Peer.unknownSource(config, source);
        byAddress.put(source, peer);
        unknown.add(peer);
        return peer;
    }

    /** The configured peers, by chain index. */
    List<Peer> configured() {
        return configured;
    }

    /** Unknown sources accepted so far (safe to read from any thread). */
    List<Peer> unknown() {
        return unknown;
    }

    /** Peers known now, configured and unknown sources (I/O loop or single-threaded use). */
    int size() {
        return byAddress.size();
    }

    /** Every peer known now (I/O loop or single-threaded use). */
    Iterable<Peer> all() {
        return byAddress.values();
    }

    /**
     * A peer address that is this node's own socket would make the node talk to itself: refused, naming
     * the peer. Own means our port on our bound address, or, bound to every address, on any address of
     * this host.
     */
    void refuseOwnAddresses(InetSocketAddress local) {
        for (Peer p : configured) {
            for (PeerPath path : p.paths.paths) {
                InetSocketAddress address = path.outbox.address;
                if (address.equals(local) || address.getPort() == local.getPort() && isThisHost(address, local)) {
                    throw new InvalidSettingException(MessengerSetting.PEER, p.name, "has address " + address
                            + ", which is this node's own socket (" + local + ")");
                }
            }
        }
    }

    private static boolean isThisHost(InetSocketAddress address, InetSocketAddress local) {
        if (address.getAddress() == null || local.getAddress() == null) {
            return false;
        }
        if (!local.getAddress().isAnyLocalAddress()) {
            return address.getAddress().equals(local.getAddress());
        }
        try {
            return address.getAddress().isAnyLocalAddress() || address.getAddress().isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address.getAddress()) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    /** {@code address} of peer {@code name} resolved; an unresolvable host is an {@link InvalidSettingException}. */
    static InetSocketAddress resolve(String name, InetSocketAddress address) {
        InetSocketAddress resolved = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        if (resolved.isUnresolved()) {
            throw new InvalidSettingException(MessengerSetting.PEER, name, "host '" + address.getHostString()
                    + "' cannot be resolved");
        }
        return resolved;
    }
}
