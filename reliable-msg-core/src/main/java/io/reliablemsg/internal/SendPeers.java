package io.reliablemsg.internal;

import java.util.Arrays;

/**
 * The {@link Sender}'s peers: by chain index, where a removed peer stays until its index is given to
 * another (a message of it may still be on its way to the loop), and the peers in use now, for the
 * scans. Not thread-safe: I/O loop only.
 */
final class SendPeers {
    private PeerSendState[] byIndex;
    private PeerSendState[] active = new PeerSendState[0];

    SendPeers(int capacity) {
        this.byIndex = new PeerSendState[capacity];
    }

    /** The peer at chain index {@code index} (perhaps a removed one). */
    PeerSendState get(int index) {
        return byIndex[index];
    }

    /** The peers not removed. */
    PeerSendState[] active() {
        return active;
    }

    /** Puts {@code peer} at its chain index; returns how many indexes the table holds now. */
    int install(PeerSendState peer) {
        if (peer.index >= byIndex.length) {
            byIndex = Arrays.copyOf(byIndex, Math.max(peer.index + 1, byIndex.length * 2));
        }
        byIndex[peer.index] = peer;
        rescan();
        return byIndex.length;
    }

    /** Takes {@code peer} out of the scans. */
    void remove(PeerSendState peer) {
        peer.removed = true;
        rescan();
    }

    private void rescan() {
        active = Arrays.stream(byIndex).filter(p -> p != null && !p.removed).toArray(PeerSendState[]::new);
    }
}
