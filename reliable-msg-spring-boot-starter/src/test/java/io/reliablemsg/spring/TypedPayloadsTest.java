package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.SendResult;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerMetricsAutoConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Typed payloads: {@code @ReliableMessageListener} methods taking a String or a record read as JSON
 * through Jackson 3, {@link ReliableMessageTemplate} writing objects the same way, and a payload that
 * is not JSON: counted, logged, not passed, nothing else disturbed. Real UDP on 127.0.0.1 with a plain
 * messenger, "alice", on the other side.
 */
class TypedPayloadsTest {
    /** What the two sides exchange. */
    record Invoice(String id, int cents) {
    }

    private final int port = FreeUdpPort.find();
    private final int alicePort = FreeUdpPort.find();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                    ReliableMessengerMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues("reliable-msg.client-id=5", "reliable-msg.bind-address=127.0.0.1",
                    "reliable-msg.port=" + port, "reliable-msg.peers.alice=127.0.0.1:" + alicePort,
                    "reliable-msg.interval=200ms", "reliable-msg.close-timeout=0s");

    private ReliableMessenger alice(List<InboundMessage> received) {
        ReliableMessenger alice = ReliableMessenger.builder(MessengerConfig.builder().clientId(6)
                .bindAddress("127.0.0.1").port(alicePort).peer("app", "127.0.0.1", port).build())
                .inboundHandler(received::add).build();
        alice.start();
        return alice;
    }

    @Test
    void listenerParametersAreReadAsJsonOrTextAndTheTemplateWritesTheSame() {
        runner.withUserConfiguration(Listeners.class).run(context -> {
            Listeners listeners = context.getBean(Listeners.class);
            List<InboundMessage> atAlice = new CopyOnWriteArrayList<>();
            try (ReliableMessenger alice = alice(atAlice)) {
                assertThat(alice.send("app", "{\"id\":\"inv-7\",\"cents\":1250}".getBytes(StandardCharsets.UTF_8),
                        null)).isTrue();
                assertThat(alice.send("app", "not json".getBytes(StandardCharsets.UTF_8), null)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> listeners.texts.size() == 2);
                assertThat(listeners.invoices).containsExactly(new Invoice("inv-7", 1250));
                assertThat(listeners.texts).containsExactly("{\"id\":\"inv-7\",\"cents\":1250}", "not json");

                ReliableMessageListenerMethodProcessor processor =
                        context.getBean(ReliableMessageListenerMethodProcessor.class);
                assertThat(processor.conversionFailures()).as("'not json' is no Invoice").isEqualTo(1);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                context.getBeansOfType(MeterBinder.class).values().forEach(b -> b.bindTo(registry)); // no Boot metrics
                assertThat(registry.get("reliable.msg.conversion.failures")
                        .functionCounter().count()).isEqualTo(1.0);
                assertThat(context.getBean(ReliableMessenger.class).stats().handlerErrors())
                        .as("a conversion failure is no handler error").isZero();

                ReliableMessageTemplate template = context.getBean(ReliableMessageTemplate.class);
                SendResult sent = template.sendAsync("alice", new Invoice("inv-8", 99), null).get(10, TimeUnit.SECONDS);
                assertThat(template.send("alice", "plain text", null)).isTrue();
                long waited = template.send("alice", new Invoice("inv-9", 7), null, Duration.ofSeconds(5));
                assertThat(waited).as("the id of a send that may wait for room").isGreaterThan(sent.msgId());
                await().atMost(Duration.ofSeconds(10)).until(() -> atAlice.size() == 3);
                assertThat(atAlice.get(2).msgId()).isEqualTo(waited);
                assertThat(new String(atAlice.get(2).payload(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"id\":\"inv-9\",\"cents\":7}");
                assertThat(atAlice.get(0).msgId()).isEqualTo(sent.msgId());
                assertThat(new String(atAlice.get(0).payload(), StandardCharsets.UTF_8))
                        .isEqualTo("{\"id\":\"inv-8\",\"cents\":99}");
                assertThat(new String(atAlice.get(1).payload(), StandardCharsets.UTF_8)).isEqualTo("plain text");
            }
        });
    }

    @Test
    void withoutJacksonTextStillWorksAndAnObjectIsAClearErrorBeforeAnythingIsSent() {
        runner.withClassLoader(new FilteredClassLoader("tools.jackson")).run(context -> {
            ReliableMessageTemplate template = context.getBean(ReliableMessageTemplate.class);
            assertThat(template.converter().toPayload("é")).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> template.send("alice", new Invoice("x", 1), null))
                    .isInstanceOf(PayloadConversionException.class)
                    .hasMessageContaining("no converter writes " + Invoice.class.getName())
                    .hasMessageContaining("add Jackson");
            assertThat(context.getBean(ReliableMessenger.class).stats().sent()).isZero();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class Listeners {
        final List<Invoice> invoices = new CopyOnWriteArrayList<>();
        final List<String> texts = new CopyOnWriteArrayList<>();

        @ReliableMessageListener
        void onInvoice(Invoice invoice) {
            invoices.add(invoice);
        }

        @ReliableMessageListener
        void onText(String text) {
            texts.add(text);
        }
    }
}
