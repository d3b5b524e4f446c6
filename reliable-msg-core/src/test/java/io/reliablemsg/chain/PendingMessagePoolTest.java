package io.reliablemsg.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.TraceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingMessagePool}: an entry given back comes out as new, holding nothing of its last message while it
 * waits; only plain entries off every deadline queue go back; a full pool drops; taking threads never share one.
 */
class PendingMessagePoolTest {
    private static final long INTERVAL = 1_000;

    private final RetransmitChain.Listener ignore = new RetransmitChain.Listener() {
        @Override
        public void onRetransmit(PendingMessage m, long nowNs, long nowMillis) {
        }

        @Override
        public void onExhausted(PendingMessage m, long nowNs) {
        }
    };

    @Test
    void anEmptyPoolMakesTheEntryAsTheConstructorWould() {
        PendingMessagePool pool = new PendingMessagePool(4);
        byte[] payload = {1, 2};
        byte[] buffer = {3};
        PendingMessage m = pool.take(7, 2, payload, buffer, true);
        assertThat(m.getClass()).isEqualTo(PendingMessage.class);
        assertThat(m.msgId()).isEqualTo(7);
        assertThat(m.peer()).isEqualTo(2);
        assertThat(m.payload()).isSameAs(payload);
        assertThat(m.userBuffer()).isSameAs(buffer);
        assertThat(m.isRequest()).isTrue();
        assertThat(pool.size()).isZero();
    }

    @Test
    void anAckedEntryComesBackWithNothingOfItsLastMessage() {
        PendingMessagePool pool = new PendingMessagePool(4);
        RetransmitChain chain = new RetransmitChain(4, 2, INTERVAL, 3);
        PendingMessage before = pool.take(1, 0, new byte[] {1}, new byte[] {9}, true);
        PendingMessage after = pool.take(2, 0, new byte[] {2}, new byte[0], false);
        chain.add(before, 10);
        chain.add(after, 20); // a neighbour: links both ways
        chain.pollDue(0, 10 + INTERVAL, 0L, 10, ignore); // a second copy of 1
        before.restartRetries(); // as its ack would
        before.lastPath(3);
        chain.remove(before);
        assertThat(pool.recycle(before)).isTrue();
        assertThat(pool.size()).isOne();

        byte[] payload = {5, 5, 5};
        byte[] buffer = {6};
        PendingMessage m = pool.take(3, 1, payload, buffer, false);
        assertThat(m).isSameAs(before);
        assertThat(pool.size()).isZero();
        assertThat(m.msgId()).isEqualTo(3);
        assertThat(m.peer()).isOne();
        assertThat(m.payload()).isSameAs(payload);
        assertThat(m.userBuffer()).isSameAs(buffer);
        assertThat(m.isRequest()).isFalse();
        assertThat(m.transmissions()).isZero();
        assertThat(m.retriesFrom).isZero();
        assertThat(m.lastPath()).isZero();
        assertThat(m.firstSendNs()).isZero();
        assertThat(m.deadlineNs()).isZero();
        assertThat(m.fragments()).isNull();
        assertThat(m.previous).isNull();
        assertThat(m.next).isNull();

        chain.add(m, 5_000);
        assertThat(chain.get(3)).isSameAs(m);
        assertThat(chain.get(1)).as("the old id finds nothing").isNull();
        assertThat(chain.size(1)).isOne();
        assertThat(chain.size(0)).as("1 left peer 0's queue, 2 stays").isOne();
        assertThat(chain.bytes()).isEqualTo(4);
    }

    @Test
    void anEntryInThePoolKeepsNoPayloadAliveAndNoIdThatCouldBeFound() {
        PendingMessagePool pool = new PendingMessagePool(4);
        PendingMessage m = pool.take(1, 0, new byte[1000], new byte[10], false);
        assertThat(pool.recycle(m)).isTrue();
        assertThat(m.payload()).isNull();
        assertThat(m.userBuffer()).isNull();
        assertThat(m.msgId()).isZero();
    }

    @Test
    void tracedAndFragmentedEntriesAreLeftToTheCollector() {
        PendingMessagePool pool = new PendingMessagePool(4);
        TracedMessage traced = new TracedMessage(1, 0, new byte[1], new byte[0], false,
                TraceContext.of(1, 2, 3, TraceContext.FLAG_SAMPLED, null));
        PendingMessage fragmented = pool.take(2, 0, new byte[3000], new byte[0], false);
        fragmented.fragments(new FragmentAcks(3, 1000));

        assertThat(pool.recycle(traced)).isFalse();
        assertThat(pool.recycle(fragmented)).isFalse();
        assertThat(pool.size()).isZero();
        assertThat(fragmented.payload()).as("untouched: the probes may still read it").hasSize(3000);
        assertThat(pool.take(3, 0, new byte[1], new byte[0], false)).isNotSameAs(fragmented).isNotSameAs(traced);
    }

    @Test
    void anEntryStillLinkedInADeadlineQueueIsRefusedLoudly() {
        PendingMessagePool pool = new PendingMessagePool(4);
        RetransmitChain chain = new RetransmitChain(4, 1, INTERVAL, 3);
        PendingMessage first = pool.take(1, 0, new byte[1], new byte[0], false);
        PendingMessage second = pool.take(2, 0, new byte[1], new byte[0], false);
        chain.add(first, 0);
        chain.add(second, 1);

        assertThatThrownBy(() -> pool.recycle(first)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("message 1");
        assertThatThrownBy(() -> pool.recycle(second)).isInstanceOf(IllegalStateException.class);
        assertThat(pool.size()).isZero();
        assertThat(first.payload()).as("left as it was").isNotNull();
    }

    @Test
    void aFullPoolDropsTheEntryAndGivesBackTheOthersInOrder() {
        PendingMessagePool pool = new PendingMessagePool(3); // 4 entries
        List<PendingMessage> given = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            given.add(new PendingMessage(i, 0, new byte[1], new byte[0]));
        }
        for (int i = 0; i < 4; i++) {
            assertThat(pool.recycle(given.get(i))).isTrue();
        }
        assertThat(pool.recycle(given.get(4))).as("full").isFalse();
        assertThat(pool.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(pool.take(10 + i, 0, new byte[1], new byte[0], false)).isSameAs(given.get(i));
        }
        assertThat(pool.take(20, 0, new byte[1], new byte[0], false)).as("empty: a new one")
                .isNotIn(given);
        assertThat(pool.recycle(given.get(4))).as("room again, after a lap").isTrue();
    }

    @Test
    void aPoolOfOneHoldsTwoAndTheCapacityIsChecked() {
        PendingMessagePool pool = new PendingMessagePool(1);
        assertThat(pool.recycle(new PendingMessage(1, 0, new byte[1], new byte[0]))).isTrue();
        assertThat(pool.recycle(new PendingMessage(2, 0, new byte[1], new byte[0]))).isTrue();
        assertThat(pool.recycle(new PendingMessage(3, 0, new byte[1], new byte[0]))).isFalse();
        assertThatThrownBy(() -> new PendingMessagePool(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PendingMessagePool((1 << 30) + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsTakingAtOnceNeverGetTheSameEntry() throws Exception {
        PendingMessagePool pool = new PendingMessagePool(64);
        for (int i = 0; i < 64; i++) {
            pool.recycle(new PendingMessage(i + 1, 0, new byte[1], new byte[0]));
        }
        Set<PendingMessage> inUse = ConcurrentHashMap.newKeySet();
        AtomicReference<String> problem = new AtomicReference<>();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (long i = 0; i < 200_000 && problem.get() == null; i++) {
                    long id = thread * 1_000_000L + i + 1;
                    PendingMessage m = pool.take(id, thread, new byte[0], new byte[0], false);
                    if (!inUse.add(m)) {
                        problem.compareAndSet(null, "entry handed to two threads at once");
                    }
                    if (m.msgId() != id || m.peer() != thread) {
                        problem.compareAndSet(null, "entry changed while in use: " + m.msgId() + " for " + id);
                    }
                    inUse.remove(m);
                    pool.recycle(m); // the engine lock serialises this in the messenger; here it races too
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(problem.get()).isNull();
        assertThat(pool.size()).isLessThanOrEqualTo(64);
    }
}
