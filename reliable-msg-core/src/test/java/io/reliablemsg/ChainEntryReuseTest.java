package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Chain entries reused across sends, on simulated messengers: an acked message's entry serves the next send; a
 * message that fails after its entry served others, or whose entry others will serve, reports its own id and user
 * buffer; a request keeps its entry until its reply, however many acks and other messages come meanwhile.
 */
class ChainEntryReuseTest {
    private static final long MS = 1_000_000L;

    @Test
    void anAckedMessagesEntryServesTheNextSend() {
        SimulatedCluster c = new SimulatedCluster(41);
        SimulatedCluster.Node a = c.add("a", 1, b -> b.interval(Duration.ofMillis(100)));
        c.add("b", 2, b -> b.interval(Duration.ofMillis(100)));
        c.network.delayNs(MS, 2 * MS);
        c.startAll();
        for (int i = 1; i <= 20; i++) {
            long id = a.send("b", new byte[] {(byte) i}, null);
            assertThat(a.messenger.entries().size()).as("send %d took the free entry", i).isZero();
            c.runFor(20 * MS);
            assertThat(a.acked).last().isEqualTo(id);
            assertThat(a.messenger.entries().size()).as("its ack gave it back").isOne();
        }
        assertThat(a.acked).hasSize(20);
    }

    @Test
    void failuresKeepTheirOwnIdsAndUserBuffersWhileTheirEntriesAreReused() {
        SimulatedCluster c = new SimulatedCluster(42);
        SimulatedCluster.Node a = c.add("a", 1, b -> b.interval(Duration.ofMillis(100)).maxRetries(2));
        SimulatedCluster.Node b = c.add("b", 2, s -> s.interval(Duration.ofMillis(100)));
        c.network.delayNs(MS, 2 * MS);
        c.startAll();
        long acked = a.send("b", new byte[] {0}, "acked".getBytes());
        c.runFor(20 * MS);
        assertThat(a.acked).containsExactly(acked);
        b.crash();

        long[] ids = new long[8];
        for (int i = 0; i < ids.length; i++) { // one at a time: each takes the entry the one before gave back
            ids[i] = a.send("b", new byte[] {(byte) i}, ("buffer " + i).getBytes());
            c.runFor(400 * MS); // (maxRetries + 1) intervals and a little: failed
            assertThat(a.failures).hasSize(i + 1);
            assertThat(a.messenger.entries().size()).isOne();
        }
        for (int i = 0; i < ids.length; i++) {
            SendFailure f = a.failures.get(i);
            assertThat(f.msgId()).isEqualTo(ids[i]);
            assertThat(new String(f.userBuffer())).isEqualTo("buffer " + i);
            assertThat(f.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            assertThat(f.transmissions()).as("its own copies, none of the entry's last message").isEqualTo(3);
        }
    }

    @Test
    void aRequestKeepsItsEntryUntilItsReply() {
        SimulatedCluster c = new SimulatedCluster(43);
        SimulatedCluster.Node a = c.add("a", 1, b -> b.interval(Duration.ofMillis(100)).maxRetries(2)
                .replyTimeout(Duration.ofSeconds(5)));
        SimulatedCluster.Node b = c.add("b", 2, s -> s.interval(Duration.ofMillis(100)));
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        b.asyncRequestHandler = request -> answer;
        c.network.delayNs(MS, 2 * MS);
        c.startAll();
        CompletableFuture<Reply> reply = a.request("b", new byte[] {42}, "request".getBytes());
        c.runFor(20 * MS);
        for (int i = 1; i <= 10; i++) { // acked messages give their entries back while the request waits
            a.send("b", new byte[] {(byte) i}, null);
            c.runFor(100 * MS); // a copy of the request each interval, acked
        }
        assertThat(a.acked).hasSize(10);
        assertThat(reply).isNotDone();
        assertThat(a.messenger.pendingCount()).isOne();
        assertThat(a.messenger.entries().size()).as("the messages' one entry, not the request's").isOne();

        answer.complete("answer".getBytes());
        c.runFor(200 * MS);
        assertThat(reply).isCompleted();
        assertThat(reply.join().msgId()).isEqualTo(1);
        assertThat(reply.join().payload()).isEqualTo("answer".getBytes());
        assertThat(a.messenger.entries().size()).as("and now the request's").isEqualTo(2);
    }
}
