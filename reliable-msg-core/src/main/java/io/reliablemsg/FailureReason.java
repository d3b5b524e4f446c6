package io.reliablemsg;

/** Why a message or a request was given up. */
public enum FailureReason {
    /** No ack came after the first send and {@code maxRetries} retransmissions (seed rule S5). */
    RETRIES_EXHAUSTED,
    /** The messenger was closed before the message was acked. */
    SHUTDOWN,
    /**
     * The peer was removed ({@link ReliableMessenger#removePeer}) before the message was acked: every message
     * to it that was pending fails so, once, with its user buffer.
     */
    PEER_REMOVED,
    /**
     * Refused at once: the retransmit chain was full ({@code send} returns false, {@code trySend}
     * {@link ReliableMessenger#NOT_ACCEPTED}). Only {@link ReliableMessenger#sendAsync}'s future reports it;
     * the message was never accepted, so no failure listener hears of it.
     */
    CHAIN_FULL,
    /**
     * A request was acked but its responder had no reply to give: its handler threw (or returned a reply
     * larger than {@code maxReplySize}) with {@link AckMode#ON_RECEIPT}, or the reply had left its cache
     * before this copy of the request arrived (docs/PROTOCOL.md, section 9). Only requests.
     */
    NO_REPLY,
    /** A request was still without a reply {@code replyTimeout} after its first send. Only requests. */
    REPLY_TIMEOUT,
    /**
     * A request to a peer of an older release, which does not read requests (it advertised no
     * request/reply feature, or answered no capability probe); plain messages to it still work. Only
     * requests.
     */
    UNSUPPORTED_BY_PEER
}
