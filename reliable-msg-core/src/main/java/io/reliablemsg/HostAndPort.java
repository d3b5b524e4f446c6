package io.reliablemsg;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Reads a peer address written {@code host:port}, or {@code [address]:port} for IPv6. */
final class HostAndPort {
    private HostAndPort() {
    }

    /**
     * Parses the addresses of peer {@code name}, each {@code host:port} ({@code [v6]:port}), or strings of
     * comma-separated ones, in order: at least one, at most {@link MessengerConfig#MAX_PATHS_PER_PEER},
     * none empty, none twice. Host names stay unresolved.
     *
     * @throws InvalidSettingException naming {@link MessengerSetting#PEER} and the peer
     */
    static List<InetSocketAddress> parseAll(String name, String... addresses) {
        require(name != null && !name.isBlank(), name, "must have a name that is not blank");
        if (addresses == null || addresses.length == 0) {
            throw new InvalidSettingException(MessengerSetting.PEER, name, "must have at least one address");
        }
        List<String> elements = new ArrayList<>();
        for (String address : addresses) {
            require(address != null, name, "must not have an empty address");
            for (String element : address.split(",", -1)) {
                elements.add(element.trim());
            }
        }
        require(elements.size() <= MessengerConfig.MAX_PATHS_PER_PEER, name, "must have at most "
                + MessengerConfig.MAX_PATHS_PER_PEER + " addresses but has " + elements.size());
        List<InetSocketAddress> parsed = new ArrayList<>();
        for (String element : elements) {
            require(!element.isEmpty(), name, "must not have an empty address (in " + String.join(",", elements) + ")");
            InetSocketAddress address;
            try {
                address = parse(element);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(MessengerSetting.PEER, name, e.getMessage());
            }
            require(!parsed.contains(address), name, "must not list address " + element + " twice");
            parsed.add(address);
        }
        return List.copyOf(parsed);
    }

    private static void require(boolean condition, String name, String reason) {
        if (!condition) {
            throw new InvalidSettingException(MessengerSetting.PEER, name, reason);
        }
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
