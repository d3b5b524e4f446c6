package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PeerStats;
import io.reliablemsg.receive.SenderIncarnations;
import io.reliablemsg.wire.WireFormat;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the messenger knows of one peer, in one part per protocol role: its paths (each with
 * its outbound writer),
 * sender state, receiver state, liveness, capabilities, plus what admission counts. Each role is handed only its
 * own part. Created by the thread that adds the peer, then owned by the I/O loop; counters and
 * {@link #given} read by any thread.
 */
final class Peer {
    /** Peer name ("host:port" for an unknown source). */
    final String name;
    /** Index on the retransmit chain, or -1 for a source we never send messages to. */
    final int index;
    /** The peer's send slots (null for an unknown source). */
    final SendSlots.Account account;
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
    /** The addresses as given ({@code host:port}, host names unresolved), for the peer view and stats. */
    volatile List<String> given;
    /** Set by the loop once it has taken the peer out (after {@code removePeer}). */
    volatile boolean uninstalled;
    /** Admission's record of the client id this peer's datagrams carry (I/O loop only). */
    int seenClientId;
    boolean clientIdSeen;
    /** Whether another configured peer's datagrams carried {@link #seenClientId} first. */
    boolean clientIdShared;

    private Peer(MessengerConfig config, String name, List<InetSocketAddress> addresses, SendSlots.Account account,
                 Integer expectedClientId, List<String> given) {
        this.name = name;
        this.index = account == null ? -1 : account.index();
        this.account = account;
        this.expectedClientId = expectedClientId;
        this.given = List.copyOf(given);
        // writers are sized by the bundle (Outbound); the datagram size may still be the path's, resolved at start
        this.paths = new PeerPaths(name, index, addresses, config.maxDatagramSize() == 0
                ? WireFormat.MAX_UDP_PAYLOAD : config.maxDatagramSize());
        this.liveness = new PeerLiveness(name, paths);
        this.capabilities = new PeerCapabilities(name, paths, index >= 0);
        this.send = new PeerSendState(name, index, paths, liveness, capabilities);
        this.receive = new PeerReceiveState(name, newIncarnations(config));
    }

    /**
     * Duplicate windows for one peer. A window may be reused for another incarnation once quiet for two
     * intervals plus the skew allowance: no retransmission of its sender can still be in flight
     * (docs/PROTOCOL.md, gap 6).
     */
    static SenderIncarnations newIncarnations(MessengerConfig config) {
        long quietNs = 2 * config.interval().toNanos() + config.clockSkewAllowance().toNanos();
        return new SenderIncarnations(config.maxSenderIncarnationsPerPeer(), config.duplicateWindow(),
                config.duplicateHoldTime().toNanos(), quietNs);
    }

    /**
     * A configured peer at its resolved {@code addresses} (one path each; none while its host names do
     * not resolve), with the send slots {@code account}, whose index is its chain index.
     */
    static Peer configured(MessengerConfig config, String name, List<InetSocketAddress> addresses,
                           SendSlots.Account account, Integer expectedClientId, List<String> given) {
        return new Peer(config, name, addresses, account, expectedClientId, given);
    }

    /** An unknown source accepted at {@code address}: we receive from it and ack, never send to it. */
    static Peer unknownSource(MessengerConfig config, InetSocketAddress address) {
        String name = address.getHostString() + ":" + address.getPort();
        return new Peer(config, name, List.of(address), null, null, List.of(name));
    }

    /** The first address as host:port, or the first address given while none resolved. */
    String address() {
        PeerPath[] now = paths.paths;
        if (now.length == 0) {
            return given.isEmpty() ? "" : given.get(0);
        }
        InetSocketAddress first = now[0].outbox.address;
        return first.getHostString() + ":" + first.getPort();
    }

    /** A snapshot of this peer's counters, with {@code pending} messages held for it now. */
    PeerStats snapshot(int pending) {
        PeerStats.Builder stats = PeerStats.builder(name, address())
                .pending(pending).malformedDropped(malformedDropped.get())
                .authenticationFailures(authenticationFailures.get()).paths(paths.snapshot())
                .unresolved(paths.paths.length == 0);
        send.addTo(stats);
        receive.addTo(stats);
        liveness.addTo(stats);
        capabilities.addTo(stats);
        return stats.build();
    }

    /** {@code name=address1,address2} for the start-up log line. */
    String describe() {
        StringBuilder b = new StringBuilder(name).append('=');
        for (PeerPath path : paths.paths) {
            b.append(path.index == 0 ? "" : ",").append(path.outbox.address);
        }
        return b.toString();
    }
}
