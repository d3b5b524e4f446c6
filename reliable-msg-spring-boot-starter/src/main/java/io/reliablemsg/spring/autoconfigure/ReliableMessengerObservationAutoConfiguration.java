package io.reliablemsg.spring.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMessengerInstrumentation;
import io.reliablemsg.spring.observation.ReliableMsgObservations;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer Observations of the auto-configured messenger ({@link ReliableMsgObservations}), with
 * {@code reliable-msg.observations.enabled=true} and an {@link ObservationRegistry} bean (Boot's, with actuator);
 * off by default. With a tracing bridge (micrometer-tracing-bridge-brave or -otel) the trace continues from the
 * sender's span to the receiver's handler, carried in the datagram (docs/SPRING.md, "Tracing").
 */
@AutoConfiguration(before = ReliableMessengerAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({ReliableMessenger.class, ObservationRegistry.class})
@ConditionalOnBooleanProperty(name = "reliable-msg.observations.enabled")
public final class ReliableMessengerObservationAutoConfiguration {

    @Bean
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnMissingBean(ReliableMessengerInstrumentation.class)
    ReliableMsgObservations reliableMsgObservations(ObservationRegistry registry) {
        return new ReliableMsgObservations(registry);
    }
}
