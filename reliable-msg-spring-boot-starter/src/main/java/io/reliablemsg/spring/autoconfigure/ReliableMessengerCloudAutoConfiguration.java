package io.reliablemsg.spring.autoconfigure;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMsgProperties;
import io.reliablemsg.spring.cloud.ConfigurationPeers;
import io.reliablemsg.spring.cloud.DiscoveryPeers;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Peers from Spring Cloud, each part only when its library is on the class path: a configuration
 * refresh applies {@code reliable-msg.peers.*} in place ({@link ConfigurationPeers}, with
 * spring-cloud-context), and {@code reliable-msg.discovery.service-ids} makes the instances that
 * {@code DiscoveryClient} returns peers ({@link DiscoveryPeers}, with spring-cloud-commons and a
 * discovery client). Without Spring Cloud nothing here is created.
 */
@AutoConfiguration(after = ReliableMessengerAutoConfiguration.class, afterName = {
        "org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration",
        "org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration"})
@ConditionalOnClass(ReliableMessenger.class)
@ConditionalOnBooleanProperty(name = "reliable-msg.enabled", matchIfMissing = true)
public final class ReliableMessengerCloudAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    @ConditionalOnSingleCandidate(ReliableMessenger.class)
    @ConditionalOnBean(ReliableMsgProperties.class)
    static class ConfigurationRefresh {
        @Bean
        @ConditionalOnMissingBean
        ConfigurationPeers reliableMsgConfigurationPeers(ReliableMessenger messenger, Environment environment,
                                                         ReliableMsgProperties properties) {
            return new ConfigurationPeers(messenger, environment, properties);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.client.discovery.DiscoveryClient")
    @ConditionalOnSingleCandidate(ReliableMessenger.class)
    @ConditionalOnBean(type = "org.springframework.cloud.client.discovery.DiscoveryClient")
    @ConditionalOnProperty(prefix = "reliable-msg.discovery", name = "service-ids")
    static class Discovery {
        @Bean
        @ConditionalOnMissingBean
        DiscoveryPeers reliableMsgDiscoveryPeers(ReliableMessenger messenger, DiscoveryClient discovery,
                                                 ReliableMsgProperties properties) {
            return new DiscoveryPeers(messenger, discovery, properties.getDiscovery().getServiceIds(),
                    properties.getDiscovery().getRefreshInterval());
        }
    }
}
