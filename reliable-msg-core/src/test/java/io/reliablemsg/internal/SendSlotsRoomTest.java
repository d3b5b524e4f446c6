package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Waiting for room ({@link SendSlots#awaitRoom}): a waiting sender returns once an eighth of the slots (at least
 * one) and an eighth of the byte bound are free again, not at the first release; it returns false at its deadline
 * when no room came.
 */
@Timeout(30)
class SendSlotsRoomTest {
    private static final long LONG_NS = TimeUnit.SECONDS.toNanos(20);

    @Test
    void theLowWaterMarkIsTheCapacityLessAnEighthAndAtLeastOne() {
        assertThat(new SendSlots(1).lowWater()).isZero();
        assertThat(new SendSlots(7).lowWater()).isEqualTo(6);
        assertThat(new SendSlots(16).lowWater()).isEqualTo(14);
        assertThat(new SendSlots(1000).lowWater()).isEqualTo(875);
    }

    @Test
    void aWaitingSenderStaysAsleepUntilAnEighthOfTheSlotsIsFree() throws Exception {
        SendSlots slots = new SendSlots(16);
        SendSlots.Account a = fill(slots, 16);
        AtomicInteger heldAtReturn = new AtomicInteger(-1);
        CompletableFuture<Boolean> waiter = waitInThread(slots, System.nanoTime() + LONG_NS, heldAtReturn);
        slots.release(a.index()); // 15 held: above the low-water mark of 14
        await("one free slot of 16 does not wake it").during(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(5)).until(() -> !waiter.isDone()); // room for a wrong wake-up to return
        slots.release(a.index()); // 14 held
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(heldAtReturn.get()).isEqualTo(14);
    }

    @Test
    void withOneSlotTheReleaseOfThatSlotWakesIt() throws Exception {
        SendSlots slots = new SendSlots(1);
        SendSlots.Account a = fill(slots, 1);
        CompletableFuture<Boolean> waiter = waitInThread(slots, System.nanoTime() + LONG_NS, new AtomicInteger());
        await("still waiting while its one slot is held").during(Duration.ofMillis(50))
                .atMost(Duration.ofSeconds(5)).until(() -> !waiter.isDone());
        slots.release(a.index());
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void itReturnsFalseAtItsDeadlineWhenNoRoomCame() throws Exception {
        SendSlots slots = new SendSlots(8);
        fill(slots, 8);
        long start = System.nanoTime();
        assertThat(slots.awaitRoom(start + TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(System.nanoTime() - start).as("it waited until its deadline")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(slots.held()).isEqualTo(8);
    }

    @Test
    void itAlsoWaitsForTheByteBoundLessAnEighth() throws Exception {
        SendSlots slots = new SendSlots(16, 800); // the bytes' low-water mark: 700
        SendSlots.Account a = slots.open();
        assertThat(slots.tryReserve(a)).isTrue();
        assertThat(slots.tryReserveBytes(800)).isTrue();
        assertThat(slots.tryReserveBytes(1)).as("the byte bound refuses").isFalse();
        CompletableFuture<Boolean> waiter = waitInThread(slots, System.nanoTime() + LONG_NS, new AtomicInteger());
        slots.releaseBytes(50); // 750 held
        await("50 bytes free of 800 do not wake it").during(Duration.ofMillis(100))
                .atMost(Duration.ofSeconds(5)).until(() -> !waiter.isDone());
        slots.releaseBytes(50); // 700 held
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withRoomAlreadyThereItWaitsAMillisecondForTheNextReleaseNotUntilItsDeadline() throws Exception {
        SendSlots slots = new SendSlots(16);
        fill(slots, 2);
        long start = System.nanoTime();
        assertThat(slots.awaitRoom(start + LONG_NS)).isTrue();
        long waited = System.nanoTime() - start;
        assertThat(waited).as("no release came: it waited its millisecond")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(waited).as("not until its deadline").isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void sendersWaitingInTurnFromTwoThreadsBothGetRoom() throws Exception {
        SendSlots slots = new SendSlots(8); // low-water mark 7
        SendSlots.Account a = fill(slots, 8);
        CompletableFuture<Boolean> first = waitInThread(slots, System.nanoTime() + LONG_NS, new AtomicInteger());
        slots.release(a.index());
        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(slots.tryReserve(a)).isTrue(); // full again
        CompletableFuture<Boolean> second = waitInThread(slots, System.nanoTime() + LONG_NS, new AtomicInteger());
        slots.release(a.index());
        assertThat(second.get(10, TimeUnit.SECONDS)).as("the first wait left the lock free").isTrue();
    }

    private static SendSlots.Account fill(SendSlots slots, int n) {
        SendSlots.Account a = slots.open();
        for (int i = 0; i < n; i++) {
            assertThat(slots.tryReserve(a)).isTrue();
        }
        return a;
    }

    /** Waits in a thread of its own; completes with what awaitRoom returned, having recorded the slots held then. */
    private static CompletableFuture<Boolean> waitInThread(SendSlots slots, long deadlineNs, AtomicInteger heldAtReturn)
            throws InterruptedException {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                boolean room = slots.awaitRoom(deadlineNs);
                heldAtReturn.set(slots.held());
                result.complete(room);
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "room-waiter");
        t.setDaemon(true);
        t.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> t.getState() == Thread.State.TIMED_WAITING);
        return result;
    }
}
