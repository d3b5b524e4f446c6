package io.reliablemsg.internal;

import io.reliablemsg.PathState;
import io.reliablemsg.PathStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The paths to one peer, in preference order (the order of its addresses), and which one carries
 * its traffic now. A peer with one address has one path, always active. Loop only, but for
 * {@link #snapshot()}.
 */
final class PeerPaths {
    final String name;
    /** Index among the sending peers (the chain index), or -1 for an unknown source. */
    final int index;
    final PeerPath[] paths;
    /** Index of the path in use. */
    int active;

    PeerPaths(String name, int index, List<InetSocketAddress> addresses, int maxDatagramSize) {
        this.name = name;
        this.index = index;
        this.paths = new PeerPath[addresses.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = new PeerPath(i, new PeerOutbox(addresses.get(i), maxDatagramSize),
                    i == 0 ? PathState.ACTIVE : PathState.STANDBY);
        }
    }

    /** The path whose address is {@code source}, or null. */
    PeerPath at(InetSocketAddress source) {
        for (PeerPath path : paths) {
            if (path.outbox.address.equals(source)) {
                return path;
            }
        }
        return null;
    }

    /** The path in use now. */
    PeerPath current() {
        return paths[active];
    }

    List<PathStats> snapshot() {
        List<PathStats> stats = new ArrayList<>(paths.length);
        for (PeerPath path : paths) {
            stats.add(path.snapshot());
        }
        return stats;
    }
}
