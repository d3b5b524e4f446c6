package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.FailureReason;
import io.reliablemsg.Reply;
import io.reliablemsg.SendFailure;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/**
 * What a callback thread blocked at close never ran: every failure, ack and reply left in its queue gives
 * back the send slot of its own peer, once, and nothing is run.
 */
class UnreportedAtCloseTest {
    @Test
    void eachOutcomeLeftReleasesTheSlotOfItsOwnPeerOnce() {
        SendSlots slots = new SendSlots(8);
        SendSlots.Account failed = slots.open();
        SendSlots.Account acked = slots.open();
        SendSlots.Account replied = slots.open();
        for (SendSlots.Account a : new SendSlots.Account[] {failed, acked, replied}) {
            assertThat(slots.tryReserve(a)).isTrue();
            assertThat(slots.tryReserve(a)).isTrue();
        }
        Queue<Object> queue = new ArrayDeque<>();
        queue.add(new CallbackDispatcher.FailureTask(
                new SendFailure("f", 1, new byte[] {1, 2}, 3, FailureReason.SHUTDOWN), failed.index()));
        queue.add(new CallbackDispatcher.AckTask("a", acked.index(), 2, 1_000, 1));
        // Never run: a reply left at close is not handed to its future (null futures would throw if it were).
        queue.add(new ReplyDispatch.ReplyTask(new Reply("r", 3, new byte[] {3}, 1, Duration.ofMillis(1)),
                replied.index(), null, slots));
        queue.add("something else queued"); // a task of no kind above holds no slot

        UnreportedAtClose.drain(queue, slots);

        assertThat(queue).isEmpty();
        assertThat(failed.held()).as("the failure's slot").isOne();
        assertThat(acked.held()).as("the ack's slot").isOne();
        assertThat(replied.held()).as("the reply's slot").isOne();
        assertThat(slots.held()).isEqualTo(3);
    }

    @Test
    void repliesAloneEachReleaseTheirSlot() {
        SendSlots slots = new SendSlots(4);
        SendSlots.Account replied = slots.open();
        assertThat(slots.tryReserve(replied)).isTrue();
        assertThat(slots.tryReserve(replied)).isTrue();
        Queue<Object> queue = new ArrayDeque<>();
        for (long id = 1; id <= 2; id++) {
            queue.add(new ReplyDispatch.ReplyTask(new Reply("r", id, new byte[0], 1, Duration.ZERO),
                    replied.index(), null, slots));
        }

        UnreportedAtClose.drain(queue, slots);

        assertThat(replied.held()).isZero();
        assertThat(slots.held()).isZero();
    }

    @Test
    void anEmptyQueueReleasesNothing() {
        SendSlots slots = new SendSlots(2);
        SendSlots.Account a = slots.open();
        assertThat(slots.tryReserve(a)).isTrue();

        UnreportedAtClose.drain(new ArrayDeque<>(), slots);

        assertThat(a.held()).isOne();
    }
}
