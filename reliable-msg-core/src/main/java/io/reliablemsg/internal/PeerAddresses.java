package io.reliablemsg.internal;

import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/** A peer's addresses as given (host:port) and as resolved. */
final class PeerAddresses {
    private PeerAddresses() {
    }

    /** {@code addresses} written as given: host:port, [IPv6]:port. */
    static List<String> given(List<InetSocketAddress> addresses) {
        List<String> given = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            given.add(format(a));
        }
        return given;
    }

    /** {@code address} written host:port ([IPv6]:port), as given or resolved. */
    static String format(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * The addresses of a peer that had {@code before} and whose names now resolve to {@code fresh}: those it
     * keeps in the order it had them (the first stays the first path while it remains: DNS servers that
     * rotate their answers do not move the traffic), then the new ones in the order resolved.
     */
    static List<InetSocketAddress> merge(List<InetSocketAddress> before, List<InetSocketAddress> fresh) {
        List<InetSocketAddress> merged = new ArrayList<>();
        for (InetSocketAddress a : before) {
            if (fresh.contains(a)) {
                merged.add(a);
            }
        }
        for (InetSocketAddress a : fresh) {
            if (!merged.contains(a)) {
                merged.add(a);
            }
        }
        return merged;
    }

    /**
     * A peer address that is this node's own socket {@code local} would make the node talk to itself. Own
     * means our port on our bound address, or, bound to every address, on any address of this host.
     */
    static boolean isOwn(InetSocketAddress address, InetSocketAddress local) {
        return address.equals(local) || address.getPort() == local.getPort() && isThisHost(address, local);
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
}
