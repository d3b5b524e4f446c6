package io.reliablemsg;

import java.util.List;

/**
 * One change of the peer set, as told to a {@link PeerListener}.
 *
 * @param peer      the peer's name
 * @param kind      what changed
 * @param addresses the peer's addresses now, as host:port, in preference order (one path each); empty
 *                  when it was removed or none of its host names resolves
 */
public record PeerChange(String peer, Kind kind, List<String> addresses) {
    /** What changed. */
    public enum Kind {
        /** The peer was added. */
        ADDED,
        /** Its addresses changed: given anew ({@link ReliableMessenger#updatePeer}), or its host names resolved otherwise. */
        CHANGED,
        /** The peer was removed; its pending messages failed with {@link FailureReason#PEER_REMOVED}. */
        REMOVED
    }

    /** A change of {@code peer}; {@code addresses} is copied. */
    public PeerChange {
        addresses = List.copyOf(addresses);
    }
}
