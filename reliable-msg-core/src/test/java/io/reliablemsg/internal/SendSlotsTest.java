package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Send slots: the chain's capacity, shared by all peers, counted per peer, never exceeded; a removed
 * peer's account refuses reservations, and its index is reused only once it holds nothing.
 */
class SendSlotsTest {
    @Test
    void refusesTheReservationBeyondCapacityAndCountsIt() {
        SendSlots slots = new SendSlots(2);
        SendSlots.Account a = slots.open();
        SendSlots.Account b = slots.open();
        assertThat(slots.tryReserve(a)).isTrue();
        assertThat(slots.tryReserve(b)).isTrue();
        assertThat(slots.tryReserve(b)).isFalse();
        assertThat(slots.rejections()).isEqualTo(1);
        assertThat(slots.held()).isEqualTo(2);
        assertThat(a.held()).isEqualTo(1);
        assertThat(b.held()).as("the refused reservation is not left on the account").isEqualTo(1);
        slots.release(b.index());
        assertThat(b.held()).isZero();
        assertThat(slots.tryReserve(a)).isTrue();
        assertThat(a.held()).isEqualTo(2);
        assertThat(slots.rejections()).isEqualTo(1);
    }

    @Test
    void aClosedAccountRefusesReservationsWithoutCountingThemAsAFullChain() {
        SendSlots slots = new SendSlots(4);
        SendSlots.Account a = slots.open();
        assertThat(slots.tryReserve(a)).isTrue();
        slots.close(a);
        assertThat(a.closed()).isTrue();
        assertThat(slots.tryReserve(a)).isFalse();
        assertThat(slots.rejections()).isZero();
        assertThat(a.held()).as("what it held is still held").isOne();
        slots.release(a.index());
        assertThat(a.held()).isZero();
        assertThat(a.closed()).isTrue();
        assertThat(slots.held()).isZero();
    }

    @Test
    void aRemovedPeersIndexIsGivenAgainOnlyOnceItsAccountHoldsNothing() {
        SendSlots slots = new SendSlots(4);
        SendSlots.Account a = slots.open();
        SendSlots.Account b = slots.open();
        assertThat(slots.tryReserve(a)).isTrue();
        slots.close(a);
        SendSlots.Account c = slots.open();
        assertThat(c.index()).as("a still holds a slot: its index is not free").isEqualTo(2);
        slots.release(a.index());
        SendSlots.Account d = slots.open();
        assertThat(d.index()).isEqualTo(a.index());
        assertThat(slots.tryReserve(d)).isTrue();
        slots.release(d.index());
        assertThat(d.held()).as("released to the new account").isZero();
        assertThat(b.index()).isOne();
        assertThat(slots.tryReserve(a)).as("the old account stays closed").isFalse();
    }

    @Test
    @Timeout(20)
    void neverGrantsMoreThanItsCapacityToConcurrentSenders() throws Exception {
        int capacity = 64;
        SendSlots slots = new SendSlots(capacity);
        SendSlots.Account[] accounts = {slots.open(), slots.open(), slots.open(), slots.open()};
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            SendSlots.Account peer = accounts[t];
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
                            slots.release(peer.index());
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
        assertThat(accounts[0].held() + accounts[1].held() + accounts[2].held() + accounts[3].held())
                .isEqualTo(capacity);
        assertThat(granted.get() + slots.rejections()).isEqualTo(4 * 50_000L);
    }
}
