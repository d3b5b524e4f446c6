package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Send slots: the chain's capacity, shared by all peers, counted per peer, never exceeded. */
class SendSlotsTest {
    @Test
    void refusesTheReservationBeyondCapacityAndCountsIt() {
        SendSlots slots = new SendSlots(2, 2);
        assertThat(slots.tryReserve(0)).isTrue();
        assertThat(slots.tryReserve(1)).isTrue();
        assertThat(slots.tryReserve(1)).isFalse();
        assertThat(slots.rejections()).isEqualTo(1);
        assertThat(slots.held()).isEqualTo(2);
        assertThat(slots.held(0)).isEqualTo(1);
        assertThat(slots.held(1)).isEqualTo(1);
        slots.release(1);
        assertThat(slots.held(1)).isZero();
        assertThat(slots.tryReserve(0)).isTrue();
        assertThat(slots.held(0)).isEqualTo(2);
        assertThat(slots.rejections()).isEqualTo(1);
    }

    @Test
    @Timeout(20)
    void neverGrantsMoreThanItsCapacityToConcurrentSenders() throws Exception {
        int capacity = 64;
        SendSlots slots = new SendSlots(capacity, 4);
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int peer = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50_000; i++) {
                    if (slots.tryReserve(peer)) {
                        granted.incrementAndGet();
                        maxSeen.accumulateAndGet(slots.held(), Math::max);
                        if (i % 3 != 0) {
                            slots.release(peer);
                        }
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(maxSeen.get()).isLessThanOrEqualTo(capacity);
        assertThat(slots.held()).isEqualTo(capacity); // every third grant was kept: the slots filled up
        assertThat(slots.held(0) + slots.held(1) + slots.held(2) + slots.held(3)).isEqualTo(capacity);
        assertThat(granted.get() + slots.rejections()).isEqualTo(4 * 50_000L);
    }
}
