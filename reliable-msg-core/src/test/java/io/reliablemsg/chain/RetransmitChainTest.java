package io.reliablemsg.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetransmitChainTest {
    private static final long INTERVAL = 1_000;

    private final List<Long> retransmitted = new ArrayList<>();
    private final List<Long> exhausted = new ArrayList<>();
    private final RetransmitChain.Listener listener = new RetransmitChain.Listener() {
        @Override
        public void onRetransmit(PendingMessage m, long nowNs, long nowMillis) {
            retransmitted.add(m.msgId);
        }

        @Override
        public void onExhausted(PendingMessage m, long nowNs) {
            exhausted.add(m.msgId);
        }
    };

    private static PendingMessage message(long id, int peer) {
        return new PendingMessage(id, peer, new byte[0], new byte[0]);
    }

    @Test
    void retransmitsAtTheDeadlineNotBefore() {
        RetransmitChain chain = new RetransmitChain(10, 1, INTERVAL, 3);
        PendingMessage m = message(1, 0);
        chain.add(m, 0);
        chain.pollDue(0, INTERVAL - 1, 0L, 100, listener);
        assertThat(retransmitted).isEmpty();
        chain.pollDue(0, INTERVAL, 0L, 100, listener);
        assertThat(retransmitted).containsExactly(1L);
        assertThat(m.transmissions()).isEqualTo(2);
        assertThat(m.deadlineNs()).isEqualTo(2 * INTERVAL);
    }

    @Test
    void exhaustsAfterMaxRetriesAtTheFollowingDeadline() {
        RetransmitChain chain = new RetransmitChain(10, 1, INTERVAL, 2);
        chain.add(message(1, 0), 0);
        chain.pollDue(0, INTERVAL, 0L, 100, listener);
        chain.pollDue(0, 2 * INTERVAL, 0L, 100, listener);
        chain.pollDue(0, 3 * INTERVAL - 1, 0L, 100, listener);
        assertThat(exhausted).isEmpty();
        assertThat(chain.size()).isEqualTo(1);
        chain.pollDue(0, 3 * INTERVAL, 0L, 100, listener);
        assertThat(exhausted).containsExactly(1L);
        assertThat(retransmitted).hasSize(2);
        assertThat(chain.size()).isZero();
        assertThat(chain.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ackedMessageLeavesTheChainAndIsNeverRetransmitted() {
        RetransmitChain chain = new RetransmitChain(10, 2, INTERVAL, 2);
        PendingMessage a = message(1, 0);
        PendingMessage b = message(2, 1);
        chain.add(a, 0);
        chain.add(b, 10);
        chain.remove(chain.get(1));
        assertThat(chain.get(1)).isNull();
        assertThat(chain.size(0)).isZero();
        assertThat(chain.nextDeadlineNs()).isEqualTo(10 + INTERVAL);
        chain.pollDue(0, 5 * INTERVAL, 0L, 100, listener);
        chain.pollDue(1, INTERVAL + 10, 0L, 100, listener);
        assertThat(retransmitted).containsExactly(2L);
    }

    @Test
    void budgetLeavesTheRestDueAtTheHeadInOrder() {
        RetransmitChain chain = new RetransmitChain(10, 1, INTERVAL, 5);
        for (long id = 1; id <= 5; id++) {
            chain.add(message(id, 0), id);
        }
        assertThat(chain.pollDue(0, 100 * INTERVAL, 0L, 2, listener)).isEqualTo(2);
        assertThat(retransmitted).containsExactly(1L, 2L);
        assertThat(chain.nextDeadlineNs()).isEqualTo(3 + INTERVAL);
        chain.pollDue(0, 100 * INTERVAL, 0L, 2, listener);
        assertThat(retransmitted).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void scanTouchesOnlyWhatIsDueWhateverTheChainLength() {
        RetransmitChain chain = new RetransmitChain(1_000_000, 1, INTERVAL, 5);
        for (long id = 0; id < 1_000_000; id++) {
            chain.add(message(id, 0), id / 1000); // 1000 sends per time unit, deadlines INTERVAL + id / 1000
        }
        assertThat(chain.pollDue(0, INTERVAL, 0L, Integer.MAX_VALUE, listener)).isEqualTo(1000);
        assertThat(retransmitted).hasSize(1000).startsWith(0L, 1L).endsWith(999L);
        assertThat(chain.size()).isEqualTo(1_000_000);
    }

    @Test
    void refusesMoreThanItsCapacityAndDuplicateIds() {
        RetransmitChain chain = new RetransmitChain(2, 1, INTERVAL, 1);
        chain.add(message(1, 0), 0);
        assertThatThrownBy(() -> chain.add(message(1, 0), 0)).isInstanceOf(IllegalStateException.class);
        chain.add(message(2, 0), 0);
        assertThatThrownBy(() -> chain.add(message(3, 0), 0)).hasMessageContaining("full");
    }

    @Test
    void drainHandsOverEverything() {
        RetransmitChain chain = new RetransmitChain(10, 2, INTERVAL, 1);
        chain.add(message(1, 0), 0);
        chain.add(message(2, 1), 0);
        List<Long> drained = new ArrayList<>();
        chain.drain(m -> drained.add(m.msgId));
        assertThat(drained).containsExactlyInAnyOrder(1L, 2L);
        assertThat(chain.size()).isZero();
    }

    /** Fast retransmission's scan: what an ack overtook, each message once per stay on its queue. */
    @Test
    void nextOvertakenHandsOutWhatWasSentBeforeTheBoundOnceUntilItsRetransmission() {
        RetransmitChain chain = new RetransmitChain(10, 2, INTERVAL, 3);
        PendingMessage a = message(1, 0);
        PendingMessage b = message(2, 0);
        PendingMessage c = message(3, 0);
        PendingMessage other = message(4, 1);
        chain.add(a, 0);
        chain.add(other, 0);
        chain.add(b, 10);
        chain.add(c, 20);
        assertThat(chain.lastTimedSendNs(b)).isEqualTo(10);

        assertThat(chain.nextOvertaken(0, 0)).as("nothing was sent before 0").isNull();
        assertThat(chain.nextOvertaken(0, 11)).isSameAs(a);
        assertThat(chain.nextOvertaken(0, 11)).isSameAs(b);
        assertThat(chain.nextOvertaken(0, 11)).as("c went at 20, not before 11").isNull();
        assertThat(chain.nextOvertaken(0, 100)).as("a and b were handed out already").isSameAs(c);
        assertThat(chain.nextOvertaken(0, 100)).isNull();
        assertThat(chain.nextOvertaken(1, 100)).as("peers are scanned apart").isSameAs(other);

        chain.pollDue(0, INTERVAL, 0L, 100, listener); // a is retransmitted: at the tail, scanned again
        assertThat(retransmitted).containsExactly(1L);
        assertThat(chain.nextOvertaken(0, INTERVAL + 1)).isSameAs(a);
        assertThat(chain.nextOvertaken(0, Long.MAX_VALUE)).isNull();
        assertThat(a.transmissions()).as("the scan changes no count").isEqualTo(2);
        assertThat(b.deadlineNs()).as("and no deadline").isEqualTo(10 + INTERVAL);
    }

    @Test
    void removingTheLastScannedMessageLetsTheScanGoOnAfterItsPredecessor() {
        RetransmitChain chain = new RetransmitChain(10, 1, INTERVAL, 3);
        PendingMessage a = message(1, 0);
        PendingMessage b = message(2, 0);
        PendingMessage c = message(3, 0);
        chain.add(a, 0);
        chain.add(b, 10);
        chain.add(c, 20);
        assertThat(chain.nextOvertaken(0, 15)).isSameAs(a);
        assertThat(chain.nextOvertaken(0, 15)).isSameAs(b);
        chain.remove(b); // acked: the scan's mark moves back to a
        assertThat(chain.nextOvertaken(0, 25)).isSameAs(c);
        chain.remove(a);
        chain.remove(c); // empty: the scan starts again at the head
        PendingMessage d = message(5, 0);
        chain.add(d, 30);
        assertThat(chain.nextOvertaken(0, 31)).isSameAs(d);
    }
}
