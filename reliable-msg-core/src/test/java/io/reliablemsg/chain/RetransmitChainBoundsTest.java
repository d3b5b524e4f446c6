package io.reliablemsg.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounds of {@link RetransmitChain}: the smallest valid chain (capacity 1, no peers, a 1 ns
 * interval, no retries) and one below each; its size and capacity; and the failover walk
 * ({@code forEachNotDue}), which hands only messages whose deadline is after now (one due exactly
 * now is left to the retransmission), at most {@code limit} of them, and says how many.
 */
class RetransmitChainBoundsTest {
    private static PendingMessage message(long id, int peer) {
        return new PendingMessage(id, peer, new byte[] {1}, new byte[0]);
    }

    @Test
    void theSmallestChainIsAcceptedAndOneBelowAnyBoundIsRejected() {
        RetransmitChain smallest = new RetransmitChain(1, 0, 1, 0);
        assertThat(smallest.capacity()).isOne();
        assertThat(smallest.size()).isZero();
        assertThatThrownBy(() -> new RetransmitChain(0, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetransmitChain(1, -1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetransmitChain(1, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetransmitChain(1, 1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizeCountsTheMessagesOnTheChainOverAllPeers() {
        RetransmitChain chain = new RetransmitChain(8, 2, 100, 3);
        chain.add(message(1, 0), 0);
        chain.add(message(2, 1), 0);
        chain.add(message(3, 1), 0);
        assertThat(chain.size()).isEqualTo(3);
        assertThat(chain.size(1)).isEqualTo(2);
        assertThat(chain.capacity()).isEqualTo(8);
    }

    @Test
    void theFailoverWalkHandsOnlyMessagesNotDueYetAtMostLimitAndCountsThem() {
        RetransmitChain chain = new RetransmitChain(8, 1, 100, 3);
        chain.add(message(1, 0), 0);   // due at 100
        chain.add(message(2, 0), 10);  // due at 110
        chain.add(message(3, 0), 20);  // due at 120
        chain.add(message(4, 0), 30);  // due at 130
        List<Long> handed = new ArrayList<>();

        assertThat(chain.forEachNotDue(0, 110, 10, m -> handed.add(m.msgId()))).isEqualTo(2);
        assertThat(handed).as("due exactly at 110: left to the retransmission").containsExactly(3L, 4L);

        handed.clear();
        assertThat(chain.forEachNotDue(0, 0, 2, m -> handed.add(m.msgId()))).isEqualTo(2);
        assertThat(handed).containsExactly(1L, 2L);

        handed.clear();
        assertThat(chain.forEachNotDue(0, 130, 10, m -> handed.add(m.msgId()))).isZero();
        assertThat(handed).isEmpty();
        assertThat(chain.size()).as("nothing changed").isEqualTo(4);
    }
}
