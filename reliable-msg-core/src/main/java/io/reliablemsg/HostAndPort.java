package io.reliablemsg;

import java.net.InetSocketAddress;

/** Reads a peer address written {@code host:port}, or {@code [address]:port} for IPv6. */
final class HostAndPort {
    private HostAndPort() {
    }

    /** Parses {@code host:port} or {@code [ipv6]:port}; the exception's message is the reason it is not one. */
    static InetSocketAddress parse(String hostAndPort) {
        String usage = "must be host:port but was '" + hostAndPort + "'";
        if (hostAndPort == null) {
            throw new IllegalArgumentException(usage);
        }
        String text = hostAndPort.trim();
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(usage);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException(usage + " (write IPv6 addresses as [addr]:port)");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage);
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException(usage + " (port must be in [1, 65535])");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
