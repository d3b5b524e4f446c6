package io.reliablemsg.internal;

import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.TracedMessage;
import io.reliablemsg.wire.WireFormat;

/**
 * Where each copy of a chain message goes out, for the {@link Sender}, {@link FastRetransmit} and
 * {@link Failover}: on a path, which it records on the message; counted and not sent when the peer has
 * no path (its host names do not resolve: the message is retransmitted, and fails, as usual); a
 * request's copy held until the peer is known to read REQUEST ({@link Requests}); a message larger than a
 * datagram in fragments ({@link Fragments}); a traced message's trace context only to a peer that reads it
 * (docs/PROTOCOL.md, "Trace context").
 *
 * <p>Not thread-safe: I/O loop only.
 */
final class Copies {
    private final DataOut out;
    private final Requests requests;
    private final Fragments fragments;

    Copies(DataOut out, Requests requests, Fragments fragments) {
        this.out = out;
        this.requests = requests;
        this.fragments = fragments;
    }

    /** Puts a copy of {@code m} on {@code path} (null: the peer has none) at {@code nowNs}, stamped {@code nowMillis}. */
    void send(PeerSendState peer, PendingMessage m, PeerPath path, long nowNs, long nowMillis) {
        if (path == null) {
            m.lastPath(PendingMessage.NO_PATH);
            peer.noAddressDrops.incrementAndGet();
            return;
        }
        m.lastPath(path.index);
        if (m instanceof TracedMessage traced) { // asked per copy: what the peer reads may be learnt meanwhile
            traced.peerReadsTrace(requests.features().reads(peer.capabilities, WireFormat.FEATURE_TRACE_CONTEXT));
        }
        if (!m.isRequest()) {
            fragments.send(peer, m, path.outbox, out, nowNs, nowMillis); // whole or in fragments
        } else if (requests.maySend(peer)) {
            out.data(path.outbox, m, nowMillis);
        }
    }
}
