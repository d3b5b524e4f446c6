package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.AckMode;
import io.reliablemsg.FailureReason;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.Reply;
import io.reliablemsg.RequestHandler;
import io.reliablemsg.SendFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request/reply and handler errors through the starter, two applications over UDP on 127.0.0.1: a
 * {@code @ReliableMessageListener} method's return value is the reply (typed through the converter, or a
 * stage), a {@link RequestHandler} bean takes precedence, a {@link ReliableMessageErrorHandler} bean decides
 * what an exception means, and {@code reliable-msg.ack-mode} binds.
 */
class RequestReplyBeansTest {
    /** A typed request and its reply, written as JSON by the default converter. */
    record Question(String text) {
    }

    record Answer(String text, int length) {
    }

    /** The responder's listeners: typed, asynchronous, plain (void), and one that fails at first. */
    static class Listeners {
        final List<String> plain = new CopyOnWriteArrayList<>();
        final AtomicInteger flakyRuns = new AtomicInteger();

        @ReliableMessageListener(peers = "typed")
        Answer answer(Question question) {
            return new Answer("re: " + question.text(), question.text().length());
        }

        @ReliableMessageListener(peers = "later")
        CompletionStage<String> later(String text) {
            return CompletableFuture.supplyAsync(() -> "later:" + text);
        }

        @ReliableMessageListener(peers = "flaky")
        String flaky(String text) {
            if (flakyRuns.incrementAndGet() == 1) {
                throw new IllegalStateException("first run fails");
            }
            return "flaky:" + text;
        }

        @ReliableMessageListener
        void everything(String text) {
            plain.add(text);
        }
    }

    /** Errors it saw; it rethrows, so the message fails (and, after-handler, comes again). */
    static class RecordingErrorHandler implements ReliableMessageErrorHandler {
        final List<String> errors = new CopyOnWriteArrayList<>();

        @Override
        public void handleError(InboundMessage message, Exception error) throws Exception {
            errors.add(message.peer() + ": " + error.getMessage());
            throw error;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Responder {
        @Bean
        Listeners listeners() {
            return new Listeners();
        }

        @Bean
        RecordingErrorHandler errorHandler() {
            return new RecordingErrorHandler();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Requester {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class WithRequestHandlerBean {
        @Bean
        Listeners listeners() {
            return new Listeners();
        }

        @Bean
        RequestHandler requestHandler() {
            return request -> ("bean:" + new String(request.payload(), StandardCharsets.UTF_8)).getBytes(
                    StandardCharsets.UTF_8);
        }
    }

    /** The responding application on {@code port}, with {@code more} properties (its peers among them). */
    private static ConfigurableApplicationContext responder(Class<?> app, int port, String... more) {
        List<String> properties = new java.util.ArrayList<>(List.of("reliable-msg.client-id=2",
                "reliable-msg.bind-address=127.0.0.1", "reliable-msg.port=" + port, "reliable-msg.interval=100ms",
                "reliable-msg.close-timeout=0s", "spring.jmx.enabled=false", "management.metrics.enabled=false"));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    @Test
    void listenerMethodsAnswerRequestsWithWhatTheyReturnAndAnErrorHandlerSeesWhatTheyThrow() throws Exception {
        int responderPort = FreeUdpPort.find();
        // four requesting applications, one per peer name the responder's listeners take
        String[] names = new String[] {"typed", "later", "flaky", "plain"};
        String[] peerProperties = new String[names.length];
        int[] requesterPorts = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            requesterPorts[i] = FreeUdpPort.find();
            peerProperties[i] = "reliable-msg.peers." + names[i] + "=127.0.0.1:" + requesterPorts[i];
        }
        try (ConfigurableApplicationContext responder = responder(Responder.class, responderPort,
                concat(peerProperties, "reliable-msg.ack-mode=after-handler"))) {
            ReliableMessenger responding = responder.getBean(ReliableMessenger.class);
            assertThat(responding.config().ackMode()).isEqualTo(AckMode.AFTER_HANDLER);
            Listeners listeners = responder.getBean(Listeners.class);
            RecordingErrorHandler errors = responder.getBean(RecordingErrorHandler.class);
            ConfigurableApplicationContext[] requesters = new ConfigurableApplicationContext[names.length];
            try {
                for (int i = 0; i < names.length; i++) {
                    requesters[i] = requester(10 + i, requesterPorts[i], responderPort);
                }
                ReliableMessageTemplate typed = requesters[0].getBean(ReliableMessageTemplate.class);
                Answer answer = typed.request("responder", new Question("why"), Answer.class, null)
                        .get(10, TimeUnit.SECONDS);
                assertThat(answer).isEqualTo(new Answer("re: why", 3));

                Reply later = requesters[1].getBean(ReliableMessenger.class)
                        .request("responder", "x".getBytes(StandardCharsets.UTF_8), null).get(10, TimeUnit.SECONDS);
                assertThat(new String(later.payload(), StandardCharsets.UTF_8)).isEqualTo("later:x");

                // after-handler: the first run throws (the error handler rethrows), the retransmission succeeds
                String flaky = requesters[2].getBean(ReliableMessageTemplate.class)
                        .request("responder", "y", String.class, null).get(10, TimeUnit.SECONDS);
                assertThat(flaky).isEqualTo("flaky:y");
                assertThat(listeners.flakyRuns).hasValue(2);
                assertThat(errors.errors).containsExactly("flaky: first run fails");

                // no listener of "plain" returns a value: the request is answered "no reply"
                Throwable refused = catchThrowable(() -> requesters[3].getBean(ReliableMessenger.class)
                        .request("responder", "z".getBytes(StandardCharsets.UTF_8), "u".getBytes(
                                StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS));
                assertThat(refused.getCause()).isInstanceOf(SendFailedException.class);
                assertThat(((SendFailedException) refused.getCause()).reason()).isEqualTo(FailureReason.NO_REPLY);
                // plain messages reach every listener method, the value-returning ones too
                requesters[3].getBean(ReliableMessenger.class).send("responder", "m".getBytes(StandardCharsets.UTF_8),
                        null);
                await().atMost(Duration.ofSeconds(10)).until(() -> listeners.plain.contains("m"));
                assertThat(listeners.plain).as("requests are not messages").containsExactly("m");
            } finally {
                for (ConfigurableApplicationContext requester : requesters) {
                    if (requester != null) {
                        requester.close();
                    }
                }
            }
        }
    }

    @Test
    void aRequestHandlerBeanAnswersBeforeTheListenerMethods() throws Exception {
        int requesterPort = FreeUdpPort.find();
        int responderPort = FreeUdpPort.find();
        try (ConfigurableApplicationContext responder = responder(WithRequestHandlerBean.class, responderPort,
                "reliable-msg.peers.typed=127.0.0.1:" + requesterPort);
             ConfigurableApplicationContext requester = requester(10, requesterPort, responderPort)) {
            String reply = requester.getBean(ReliableMessageTemplate.class).request("responder", "q", String.class, null)
                    .get(10, TimeUnit.SECONDS);
            assertThat(reply).isEqualTo("bean:q");
        }
    }

    private static ConfigurableApplicationContext requester(int clientId, int port, int responderPort) {
        return new SpringApplicationBuilder(Requester.class).web(WebApplicationType.NONE)
                .properties("reliable-msg.client-id=" + clientId, "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.port=" + port, "reliable-msg.peers.responder=127.0.0.1:" + responderPort,
                        "reliable-msg.interval=100ms", "reliable-msg.max-retries=20", "reliable-msg.close-timeout=0s",
                        "spring.jmx.enabled=false", "management.metrics.enabled=false")
                .run();
    }

    private static String[] concat(String[] a, String... b) {
        String[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
