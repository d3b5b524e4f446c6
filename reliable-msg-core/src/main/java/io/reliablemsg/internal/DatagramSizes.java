package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.transport.Transport;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The datagram size rule (docs/PROTOCOL.md, "Datagram size"): with {@code maxDatagramSize} left at 0, the
 * messenger's datagrams are at most the smallest {@link Transport#pathDatagramSize} over the addresses of its
 * peers at start (the interface MTU less the IP and UDP headers for UDP; 1472 for a path the transport cannot
 * tell), or the transport's size for no address when there is no peer yet. Bundles and fragments follow it.
 */
final class DatagramSizes {
    private static final Logger LOG = System.getLogger(DatagramSizes.class.getName());

    private DatagramSizes() {
    }

    /** {@code config} with its datagram size resolved for {@code peers} over {@code transport}. */
    static MessengerConfig resolve(MessengerConfig config, Transport transport, List<Peer> peers) {
        if (config.maxDatagramSize() != 0) {
            return config;
        }
        int smallest = Integer.MAX_VALUE;
        for (Peer peer : peers) {
            for (PeerPath path : peer.paths.paths) {
                smallest = Math.min(smallest, transport.pathDatagramSize(path.outbox.address));
            }
        }
        if (smallest == Integer.MAX_VALUE) {
            smallest = transport.pathDatagramSize(null);
        }
        int size = Math.max(MessengerConfig.MIN_DATAGRAM_SIZE, smallest);
        LOG.log(Level.INFO, "reliable-msg client " + Integer.toUnsignedString(config.clientId())
                + ": datagrams of at most " + size + " bytes (from the path MTU; set maxDatagramSize to override)");
        return config.withPathDatagramSize(size);
    }
}
