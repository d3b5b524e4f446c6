package io.reliablemsg.internal;

import io.reliablemsg.FailureReason;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.wire.WireFormat;
import java.nio.ByteBuffer;

/**
 * The requester's part of request/reply (docs/PROTOCOL.md, section 9), for the {@link Sender}: a request
 * is a message on the chain that goes as a REQUEST frame, only to a peer that advertised reading it
 * (feature bit 1; while that is still being found out its copies are held back, counted as sent, and
 * once the peer is known not to read it the request fails with {@link FailureReason#UNSUPPORTED_BY_PEER});
 * its ack does not end it but restarts its retry count, so the requester keeps retransmitting it until
 * the reply comes (a lost reply is sent again by the responder for each duplicate), and a handler that
 * takes longer than the interval does not make it fail while the responder acks its copies; it fails
 * after {@code maxRetries} unanswered copies in a row, or {@code replyTimeout} after its first send
 * ({@link FailureReason#REPLY_TIMEOUT}, judged when a copy is due). A REPLY that names it ends it.
 *
 * <p>Owns no thread and reads no clock. Not thread-safe: I/O loop only.
 */
final class Requests {
    private final PeerFeatures features;
    private final ReplyOutcomes outcomes;
    private final long replyTimeoutNs;

    Requests(MessengerConfig config, PeerFeatures features, ReplyOutcomes outcomes) {
        this.features = features;
        this.outcomes = outcomes;
        this.replyTimeoutNs = config.replyTimeout().toNanos();
    }

    /** What the peers read (their capabilities). */
    PeerFeatures features() {
        return features;
    }

    /** Whether a copy of a request may go to {@code peer} now: it reads REQUEST. */
    boolean maySend(PeerSendState peer) {
        return features.reads(peer.capabilities, WireFormat.FEATURE_REQUEST_REPLY);
    }

    /**
     * Why request {@code m} to {@code peer} ends before its next copy, or null when it goes on: the peer is
     * known not to read requests, or the reply timeout has passed.
     */
    FailureReason endBeforeCopy(PeerSendState peer, PendingMessage m, long nowNs) {
        if (refused(peer)) {
            return FailureReason.UNSUPPORTED_BY_PEER;
        }
        return nowNs - m.firstSendNs() >= replyTimeoutNs ? FailureReason.REPLY_TIMEOUT : null;
    }

    /** Whether {@code peer} is known not to read requests (an older release). */
    boolean refused(PeerSendState peer) {
        return features.settled(peer.capabilities) && !maySend(peer);
    }

    /** A copy of request {@code m} was acked: it stays on the chain, its retries start again. */
    void onAcked(PendingMessage m) {
        m.restartRetries();
    }

    /**
     * The REPLY to request {@code m} (off the chain now): {@code replyLength} bytes at {@code replyOffset} in
     * {@code datagram}, valid only during this call.
     */
    void onReply(PeerSendState peer, PendingMessage m, ByteBuffer datagram, int replyOffset, int replyLength,
                 long nowNs) {
        byte[] reply = new byte[replyLength];
        datagram.get(replyOffset, reply);
        peer.repliesReceived.incrementAndGet();
        outcomes.replied(peer.name, peer.index, m.msgId(), reply, nowNs - m.firstSendNs(), m.transmissions());
    }
}
