package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Proves the contract of {@link BoundedMpscQueue}, the hand-over from sending threads to the I/O
 * loop: it holds at most its capacity (the requested minimum rounded up to a power of two) and
 * {@code offer} returns false exactly when it is full; one producer's elements come out in the
 * order offered, across many laps of the ring; and with eight real producer threads racing into a
 * small queue while one consumer drains it, no element is lost or duplicated, each producer's
 * order is kept, and the consumer never sees more elements held than the capacity.
 *
 * <p>The concurrent tests use real threads released together by a {@link CountDownLatch}; every
 * loop in them is bounded by a count and a deadline. The {@link Timeout} runs each test on a
 * thread of its own, so that even an {@code offer} that spins for ever (a broken full check) fails
 * the test instead of hanging the build.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedMpscQueueTest {
    private static final int PRODUCERS = 8;
    private static final int ELEMENTS_PER_PRODUCER = 20_000; // 160,000 through 16 slots: 50,000 each ran past the bound on 2 loaded cores
    private static final int SMALL_CAPACITY = 16;
    /** How long a concurrent run may take before its loops give up: it needs under a second idle, ~10 s loaded. */
    private static final long RUN_LIMIT_NS = TimeUnit.SECONDS.toNanos(60);
    /** How long all threads of a run together may take to end once they should have. */
    private static final long JOIN_LIMIT_NS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void acceptsExactlyItsCapacityAndRefusesTheNextOfferUntilAnElementIsTaken() {
        BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(8);
        for (int i = 0; i < 8; i++) {
            assertThat(queue.offer(i)).as("offer %d of 8", i).isTrue();
        }

        assertThat(queue.offer(8)).as("offer into a full queue").isFalse();
        assertThat(queue.poll()).isZero();
        assertThat(queue.offer(8)).as("offer after one element was taken").isTrue();
        assertThat(queue.offer(9)).as("offer when full again").isFalse();
    }

    @ParameterizedTest(name = "asked for {0}, holds {1}")
    @CsvSource({"1, 2", "2, 2", "3, 4", "5, 8", "8, 8", "1000, 1024"})
    void holdsTheRequestedCapacityRoundedUpToAPowerOfTwo(int requested, int holds) {
        BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(requested);

        int accepted = 0;
        while (accepted <= 2 * holds && queue.offer(accepted)) { // bounded: a broken bound still stops
            accepted++;
        }

        assertThat(accepted).isEqualTo(holds).isGreaterThanOrEqualTo(requested);
    }

    @Test
    void isEmptyAndPollsNullWhenNothingWasOfferedOrEverythingWasTaken() {
        BoundedMpscQueue<String> queue = new BoundedMpscQueue<>(4);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();

        queue.offer("x");
        assertThat(queue.isEmpty()).isFalse();
        assertThat(queue.poll()).isEqualTo("x");

        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
    }

    /** Offers three, takes two, over and over: head and tail wrap the 4-slot ring at different points. */
    @Test
    void pollsInOfferOrderForASingleProducerAcrossManyLapsOfTheRing() {
        BoundedMpscQueue<Integer> queue = new BoundedMpscQueue<>(4);
        List<Integer> taken = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 1_000; round++) {
            for (int i = 0; i < 3 && queue.offer(next); i++) {
                next++;
            }
            for (int i = 0; i < 2; i++) {
                Integer e = queue.poll();
                if (e != null) {
                    taken.add(e);
                }
            }
        }
        for (Integer e = queue.poll(); e != null && taken.size() <= next; e = queue.poll()) {
            taken.add(e);
        }

        assertThat(next).as("elements accepted").isGreaterThan(2_000); // ~500 laps of the ring
        assertThat(taken).hasSize(next);
        for (int i = 0; i < taken.size(); i++) {
            assertThat(taken.get(i)).as("element %d", i).isEqualTo(i);
        }
    }

    /** No consumer: the producers race until each is refused once; together they filled it exactly. */
    @Test
    void acceptsExactlyItsCapacityFromConcurrentProducersWhenNothingIsTaken() throws InterruptedException {
        BoundedMpscQueue<Long> queue = new BoundedMpscQueue<>(SMALL_CAPACITY);
        CountDownLatch start = new CountDownLatch(1);
        AtomicLongArray acceptedBy = new AtomicLongArray(PRODUCERS);
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(startThread("producer-" + p, () -> {
                awaitQuietly(start);
                for (int i = 0; i <= SMALL_CAPACITY; i++) { // at most one more than fits
                    if (!queue.offer(element(producer, i))) {
                        return;
                    }
                    acceptedBy.incrementAndGet(producer);
                }
            }));
        }
        start.countDown();
        joinAll(producers);

        long accepted = 0;
        for (int p = 0; p < PRODUCERS; p++) {
            accepted += acceptedBy.get(p);
        }
        assertThat(accepted).isEqualTo(SMALL_CAPACITY);
        assertThat(queue.offer(element(0, SMALL_CAPACITY + 1))).as("offer into the full queue").isFalse();

        long[] nextSequence = new long[PRODUCERS];
        for (int i = 0; i < SMALL_CAPACITY; i++) {
            Long e = queue.poll();
            assertThat(e).as("element %d of %d", i, SMALL_CAPACITY).isNotNull();
            int producer = producerOf(e);
            assertThat(sequenceOf(e)).as("next element of producer %d", producer).isEqualTo(nextSequence[producer]++);
        }
        assertThat(queue.poll()).as("nothing beyond the capacity").isNull();
        for (int p = 0; p < PRODUCERS; p++) {
            assertThat(nextSequence[p]).as("elements taken from producer %d", p).isEqualTo(acceptedBy.get(p));
        }
    }

    /**
     * Eight producers offer 50,000 elements each into a 16-slot queue, retrying (with a yield) while
     * it is full; the test thread is the one consumer and starts draining once a producer has been
     * refused, so the full queue is exercised. An element is (producer, sequence): the consumer
     * checks that each producer's sequences arrive as 0, 1, 2, ... with none missing or repeated.
     * It also checks the bound: producers count an element after {@code offer} returned true, so
     * counted minus taken can only under-state what the queue holds, and must never exceed 16.
     */
    @Test
    void dropsNothingDuplicatesNothingAndKeepsEachProducersOrderUnderEightConcurrentProducers()
            throws InterruptedException {
        BoundedMpscQueue<Long> queue = new BoundedMpscQueue<>(SMALL_CAPACITY);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch firstRefusal = new CountDownLatch(1);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refusals = new AtomicLong();
        AtomicBoolean producerGaveUp = new AtomicBoolean();
        long deadlineNs = System.nanoTime() + RUN_LIMIT_NS;
        List<Thread> producers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(startThread("producer-" + p, () -> {
                awaitQuietly(start);
                for (int i = 0; i < ELEMENTS_PER_PRODUCER; i++) {
                    Long e = element(producer, i);
                    while (!queue.offer(e)) {
                        refusals.incrementAndGet();
                        firstRefusal.countDown();
                        if (System.nanoTime() - deadlineNs > 0) {
                            producerGaveUp.set(true);
                            return;
                        }
                        Thread.yield(); // let the consumer run on a machine with few cores
                    }
                    accepted.incrementAndGet();
                }
            }));
        }

        start.countDown();
        assertThat(firstRefusal.await(10, TimeUnit.SECONDS)).as("a producer found the queue full").isTrue();
        long total = (long) PRODUCERS * ELEMENTS_PER_PRODUCER;
        long[] nextSequence = new long[PRODUCERS];
        List<String> outOfOrder = new ArrayList<>();
        long taken = 0;
        long mostHeldSeen = 0;
        while (taken < total && System.nanoTime() - deadlineNs < 0) {
            mostHeldSeen = Math.max(mostHeldSeen, accepted.get() - taken);
            Long e = queue.poll();
            if (e == null) {
                Thread.onSpinWait();
                continue;
            }
            taken++;
            int producer = producerOf(e);
            long sequence = sequenceOf(e);
            if (sequence != nextSequence[producer] && outOfOrder.size() < 10) {
                outOfOrder.add("producer " + producer + ": expected " + nextSequence[producer] + " but took " + sequence);
            }
            nextSequence[producer] = Math.max(nextSequence[producer], sequence + 1);
        }
        joinAll(producers);

        assertThat(producerGaveUp).as("a producer ran out of time").isFalse();
        assertThat(outOfOrder).as("elements lost, repeated or reordered").isEmpty();
        assertThat(taken).isEqualTo(total);
        for (int p = 0; p < PRODUCERS; p++) {
            assertThat(nextSequence[p]).as("elements taken from producer %d", p).isEqualTo(ELEMENTS_PER_PRODUCER);
        }
        assertThat(queue.poll()).as("nothing left over").isNull();
        assertThat(mostHeldSeen).as("most elements held, as the consumer saw it").isLessThanOrEqualTo(SMALL_CAPACITY);
        assertThat(refusals.get()).as("offers refused because the queue was full").isPositive();
    }

    private static Long element(int producer, long sequence) {
        return (long) producer * ELEMENTS_PER_PRODUCER * 2 + sequence;
    }

    private static int producerOf(long element) {
        return (int) (element / (ELEMENTS_PER_PRODUCER * 2L));
    }

    private static long sequenceOf(long element) {
        return element % (ELEMENTS_PER_PRODUCER * 2L);
    }

    private static Thread startThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true); // a producer stuck by a bug must not keep the test JVM alive
        thread.start();
        return thread;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("start gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at the start gate", e);
        }
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        long deadlineNs = System.nanoTime() + JOIN_LIMIT_NS;
        for (Thread thread : threads) {
            TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadlineNs - System.nanoTime()));
            assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
        }
    }
}
