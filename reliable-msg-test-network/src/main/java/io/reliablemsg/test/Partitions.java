package io.reliablemsg.test;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which datagrams a partition drops, by address: links cut one way, addresses that hear nothing
 * (incoming cut) and addresses whose datagrams reach no one (outgoing cut). Thread-safe; a change
 * applies to the next datagram sent.
 */
final class Partitions {
    private final Set<Link> cutLinks = ConcurrentHashMap.newKeySet();
    private final Set<InetSocketAddress> deaf = ConcurrentHashMap.newKeySet();
    private final Set<InetSocketAddress> mute = ConcurrentHashMap.newKeySet();

    /** Whether a datagram from {@code from} to {@code to} is dropped now. */
    boolean cuts(InetSocketAddress from, InetSocketAddress to) {
        return mute.contains(from) || deaf.contains(to) || !cutLinks.isEmpty() && cutLinks.contains(new Link(from, to));
    }

    void cut(InetSocketAddress from, InetSocketAddress to) {
        cutLinks.add(new Link(from, to));
    }

    void heal(InetSocketAddress from, InetSocketAddress to) {
        cutLinks.remove(new Link(from, to));
    }

    void cutIncoming(InetSocketAddress address) {
        deaf.add(address);
    }

    void cutOutgoing(InetSocketAddress address) {
        mute.add(address);
    }

    /** Ends every cut that involves {@code address}: its own incoming and outgoing cuts and its links. */
    void heal(InetSocketAddress address) {
        deaf.remove(address);
        mute.remove(address);
        cutLinks.removeIf(link -> link.from().equals(address) || link.to().equals(address));
    }

    void healAll() {
        cutLinks.clear();
        deaf.clear();
        mute.clear();
    }
}
