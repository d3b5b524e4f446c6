package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.FaultInjectingTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Request/reply between two JVMs over real UDP on 127.0.0.1, the requester's transport dropping 30 % of
 * what it sends and of what it receives: 5,000 requests, every reply right, the responder's handler run
 * exactly once per request (its cache answers the retransmissions); then an outage of the requester's
 * link longer than the retry span: the requests sent during it fail with their user buffers.
 */
class TwoProcessRequestReplyTest {
    private static final int REQUESTS = 5_000;
    private static final int IN_FLIGHT = 200;

    @Test
    void fiveThousandRequestsUnderThirtyPercentLossAreAnsweredOnceEachThenAnOutageFailsTheRestWithTheirBuffers()
            throws Exception {
        MessengerConfig.Builder config = MessengerConfig.builder().clientId(1).bindAddress("127.0.0.1").port(0)
                .interval(Duration.ofMillis(50)).maxRetries(30).heartbeatInterval(Duration.ZERO)
                .maxStoredMessages(IN_FLIGHT + 10); // a slot is freed just after its future completed
        int requesterPort;
        try (ReliableMessenger probe = ReliableMessenger.builder(config.build()).build()) {
            probe.start();
            requesterPort = probe.localAddress().getPort();
        }
        Process responder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ResponderProcess.class.getName(),
                Integer.toString(requesterPort)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(responder.getInputStream(),
                StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(responder.getOutputStream(), StandardCharsets.UTF_8)) {
            String portLine = out.readLine();
            assertThat(portLine).startsWith("PORT ");
            int responderPort = Integer.parseInt(portLine.substring(5).trim());
            AtomicReference<FaultInjectingTransport> lossy = new AtomicReference<>();
            try (ReliableMessenger requester = ReliableMessenger.builder(config.port(requesterPort)
                    .peer("responder", "127.0.0.1", responderPort).build()).transportDecorator(udp -> {
                        FaultInjectingTransport faults = new FaultInjectingTransport(udp, Clock.SYSTEM, 15);
                        faults.setLossRate(0.3);
                        lossy.set(faults);
                        return faults;
                    }).build()) {
                requester.start();
                Semaphore window = new Semaphore(IN_FLIGHT);
                List<CompletableFuture<Reply>> futures = new ArrayList<>(REQUESTS);
                for (int i = 0; i < REQUESTS; i++) {
                    assertThat(window.tryAcquire(30, TimeUnit.SECONDS)).as("room for request %d", i).isTrue();
                    CompletableFuture<Reply> future = requester.request("responder",
                            ("q" + i).getBytes(StandardCharsets.UTF_8), null);
                    future.whenComplete((reply, error) -> window.release());
                    futures.add(future);
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(40, TimeUnit.SECONDS);
                for (int i = 0; i < REQUESTS; i++) {
                    assertThat(new String(futures.get(i).join().payload(), StandardCharsets.UTF_8))
                            .isEqualTo("reply:q" + i);
                }
                // bundled datagrams: fewer than one per request, so count the copies lost instead
                assertThat(lossy.get().dropped()).as("the link lost datagrams").isPositive();
                assertThat(requester.stats().retransmitted()).as("copies lost and sent again")
                        .isGreaterThan(REQUESTS / 5);
                System.out.println("requests " + REQUESTS + ": " + requester.stats().retransmitted() + " retransmitted, "
                        + lossy.get().dropped() + " datagrams dropped");
                in.write("REPORT\n");
                in.flush();
                assertThat(out.readLine()).isEqualTo("HANDLED runs=" + REQUESTS + " distinct=" + REQUESTS);

                // the outage outlasts every retry: what is sent during it fails, each with its user buffer
                lossy.get().startOutage(TimeUnit.SECONDS.toNanos(5));
                List<CompletableFuture<Reply>> lost = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    lost.add(requester.request("responder", ("lost" + i).getBytes(StandardCharsets.UTF_8),
                            ("buffer-" + i).getBytes(StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < lost.size(); i++) {
                    CompletableFuture<Reply> future = lost.get(i);
                    Throwable error = org.assertj.core.api.Assertions.catchThrowable(
                            () -> future.get(10, TimeUnit.SECONDS));
                    assertThat(error.getCause()).isInstanceOf(SendFailedException.class);
                    SendFailedException failure = (SendFailedException) error.getCause();
                    assertThat(failure.reason()).isEqualTo(FailureReason.RETRIES_EXHAUSTED);
                    assertThat(new String(failure.userBuffer(), StandardCharsets.UTF_8)).isEqualTo("buffer-" + i);
                }
                assertThat(requester.stats().failed()).isEqualTo(lost.size());
                in.write("REPORT\n");
                in.flush();
                assertThat(out.readLine()).as("nothing reached it during the outage")
                        .isEqualTo("HANDLED runs=" + REQUESTS + " distinct=" + REQUESTS);
            }
        } finally {
            responder.destroy();
            assertThat(responder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
