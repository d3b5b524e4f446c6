package io.reliablemsg.sample.demo;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.sample.StatsSection;
import io.reliablemsg.spring.ReliableMessengerBuilderCustomizer;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * DEMO FACILITY, off unless {@code sample.demo-controls.enabled=true}: puts the {@link FaultSwitch}
 * under the messenger (through the starter's {@link ReliableMessengerBuilderCustomizer} hook) and
 * with {@link DemoControlsController} (same condition) enables {@code /api/faults} and {@code /api/traffic};
 * the switch's state is also the {@code faults} section of {@code /api/stats}. Without the property
 * none of this exists and those paths answer 404.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "sample.demo-controls.enabled")
public class DemoControlsConfiguration {

    @Bean
    FaultSwitch faultSwitch(ObjectProvider<ReliableMessenger> messenger) {
        LoggerFactory.getLogger(DemoControlsConfiguration.class).warn("DEMO CONTROLS ENABLED "
                + "(sample.demo-controls.enabled=true): POST /api/faults drops datagrams on purpose. "
                + "Never set this property in a real deployment.");
        return new FaultSwitch(() -> messenger.getObject().peers()); // read when a network's fault is set
    }

    @Bean
    ReliableMessengerBuilderCustomizer faultSwitchTransport(FaultSwitch faultSwitch) {
        return builder -> builder.transportDecorator(faultSwitch::wrap);
    }

    @Bean
    StatsSection faultsInStats(FaultSwitch faultSwitch) {
        return new StatsSection("faults", faultSwitch::state);
    }
}
