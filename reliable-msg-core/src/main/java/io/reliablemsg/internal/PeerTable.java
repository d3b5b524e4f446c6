package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.receive.SenderIncarnations;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The peers the loop knows now, by address (every address of a peer leads to it): the configured
 * ones, added and removed at runtime, and the unknown sources accepted so far (only with
 * {@code acceptUnknownPeers}, at most {@code maxUnknownPeers}). A removed peer's duplicate windows
 * are kept by name until they expire, for the peer added again under that name. I/O loop only, but
 * the list of unknown sources, which any thread may read.
 */
final class PeerTable {
    private final MessengerConfig config;
    private final List<Peer> configured = new ArrayList<>();
    private final Map<InetSocketAddress, Peer> byAddress = new HashMap<>();
    private final List<Peer> unknown = new CopyOnWriteArrayList<>();
    private final Map<String, SenderIncarnations> removedWindows = new HashMap<>();

    PeerTable(MessengerConfig config, List<Peer> configured) {
        this.config = config;
        configured.forEach(this::install);
    }

    /**
     * Takes in {@code peer}: its addresses lead to it from now on (an unknown source accepted at one of
     * them is forgotten), and it gets back the windows it had if it was removed a moment ago.
     */
    void install(Peer peer) {
        configured.add(peer);
        for (PeerPath path : peer.paths.paths) {
            route(path.outbox.address, peer);
        }
        SenderIncarnations windows = removedWindows.remove(peer.name);
        if (windows != null) {
            peer.receive.incarnations = windows;
        }
    }

    /** Takes {@code peer} out: datagrams from its addresses are an unknown source's from now on. */
    void uninstall(Peer peer) {
        configured.remove(peer);
        for (PeerPath path : peer.paths.paths) {
            byAddress.remove(path.outbox.address, peer);
        }
        removedWindows.put(peer.name, peer.receive.incarnations);
    }

    /** {@code peer}'s addresses changed from {@code before} to what its paths hold now. */
    void readdressed(Peer peer, PeerPath[] before) {
        for (PeerPath path : before) {
            byAddress.remove(path.outbox.address, peer);
        }
        for (PeerPath path : peer.paths.paths) {
            route(path.outbox.address, peer);
        }
    }

    private void route(InetSocketAddress address, Peer peer) {
        Peer previous = byAddress.put(address, peer);
        if (previous != null && previous != peer && previous.index < 0) {
            unknown.remove(previous);
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

    /** The configured peers now, in the order they came. */
    List<Peer> configured() {
        return configured;
    }

    /** Unknown sources accepted so far (safe to read from any thread). */
    List<Peer> unknown() {
        return unknown;
    }

    /** Peers known now, configured and unknown sources. */
    int size() {
        int n = unknown.size();
        return n + configured.size();
    }

    /** Every peer known now, configured and unknown sources. */
    Iterable<Peer> all() {
        List<Peer> all = new ArrayList<>(configured);
        all.addAll(unknown);
        return all;
    }

    /** Forgets, for the peers known now and the ones removed, duplicate windows idle beyond the hold time. */
    void expireWindows(long nowNs) {
        for (Peer peer : configured) {
            peer.receive.incarnations.expire(nowNs);
        }
        for (Peer peer : unknown) {
            peer.receive.incarnations.expire(nowNs);
        }
        for (Iterator<SenderIncarnations> it = removedWindows.values().iterator(); it.hasNext(); ) {
            SenderIncarnations windows = it.next();
            windows.expire(nowNs);
            if (windows.size() == 0) {
                it.remove();
            }
        }
    }

    /** Duplicate windows held now, by peers known and removed. */
    int windows() {
        int n = 0;
        for (Peer p : all()) {
            n += p.receive.incarnations.size();
        }
        for (SenderIncarnations windows : removedWindows.values()) {
            n += windows.size();
        }
        return n;
    }
}
