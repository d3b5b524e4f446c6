package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The peers known now, by address: the configured ones (in configuration order, which is their
 * chain index) and the unknown sources accepted so far (only with {@code acceptUnknownPeers}, at most
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
            byAddress.put(p.address, p);
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
}
