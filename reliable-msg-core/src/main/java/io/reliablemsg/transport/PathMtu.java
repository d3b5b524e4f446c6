package io.reliablemsg.transport;

import io.reliablemsg.wire.WireFormat;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * The largest UDP payload that leaves for an address without IP fragmentation, from the MTU of the interface
 * the route to it takes (docs/PROTOCOL.md, "Datagram size"). Java 17 reads neither the route's MTU
 * ({@code IP_MTU}) nor sets the don't-fragment bit, so the route is found by connecting a throwaway UDP
 * socket (which sends nothing: the kernel only picks the route and the source address) and the MTU is
 * {@link NetworkInterface#getMTU()} of the interface holding that source address. A path MTU smaller than the
 * first hop's (a tunnel further on) is not seen: set {@code maxDatagramSize} for it.
 */
public final class PathMtu {
    /** IPv4 header (no options) plus UDP header. */
    private static final int IPV4_OVERHEAD = 28;
    /** IPv6 header (no extension headers) plus UDP header. */
    private static final int IPV6_OVERHEAD = 48;

    private PathMtu() {
    }

    /**
     * The datagram size for {@code target}: its route's interface MTU less the IP and UDP headers, at most
     * 65,507; 1472 (IPv4) or 1452 (IPv6) when the interface or its MTU cannot be found, and 1472 for a null or
     * unresolved target.
     */
    public static int datagramSize(InetSocketAddress target) {
        if (target == null || target.isUnresolved()) {
            return Transport.UNKNOWN_PATH_DATAGRAM_SIZE;
        }
        InetAddress address = target.getAddress();
        int overhead = address instanceof Inet6Address ? IPV6_OVERHEAD : IPV4_OVERHEAD;
        int mtu = interfaceMtu(address);
        if (mtu <= overhead) {
            return 1500 - overhead;
        }
        return Math.min(WireFormat.MAX_UDP_PAYLOAD, mtu - overhead);
    }

    /** MTU of the interface the route to {@code address} takes, or -1 when it cannot be found. */
    static int interfaceMtu(InetAddress address) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(address, 9); // picks the route; nothing is sent
            InetAddress source = probe.getLocalAddress();
            if (source == null || source.isAnyLocalAddress()) {
                return -1;
            }
            NetworkInterface nif = NetworkInterface.getByInetAddress(source);
            return nif == null ? -1 : nif.getMTU();
        } catch (IOException | RuntimeException e) {
            return -1; // no route, no permission, a platform without the information: the default
        }
    }
}
