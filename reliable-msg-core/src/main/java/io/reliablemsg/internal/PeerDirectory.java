package io.reliablemsg.internal;

import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerSetting;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The peers as the API sees them: by name, each with its send slot account, its addresses as given
 * and as resolved now, and which address belongs to whom. Every change is checked and made here
 * under one lock, and, once the messenger runs, queued in that order for the I/O loop, which applies
 * it ({@link Membership}); a change asked for through the API is refused here, with the reason,
 * before anything is queued. Lookups by name take no lock. A removed peer's counters are kept in
 * the messenger's totals. Thread-safe.
 */
final class PeerDirectory {
    /** A peer's addresses: as given (host names unresolved), as resolved now, and a count of the givings. */
    record Entry(Peer peer, List<InetSocketAddress> given, List<InetSocketAddress> addresses, long version) {
    }

    private final MessengerConfig config;
    private final SendSlots slots;
    private final ConcurrentHashMap<String, Peer> byName = new ConcurrentHashMap<>();
    private final Queue<Membership.Command> commands = new ConcurrentLinkedQueue<>();
    // guarded by this:
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<InetSocketAddress, String> owners = new HashMap<>();
    /** Removed peers whose counters may still move (a failure of theirs not reported yet). */
    private final List<Peer> leaving = new ArrayList<>();
    /** The counters of removed peers that no longer move. */
    private final PeerTotals gone = new PeerTotals();
    private long versions;
    private InetSocketAddress local;
    private Runnable wakeup;

    PeerDirectory(MessengerConfig config, SendSlots slots) {
        this.config = config;
        this.slots = slots;
    }

    /** The peer named {@code name}, or null. */
    Peer find(String name) {
        return byName.get(name);
    }

    /** The changes for the loop to apply, in order. */
    Queue<Membership.Command> commands() {
        return commands;
    }

    /**
     * Adds peer {@code name}, given as {@code given}, at {@code addresses} (resolved; empty while none of
     * its host names resolves); datagrams from it must carry {@code clientId} unless that is null.
     *
     * @throws InvalidSettingException when the name is taken or an address is another peer's or our own
     */
    synchronized Peer add(String name, Integer clientId, List<InetSocketAddress> given,
                          List<InetSocketAddress> addresses) {
        if (byName.containsKey(name)) {
            throw new InvalidSettingException(MessengerSetting.PEER, name, "is a peer already (use updatePeer to "
                    + "change its addresses)");
        }
        refuseTaken(name, addresses);
        Peer peer = Peer.configured(config, name, addresses, slots.open(), clientId, PeerAddresses.given(given));
        own(new Entry(peer, List.copyOf(given), List.copyOf(addresses), ++versions));
        byName.put(name, peer);
        queue(Membership.Kind.ADD, peer, addresses);
        return peer;
    }

    /**
     * Gives peer {@code name} the addresses {@code given}, resolved to {@code addresses}.
     *
     * @throws IllegalArgumentException for an unknown peer, or (an {@link InvalidSettingException}) an
     *                                  address that is another peer's or our own
     */
    synchronized void update(String name, List<InetSocketAddress> given, List<InetSocketAddress> addresses) {
        Entry entry = existing(name);
        refuseTaken(name, addresses);
        entry.peer().given = PeerAddresses.given(given);
        readdress(entry, new Entry(entry.peer(), List.copyOf(given), List.copyOf(addresses), ++versions));
    }

    /**
     * The host names of peer {@code name}, as given at {@code version}, now resolve to {@code fresh}: the
     * peer's addresses become those it keeps (in their order) and the new ones, unless the peer was given
     * other addresses since or removed. An address another peer has, or our own socket, is left out.
     * Returns what was left out.
     */
    synchronized List<InetSocketAddress> resolved(String name, long version, List<InetSocketAddress> fresh) {
        Entry entry = entries.get(name);
        if (entry == null || entry.version() != version) {
            return List.of();
        }
        List<InetSocketAddress> usable = new ArrayList<>();
        List<InetSocketAddress> refused = new ArrayList<>();
        for (InetSocketAddress address : fresh) {
            String owner = owners.get(address);
            boolean taken = owner != null && !owner.equals(name) || local != null && PeerAddresses.isOwn(address, local);
            (taken ? refused : usable).add(address);
        }
        List<InetSocketAddress> merged = PeerAddresses.merge(entry.addresses(), usable);
        if (!new HashSet<>(merged).equals(new HashSet<>(entry.addresses()))) {
            readdress(entry, new Entry(entry.peer(), entry.given(), List.copyOf(merged), version));
        }
        return refused;
    }

    /** The peers given by host name, as given now, for a round of resolution. */
    synchronized List<Entry> withHostNames() {
        List<Entry> named = new ArrayList<>();
        for (Entry entry : entries.values()) {
            if (PeerResolution.hasHostNames(entry.given())) {
                named.add(entry);
            }
        }
        return named;
    }

    /** Removes peer {@code name}; its pending messages fail with PEER_REMOVED. */
    synchronized Peer remove(String name) {
        Entry entry = existing(name);
        Peer peer = entry.peer();
        byName.remove(name);
        entries.remove(name);
        entry.addresses().forEach(owners::remove);
        slots.close(peer.account);
        leaving.add(peer);
        if (wakeup == null) {
            peer.uninstalled = true;
        } else {
            queue(Membership.Kind.REMOVE, peer, List.of());
        }
        return peer;
    }

    /**
     * The messenger starts on {@code local}: refuses a peer address that is our own socket, and returns
     * the peers to build the loop with; from now on changes are queued for the loop, which is woken up by
     * {@code wakeup}.
     */
    synchronized List<Peer> start(InetSocketAddress local, Runnable wakeup) {
        this.local = local;
        for (Entry entry : entries.values()) {
            refuseOwn(entry.peer().name, entry.addresses());
        }
        commands.clear(); // what was queued before start is in the peers as they are now
        this.wakeup = wakeup;
        return peers();
    }

    /** The peers now, in the order they were added. */
    synchronized List<Peer> peers() {
        List<Peer> peers = new ArrayList<>(entries.size());
        entries.values().forEach(e -> peers.add(e.peer()));
        return peers;
    }

    /** The peers now, by name, each with its addresses as given, in the order they were added. */
    synchronized Map<String, List<String>> view() {
        Map<String, List<String>> view = new LinkedHashMap<>();
        entries.forEach((name, entry) -> view.put(name, entry.peer().given));
        return view;
    }

    /** The counters of every removed peer, summed. */
    synchronized PeerTotals removedTotals() {
        leaving.removeIf(peer -> {
            if (peer.uninstalled && peer.account.held() == 0) { // nothing of it is left to report: final
                gone.add(peer.snapshot(0));
                return true;
            }
            return false;
        });
        PeerTotals totals = gone.copy();
        for (Peer peer : leaving) {
            totals.add(peer.snapshot(peer.account.held()));
        }
        return totals;
    }

    /** The peer names for a message: at most ten, and how many more. */
    String names() {
        List<String> names = new ArrayList<>(new TreeSet<>(byName.keySet()));
        return names.size() <= 10 ? names.toString() : names.subList(0, 10) + " and " + (names.size() - 10) + " more";
    }

    private Entry existing(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown peer '" + name + "'; peers now: " + names());
        }
        return entry;
    }

    private void readdress(Entry before, Entry after) {
        before.addresses().forEach(owners::remove);
        own(after);
        if (wakeup == null) {
            after.peer().paths.readdress(after.addresses()); // not started: no loop owns the peer yet
        } else {
            queue(Membership.Kind.READDRESS, after.peer(), after.addresses());
        }
    }

    private void own(Entry entry) {
        entries.put(entry.peer().name, entry);
        entry.addresses().forEach(a -> owners.put(a, entry.peer().name));
    }

    private void queue(Membership.Kind kind, Peer peer, List<InetSocketAddress> addresses) {
        if (wakeup != null) {
            commands.add(new Membership.Command(kind, peer, List.copyOf(addresses)));
            wakeup.run();
        }
    }

    private void refuseTaken(String name, List<InetSocketAddress> addresses) {
        for (InetSocketAddress address : addresses) {
            String other = owners.get(address);
            if (other != null && !other.equals(name)) {
                throw new InvalidSettingException(MessengerSetting.PEER, name, "has address " + address
                        + ", which peer '" + other + "' has too");
            }
        }
        if (local != null) {
            refuseOwn(name, addresses);
        }
    }

    private void refuseOwn(String name, List<InetSocketAddress> addresses) {
        for (InetSocketAddress address : addresses) {
            if (PeerAddresses.isOwn(address, local)) {
                throw new InvalidSettingException(MessengerSetting.PEER, name, "has address " + address
                        + ", which is this node's own socket (" + local + ")");
            }
        }
    }
}
