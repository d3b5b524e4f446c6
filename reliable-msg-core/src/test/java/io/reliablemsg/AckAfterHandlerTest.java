package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code ackMode} (docs/PROTOCOL.md, section 10): on receipt (seed S7, the default) a handler that throws
 * has lost its message, which was acked; after the handler, the ack leaves only when the handler returned
 * normally, so a message whose handler threw is delivered again by the next retransmission and acked only
 * after a run that succeeded, and the sender's failure callback fires when no run succeeded within
 * {@code maxRetries}. Simulated network and manual clock, and one test on real threads for copies that
 * arrive while the handler runs.
 */
class AckAfterHandlerTest {
    private static final long MS = 1_000_000L;
    private static final int MAX_RETRIES = 4;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SimulatedCluster cluster(long seed, AckMode mode) {
        SimulatedCluster c = new SimulatedCluster(seed);
        for (String name : new String[] {"a", "b"}) {
            c.add(name, name.equals("a") ? 1 : 2, b -> b.interval(Duration.ofMillis(100)).maxRetries(MAX_RETRIES)
                    .heartbeatInterval(Duration.ZERO).ackMode(mode));
        }
        return c;
    }

    @Test
    void onReceiptTheAckLeavesBeforeTheHandlerSoAHandlerThatThrowsHasLostItsMessage() {
        SimulatedCluster c = cluster(1, AckMode.ON_RECEIPT);
        c.node("b").handlerThrows = m -> true;
        c.startAll();
        c.node("a").send("b", bytes("lost"), null);
        c.runFor(1_000 * MS);
        assertThat(c.node("a").acked).hasSize(1);
        assertThat(c.node("b").handlerFailures).as("run once, never again").hasSize(1);
        assertThat(c.node("a").messenger.stats("b").retransmitted()).isZero();
    }

    @Test
    void afterTheHandlerAThrowingRunLeavesTheMessageUnackedAndTheNextCopyRunsTheHandlerAgainUntilItSucceeds() {
        SimulatedCluster c = cluster(2, AckMode.AFTER_HANDLER);
        AtomicInteger runs = new AtomicInteger();
        c.node("b").handlerThrows = m -> runs.incrementAndGet() <= 2;
        c.startAll();
        c.node("a").send("b", bytes("retried"), null);
        c.runFor(199 * MS);
        assertThat(c.node("a").acked).as("two runs threw: no ack yet").isEmpty();
        assertThat(c.node("b").handlerFailures).hasSize(2);
        assertThat(c.node("b").delivered).isEmpty();
        c.runFor(2 * MS);
        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(c.node("a").acked).as("acked after the run that succeeded").hasSize(1);
        assertThat(c.node("b").messenger.stats().handlerErrors()).isEqualTo(2);
        c.runFor(1_000 * MS);
        assertThat(c.node("b").delivered).as("marked once it succeeded: not run again").hasSize(1);
        assertThat(c.node("a").failures).isEmpty();
    }

    @Test
    void afterTheHandlerAMessageWhoseHandlerAlwaysThrowsEndsInTheSendersFailureCallbackAfterMaxRetries() {
        SimulatedCluster c = cluster(3, AckMode.AFTER_HANDLER);
        c.node("b").handlerThrows = m -> true;
        c.startAll();
        c.node("a").send("b", bytes("doomed"), bytes("user-3"));
        c.runFor((MAX_RETRIES + 1) * 100 * MS + MS);
        assertThat(c.node("b").handlerFailures).as("one run per copy").hasSize(MAX_RETRIES + 1);
        assertThat(c.node("a").failures).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
            assertThat(f.userBuffer()).isEqualTo(bytes("user-3"));
        });
        assertThat(c.node("a").acked).isEmpty();
    }

    @Test
    void afterTheHandlerACopyOfAMessageHandledAlreadyIsAckedAgainAndNotHandledAgain() {
        SimulatedCluster c = cluster(4, AckMode.AFTER_HANDLER);
        c.startAll();
        c.runFor(10 * MS);
        long now = c.clock.nanoTime();
        c.network.cutOneWay(c.node("b").address, c.node("a").address, now, now + 50 * MS); // the first ack is lost
        c.node("a").send("b", bytes("once"), null);
        c.runFor(300 * MS);
        assertThat(c.node("a").acked).hasSize(1);
        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(c.node("b").messenger.stats("a").duplicates()).isEqualTo(1);
    }

    @Test
    void afterTheHandlerARequestWhoseHandlerThrewIsNotAnsweredButRunAgainAndAnsweredWhenItSucceeds() {
        SimulatedCluster c = cluster(5, AckMode.AFTER_HANDLER);
        AtomicInteger runs = new AtomicInteger();
        c.node("b").requestHandler = m -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("first run fails");
            }
            return bytes("second time lucky");
        };
        c.startAll();
        c.runFor(10 * MS);
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("q"), null);
        c.runFor(150 * MS);
        assertThat(new String(future.join().payload(), StandardCharsets.UTF_8)).isEqualTo("second time lucky");
        assertThat(c.node("b").handledRequests).hasSize(2);
        assertThat(c.node("b").messenger.stats("a").requestsHandled()).isEqualTo(2);
    }

    @Test
    void afterTheHandlerCopiesThatArriveWhileTheHandlerRunsNeitherRunItAgainNorAreAckedBeforeItReturns()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        MessengerConfig.Builder base = MessengerConfig.builder().bindAddress("127.0.0.1").port(0)
                .interval(Duration.ofMillis(50)).maxRetries(100).heartbeatInterval(Duration.ZERO)
                .ackMode(AckMode.AFTER_HANDLER);
        try (ReliableMessenger b = ReliableMessenger.builder(base.clientId(2).acceptUnknownPeers(true).build()).inboundHandler(m -> {
            runs.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).build()) {
            b.start();
            try (ReliableMessenger a = ReliableMessenger.builder(base.clientId(1)
                    .peer("b", "127.0.0.1", b.localAddress().getPort()).build()).build()) {
                a.start();
                CompletableFuture<SendResult> sent = a.sendAsync("b", bytes("slow"), null);
                await().atMost(Duration.ofSeconds(10)).until(() -> b.stats().duplicates() >= 3);
                assertThat(sent).as("no ack while the handler runs").isNotDone();
                assertThat(runs).hasValue(1);
                release.countDown();
                assertThat(sent.get(10, TimeUnit.SECONDS).transmissions()).isGreaterThanOrEqualTo(4);
                assertThat(runs).as("copies that came while it ran did not run it again").hasValue(1);
                assertThat(b.stats().delivered()).isEqualTo(1);
            }
        }
    }
}
