package io.reliablemsg.internal;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.receive.DuplicateWindow;
import java.nio.ByteBuffer;

/**
 * The receiver side of the protocol: drops a message older than the interval plus the skew
 * allowance unacked (S6); checks it against the duplicate window of its sender incarnation; hands a
 * new message to {@link Delivery} and acks it at once (S7), or, when the delivery queue is full,
 * neither marks nor acks it, so that the sender retransmits (back-pressure); re-acks a duplicate
 * without delivering it again (S8); drops a message below the window unacked. Requests, and with
 * {@code ackMode=after-handler} every message, pass the age check here and are then the
 * {@link Responder}'s (docs/PROTOCOL.md, sections 9 and 10).
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Receiver {
    private final Delivery delivery;
    private final AckOut out;
    private final long intervalMillis;
    private final long skewMillis;
    private final RateLimitedLog skewLog;
    private final Responder responder;
    private final InlineViews views;

    /** {@code views} (may be null) reads new messages in place instead of handing {@code delivery} a copy. */
    Receiver(MessengerConfig config, Delivery delivery, AckOut out, RateLimitedLog skewLog, Responder responder,
             InlineViews views) {
        this.delivery = delivery;
        this.views = views;
        this.out = out;
        this.responder = responder;
        this.intervalMillis = config.interval().toMillis();
        this.skewMillis = config.clockSkewAllowance().toMillis();
        this.skewLog = skewLog;
    }

    /**
     * A DATA frame from {@code peer}, come in on the path whose outbound is {@code replyTo} (the ack goes
     * back the way the data came); the payload is valid only during this call.
     */
    void onData(PeerReceiveState peer, PeerOutbox replyTo, int senderClientId, long senderIncarnation, long msgId, long sendTimeMillis,
                int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength, long nowNs,
                long nowMillis) {
        if (!fresh(peer, msgId, sendTimeMillis, nowNs, nowMillis)) {
            return;
        }
        if (responder.handlesMessages()) { // after-handler: the ack waits for the handler
            responder.onCopy(peer, replyTo, senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                    datagram, payloadOffset, payloadLength, false, nowNs, nowMillis);
            return;
        }
        DuplicateWindow window = peer.incarnations.window(senderClientId, senderIncarnation, nowNs);
        DuplicateWindow.Verdict verdict = window == null ? DuplicateWindow.Verdict.BELOW_WINDOW : window.check(msgId);
        switch (verdict) {
            case NEW -> {
                if (views != null) { // read in place, on the loop: nothing queues, nothing is copied
                    views.deliver(peer.name, senderClientId, senderIncarnation, msgId, sendTimeMillis, datagram,
                            payloadOffset, payloadLength);
                } else if (!delivery.offer(new InboundMessage(peer.name, senderClientId, senderIncarnation, msgId,
                        sendTimeMillis, copy(datagram, payloadOffset, payloadLength)),
                        InboundTraces.take(peer.traces, senderIncarnation, msgId))) {
                    peer.deliveryRejected.incrementAndGet(); // not acked: the sender will retransmit
                    return;
                }
                window.mark(msgId);
                peer.delivered.incrementAndGet();
                out.messageAck(replyTo, senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                        false, nowNs, nowMillis);
            }
            case DUPLICATE -> { // S8: answered again, not delivered again
                peer.duplicates.incrementAndGet(); // and evidence that our acks get lost: they are repeated a while
                out.messageAck(replyTo, senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                        true, nowNs, nowMillis);
            }
            case BELOW_WINDOW -> peer.outsideWindowDropped.incrementAndGet();
        }
    }

    /** A REQUEST frame, like {@link #onData}: checked for its age here, answered by the {@link Responder}. */
    void onRequest(PeerReceiveState peer, PeerOutbox replyTo, int senderClientId, long senderIncarnation, long msgId,
                   long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength,
                   long nowNs, long nowMillis) {
        if (fresh(peer, msgId, sendTimeMillis, nowNs, nowMillis)) {
            responder.onCopy(peer, replyTo, senderClientId, senderIncarnation, msgId, sendTimeMillis, transmissions,
                    datagram, payloadOffset, payloadLength, true, nowNs, nowMillis);
        }
    }

    private static byte[] copy(ByteBuffer datagram, int offset, int length) {
        byte[] payload = new byte[length];
        datagram.get(offset, payload);
        return payload;
    }

    /** S6: false (counted) when the copy is older than the interval plus the skew allowance. */
    boolean fresh(PeerReceiveState peer, long msgId, long sendTimeMillis, long nowNs, long nowMillis) {
        long ageMillis = nowMillis - sendTimeMillis;
        if (ageMillis > intervalMillis + skewMillis) { // S6
            peer.staleMessagesDropped.incrementAndGet();
            return false;
        }
        if (-ageMillis > skewMillis) {
            skewLog.log(nowNs, "message " + msgId + " from " + peer.name + " was sent " + (-ageMillis)
                    + " ms in the future: clocks differ by more than the skew allowance (" + skewMillis + " ms)");
        }
        return true;
    }
}
