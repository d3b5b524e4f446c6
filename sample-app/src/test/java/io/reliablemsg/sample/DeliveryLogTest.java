package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.InboundMessage;
import org.junit.jupiter.api.Test;

/** The handler's duplicate check and its record of delivery times (read by the chaos harness). */
class DeliveryLogTest {
    private static InboundMessage message(int clientId, long msgId) {
        return new InboundMessage("p" + clientId, clientId, 42L, msgId, 0L, new byte[] {1});
    }

    @Test
    void recordsWhoSentEachMessageAndWhenItArrivedAndFiltersByTime() {
        DeliveryLog log = new DeliveryLog();
        long before = System.currentTimeMillis();
        log.onMessage(message(3, 10));
        log.onMessage(message(4, 11));
        long after = System.currentTimeMillis();

        DeliveryLog.Timed all = log.deliveredSince(0);
        assertThat(all.total()).isEqualTo(2);
        assertThat(all.deliveries()).extracting(DeliveryLog.Delivery::clientId, DeliveryLog.Delivery::msgId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3, 10L), org.assertj.core.groups.Tuple.tuple(4, 11L));
        assertThat(all.deliveries()).allSatisfy(d -> assertThat(d.atMillis()).isBetween(before, after));
        assertThat(log.deliveredSince(after + 1).deliveries()).isEmpty();
        assertThat(log.delivered()).isEqualTo(2);
        assertThat(log.repeated()).isZero();
    }

    @Test
    void keepsTheLastDeliveriesOnceTheRecordIsFullAndCountsRepeats() {
        DeliveryLog log = new DeliveryLog();
        int extra = 5;
        for (int i = 0; i < DeliveryLog.TIMED + extra; i++) {
            log.onMessage(message(1, i));
        }
        log.onMessage(message(1, DeliveryLog.TIMED + extra - 1)); // the last one again

        DeliveryLog.Timed timed = log.deliveredSince(0);
        assertThat(timed.total()).isEqualTo(DeliveryLog.TIMED + extra + 1L);
        assertThat(timed.deliveries()).hasSize(DeliveryLog.TIMED);
        assertThat(timed.deliveries().get(0).msgId()).as("oldest kept").isEqualTo(extra + 1L);
        assertThat(timed.deliveries().get(DeliveryLog.TIMED - 1).msgId()).isEqualTo(DeliveryLog.TIMED + extra - 1L);
        assertThat(log.repeated()).isEqualTo(1);
    }
}
