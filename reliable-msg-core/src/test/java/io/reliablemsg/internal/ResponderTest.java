package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.AckMode;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.receive.SenderIncarnations;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The responder on its own, handlers run by the test: a copy of a request answered already is acked
 * and answered again from the cache, its handler not run again; with {@code after-handler}, the ack
 * after the handler answers the latest copy that came in while it ran (its path, send time and
 * transmissions), so it is not stale by S9; at most {@code deliveryQueueCapacity} handlers at once,
 * one more is neither handed over nor acked.
 */
class ResponderTest {
    private static final long NOW_MS = 1_000_000;
    private static final long NOW_NS = 5_000_000_000L;

    private final List<String> acks = new ArrayList<>();
    private final List<String> replies = new ArrayList<>();
    private final List<Handling> handed = new ArrayList<>();
    private final PeerOutbox first = new PeerOutbox(new InetSocketAddress("10.0.0.2", 7000), 1472);
    private final PeerOutbox second = new PeerOutbox(new InetSocketAddress("10.1.0.2", 7000), 1472);
    private final PeerReceiveState peer = new PeerReceiveState("b", new SenderIncarnations(4, 1024,
            Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(1).toNanos()));
    private final ByteBuffer payload = ByteBuffer.wrap(new byte[] {1, 2, 3});

    private Responder responder(AckMode mode, int capacity) {
        MessengerConfig config = MessengerConfig.builder().clientId(9).interval(Duration.ofMillis(100))
                .ackMode(mode).deliveryQueueCapacity(capacity).build();
        AckOut ackOut = (to, c, i, msgId, echoed, transmissions, now) ->
                acks.add(msgId + "@" + name(to) + " echo " + echoed + " tx " + transmissions);
        ReplyOut replyOut = (to, c, i, msgId, echoed, noReply, reply, now) ->
                replies.add(msgId + "@" + name(to) + (noReply ? " none" : " " + reply.length + " bytes"));
        return new Responder(config, handed::add, ackOut, replyOut);
    }

    private String name(PeerOutbox to) {
        return to == first ? "first" : "second";
    }

    private void copy(Responder r, PeerOutbox from, long msgId, long sendTimeMillis, int transmissions,
                      boolean request) {
        r.onCopy(peer, from, 2, 77, msgId, sendTimeMillis, transmissions, payload, 0, 3, request, NOW_NS, NOW_MS);
    }

    @Test
    void aCopyOfARequestAnsweredAlreadyIsAckedAndAnsweredFromTheCacheWithoutRunningItsHandler() {
        Responder r = responder(AckMode.ON_RECEIPT, 8);
        copy(r, first, 1, NOW_MS, 1, true);
        assertThat(handed).hasSize(1);
        assertThat(acks).as("on receipt: acked at once (S7)").containsExactly("1@first echo " + NOW_MS + " tx 1");
        handed.get(0).succeeded(new byte[] {7, 7});
        r.onCompleted(handed.get(0), NOW_NS, NOW_MS);
        acks.clear();
        replies.clear();

        copy(r, second, 1, NOW_MS + 50, 2, true); // the requester did not get the reply

        assertThat(handed).as("not run again").hasSize(1);
        assertThat(acks).containsExactly("1@second echo " + (NOW_MS + 50) + " tx 2");
        assertThat(replies).containsExactly("1@second 2 bytes");
        assertThat(peer.duplicates.get()).isOne();
    }

    @Test
    void afterTheHandlerTheAckAnswersTheLatestCopyThatCameWhileItRan() {
        Responder r = responder(AckMode.AFTER_HANDLER, 8);
        copy(r, first, 1, NOW_MS, 1, false);
        copy(r, second, 1, NOW_MS + 100, 2, false); // a retransmission on another path while the handler runs
        assertThat(acks).as("no ack before the handler returns").isEmpty();
        assertThat(handed).hasSize(1);

        handed.get(0).succeeded(null);
        r.onCompleted(handed.get(0), NOW_NS, NOW_MS + 150);

        assertThat(acks).containsExactly("1@second echo " + (NOW_MS + 100) + " tx 2");
        assertThat(peer.duplicates.get()).isOne();
    }

    @Test
    void atMostTheQueueCapacityOfHandlersAtOnceOneMoreIsNeitherHandedOverNorAcked() {
        Responder r = responder(AckMode.AFTER_HANDLER, 2);
        copy(r, first, 1, NOW_MS, 1, false);
        copy(r, first, 2, NOW_MS, 1, false);
        assertThat(handed).hasSize(2);
        assertThat(r.inProgress()).isEqualTo(2);

        copy(r, first, 3, NOW_MS, 1, false);

        assertThat(handed).hasSize(2);
        assertThat(peer.deliveryRejected.get()).isOne();
        assertThat(acks).isEmpty();

        handed.get(0).succeeded(null);
        r.onCompleted(handed.get(0), NOW_NS, NOW_MS);
        assertThat(r.inProgress()).isOne();
        copy(r, first, 3, NOW_MS + 100, 2, false); // its retransmission finds room
        assertThat(handed).hasSize(3);
    }
}
