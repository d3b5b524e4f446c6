package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.InboundMessage;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.receive.SenderIncarnations;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The receiver role on its own: the age rule (S6) at its boundary, the warning for a send time in the
 * future beyond the skew allowance, delivery and acks (S7, S8), and a full delivery queue (no mark, no
 * ack). Interval 100 ms, skew allowance 20 ms.
 */
class ReceiverTest {
    private static final long NOW_MS = 1_000_000;
    private static final long INTERVAL_MS = 100;
    private static final long SKEW_MS = 20;

    private final List<InboundMessage> delivered = new ArrayList<>();
    private final List<Long> acked = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();
    private boolean queueFull;

    private final MessengerConfig config = MessengerConfig.builder().clientId(9)
            .interval(Duration.ofMillis(INTERVAL_MS)).clockSkewAllowance(Duration.ofMillis(SKEW_MS)).build();
    private final AckOut acks =
            (to, originClientId, originIncarnation, msgId, echoed, transmissions, nowMillis) -> acked.add(msgId);
    private final Receiver receiver = new Receiver(config, m -> !queueFull && delivered.add(m), acks,
            new RateLimitedLog(new CapturingLogger(logged), System.Logger.Level.WARNING, 1),
            new Responder(config, handling -> false, acks, (to, c, i, id, echoed, noReply, reply, now) -> { }), null);
    private final PeerReceiveState peer = new PeerReceiveState("b", new SenderIncarnations(4, 1024,
            Duration.ofSeconds(1).toNanos(), Duration.ofSeconds(1).toNanos()));
    private final PeerOutbox replyTo = new PeerOutbox(new InetSocketAddress("10.0.0.2", 7000), 1472);
    private final ByteBuffer datagram = ByteBuffer.wrap(new byte[] {1, 2, 3});

    private void receive(long msgId, long sendTimeMillis) {
        receiver.onData(peer, replyTo, 2, 77, msgId, sendTimeMillis, 1, datagram, 0, 3, 5_000_000L, NOW_MS);
    }

    @Test
    void aMessageExactlyIntervalPlusSkewOldIsTakenAndOneAMillisecondOlderIsDroppedUnacked() {
        receive(1, NOW_MS - INTERVAL_MS - SKEW_MS);
        receive(2, NOW_MS - INTERVAL_MS - SKEW_MS - 1);

        assertThat(delivered).extracting(InboundMessage::msgId).containsExactly(1L);
        assertThat(acked).containsExactly(1L);
        assertThat(peer.staleMessagesDropped.get()).isEqualTo(1);
        assertThat(delivered.get(0).payload()).containsExactly(1, 2, 3);
    }

    @Test
    void aSendTimeFurtherInTheFutureThanTheSkewAllowanceIsWarnedAboutAndStillDelivered() {
        receive(1, NOW_MS + SKEW_MS); // at the allowance: no warning
        assertThat(logged).isEmpty();
        receive(2, NOW_MS + SKEW_MS + 1);

        assertThat(logged).singleElement().asString().contains("message 2 from b was sent 21 ms in the future");
        assertThat(delivered).extracting(InboundMessage::msgId).containsExactly(1L, 2L);
        assertThat(peer.staleMessagesDropped.get()).isZero();
    }

    @Test
    void aDuplicateIsAckedAgainNotDeliveredAgainAndAFullQueueNeitherMarksNorAcks() {
        queueFull = true;
        receive(1, NOW_MS);
        assertThat(delivered).isEmpty();
        assertThat(acked).as("not acked: the sender retransmits").isEmpty();
        assertThat(peer.deliveryRejected.get()).isEqualTo(1);

        queueFull = false;
        receive(1, NOW_MS); // the retransmission: new, since the first copy was not marked
        receive(1, NOW_MS); // a duplicate of it
        assertThat(delivered).hasSize(1);
        assertThat(acked).containsExactly(1L, 1L);
        assertThat(peer.duplicates.get()).isEqualTo(1);
        assertThat(peer.delivered.get()).isEqualTo(1);
    }

    /**
     * With a view handler, a new message is read in place (the payload's bytes where the datagram has them,
     * nothing offered to the delivery queue), then marked and acked; a duplicate is re-acked, not shown again;
     * a handler that throws is counted and its message still acked (on receipt, as with a copy).
     */
    @Test
    void aViewHandlerReadsTheMessageInPlaceThenItIsMarkedAndAcked() {
        java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();
        List<String> seen = new ArrayList<>();
        ByteBuffer received = ByteBuffer.wrap(new byte[] {9, 9, 4, 5, 6, 9});
        Receiver viewing = new Receiver(config, m -> delivered.add(m), acks,
                new RateLimitedLog(new CapturingLogger(logged), System.Logger.Level.WARNING, 1),
                new Responder(config, handling -> false, acks, (to, c, i, id, echoed, noReply, reply, now) -> { }),
                new InlineViews(view -> {
                    seen.add(view.peer() + " " + view.clientId() + "/" + view.incarnation() + "/" + view.msgId() + " "
                            + view.sendTimeMillis() + " " + java.util.Arrays.toString(view.copyPayload()) + " "
                            + view.payloadLength() + " readOnly=" + view.payload().isReadOnly());
                    if (view.msgId() == 3) {
                        throw new IllegalStateException("handler bug");
                    }
                    assertThat(view.toMessage().payload()).containsExactly(4, 5, 6);
                }, errors));
        viewing.onData(peer, replyTo, 2, 77, 1, NOW_MS, 1, received, 2, 3, 5_000_000L, NOW_MS);
        viewing.onData(peer, replyTo, 2, 77, 1, NOW_MS, 2, received, 2, 3, 5_000_000L, NOW_MS); // duplicate
        viewing.onData(peer, replyTo, 2, 77, 3, NOW_MS, 1, received, 3, 2, 5_000_000L, NOW_MS);

        assertThat(seen).containsExactly("b 2/77/1 " + NOW_MS + " [4, 5, 6] 3 readOnly=true",
                "b 2/77/3 " + NOW_MS + " [5, 6] 2 readOnly=true");
        assertThat(delivered).as("nothing copied into the delivery queue").isEmpty();
        assertThat(acked).containsExactly(1L, 1L, 3L);
        assertThat(peer.duplicates.get()).isEqualTo(1);
        assertThat(peer.delivered.get()).isEqualTo(2);
        assertThat(errors.get()).isEqualTo(1);
        assertThat(received.position()).as("the datagram's own position untouched").isZero();
    }

    /** A System.Logger that keeps each message it is given. */
    private static final class CapturingLogger implements System.Logger {
        private final List<String> messages;

        CapturingLogger(List<String> messages) {
            this.messages = messages;
        }

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            messages.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            messages.add(format);
        }

        @Override
        public void log(Level level, Supplier<String> supplier) {
            messages.add(supplier.get());
        }
    }
}
