package io.reliablemsg.internal;

import io.reliablemsg.PathState;
import io.reliablemsg.PathStats;
import io.reliablemsg.chain.PendingMessage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The paths to one peer, in preference order (the order of its addresses), and which one carries
 * its traffic now. A peer with one address has one path, always active; a peer whose host names do
 * not resolve has none. Loop only, but for {@link #snapshot()}.
 */
final class PeerPaths {
    final String name;
    /** Index among the sending peers (the chain index), or -1 for an unknown source. */
    final int index;
    private final int maxDatagramSize;
    /** The paths; replaced (never changed in place) when the peer's addresses change. */
    volatile PeerPath[] paths;
    /**
     * Index of the path in use (volatile: written by the thread that readdresses a peer before the messenger
     * starts, and by the loop after).
     */
    volatile int active;

    PeerPaths(String name, int index, List<InetSocketAddress> addresses, int maxDatagramSize) {
        this.name = name;
        this.index = index;
        this.maxDatagramSize = maxDatagramSize;
        PeerPath[] built = new PeerPath[addresses.size()];
        for (int i = 0; i < built.length; i++) {
            built[i] = new PeerPath(i, new PeerOutbox(addresses.get(i), maxDatagramSize),
                    i == 0 ? PathState.ACTIVE : PathState.STANDBY);
        }
        this.paths = built;
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

    /** The path in use now, or null when the peer has no address. */
    PeerPath current() {
        PeerPath[] now = paths;
        return now.length == 0 ? null : now[active];
    }

    /**
     * Gives the peer {@code addresses} instead of the ones it has. A path whose address stays keeps its
     * state, errors, round trip and counters; a new address is a new path, in standby. The path in use
     * stays in use if its address stays; otherwise the first path that has not failed takes the
     * traffic. A peer left with one path uses it, whatever its state was. Returns, for each old
     * path index, the new index of its address, or {@link PendingMessage#NO_PATH} when it went away.
     */
    int[] readdress(List<InetSocketAddress> addresses) {
        PeerPath[] old = paths;
        int[] moved = new int[old.length];
        Arrays.fill(moved, PendingMessage.NO_PATH);
        PeerPath[] next = new PeerPath[addresses.size()];
        for (int i = 0; i < next.length; i++) {
            PeerPath kept = at(old, addresses.get(i));
            if (kept != null) {
                moved[kept.index] = i;
                kept.index = i;
                next[i] = kept;
            } else {
                next[i] = new PeerPath(i, new PeerOutbox(addresses.get(i), maxDatagramSize), PathState.STANDBY);
            }
        }
        int inUse = old.length == 0 ? PendingMessage.NO_PATH : moved[active];
        if (inUse == PendingMessage.NO_PATH) {
            inUse = 0;
            for (int i = next.length - 1; i >= 0; i--) {
                inUse = next[i].state != PathState.FAILED ? i : inUse;
            }
        }
        if (next.length == 1) {
            next[0].state = PathState.ACTIVE;
            next[0].errorCount = 0;
        } else if (next.length > 1 && next[inUse].state == PathState.STANDBY) {
            next[inUse].state = PathState.ACTIVE;
        }
        active = inUse;
        paths = next;
        return moved;
    }

    private static PeerPath at(PeerPath[] paths, InetSocketAddress address) {
        for (PeerPath path : paths) {
            if (path.outbox.address.equals(address)) {
                return path;
            }
        }
        return null;
    }

    List<PathStats> snapshot() {
        PeerPath[] now = paths;
        List<PathStats> stats = new ArrayList<>(now.length);
        for (PeerPath path : now) {
            stats.add(path.snapshot());
        }
        return stats;
    }
}
