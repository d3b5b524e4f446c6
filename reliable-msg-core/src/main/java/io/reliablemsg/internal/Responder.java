package io.reliablemsg.internal;

import io.reliablemsg.AckMode;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.receive.DuplicateWindow;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * The receiver's part for whatever waits on a handler (docs/PROTOCOL.md, sections 9 and 10): requests,
 * which are answered with the handler's reply, and, with {@code ackMode=after-handler}, every message,
 * which is acked only once its handler returned normally. Per copy that passed the age check (S6):
 * <ol>
 * <li>a request answered already (its reply is in the {@link ReplyCache}) is acked and answered again
 * from the cache, without running its handler again;</li>
 * <li>one whose handler runs now is acked again on receipt ({@code on-receipt}) or not at all until the
 * handler returns ({@code after-handler}, which then acks the latest copy, so the ack is not stale
 * by S9 when the handler took longer than the interval);</li>
 * <li>otherwise the duplicate window decides: new goes to the handler (at most
 * {@code deliveryQueueCapacity} at once; beyond, nothing is acked: back-pressure); a duplicate is acked
 * again (S8) and, for a request whose reply left the cache, answered "no reply"; below the window is
 * dropped.</li>
 * </ol>
 * With {@code on-receipt} a new message is marked and acked at once, as S7 says; with
 * {@code after-handler} it is marked only when the handler returned normally, so a handler that threw
 * leaves it unmarked and unacked: the next copy runs the handler again.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Responder {
    private static final byte[] EMPTY = new byte[0];

    private final HandledDelivery delivery;
    private final AckOut acks;
    private final ReplyOut replies;
    private final ReplyCache cache;
    private final boolean afterHandler;
    private final int capacity;
    private final Map<ReplyCache.Key, Handling> inProgress = new HashMap<>();

    Responder(MessengerConfig config, HandledDelivery delivery, AckOut acks, ReplyOut replies) {
        this.delivery = delivery;
        this.acks = acks;
        this.replies = replies;
        this.cache = new ReplyCache(config.replyCacheBytes(), config.duplicateHoldTime().toNanos());
        this.afterHandler = config.ackMode() == AckMode.AFTER_HANDLER;
        this.capacity = config.deliveryQueueCapacity();
    }

    /** Whether a plain message (not a request) goes through here rather than the receiver's own path. */
    boolean handlesMessages() {
        return afterHandler;
    }

    /**
     * A copy of request or message {@code msgId} from {@code peer} that passed the age check, come in on the
     * path whose outbound is {@code replyTo}; the payload is valid only during this call.
     */
    void onCopy(PeerReceiveState peer, PeerOutbox replyTo, int clientId, long incarnation, long msgId,
                long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset, int payloadLength,
                boolean request, long nowNs, long nowMillis) {
        ReplyCache.Key key = new ReplyCache.Key(clientId, incarnation, msgId);
        ReplyCache.Entry cached = request ? cache.get(key, nowNs) : null;
        if (cached != null) {
            peer.duplicates.incrementAndGet();
            acks.ack(replyTo, clientId, incarnation, msgId, sendTimeMillis, transmissions, nowMillis);
            reply(peer, replyTo, key, sendTimeMillis, cached.noReply, cached.reply, nowMillis);
            return;
        }
        Handling running = inProgress.get(key);
        if (running != null) {
            peer.duplicates.incrementAndGet();
            if (afterHandler) {
                running.copy(replyTo, sendTimeMillis, transmissions); // the ack after the handler answers it
            } else {
                acks.ack(replyTo, clientId, incarnation, msgId, sendTimeMillis, transmissions, nowMillis);
            }
            return;
        }
        DuplicateWindow window = peer.incarnations.window(clientId, incarnation, nowNs);
        DuplicateWindow.Verdict verdict = window == null ? DuplicateWindow.Verdict.BELOW_WINDOW : window.check(msgId);
        switch (verdict) {
            case NEW -> start(peer, replyTo, window, key, sendTimeMillis, transmissions, datagram, payloadOffset,
                    payloadLength, request, nowMillis);
            case DUPLICATE -> {
                peer.duplicates.incrementAndGet();
                acks.ack(replyTo, clientId, incarnation, msgId, sendTimeMillis, transmissions, nowMillis);
                if (request) { // answered once, and the answer has left the cache
                    reply(peer, replyTo, key, sendTimeMillis, true, EMPTY, nowMillis);
                }
            }
            case BELOW_WINDOW -> peer.outsideWindowDropped.incrementAndGet();
        }
    }

    private void start(PeerReceiveState peer, PeerOutbox replyTo, DuplicateWindow window, ReplyCache.Key key,
                       long sendTimeMillis, int transmissions, ByteBuffer datagram, int payloadOffset,
                       int payloadLength, boolean request, long nowMillis) {
        if (inProgress.size() >= capacity) {
            peer.deliveryRejected.incrementAndGet(); // not acked: the sender will retransmit
            return;
        }
        byte[] payload = new byte[payloadLength];
        datagram.get(payloadOffset, payload);
        Handling handling = new Handling(peer, new InboundMessage(peer.name, key.clientId(), key.incarnation(),
                key.msgId(), sendTimeMillis, payload), request, replyTo, transmissions,
                InboundTraces.take(peer.traces, key.incarnation(), key.msgId()));
        inProgress.put(key, handling);
        if (!delivery.offer(handling)) {
            inProgress.remove(key);
            peer.deliveryRejected.incrementAndGet();
            return;
        }
        peer.delivered.incrementAndGet();
        if (!afterHandler) { // S7: marked and acked at once
            window.mark(key.msgId());
            acks.ack(replyTo, key.clientId(), key.incarnation(), key.msgId(), sendTimeMillis, transmissions, nowMillis);
        }
    }

    /** The handler of {@code handling} returned (or threw): ack it (after-handler), answer it (a request). */
    void onCompleted(Handling handling, long nowNs, long nowMillis) {
        InboundMessage m = handling.message;
        ReplyCache.Key key = new ReplyCache.Key(m.clientId(), m.incarnation(), m.msgId());
        if (inProgress.remove(key) != handling) {
            return;
        }
        PeerReceiveState peer = handling.peer;
        if (handling.request) {
            peer.requestsHandled.incrementAndGet();
        }
        if (afterHandler) {
            if (!handling.success()) {
                return; // no ack, no mark: the next copy runs the handler again
            }
            DuplicateWindow window = peer.incarnations.window(m.clientId(), m.incarnation(), nowNs);
            if (window != null && window.check(m.msgId()) == DuplicateWindow.Verdict.NEW) {
                window.mark(m.msgId());
            }
            acks.ack(handling.replyTo, m.clientId(), m.incarnation(), m.msgId(), handling.latestSendTimeMillis,
                    handling.latestTransmissions, nowMillis);
        }
        if (handling.request) {
            boolean noReply = !handling.success() || handling.reply() == null; // threw, or no request handler
            byte[] reply = noReply ? EMPTY : handling.reply();
            cache.put(key, reply, noReply, nowNs);
            reply(peer, handling.replyTo, key, handling.latestSendTimeMillis, noReply, reply, nowMillis);
        }
    }

    private void reply(PeerReceiveState peer, PeerOutbox to, ReplyCache.Key key, long echoedSendTimeMillis,
                       boolean noReply, byte[] reply, long nowMillis) {
        peer.repliesSent.incrementAndGet();
        replies.reply(to, key.clientId(), key.incarnation(), key.msgId(), echoedSendTimeMillis, noReply, reply,
                nowMillis);
    }

    /** Forgets the cached replies not sent for longer than the duplicate hold time. */
    void expire(long nowNs) {
        cache.expire(nowNs);
    }

    /** Handlers running (or waiting to run) now. */
    int inProgress() {
        return inProgress.size();
    }

    ReplyCache cache() {
        return cache;
    }
}
