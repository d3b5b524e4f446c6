package io.reliablemsg.spring.autoconfigure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMessageListenerMethodProcessor;
import io.reliablemsg.spring.metrics.ReliableMessengerMetrics;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * {@code reliable.msg.*} meters, when Micrometer is on the class path and the application has a
 * {@link MeterRegistry}. The binder is also an {@code AckListener}, which the auto-configured messenger
 * calls for the latency timer.
 */
@AutoConfiguration(after = ReliableMessengerAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterBinder.class, ReliableMessenger.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnSingleCandidate(ReliableMessenger.class)
public final class ReliableMessengerMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ReliableMessengerMetrics reliableMessengerMetrics(ReliableMessenger messenger) {
        return new ReliableMessengerMetrics(messenger);
    }

    @Bean
    @ConditionalOnBean(ReliableMessageListenerMethodProcessor.class)
    MeterBinder reliableMsgConversionFailures(ReliableMessageListenerMethodProcessor listeners) {
        return registry -> FunctionCounter.builder("reliable.msg.conversion.failures", listeners,
                        ReliableMessageListenerMethodProcessor::conversionFailures)
                .description("Messages whose payload could not be read as their @ReliableMessageListener "
                        + "parameter's type, dropped").register(registry);
    }
}
