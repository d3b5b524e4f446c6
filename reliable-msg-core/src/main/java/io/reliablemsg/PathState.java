package io.reliablemsg;

/**
 * State of one network path to a peer (one of its addresses), after SCTP's destination states
 * (RFC 9260 §8.2, §8.3): messages go over the one {@link #ACTIVE} path; a {@link #STANDBY} path works
 * but is not used now; a {@link #FAILED} path left {@code pathMaxRetransmissions} copies in a row
 * unacked and is probed every interval until it answers. See docs/PROTOCOL.md, "Paths".
 */
public enum PathState {
    /** Carries the peer's messages now. */
    ACTIVE,
    /** Usable, held in reserve. */
    STANDBY,
    /** Not used: it stopped answering; probed until it does. */
    FAILED
}
