package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PeerStats;
import io.reliablemsg.receive.SenderIncarnations;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the messenger knows of one peer, in one part per protocol role: outbound writer,
 * sender state, receiver state, liveness, capabilities, plus what admission counts. Each role is handed only its
 * own part.
 */
final class Peer {
    /** Peer name ("host:port" for an unknown source). */
    final String name;
    final InetSocketAddress address;
    /** Index on the retransmit chain, or -1 for a source we never send messages to. */
    final int index;
    /** Client id this peer's datagrams must carry, or null when any is accepted. */
    final Integer expectedClientId;
    final PeerOutbox outbox;
    final PeerLiveness liveness;
    final PeerSendState send;
    final PeerReceiveState receive;
    final PeerCapabilities capabilities;
    final AtomicLong malformedDropped = new AtomicLong();
    final AtomicLong authenticationFailures = new AtomicLong();

    private Peer(MessengerConfig config, String name, InetSocketAddress address, int index) {
        this.name = name;
        this.address = address;
        this.index = index;
        this.expectedClientId = config.peerClientIds().get(name);
        this.outbox = new PeerOutbox(address, config.maxDatagramSize());
        this.liveness = new PeerLiveness(name, outbox);
        this.send = new PeerSendState(name, index, outbox, liveness);
        this.capabilities = new PeerCapabilities(name, outbox, index >= 0);
        // A window may be reused for another incarnation once quiet for two intervals plus the skew
        // allowance: no retransmission of its sender can still be in flight (docs/PROTOCOL.md, gap 6).
        long quietNs = 2 * config.interval().toNanos() + config.clockSkewAllowance().toNanos();
        this.receive = new PeerReceiveState(name, outbox, new SenderIncarnations(
                config.maxSenderIncarnationsPerPeer(), config.duplicateWindow(),
                config.duplicateHoldTime().toNanos(), quietNs));
    }

    /** A configured peer at chain index {@code index}. */
    static Peer configured(MessengerConfig config, String name, InetSocketAddress address, int index) {
        return new Peer(config, name, address, index);
    }

    /** An unknown source accepted at {@code address}: we receive from it and ack, never send to it. */
    static Peer unknownSource(MessengerConfig config, InetSocketAddress address) {
        return new Peer(config, address.getHostString() + ":" + address.getPort(), address, -1);
    }

    /** A snapshot of this peer's counters, with {@code pending} messages held for it now. */
    PeerStats snapshot(int pending) {
        PeerStats.Builder stats = PeerStats.builder(name, address.getHostString() + ":" + address.getPort())
                .pending(pending).malformedDropped(malformedDropped.get())
                .authenticationFailures(authenticationFailures.get());
        send.addTo(stats);
        receive.addTo(stats);
        liveness.addTo(stats);
        capabilities.addTo(stats);
        return stats.build();
    }
}
