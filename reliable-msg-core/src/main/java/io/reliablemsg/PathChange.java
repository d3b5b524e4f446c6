package io.reliablemsg;

/**
 * One change of state of a path to a peer, as told to a {@link PathListener}.
 *
 * @param peer     the peer's name
 * @param address  the path's address, as host:port
 * @param previous its state before
 * @param current  its state now
 * @param reason   why, in words (for logs and events)
 */
public record PathChange(String peer, String address, PathState previous, PathState current, String reason) {
}
