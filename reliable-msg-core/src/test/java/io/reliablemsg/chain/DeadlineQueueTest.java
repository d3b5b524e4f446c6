package io.reliablemsg.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeadlineQueueTest {
    /** Random appends, removals anywhere, head pops and re-prepends, checked against a list after every step. */
    @Test
    void staysInOrderAndKnowsItsHeadDeadlineUnderRandomOperations() {
        for (long seed = 0; seed < 50; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            DeadlineQueue queue = new DeadlineQueue();
            List<PendingMessage> model = new ArrayList<>();
            long now = 0;
            long id = 0;
            for (int step = 0; step < 2_000; step++) {
                int op = random.nextInt(4);
                if (op == 0 || model.isEmpty()) {
                    now += random.nextInt(3);
                    PendingMessage m = new PendingMessage(++id, 0, new byte[0], new byte[0]);
                    m.deadlineNs = now;
                    queue.append(m);
                    model.add(m);
                } else if (op == 1) {
                    PendingMessage m = model.remove(random.nextInt(model.size())); // an ack anywhere
                    queue.remove(m);
                } else if (op == 2) {
                    PendingMessage m = model.remove(0); // the head is due
                    assertThat(queue.head()).isSameAs(m);
                    queue.remove(m);
                    if (random.nextBoolean()) { // budget used up: it goes back in front
                        queue.prepend(m);
                        model.add(0, m);
                    }
                } else {
                    PendingMessage m = model.remove(0); // retransmitted: to the tail with a new deadline
                    queue.remove(m);
                    now += random.nextInt(3);
                    m.deadlineNs = now;
                    queue.append(m);
                    model.add(m);
                }
                assertThat(queue.size()).isEqualTo(model.size());
                List<PendingMessage> walked = new ArrayList<>();
                for (PendingMessage m = queue.head(); m != null; m = m.next) {
                    assertThat(m.previous).isSameAs(walked.isEmpty() ? null : walked.get(walked.size() - 1));
                    walked.add(m);
                }
                assertThat(walked).containsExactlyElementsOf(model);
            }
        }
    }
}
