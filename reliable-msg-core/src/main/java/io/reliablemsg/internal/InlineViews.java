package io.reliablemsg.internal;

import io.reliablemsg.InboundView;
import io.reliablemsg.InboundViewHandler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands new messages to an {@link InboundViewHandler} in place, on the I/O loop: one reused view over the
 * datagram, with a read-only duplicate of the receive buffer made once per buffer, so no allocation per
 * message. Exceptions are counted in {@code handlerErrors} and logged (1st, 2nd, 4th ...). Loop only.
 */
final class InlineViews implements InboundView {
    private static final Logger LOG = System.getLogger(InlineViews.class.getName());

    private final InboundViewHandler handler;
    private final AtomicLong handlerErrors;
    private ByteBuffer source;
    private ByteBuffer readOnly;
    private String peer;
    private int clientId;
    private long incarnation;
    private long msgId;
    private long sendTimeMillis;

    InlineViews(InboundViewHandler handler, AtomicLong handlerErrors) {
        this.handler = handler;
        this.handlerErrors = handlerErrors;
    }

    /** Calls the handler with the message at {@code offset}, {@code length} bytes of {@code datagram}. */
    void deliver(String peer, int clientId, long incarnation, long msgId, long sendTimeMillis, ByteBuffer datagram,
                 int offset, int length) {
        if (datagram != source) {
            source = datagram;
            readOnly = datagram.asReadOnlyBuffer();
        }
        readOnly.limit(offset + length).position(offset);
        this.peer = peer;
        this.clientId = clientId;
        this.incarnation = incarnation;
        this.msgId = msgId;
        this.sendTimeMillis = sendTimeMillis;
        try {
            handler.onMessage(this);
        } catch (Throwable t) {
            long n = handlerErrors.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.log(Level.WARNING, "inbound view handler threw on message " + msgId + " from " + peer + " ("
                        + n + " callback errors so far)", t);
            }
        }
    }

    @Override
    public String peer() {
        return peer;
    }

    @Override
    public int clientId() {
        return clientId;
    }

    @Override
    public long incarnation() {
        return incarnation;
    }

    @Override
    public long msgId() {
        return msgId;
    }

    @Override
    public long sendTimeMillis() {
        return sendTimeMillis;
    }

    @Override
    public ByteBuffer payload() {
        return readOnly;
    }

    @Override
    public String toString() {
        return "InboundView[peer=" + peer + ", clientId=" + clientId + ", msgId=" + msgId + ", payload="
                + readOnly.remaining() + " bytes]";
    }
}
