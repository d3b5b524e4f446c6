package io.reliablemsg.internal;

import io.reliablemsg.PeerChange;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Applies the changes of the peer set on the I/O loop, in the order the {@link PeerDirectory} queued
 * them, between the loop's other work, so that no role ever sees a peer half added: a peer added is
 * installed in the peer table and the sender and handed to the timers; a peer removed has every
 * message of it on the chain failed with {@code PEER_REMOVED} and is taken out of every role (its
 * duplicate windows kept for the hold time, in case it comes back); a peer whose addresses changed
 * keeps its counters, duplicate windows, liveness and negotiation, and what was in flight to an
 * address it no longer has goes to the new one at once. Each change is logged and told to the peer
 * listener. Not thread-safe but for {@link #pending()}: I/O loop only.
 */
final class Membership {
    private static final Logger LOG = System.getLogger(Membership.class.getName());

    /** What a change does. */
    enum Kind { ADD, READDRESS, REMOVE }

    /** One change: {@code addresses} are the peer's resolved addresses from now on (ADD, READDRESS). */
    record Command(Kind kind, Peer peer, List<InetSocketAddress> addresses) {
    }

    private final Queue<Command> commands;
    private final PeerTable table;
    private final Sender sender;
    private final Paths paths;
    private final Liveness liveness;
    private final Capabilities capabilities;
    private final Admission admission;
    private final PeerEvents events;

    Membership(Queue<Command> commands, PeerTable table, Sender sender, Paths paths, Liveness liveness,
               Capabilities capabilities, Admission admission, PeerEvents events) {
        this.commands = commands;
        this.table = table;
        this.sender = sender;
        this.paths = paths;
        this.liveness = liveness;
        this.capabilities = capabilities;
        this.admission = admission;
        this.events = events;
    }

    /** Whether a change waits to be applied. Thread-safe. */
    boolean pending() {
        return !commands.isEmpty();
    }

    /** Applies every change queued; returns whether there was one. */
    boolean apply(long nowNs, long nowMillis) {
        Command c = commands.poll();
        if (c == null) {
            return false;
        }
        do {
            switch (c.kind()) {
                case ADD -> add(c.peer());
                case READDRESS -> readdress(c.peer(), c.addresses(), nowNs, nowMillis);
                case REMOVE -> remove(c.peer());
            }
        } while ((c = commands.poll()) != null);
        List<Peer> now = table.configured();
        paths.peers(now.stream().map(p -> p.paths).toArray(PeerPaths[]::new));
        liveness.peers(now.stream().map(p -> p.liveness).toArray(PeerLiveness[]::new));
        capabilities.peers(now.stream().map(p -> p.capabilities).toArray(PeerCapabilities[]::new));
        return true;
    }

    private void add(Peer peer) {
        table.install(peer);
        sender.install(peer.send);
        tell(peer, PeerChange.Kind.ADDED, "added at");
    }

    private void readdress(Peer peer, List<InetSocketAddress> addresses, long nowNs, long nowMillis) {
        PeerPath[] before = peer.paths.paths;
        int[] moved = peer.paths.readdress(addresses);
        table.readdressed(peer, before);
        sender.failover().readdressed(peer.send, moved, nowNs, nowMillis);
        tell(peer, PeerChange.Kind.CHANGED, "now at");
    }

    private void remove(Peer peer) {
        sender.remove(peer.send);
        table.uninstall(peer);
        admission.forget(peer);
        peer.uninstalled = true; // after its messages failed: its counters settle once their slots are free
        tell(peer, PeerChange.Kind.REMOVED, "removed; was at");
    }

    private void tell(Peer peer, PeerChange.Kind kind, String what) {
        List<String> addresses = new ArrayList<>();
        for (PeerPath path : peer.paths.paths) {
            addresses.add(path.outbox.address.getHostString() + ":" + path.outbox.address.getPort());
        }
        LOG.log(Level.INFO, "peer " + peer.name + " " + what + " " + (addresses.isEmpty()
                ? "no address (" + String.join(",", peer.given) + " unresolved)" : String.join(",", addresses)));
        events.peerChanged(new PeerChange(peer.name, kind, kind == PeerChange.Kind.REMOVED ? List.of() : addresses));
    }
}
