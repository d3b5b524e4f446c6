package io.reliablemsg;

import java.nio.ByteBuffer;

/**
 * A new message read in place, for an {@link InboundViewHandler}: valid only during the handler's call,
 * after which the messenger reuses it for the next message. Nothing is copied or allocated for it; keep
 * what you need with {@link #copyPayload()} or {@link #toMessage()}.
 */
public interface InboundView {
    /** Name of the peer it came from (or "host:port" when unknown sources are accepted). */
    String peer();

    /** The sender's client id. */
    int clientId();

    /** The sender's incarnation. */
    long incarnation();

    /** The sender's message id. */
    long msgId();

    /** Send time of the copy that arrived, epoch milliseconds, sender's clock. */
    long sendTimeMillis();

    /**
     * The payload: a read-only buffer over the received datagram whose position and limit frame the
     * message's bytes. The same buffer object each time; valid only during the call.
     */
    ByteBuffer payload();

    /** The payload's length in bytes. */
    default int payloadLength() {
        return payload().remaining();
    }

    /** A copy of the payload, to keep after the call. */
    default byte[] copyPayload() {
        ByteBuffer p = payload();
        byte[] copy = new byte[p.remaining()];
        p.get(p.position(), copy);
        return copy;
    }

    /** The message as an {@link InboundMessage} with a copy of its payload, to keep after the call. */
    default InboundMessage toMessage() {
        return new InboundMessage(peer(), clientId(), incarnation(), msgId(), sendTimeMillis(), copyPayload());
    }
}
