package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.reliablemsg.FailureReason;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.PathChange;
import io.reliablemsg.PathState;
import io.reliablemsg.SendFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The callback dispatcher on its own: callbacks in arrival order on its thread, the delivery bound,
 * send slots freed only after the listener ran, listener errors counted, and what a blocked listener
 * never saw at close released and reported.
 */
@Timeout(20)
class CallbackDispatcherTest {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private final SendSlots slots = new SendSlots(10);
    private final SendSlots.Account[] peers = {slots.open(), slots.open()};

    private static InboundMessage message(long id) {
        return new InboundMessage("a", 1, 7, id, 0, new byte[] {(byte) id});
    }

    private static SendFailure failure(long id) {
        return new SendFailure("b", id, new byte[] {(byte) id}, 3, FailureReason.RETRIES_EXHAUSTED);
    }

    private CallbackDispatcher dispatcher(int capacity, boolean inline) {
        return new CallbackDispatcher("test-callbacks", m -> seen.add("deliver " + m.msgId()),
                f -> seen.add("fail " + f.msgId()), (peer, id, latencyNs, transmissions) -> seen.add("ack " + id),
                null, null, slots, errors, capacity, inline, 1, null);
    }

    @Test
    void runsDeliveriesAcksAndFailuresInArrivalOrderOnItsOwnThread() {
        List<String> threads = new CopyOnWriteArrayList<>();
        CallbackDispatcher d = new CallbackDispatcher("test-callbacks", m -> {
            threads.add(Thread.currentThread().getName());
            seen.add("deliver " + m.msgId());
        }, f -> seen.add("fail " + f.msgId()), (peer, id, l, t) -> seen.add("ack " + id), null, null, slots, errors, 10, false, 1, null);
        slots.tryReserve(peers[1]);
        slots.tryReserve(peers[1]);
        d.offer(message(1));
        d.acked("b", 1, 2, 5, 1);
        d.failed(failure(3), 1);
        d.offer(message(4));
        d.close(TimeUnit.SECONDS.toNanos(5));
        assertThat(seen).containsExactly("deliver 1", "ack 2", "fail 3", "deliver 4");
        assertThat(threads).containsOnly("test-callbacks");
        assertThat(slots.held()).isZero();
    }

    @Test
    void refusesDeliveriesBeyondItsCapacityWhileTheHandlerIsBusy() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CallbackDispatcher d = new CallbackDispatcher("test-callbacks", m -> {
            entered.countDown();
            await(release);
        }, f -> { }, null, null, null, slots, errors, 2, false, 1, null);
        assertThat(d.offer(message(1))).isTrue();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue(); // 1 is being handled: it left the queue
        assertThat(d.offer(message(2))).isTrue();
        assertThat(d.offer(message(3))).isTrue();
        assertThat(d.offer(message(4))).as("third queued delivery with capacity 2").isFalse();
        assertThat(d.queuedDeliveries()).isEqualTo(2);
        release.countDown();
        d.close(TimeUnit.SECONDS.toNanos(5));
        assertThat(d.queuedDeliveries()).isZero();
    }

    @Test
    void refusesHandlerRunsBeyondItsCapacityWhileTheHandlerIsBusy() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CallbackDispatcher d = dispatcher(2, false);
        assertThat(d.offerDelivery("a", () -> {
            entered.countDown();
            await(release);
        })).isTrue();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue(); // the first run left the queue
        assertThat(d.offerDelivery("a", () -> seen.add("run 2"))).isTrue();
        assertThat(d.offerDelivery("a", () -> seen.add("run 3"))).isTrue();
        assertThat(d.offerDelivery("a", () -> seen.add("run 4"))).as("a third queued run with capacity 2").isFalse();
        release.countDown();
        d.close(TimeUnit.SECONDS.toNanos(5));
        assertThat(seen).containsExactly("run 2", "run 3");
    }

    @Test
    void freesAnAckedMessagesSlotOnlyAfterTheAckListenerReturned() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CallbackDispatcher d = new CallbackDispatcher("test-callbacks", m -> { }, f -> { }, (peer, id, l, t) -> {
            entered.countDown();
            await(release);
        }, null, null, slots, errors, 10, false, 1, null);
        slots.tryReserve(peers[0]);
        d.acked("a", 0, 1, 5, 1);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(peers[0].held()).as("slot while the listener runs").isEqualTo(1);
        release.countDown();
        d.close(TimeUnit.SECONDS.toNanos(5));
        assertThat(peers[0].held()).isZero();
    }

    @Test
    void freesTheSlotAtOnceWhenThereIsNoAckListener() {
        CallbackDispatcher d = new CallbackDispatcher("test-callbacks", m -> { }, f -> { }, null, null, null, slots, errors, 10,
                false, 1, null);
        slots.tryReserve(peers[1]);
        d.acked("b", 1, 1, 5, 1); // no listener: nothing queued, the caller frees the slot
        assertThat(peers[1].held()).isZero();
        d.close(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void countsEveryThrowingCallbackAndStillFreesItsSlot() {
        CallbackDispatcher d = new CallbackDispatcher("test-callbacks", m -> {
            throw new IllegalStateException("handler");
        }, f -> {
            throw new IllegalStateException("failure listener");
        }, (peer, id, l, t) -> {
            throw new IllegalStateException("ack listener");
        }, null, null, slots, errors, 10, false, 1, null);
        slots.tryReserve(peers[0]);
        slots.tryReserve(peers[0]);
        d.offer(message(1));
        d.failed(failure(2), 0);
        d.acked("a", 0, 3, 5, 1);
        d.close(TimeUnit.SECONDS.toNanos(5));
        assertThat(errors.get()).isEqualTo(3);
        assertThat(slots.held()).isZero();
    }

    @Test
    void inlineRunsEachCallbackOnTheCallerBeforeReturning() {
        CallbackDispatcher d = dispatcher(1, true);
        slots.tryReserve(peers[0]);
        slots.tryReserve(peers[0]);
        assertThat(d.offer(message(1))).isTrue();
        assertThat(d.offer(message(2))).as("inline has no queue to fill").isTrue();
        d.acked("a", 0, 3, 5, 1);
        assertThat(slots.held()).isEqualTo(1);
        d.failed(failure(4), 0);
        assertThat(seen).containsExactly("deliver 1", "deliver 2", "ack 3", "fail 4");
        assertThat(slots.held()).isZero();
    }

    @Test
    void closeReleasesTheSlotsOfOutcomesABlockedListenerNeverSaw() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CallbackDispatcher d = new CallbackDispatcher("test-callbacks", m -> {
            entered.countDown();
            await(new CountDownLatch(1)); // blocks until interrupted
        }, f -> seen.add("fail " + f.msgId()), (peer, id, l, t) -> seen.add("ack " + id), null, null, slots, errors, 10, false, 1, null);
        d.offer(message(1));
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        slots.tryReserve(peers[0]);
        slots.tryReserve(peers[1]);
        d.failed(failure(2), 0);
        d.acked("b", 1, 3, 5, 1);
        d.close(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(seen).as("never reached the listeners").isEmpty();
        assertThat(slots.held()).as("slots released even so").isZero();
    }

    /** Path changes reach the path listener in arrival order with the other callbacks; a throwing one is counted. */
    @Test
    void pathChangesReachThePathListenerInOrderWithDeliveriesOnTheThreadAndInline() {
        PathChange down = new PathChange("b", "10.1.0.2:7000", PathState.ACTIVE, PathState.FAILED, "no ack");
        PathChange up = new PathChange("b", "10.1.0.2:7000", PathState.FAILED, PathState.ACTIVE, "answered");
        for (boolean inline : new boolean[] {false, true}) {
            seen.clear();
            CallbackDispatcher d = new CallbackDispatcher("test-callbacks-paths", m -> seen.add("deliver " + m.msgId()),
                    f -> { }, null, c -> {
                        if (c.current() == PathState.ACTIVE) {
                            throw new IllegalStateException("listener bug");
                        }
                        seen.add("path " + c.previous() + "->" + c.current());
                    }, null, slots, errors, 10, inline, 1, null);
            d.offer(message(1));
            d.pathChanged(down);
            d.offer(message(2));
            d.pathChanged(up);
            d.close(TimeUnit.SECONDS.toNanos(10));
            assertThat(seen).as("inline " + inline).containsExactly("deliver 1", "path ACTIVE->FAILED", "deliver 2");
        }
        assertThat(errors.get()).as("the throwing path listener, once per run").isEqualTo(2);
    }

    @Test
    void withoutAPathListenerPathChangesCostNothing() {
        CallbackDispatcher d = dispatcher(10, false);
        d.pathChanged(new PathChange("b", "10.1.0.2:7000", PathState.ACTIVE, PathState.FAILED, "no ack"));
        d.offer(message(1));
        d.close(TimeUnit.SECONDS.toNanos(10));
        assertThat(seen).containsExactly("deliver 1");
        assertThat(errors.get()).isZero();
    }

    /** A handler blocked past the close timeout is interrupted, so the callback thread can end. */
    @Test
    void closeInterruptsAHandlerThatBlocksPastTheTimeout() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        CallbackDispatcher d = new CallbackDispatcher("test-callbacks-interrupt", m -> {
            entered.countDown();
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        }, f -> { }, null, null, null, slots, errors, 10, false, 1, null);
        d.offer(message(1));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        d.close(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(interrupted.await(30, TimeUnit.SECONDS)).as("the handler saw the interrupt").isTrue();
    }

    /** The callback thread is a daemon: a messenger left open never keeps the JVM from exiting. */
    @Test
    void theCallbackThreadIsADaemonNamedAsGiven() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        Thread[] handlerThread = new Thread[1];
        CallbackDispatcher d = new CallbackDispatcher("test-callbacks-daemon", m -> {
            handlerThread[0] = Thread.currentThread();
            entered.countDown();
        }, f -> { }, null, null, null, slots, errors, 10, false, 1, null);
        d.offer(message(1));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(handlerThread[0].getName()).isEqualTo("test-callbacks-daemon");
        assertThat(handlerThread[0].isDaemon()).isTrue();
        d.close(TimeUnit.SECONDS.toNanos(5));
    }

    /** A peer name whose deliveries go to lane {@code lane} of {@code lanes}. */
    private static String peerOnLane(int lane, int lanes) {
        for (int i = 0; ; i++) {
            String name = "peer-" + i;
            if (Math.floorMod(name.hashCode(), lanes) == lane) {
                return name;
            }
        }
    }

    private static InboundMessage message(String peer, long id) {
        return new InboundMessage(peer, 1, 7, id, 0, new byte[] {(byte) id});
    }

    /**
     * With several lanes, a handler that blocks for one peer does not hold up another peer's on another lane
     * (on one lane this test would wait out its latch and fail), and each peer's messages keep their order
     * on one thread of their own.
     */
    @Test
    void lanesRunDifferentPeersConcurrentlyAndEachPeerInOrderOnOneThread() throws Exception {
        String slow = peerOnLane(1, 4);
        String fast = peerOnLane(2, 4);
        CountDownLatch fastDone = new CountDownLatch(3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowEntered = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        List<String> threadsOfFast = new CopyOnWriteArrayList<>();
        CallbackDispatcher d = new CallbackDispatcher("test-lanes", m -> {
            if (m.peer().equals(slow)) {
                slowEntered.countDown();
                await(release);
                order.add(m.peer() + " " + m.msgId());
            } else {
                threadsOfFast.add(Thread.currentThread().getName());
                order.add(m.peer() + " " + m.msgId());
                fastDone.countDown();
            }
        }, f -> { }, null, null, null, slots, errors, 10, false, 4, null);
        d.offer(message(slow, 1));
        d.offer(message(slow, 2));
        for (int id = 1; id <= 3; id++) {
            d.offer(message(fast, id));
        }
        assertThat(fastDone.await(10, TimeUnit.SECONDS)).as("the other peer's handlers ran while one blocked").isTrue();
        assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.queuedDeliveries()).as("the blocked peer's second message waits, counted").isEqualTo(1);
        release.countDown();
        d.close(TimeUnit.SECONDS.toNanos(5));
        assertThat(order).containsSubsequence(fast + " 1", fast + " 2", fast + " 3", slow + " 1", slow + " 2");
        assertThat(threadsOfFast).containsOnly("test-lanes-2");
        assertThat(d.laneStarted(0)).as("no callback went to the first lane").isFalse();
        assertThat(d.laneStarted(3)).as("no peer maps to lane 3: no thread").isFalse();
    }

    /** The bound on waiting deliveries covers every lane together. */
    @Test
    void theDeliveryBoundIsSharedByTheLanes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(2);
        CallbackDispatcher d = new CallbackDispatcher("test-lanes-bound", m -> {
            entered.countDown();
            await(release);
        }, f -> { }, null, null, null, slots, errors, 3, false, 2, null);
        String a = peerOnLane(0, 2);
        String b = peerOnLane(1, 2);
        assertThat(d.offer(message(a, 1))).isTrue();
        assertThat(d.offer(message(b, 1))).isTrue();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue(); // both running: nothing waits
        assertThat(d.offer(message(a, 2))).isTrue();
        assertThat(d.offerDelivery(b, () -> { })).isTrue();
        assertThat(d.offer(message(b, 2))).isTrue();
        assertThat(d.offer(message(a, 3))).as("three wait across the two lanes: full").isFalse();
        assertThat(d.offerDelivery(b, () -> { })).isFalse();
        release.countDown();
        d.close(TimeUnit.SECONDS.toNanos(5));
    }

    /** Lane threads come from the factory given (virtual threads, say), named after their lane. */
    @Test
    void laneThreadsComeFromTheFactoryAndAreNamedAfterTheirLane() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(2);
        List<String> names = new CopyOnWriteArrayList<>();
        CallbackDispatcher d = new CallbackDispatcher("test-factory", m -> {
            names.add(Thread.currentThread().getName());
            ran.countDown();
        }, f -> seen.add("fail " + f.msgId()), null, null, null, slots, errors, 10, false, 3, r -> {
            Thread t = new Thread(r, "from-factory");
            t.setDaemon(true);
            made.add(t);
            return t;
        });
        d.offer(message(peerOnLane(1, 3), 1));
        d.offer(message(peerOnLane(2, 3), 1));
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        slots.tryReserve(peers[0]);
        d.failed(failure(9), 0);
        d.close(TimeUnit.SECONDS.toNanos(5));
        assertThat(made).hasSize(3);
        assertThat(names).containsExactlyInAnyOrder("test-factory-1", "test-factory-2");
        assertThat(made).extracting(Thread::getName).containsExactlyInAnyOrder("test-factory", "test-factory-1",
                "test-factory-2");
        assertThat(seen).containsExactly("fail 9");
        assertThat(slots.held()).as("the failure's slot is back").isZero();
    }

    @Test
    void aFactoryThatReturnsNoThreadIsAClearError() {
        CallbackDispatcher d = new CallbackDispatcher("test-null-factory", m -> { }, f -> { }, null, null, null, slots,
                errors, 10, false, 2, r -> null);
        assertThatIllegalStateException().isThrownBy(() -> d.offer(message(1)))
                .withMessageContaining("returned no thread for test-null-factory");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
