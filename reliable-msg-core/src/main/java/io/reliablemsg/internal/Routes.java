package io.reliablemsg.internal;

/**
 * What the roles that send ask of the paths: which path a peer's next datagram takes, and what became
 * of the copies sent on each.
 */
interface Routes {
    /** The path that carries {@code peer}'s traffic now. */
    PeerPath route(PeerPaths peer);

    /**
     * The interval of a copy sent to {@code peer} on {@code path} passed without an ack. Returns the path
     * the retransmission takes: another usable path than {@code path} when there is one, else the
     * path in use (which is {@code path}'s successor when this timeout failed it).
     */
    PeerPath onCopyTimedOut(PeerPaths peer, PeerPath path, long nowNs);

    /**
     * A reply (ack or pong) to our datagram sent at {@code echoedSendTimeMillis} came back on
     * {@code path}: the path works both ways.
     */
    void onReply(PeerPaths peer, PeerPath path, long echoedSendTimeMillis, long nowMillis);
}
