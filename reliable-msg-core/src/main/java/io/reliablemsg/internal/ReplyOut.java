package io.reliablemsg.internal;

/** Where the responder puts a REPLY on its way to the wire (docs/PROTOCOL.md, section 9). */
interface ReplyOut {
    /**
     * Queues a REPLY frame for {@code to} answering request {@code originClientId}/{@code originIncarnation}/
     * {@code msgId}, echoing the send time of the copy answered, stamped {@code nowMillis}; {@code noReply}
     * says the responder has none to give ({@code reply} is then empty).
     */
    void reply(PeerOutbox to, int originClientId, long originIncarnation, long msgId, long echoedSendTimeMillis,
               boolean noReply, byte[] reply, long nowMillis);
}
