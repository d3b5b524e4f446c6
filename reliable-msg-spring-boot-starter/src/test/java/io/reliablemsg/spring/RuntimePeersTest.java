package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reliablemsg.FailureReason;
import io.reliablemsg.PeerChange;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerCloudAutoConfiguration;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerMetricsAutoConfiguration;
import io.reliablemsg.spring.cloud.ConfigurationPeers;
import io.reliablemsg.spring.cloud.DiscoveryPeers;
import io.reliablemsg.spring.metrics.ReliableMessengerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.simple.InstanceProperties;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClient;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * Peers that change in a running application (issue 13): a configuration refresh
 * ({@link EnvironmentChangeEvent}) adds, readdresses and removes peers in place, the messenger bean
 * surviving; {@code reliable-msg.discovery.service-ids} makes the instances of Spring Cloud's
 * {@code SimpleDiscoveryClient} peers, refreshed on {@link HeartbeatEvent} and every refresh
 * interval; every change is a {@link PeerChangedEvent}, the metrics follow, {@link ServicePeers}
 * lists a service's peers; without Spring Cloud on the class path the application still starts.
 */
class RuntimePeersTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                    ReliableMessengerCloudAutoConfiguration.class, ReliableMessengerMetricsAutoConfiguration.class))
            .withPropertyValues("reliable-msg.client-id=3", "reliable-msg.bind-address=127.0.0.1",
                    "reliable-msg.interval=100ms", "reliable-msg.max-retries=50", "reliable-msg.close-timeout=0s",
                    "reliable-msg.heartbeat-interval=0s");

    /** Collects the peer events of the context. */
    static final class PeerEvents implements ApplicationListener<PeerChangedEvent> {
        final List<PeerChangedEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(PeerChangedEvent event) {
            events.add(event);
        }

        List<String> seen() {
            return events.stream().map(e -> e.getKind() + " " + e.getPeer() + " " + e.getAddresses()).toList();
        }
    }

    @Test
    void addingAndRemovingAPeerPublishesEventsAndTheMetersFollow() {
        runner.withBean(PeerEvents.class).withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(ReliableMessengerMetrics.class).bindTo(registry);
            PeerEvents events = context.getBean(PeerEvents.class);
            messenger.addPeer("billing/b1", "127.0.0.1:9");
            messenger.addPeer("billing/b2", "127.0.0.1:10");
            messenger.addPeer("charging/c1", "127.0.0.1:11");
            await().atMost(Duration.ofSeconds(10)).until(() -> events.events.size() == 3);
            assertThat(events.seen()).containsExactly("ADDED billing/b1 [127.0.0.1:9]",
                    "ADDED billing/b2 [127.0.0.1:10]", "ADDED charging/c1 [127.0.0.1:11]");
            assertThat(context.getBean(ServicePeers.class).of("billing")).containsExactly("billing/b1", "billing/b2");
            assertThat(registry.find("reliable.msg.sent").tag("peer", "billing/b1").functionCounter()).isNotNull();
            assertThat(registry.find("reliable.msg.path.state").tag("peer", "billing/b1")
                    .tag("path", "127.0.0.1:9").gauges()).hasSize(3);

            assertThat(messenger.send("billing/b1", new byte[] {1}, new byte[] {7})).isTrue();
            List<SendFailedEvent> failures = new CopyOnWriteArrayList<>();
            context.addApplicationListener((ApplicationListener<SendFailedEvent>) failures::add);
            messenger.updatePeer("billing/b2", "127.0.0.1:12");
            messenger.removePeer("billing/b1");
            await().atMost(Duration.ofSeconds(10)).until(() -> events.events.size() == 5);
            assertThat(events.seen()).endsWith("CHANGED billing/b2 [127.0.0.1:12]", "REMOVED billing/b1 []");
            await().atMost(Duration.ofSeconds(10)).until(() -> failures.size() == 1);
            assertThat(failures.get(0).getReason()).isEqualTo(FailureReason.PEER_REMOVED);
            assertThat(registry.find("reliable.msg.sent").tag("peer", "billing/b1").meters()).isEmpty();
            assertThat(registry.find("reliable.msg.path.state").tag("peer", "billing/b2")
                    .tag("path", "127.0.0.1:10").meters()).as("the old path's meters are gone").isEmpty();
            assertThat(registry.find("reliable.msg.path.state").tag("peer", "billing/b2")
                    .tag("path", "127.0.0.1:12").gauges()).hasSize(3);
            assertThat(registry.get("reliable.msg.peers").gauge().value()).isEqualTo(2);
        });
    }

    @Test
    void aConfigurationRefreshChangesThePeersInPlaceAndTheMessengerSurvives() {
        Map<String, Object> dynamic = new HashMap<>(Map.of("reliable-msg.peers.b", "127.0.0.1:9",
                "reliable-msg.peers.c", "127.0.0.1:10"));
        runner.withInitializer(c -> c.getEnvironment().getPropertySources()
                        .addFirst(new MapPropertySource("dynamic", dynamic)))
                .withBean(PeerEvents.class).run(context -> {
                    assertThat(context).hasSingleBean(ConfigurationPeers.class);
                    ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
                    messenger.addPeer("by-code", "127.0.0.1:13"); // not the configuration's: left alone
                    assertThat(messenger.send("c", new byte[] {1}, null)).isTrue();

                    dynamic.remove("reliable-msg.peers.b");
                    dynamic.put("reliable-msg.peers.c", "127.0.0.1:11,127.0.0.2:11");
                    dynamic.put("reliable-msg.peers.d", "127.0.0.1:12");
                    dynamic.put("reliable-msg.peer-client-ids.d", "44");
                    context.publishEvent(new EnvironmentChangeEvent(context, Set.of("reliable-msg.peers.b",
                            "reliable-msg.peers.c", "reliable-msg.peers.d", "reliable-msg.peer-client-ids.d")));

                    assertThat(context.getBean(ReliableMessenger.class)).as("the same bean").isSameAs(messenger);
                    assertThat(messenger.isRunning()).isTrue();
                    assertThat(messenger.peers()).containsOnlyKeys("c", "d", "by-code");
                    assertThat(messenger.peers().get("c")).containsExactly("127.0.0.1:11", "127.0.0.2:11");
                    assertThat(messenger.pendingCount("c")).as("its pending message stays").isEqualTo(1);
                    PeerEvents events = context.getBean(PeerEvents.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> events.events.size() == 4);
                    assertThat(events.seen()).containsExactlyInAnyOrder("ADDED by-code [127.0.0.1:13]",
                            "REMOVED b []", "CHANGED c [127.0.0.1:11, 127.0.0.2:11]", "ADDED d [127.0.0.1:12]");

                    dynamic.put("reliable-msg.peers.d", "no-port"); // a bad value: logged, the rest applies
                    dynamic.put("reliable-msg.peers.e", "127.0.0.1:14");
                    context.publishEvent(new EnvironmentChangeEvent(context, Set.of("reliable-msg.peers.d",
                            "reliable-msg.peers.e")));
                    assertThat(messenger.peers()).containsKeys("d", "e");
                    assertThat(messenger.peers().get("d")).containsExactly("127.0.0.1:12");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SimpleDiscoveryProperties.class)
    static class SimpleDiscovery {
        @Bean
        SimpleDiscoveryClient simpleDiscoveryClient(SimpleDiscoveryProperties properties) {
            return new SimpleDiscoveryClient(properties);
        }
    }

    @Test
    void theInstancesOfTheNamedServicesArePeersAndAHeartbeatRefreshesThem() {
        String simple = "spring.cloud.discovery.client.simple.instances.";
        runner.withUserConfiguration(SimpleDiscovery.class).withBean(PeerEvents.class)
                .withPropertyValues("reliable-msg.discovery.service-ids=billing",
                        "reliable-msg.discovery.refresh-interval=1h",
                        simple + "billing[0].instance-id=b1", simple + "billing[0].host=127.0.0.1",
                        simple + "billing[0].port=8080", simple + "billing[0].metadata.reliable-msg-port=9",
                        simple + "billing[0].metadata.reliable-msg-client-id=21",
                        simple + "billing[1].instance-id=b2", simple + "billing[1].host=127.0.0.2",
                        simple + "billing[1].port=8080", // no UDP port in its metadata: not a peer
                        simple + "other[0].instance-id=o1", simple + "other[0].host=127.0.0.3",
                        simple + "other[0].port=8080", simple + "other[0].metadata.reliable-msg-port=9")
                .run(context -> {
                    assertThat(context).hasSingleBean(DiscoveryPeers.class);
                    ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
                    assertThat(messenger.peers()).as("asked at start").containsOnlyKeys("billing/b1");
                    assertThat(messenger.peers().get("billing/b1")).containsExactly("127.0.0.1:9");
                    assertThat(context.getBean(ServicePeers.class).of("billing")).containsExactly("billing/b1");

                    SimpleDiscoveryProperties registry = context.getBean(SimpleDiscoveryProperties.class);
                    InstanceProperties b3 = new InstanceProperties();
                    b3.setServiceId("billing");
                    b3.setInstanceId("b3");
                    b3.setHost("127.0.0.4");
                    b3.setPort(8080);
                    b3.getMetadata().put("reliable-msg-port", "9");
                    List<InstanceProperties> billing = new ArrayList<>(registry.getInstances().get("billing"));
                    billing.set(0, b3); // b1 went away, b3 came
                    registry.getInstances().put("billing", billing);
                    context.publishEvent(new HeartbeatEvent(this, 2L));

                    await().atMost(Duration.ofSeconds(10)).until(() -> messenger.peers().containsKey("billing/b3")
                            && !messenger.peers().containsKey("billing/b1"));
                    PeerEvents events = context.getBean(PeerEvents.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> events.events.size() == 3);
                    assertThat(events.seen()).containsExactly("ADDED billing/b1 [127.0.0.1:9]",
                            "REMOVED billing/b1 []", "ADDED billing/b3 [127.0.0.4:9]");
                    assertThat(events.events.get(2).getChange().kind()).isEqualTo(PeerChange.Kind.ADDED);
                });
    }

    @Test
    void withoutAHeartbeatTheRefreshIntervalFindsANewInstance() {
        String simple = "spring.cloud.discovery.client.simple.instances.";
        runner.withUserConfiguration(SimpleDiscovery.class).withBean(PeerEvents.class)
                .withPropertyValues("reliable-msg.discovery.service-ids=billing",
                        "reliable-msg.discovery.refresh-interval=200ms",
                        simple + "billing[0].instance-id=b1", simple + "billing[0].host=127.0.0.1",
                        simple + "billing[0].port=8080", simple + "billing[0].metadata.reliable-msg-port=9")
                .run(context -> {
                    ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
                    assertThat(messenger.peers()).containsOnlyKeys("billing/b1");
                    InstanceProperties b2 = new InstanceProperties();
                    b2.setServiceId("billing");
                    b2.setInstanceId("b2");
                    b2.setHost("127.0.0.2");
                    b2.setPort(8080);
                    b2.getMetadata().put("reliable-msg-port", "9");
                    SimpleDiscoveryProperties registry = context.getBean(SimpleDiscoveryProperties.class);
                    List<InstanceProperties> billing = new ArrayList<>(registry.getInstances().get("billing"));
                    billing.add(b2);
                    registry.getInstances().put("billing", billing); // no HeartbeatEvent: only the interval

                    await().atMost(Duration.ofSeconds(10)).until(() -> messenger.peers().containsKey("billing/b2"));
                    assertThat(messenger.peers().get("billing/b2")).containsExactly("127.0.0.2:9");
                    assertThat(messenger.peers()).as("the one that stayed").containsKey("billing/b1");
                    assertThat(context.getBean(ServicePeers.class).of("billing"))
                            .containsExactlyInAnyOrder("billing/b1", "billing/b2");
                });
    }

    @Test
    void aRefreshIntervalBelowOneHundredMillisecondsFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("reliable-msg.discovery.refresh-interval=0s").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining(
                        "reliable-msg.discovery.refresh-interval must be at least 100 ms but was PT0S"));
    }

    @Test
    void withoutSpringCloudTheApplicationStartsAndOnlyTheCloudPartsAreMissing() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.cloud"))
                .withPropertyValues("reliable-msg.peers.b=127.0.0.1:9", "reliable-msg.discovery.service-ids=billing")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ReliableMessenger.class)
                            .hasSingleBean(ServicePeers.class).doesNotHaveBean(ConfigurationPeers.class)
                            .doesNotHaveBean(DiscoveryPeers.class);
                    assertThat(context.getBean(ReliableMessenger.class).peers()).containsOnlyKeys("b");
                });
    }
}
