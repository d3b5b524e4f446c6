package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.Reply;
import io.reliablemsg.RequestHandler;
import io.reliablemsg.TraceContext;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerObservationAutoConfiguration;
import io.reliablemsg.spring.observation.ReliableMsgObservationConventions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code reliable-msg.observations.enabled}: two applications on the starter over real UDP on 127.0.0.1, sharing
 * one {@link TestObservationRegistry} with micrometer-tracing's {@link SimpleTracer} behind it (and a W3C
 * propagator, as a tracing bridge has): the receiver's handler runs in a {@code reliable.msg.receive} observation
 * whose span is a child of the sender's {@code reliable.msg.send} span, in the sender's trace, carried in the
 * datagram; the send observation ends at the ack, or with the failure as its error; off (the default), or
 * without a registry or Micrometer, nothing is observed and no trace context is carried.
 */
class ObservationsTest {
    private final int senderPort = FreeUdpPort.find();
    private final int receiverPort = FreeUdpPort.find();
    private final SimpleTracer tracer = new SimpleTracer();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final List<InboundMessage> received = new CopyOnWriteArrayList<>();
    /** The trace context each message carried, by message id. */
    private final Map<Long, TraceContext> traces = new ConcurrentHashMap<>();
    /** The span current in the handler, per message id. */
    private final Map<Long, Span> spanInHandler = new ConcurrentHashMap<>();

    ObservationsTest() {
        W3cTestPropagator propagator = new W3cTestPropagator(tracer);
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    private ApplicationContextRunner node(int clientId, int port, String peer, int peerPort, boolean observed) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                        ReliableMessengerObservationAutoConfiguration.class))
                .withBean(ObservationRegistry.class, () -> registry)
                .withPropertyValues("reliable-msg.client-id=" + clientId, "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.port=" + port, "reliable-msg.peers." + peer + "=127.0.0.1:" + peerPort,
                        "reliable-msg.interval=100ms", "reliable-msg.max-retries=3", "reliable-msg.close-timeout=0s",
                        "reliable-msg.observations.enabled=" + observed);
    }

    private ApplicationContextRunner receiver(boolean observed) {
        return node(2, receiverPort, "sender", senderPort, observed).withBean(InboundHandler.class,
                () -> new InboundHandler() {
                    @Override
                    public void onMessage(InboundMessage m) {
                        onMessage(m, null);
                    }

                    @Override
                    public void onMessage(InboundMessage m, TraceContext trace) {
                        received.add(m);
                        if (trace != null) {
                            traces.put(m.msgId(), trace);
                        }
                        spanInHandler.put(m.msgId(), tracer.currentSpan());
                    }
                });
    }

    @Test
    void theReceiversHandlerRunsInAChildOfTheSendersSpanInTheSendersTrace() {
        receiver(true).run(receiving -> node(1, senderPort, "receiver", receiverPort, true).run(sending -> {
            ReliableMessenger sender = sending.getBean(ReliableMessenger.class);
            // until the receiver's CAPABILITIES arrived (one round trip) messages go without a trace context
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(5)
                    .equals(sender.stats("receiver").protocolRevision()));
            Observation business = Observation.start("business", registry);
            long msgId;
            try (Observation.Scope scope = business.openScope()) {
                msgId = sender.trySend("receiver", "hello".getBytes(), null);
            } finally {
                business.stop();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> spanInHandler.containsKey(msgId)
                    && sender.pendingCount() == 0 && tracer.getSpans().size() >= 3);

            SimpleSpan businessSpan = span("business");
            SimpleSpan send = span("send to receiver");
            SimpleSpan receive = span("receive from sender");
            assertThat(send.getTraceId()).isEqualTo(businessSpan.getTraceId());
            assertThat(send.getParentId()).isEqualTo(businessSpan.getSpanId());
            assertThat(receive.getTraceId()).as("the trace continues in the receiver").isEqualTo(send.getTraceId());
            assertThat(receive.getParentId()).as("a child of the send").isEqualTo(send.getSpanId());
            assertThat(spanInHandler.get(msgId).context().spanId()).as("the handler runs in its scope")
                    .isEqualTo(receive.getSpanId());
            assertThat(received).hasSize(1);
            assertThat(traces.get(msgId)).as("the handler bean got the carried context").satisfies(trace -> {
                assertThat(trace.spanId()).isEqualTo(send.getSpanId());
                assertThat(trace.traceId()).endsWith(send.getTraceId());
            });
            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo(ReliableMsgObservationConventions.SEND).that()
                    .hasBeenStarted().hasBeenStopped().hasLowCardinalityKeyValue("peer", "receiver")
                    .hasLowCardinalityKeyValue("outcome", "acked").hasLowCardinalityKeyValue("type", "message")
                    .hasHighCardinalityKeyValue("reliable.msg.id", Long.toString(msgId)).doesNotHaveError();
            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo(ReliableMsgObservationConventions.RECEIVE).that()
                    .hasBeenStopped().hasLowCardinalityKeyValue("peer", "sender")
                    .hasLowCardinalityKeyValue("outcome", "handled");
        }));
    }

    @Test
    void aRequestHandlerBeanGetsTheRequestsTraceContextInAChildOfTheRequestersSpan() {
        Map<Long, TraceContext> requestTraces = new ConcurrentHashMap<>();
        node(2, receiverPort, "sender", senderPort, true).withBean(RequestHandler.class, () -> new RequestHandler() {
            @Override
            public byte[] onRequest(InboundMessage request) {
                return onRequest(request, null);
            }

            @Override
            public byte[] onRequest(InboundMessage request, TraceContext trace) {
                if (trace != null) {
                    requestTraces.put(request.msgId(), trace);
                }
                return "answer".getBytes();
            }
        }).run(receiving -> node(1, senderPort, "receiver", receiverPort, true).run(sending -> {
            ReliableMessenger sender = sending.getBean(ReliableMessenger.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(5)
                    .equals(sender.stats("receiver").protocolRevision()));
            Observation business = Observation.start("business", registry); // SimpleTracer's root spans have no ids
            Reply reply;
            try (Observation.Scope scope = business.openScope()) {
                reply = sender.request("receiver", "question".getBytes(), null).get(10, TimeUnit.SECONDS);
            } finally {
                business.stop();
            }

            assertThat(reply.payload()).isEqualTo("answer".getBytes());
            SimpleSpan send = span("send to receiver");
            assertThat(requestTraces.get(reply.msgId()).spanId()).isEqualTo(send.getSpanId());
            // the handler ran in its observation before the reply went: its span exists by now
            assertThat(span("receive from sender").getParentId()).isEqualTo(send.getSpanId());
            TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo(ReliableMsgObservationConventions.SEND).that()
                    .hasLowCardinalityKeyValue("type", "request").hasLowCardinalityKeyValue("outcome", "sent");
        }));
    }

    @Test
    void aSendThatFailsEndsItsObservationWithTheFailureAsItsError() {
        node(1, senderPort, "receiver", receiverPort, true).run(sending -> { // nobody at the receiver's port
            ReliableMessenger sender = sending.getBean(ReliableMessenger.class);
            sender.send("receiver", "lost".getBytes(), "order-1".getBytes());
            await().atMost(Duration.ofSeconds(10)).until(() -> sender.stats().failed() == 1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
                    .hasObservationWithNameEqualTo(ReliableMsgObservationConventions.SEND).that().hasBeenStopped()
                    .hasLowCardinalityKeyValue("outcome", "retries_exhausted").hasError());
            assertThat(span("send to receiver").getError()).hasMessageContaining("RETRIES_EXHAUSTED");
        });
    }

    @Test
    void withObservationsOffOnTheSenderNoTraceContextIsCarriedAndTheHandlerStartsATraceOfItsOwn() {
        receiver(true).run(receiving -> node(1, senderPort, "receiver", receiverPort, false).run(sending -> {
            ReliableMessenger sender = sending.getBean(ReliableMessenger.class);
            // until the receiver's CAPABILITIES arrived (one round trip) messages go without a trace context
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(5)
                    .equals(sender.stats("receiver").protocolRevision()));
            Observation business = Observation.start("business", registry);
            long msgId;
            try (Observation.Scope scope = business.openScope()) {
                msgId = sender.trySend("receiver", "hello".getBytes(), null);
            } finally {
                business.stop();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> spanInHandler.containsKey(msgId));

            assertThat(sending.getBeansOfType(ReliableMessengerInstrumentation.class)).isEmpty();
            assertThat(received).hasSize(1);
            assertThat(traces).as("no trace context carried").isEmpty();
            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(ReliableMsgObservationConventions.SEND, 0)
                    .hasNumberOfObservationsWithNameEqualTo(ReliableMsgObservationConventions.RECEIVE, 1);
            SimpleSpan receive = span("receive from sender");
            assertThat(receive.getTraceId()).isNotEqualTo(span("business").getTraceId());
            assertThat(receive.getParentId()).isEmpty();
        }));
    }

    @Test
    void offByDefaultAndWithoutARegistryOrMicrometerNothingIsInstrumented() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                        ReliableMessengerObservationAutoConfiguration.class))
                .withBean(ObservationRegistry.class, () -> registry)
                .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.bind-address=127.0.0.1")
                .run(context -> {
                    assertThat(context).hasSingleBean(ReliableMessenger.class)
                            .doesNotHaveBean(ReliableMessengerInstrumentation.class);
                    assertThat(context.getBean(ReliableMsgProperties.class).getObservations().isEnabled()).isFalse();
                });
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                        ReliableMessengerObservationAutoConfiguration.class))
                .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.observations.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(ReliableMessenger.class)
                        .doesNotHaveBean(ReliableMessengerInstrumentation.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                        ReliableMessengerObservationAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .withPropertyValues("reliable-msg.client-id=1", "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.observations.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ReliableMessenger.class)
                        .doesNotHaveBean(ReliableMessengerInstrumentation.class));
    }

    private SimpleSpan span(String name) {
        return tracer.getSpans().stream().filter(s -> name.equals(s.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + tracer.getSpans()));
    }
}
