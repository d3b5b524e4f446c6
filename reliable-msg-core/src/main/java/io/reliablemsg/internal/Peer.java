package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PeerStats;
import io.reliablemsg.receive.SenderIncarnations;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the messenger knows of one peer, in one part per protocol role: its paths (each with
 * its outbound writer),
 * sender state, receiver state, liveness, capabilities, plus what admission counts. Each role is handed only its
 * own part.
 */
final class Peer {
    /** Peer name ("host:port" for an unknown source). */
    final String name;
    /** The first (primary) address. */
    final InetSocketAddress address;
    /** Index on the retransmit chain, or -1 for a source we never send messages to. */
    final int index;
    /** Client id this peer's datagrams must carry, or null when any is accepted. */
    final Integer expectedClientId;
    /** One path per address, each with its outbound writer. */
    final PeerPaths paths;
    final PeerLiveness liveness;
    final PeerSendState send;
    final PeerReceiveState receive;
    final PeerCapabilities capabilities;
    final AtomicLong malformedDropped = new AtomicLong();
    final AtomicLong authenticationFailures = new AtomicLong();
    /** Admission's record of the client id this peer's datagrams carry (I/O loop only). */
    int seenClientId;
    boolean clientIdSeen;
    /** Whether another configured peer's datagrams carried {@link #seenClientId} first. */
    boolean clientIdShared;

    private Peer(MessengerConfig config, String name, List<InetSocketAddress> addresses, int index) {
        this.name = name;
        this.address = addresses.get(0);
        this.index = index;
        this.expectedClientId = config.peerClientIds().get(name);
        this.paths = new PeerPaths(name, index, addresses, config.maxDatagramSize());
        this.liveness = new PeerLiveness(name, paths);
        this.capabilities = new PeerCapabilities(name, paths, index >= 0);
        this.send = new PeerSendState(name, index, paths, liveness, capabilities);
        // A window may be reused for another incarnation once quiet for two intervals plus the skew
        // allowance: no retransmission of its sender can still be in flight (docs/PROTOCOL.md, gap 6).
        long quietNs = 2 * config.interval().toNanos() + config.clockSkewAllowance().toNanos();
        this.receive = new PeerReceiveState(name, new SenderIncarnations(
                config.maxSenderIncarnationsPerPeer(), config.duplicateWindow(),
                config.duplicateHoldTime().toNanos(), quietNs));
    }

    /** A configured peer at its resolved {@code addresses} (one path each), at chain index {@code index}. */
    static Peer configured(MessengerConfig config, String name, List<InetSocketAddress> addresses, int index) {
        return new Peer(config, name, addresses, index);
    }

    /** An unknown source accepted at {@code address}: we receive from it and ack, never send to it. */
    static Peer unknownSource(MessengerConfig config, InetSocketAddress address) {
        return new Peer(config, address.getHostString() + ":" + address.getPort(), List.of(address), -1);
    }

    /** A snapshot of this peer's counters, with {@code pending} messages held for it now. */
    PeerStats snapshot(int pending) {
        PeerStats.Builder stats = PeerStats.builder(name, address.getHostString() + ":" + address.getPort())
                .pending(pending).malformedDropped(malformedDropped.get())
                .authenticationFailures(authenticationFailures.get()).paths(paths.snapshot());
        send.addTo(stats);
        receive.addTo(stats);
        liveness.addTo(stats);
        capabilities.addTo(stats);
        return stats.build();
    }
}
