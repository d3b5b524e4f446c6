package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.FaultInjectingTransport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ReliableMessengerBuilderCustomizerTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
            .withPropertyValues("reliable-msg.client-id=3", "reliable-msg.bind-address=127.0.0.1");

    @Test
    void appliesACustomizerBeanSoTheMessengerRunsOnTheTransportItChose() {
        runner.withUserConfiguration(WrappingCustomizer.class).run(context -> {
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
            List<FaultInjectingTransport> created = context.getBean(WrappingCustomizer.class).created;

            assertThat(messenger.isRunning()).isTrue();
            assertThat(created).hasSize(1);
            assertThat(created.get(0).localAddress()).isEqualTo(messenger.localAddress());
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class WrappingCustomizer {
        final List<FaultInjectingTransport> created = new ArrayList<>();

        @Bean
        ReliableMessengerBuilderCustomizer faultInjection() {
            return builder -> builder.transportDecorator(udp -> {
                FaultInjectingTransport transport = new FaultInjectingTransport(udp, Clock.SYSTEM, 1);
                created.add(transport);
                return transport;
            });
        }
    }
}
