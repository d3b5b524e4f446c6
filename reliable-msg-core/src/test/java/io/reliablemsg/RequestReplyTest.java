package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Request/reply (docs/PROTOCOL.md, section 9) between two messengers on the simulated network, driven by
 * the manual clock: the reply is the handler's; a lost reply is sent again from the responder's cache
 * for each retransmitted copy of the request without the handler running again; the requester keeps
 * retransmitting after the ack until the reply comes; a handler slower than the whole retry span does not
 * fail the request while the responder acks its copies; and every way a request fails, with its user buffer.
 */
class RequestReplyTest {
    private static final long MS = 1_000_000L;
    private static final long INTERVAL_MS = 100;
    private static final int MAX_RETRIES = 4;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static MessengerConfig.Builder settings(MessengerConfig.Builder b) {
        return b.interval(Duration.ofMillis(INTERVAL_MS)).maxRetries(MAX_RETRIES).heartbeatInterval(Duration.ZERO);
    }

    private static SendFailedException failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(SendFailedException.class);
            return (SendFailedException) e.getCause();
        }
        throw new AssertionError("not failed: " + future);
    }

    private SimulatedCluster cluster(long seed) {
        SimulatedCluster c = new SimulatedCluster(seed);
        c.add("a", 1, RequestReplyTest::settings);
        c.add("b", 2, RequestReplyTest::settings);
        return c;
    }

    @Test
    void aRequestIsAnsweredWithTheHandlersReplyItsIdAndRoundTrip() {
        SimulatedCluster c = cluster(1);
        c.startAll();
        c.runFor(10 * MS); // capabilities exchanged
        c.network.delayNs(3 * MS, 3 * MS);
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("ping"), bytes("u1"));
        c.runFor(20 * MS);

        Reply reply = future.join();
        assertThat(text(reply.payload())).isEqualTo("reply:ping");
        assertThat(reply.peer()).isEqualTo("b");
        assertThat(reply.msgId()).isEqualTo(c.node("b").handledRequests.get(0).msgId()).isPositive();
        assertThat(reply.transmissions()).isEqualTo(1);
        assertThat(reply.roundTrip()).isEqualTo(Duration.ofMillis(6));
        assertThat(c.node("b").handledRequests).hasSize(1);
        assertThat(c.node("b").delivered).as("a request is not a message for the inbound handler").isEmpty();
        assertThat(c.node("a").acked).as("a request's ack is not an outcome").isEmpty();
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.requestsSent()).isEqualTo(1);
        assertThat(a.repliesReceived()).isEqualTo(1);
        assertThat(a.pending()).isZero();
        PeerStats b = c.node("b").messenger.stats("a");
        assertThat(b.requestsHandled()).isEqualTo(1);
        assertThat(b.repliesSent()).isEqualTo(1);
        assertThat(c.node("b").messenger.stats().cachedReplies()).isEqualTo(1);
    }

    @Test
    void aRequestSentBeforeThePeersCapabilitiesAreKnownWaitsForThemAndIsAnswered() {
        SimulatedCluster c = cluster(2);
        c.startAll();
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("early"), null);
        c.runFor(INTERVAL_MS * MS - 1);
        assertThat(c.node("b").handledRequests).as("held back: b may be of an older release").isEmpty();
        c.runFor(2 * MS);
        assertThat(text(future.join().payload())).isEqualTo("reply:early");
        assertThat(future.join().transmissions()).isEqualTo(2);
    }

    @Test
    void aLostReplyIsSentAgainFromTheCacheForEachRetransmissionWithoutRunningTheHandlerAgain() {
        SimulatedCluster c = cluster(3);
        c.startAll();
        c.runFor(10 * MS);
        long now = c.clock.nanoTime();
        // b's acks and replies are lost for 2.5 intervals: a retransmits, b answers each copy from its cache
        c.network.cutOneWay(c.node("b").address, c.node("a").address, now, now + 250 * MS);
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("once"), null);
        c.runFor(240 * MS);
        assertThat(future).isNotDone();
        c.runFor(100 * MS);

        assertThat(text(future.join().payload())).isEqualTo("reply:once");
        assertThat(future.join().transmissions()).isEqualTo(4);
        assertThat(c.node("b").handledRequests).as("the handler ran once").hasSize(1);
        PeerStats b = c.node("b").messenger.stats("a");
        assertThat(b.requestsHandled()).isEqualTo(1);
        assertThat(b.repliesSent()).as("the first reply and one per retransmitted copy").isEqualTo(4);
        assertThat(b.duplicates()).isEqualTo(3);
    }

    @Test
    void theRequesterKeepsRetransmittingAfterTheAckUntilTheReplyComes() {
        SimulatedCluster c = cluster(4);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        c.node("b").asyncRequestHandler = m -> answer;
        c.startAll();
        c.runFor(10 * MS);
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("slow"), null);
        c.runFor(3 * INTERVAL_MS * MS + MS);
        PeerStats a = c.node("a").messenger.stats("b");
        assertThat(a.retransmitted()).as("copies after the ack, one per interval").isEqualTo(3);
        assertThat(c.node("b").messenger.stats("a").duplicates()).isEqualTo(3);
        assertThat(future).isNotDone();
        answer.complete(bytes("late answer"));
        c.runFor(MS);
        assertThat(text(future.join().payload())).isEqualTo("late answer");
        long copies = c.node("a").messenger.stats("b").retransmitted();
        c.runFor(10 * INTERVAL_MS * MS);
        assertThat(c.node("a").messenger.stats("b").retransmitted()).as("none after the reply").isEqualTo(copies);
        assertThat(c.node("b").handledRequests).hasSize(1);
    }

    @Test
    void aHandlerSlowerThanTheWholeRetrySpanDoesNotFailTheRequestWhileTheResponderAcksItsCopies() {
        SimulatedCluster c = cluster(5);
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        c.node("b").asyncRequestHandler = m -> answer;
        c.startAll();
        c.runFor(10 * MS);
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("very slow"), null);
        long retrySpanNs = (MAX_RETRIES + 1) * INTERVAL_MS * MS;
        c.runFor(5 * retrySpanNs);
        assertThat(future).as("each ack restarts the retry count").isNotDone();
        answer.complete(bytes("done"));
        c.runFor(MS);
        assertThat(text(future.join().payload())).isEqualTo("done");
        assertThat(c.node("a").failures).isEmpty();
        assertThat(c.node("b").handledRequests).hasSize(1);
    }

    @Test
    void aRequestToAPeerThatStopsAnsweringFailsAfterMaxRetriesWithItsUserBuffer() {
        SimulatedCluster c = cluster(6);
        c.startAll();
        c.runFor(10 * MS);
        c.node("b").crash();
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("anyone?"), bytes("buffer-6"));
        c.runFor((MAX_RETRIES + 1) * INTERVAL_MS * MS - 1);
        assertThat(future).isNotDone();
        c.runFor(2);
        SendFailedException e = failure(future);
        assertThat(e.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
        assertThat(e.userBuffer()).isEqualTo(bytes("buffer-6"));
        assertThat(e.transmissions()).isEqualTo(MAX_RETRIES + 1);
        assertThat(c.node("a").failures).as("the failure listener heard it once").singleElement()
                .satisfies(f -> assertThat(f.userBuffer()).isEqualTo(bytes("buffer-6")));
        assertThat(c.node("a").messenger.pendingCount()).isZero();
    }

    @Test
    void aRequestToAPeerNeverHeardFromFailsForWantOfAnswersNotAsUnsupported() {
        SimulatedCluster c = cluster(14);
        c.node("a").start(); // b never runs: its capability probes go unanswered too
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("hello?"), bytes("silent"));
        c.runFor((MAX_RETRIES + 2) * INTERVAL_MS * MS);
        assertThat(failure(future).reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
        assertThat(c.node("a").messenger.stats("b").protocolRevision()).as("the verdict from silence").isEqualTo(1);
    }

    @Test
    void aRequestWithoutAReplyWithinTheReplyTimeoutFails() {
        SimulatedCluster c = new SimulatedCluster(7);
        c.add("a", 1, b -> settings(b).replyTimeout(Duration.ofMillis(1_000)));
        c.add("b", 2, RequestReplyTest::settings);
        c.node("b").asyncRequestHandler = m -> new CompletableFuture<>(); // never answers
        c.startAll();
        c.runFor(10 * MS);
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("forever"), bytes("t"));
        c.runFor(999 * MS);
        assertThat(future).isNotDone();
        c.runFor(2 * MS);
        SendFailedException e = failure(future);
        assertThat(e.reason()).isEqualTo(FailureReason.REPLY_TIMEOUT);
        assertThat(e.userBuffer()).isEqualTo(bytes("t"));
        assertThat(e.transmissions()).isEqualTo(10);
    }

    @Test
    void aHandlerThatThrowsOrAnswersTooMuchIsAnsweredNoReplyOnceAndNotRunAgain() {
        SimulatedCluster c = new SimulatedCluster(8);
        c.add("a", 1, RequestReplyTest::settings);
        c.add("b", 2, b -> settings(b).maxReplySize(10));
        c.node("b").requestHandler = m -> {
            if (text(m.payload()).equals("throw")) {
                throw new IllegalStateException("no");
            }
            return bytes("eleven bytes");
        };
        c.startAll();
        c.runFor(10 * MS);
        long now = c.clock.nanoTime();
        c.network.cutOneWay(c.node("b").address, c.node("a").address, now, now + 150 * MS); // first answers lost
        CompletableFuture<Reply> threw = c.node("a").request("b", bytes("throw"), bytes("x"));
        CompletableFuture<Reply> tooLong = c.node("a").request("b", bytes("long"), bytes("y"));
        c.runFor(300 * MS);
        assertThat(failure(threw).reason()).isEqualTo(FailureReason.NO_REPLY);
        assertThat(failure(threw).userBuffer()).isEqualTo(bytes("x"));
        assertThat(failure(tooLong).reason()).isEqualTo(FailureReason.NO_REPLY);
        assertThat(c.node("b").handledRequests).as("the cached 'no reply' answers the copies").hasSize(2);
        assertThat(c.node("b").messenger.stats().handlerErrors()).isEqualTo(2);
    }

    @Test
    void aNodeWithoutARequestHandlerAnswersNoReply() {
        SimulatedCluster c = cluster(9);
        c.node("b").requestHandler = null;
        c.node("b").asyncRequestHandler = null;
        c.startAll();
        c.runFor(10 * MS);
        CompletableFuture<Reply> future = c.node("a").request("b", bytes("hello?"), null);
        c.runFor(10 * MS);
        assertThat(failure(future).reason()).isEqualTo(FailureReason.NO_REPLY);
    }

    @Test
    void theCacheIsBoundedInBytesEvictingTheLeastRecentlySentReplyWhoseLateDuplicateIsAnsweredNoReply() {
        SimulatedCluster c = new SimulatedCluster(10);
        c.add("a", 1, RequestReplyTest::settings);
        c.add("b", 2, b -> settings(b).replyCacheBytes(1024));
        c.node("b").requestHandler = m -> new byte[700]; // 700 + 128 charged: one fits, two do not
        c.startAll();
        c.runFor(10 * MS);
        long now = c.clock.nanoTime();
        c.network.cutOneWay(c.node("b").address, c.node("a").address, now, now + 50 * MS);
        CompletableFuture<Reply> first = c.node("a").request("b", bytes("1"), bytes("first"));
        CompletableFuture<Reply> second = c.node("a").request("b", bytes("2"), bytes("second"));
        c.runFor(5 * MS);
        MessengerStats b = c.node("b").messenger.stats();
        assertThat(b.cachedReplies()).isEqualTo(1);
        assertThat(b.cachedReplyBytes()).isEqualTo(700 + 128).isLessThanOrEqualTo(1024);
        assertThat(b.replyCacheEvictions()).isEqualTo(1);
        c.runFor(200 * MS);
        SendFailedException e = failure(first);
        assertThat(e.reason()).isEqualTo(FailureReason.NO_REPLY);
        assertThat(e.userBuffer()).isEqualTo(bytes("first"));
        assertThat(second.join().payload()).hasSize(700);
        assertThat(c.node("b").handledRequests).as("never run twice, even once evicted").hasSize(2);
    }

    @Test
    void cachedRepliesAreForgottenOnceTheHoldTimeHasPassedSinceTheyWereLastSent() {
        SimulatedCluster c = cluster(11);
        c.startAll();
        c.runFor(10 * MS);
        c.node("a").request("b", bytes("q"), null);
        c.runFor(10 * MS);
        assertThat(c.node("b").messenger.stats().cachedReplies()).isEqualTo(1);
        long holdNs = c.node("b").messenger.config().duplicateHoldTime().toNanos();
        c.runFor(holdNs - 20 * MS);
        assertThat(c.node("b").messenger.stats().cachedReplies()).isEqualTo(1);
        c.runFor(INTERVAL_MS * MS);
        assertThat(c.node("b").messenger.stats().cachedReplies()).isZero();
        assertThat(c.node("b").messenger.stats().cachedReplyBytes()).isZero();
        assertThat(c.node("b").messenger.stats().replyCacheEvictions()).isZero();
    }

    @Test
    void requestsAndMessagesShareTheChainAndAFullChainRefusesARequestAtOnce() {
        SimulatedCluster c = new SimulatedCluster(12);
        c.add("a", 1, b -> settings(b).maxStoredMessages(2));
        c.add("b", 2, RequestReplyTest::settings);
        c.node("b").asyncRequestHandler = m -> new CompletableFuture<>();
        c.startAll();
        c.runFor(10 * MS);
        c.node("a").request("b", bytes("1"), null);
        assertThat(c.node("a").send("b", bytes("m"), null)).isPositive();
        CompletableFuture<Reply> refused = c.node("a").request("b", bytes("3"), bytes("full"));
        SendFailedException e = failure(refused);
        assertThat(e.reason()).isEqualTo(FailureReason.CHAIN_FULL);
        assertThat(e.userBuffer()).isEqualTo(bytes("full"));
        assertThat(c.node("a").failures).as("never accepted: no listener hears of it").isEmpty();
    }

    @Test
    void everyFutureCompletesOnceEvenWhenTheMessengerClosesWithRequestsOutstanding() {
        SimulatedCluster c = cluster(13);
        c.node("b").asyncRequestHandler = m -> new CompletableFuture<>();
        c.startAll();
        c.runFor(10 * MS);
        List<CompletableFuture<Reply>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            futures.add(c.node("a").request("b", bytes("r" + i), bytes("b" + i)));
        }
        c.runFor(10 * MS);
        c.node("a").messenger.close();
        for (int i = 0; i < 5; i++) {
            SendFailedException e = failure(futures.get(i));
            assertThat(e.reason()).isEqualTo(FailureReason.SHUTDOWN);
            assertThat(e.userBuffer()).isEqualTo(bytes("b" + i));
        }
        assertThat(c.node("a").failures).hasSize(5);
    }
}
