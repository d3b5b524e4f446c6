package io.reliablemsg.spring.autoconfigure;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMsgProperties;
import io.reliablemsg.spring.health.ReliableMessengerHealthIndicator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code reliableMessenger} health component, when spring-boot-health is on the class path; off
 * with {@code management.health.reliableMessenger.enabled=false}.
 */
@AutoConfiguration(after = ReliableMessengerAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ReliableMessenger.class})
@ConditionalOnSingleCandidate(ReliableMessenger.class)
public final class ReliableMessengerHealthContributorAutoConfiguration {

    /** Nested so that the enabled-switch condition, itself in spring-boot-health, is read only when that is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("reliableMessenger")
    static final class HealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "reliableMessengerHealthIndicator")
        ReliableMessengerHealthIndicator reliableMessengerHealthIndicator(
                ReliableMessenger messenger, ObjectProvider<ReliableMsgProperties> properties) {
            // The messenger's own capacity: it may be an application-defined messenger, not built from the properties.
            ReliableMsgProperties.Health health = properties.getIfAvailable(ReliableMsgProperties::new).getHealth();
            return new ReliableMessengerHealthIndicator(messenger, health.highWaterMarkFor(messenger.capacity()));
        }
    }
}
