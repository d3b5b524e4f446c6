package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerHealthContributorAutoConfiguration;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerMetricsAutoConfiguration;
import io.reliablemsg.spring.health.ReliableMessengerHealthIndicator;
import io.reliablemsg.spring.metrics.ReliableMessengerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class HealthAndMetricsAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                    ReliableMessengerHealthContributorAutoConfiguration.class,
                    ReliableMessengerMetricsAutoConfiguration.class))
            .withPropertyValues("reliable-msg.client-id=3", "reliable-msg.bind-address=127.0.0.1",
                    "reliable-msg.peers.silent=127.0.0.1:" + FreeUdpPort.find(), "reliable-msg.interval=10s",
                    "reliable-msg.close-timeout=0s");

    @Test
    void registersTheHealthIndicatorUnderTheNameThatMakesItsComponentReliableMessenger() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ReliableMessengerHealthIndicator.class)
                    .hasBean("reliableMessengerHealthIndicator");
            Health health = context.getBean(ReliableMessengerHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("pending", 0).containsEntry("capacity", 1000)
                    .containsEntry("highWaterMark", 800)
                    .containsKey("peers");
            @SuppressWarnings("unchecked")
            Map<String, Object> silent = (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("peers"))
                    .get("silent");
            assertThat(silent).containsEntry("pending", 0).containsEntry("reachable", true).containsKey("paths")
                    .doesNotContainKey("clockOffsetMillis");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> paths = (List<Map<String, Object>>) silent.get("paths");
            assertThat(paths).singleElement().satisfies(path ->
                    assertThat(path).containsEntry("state", "ACTIVE").containsEntry("failures", 0L));
        });
    }

    @Test
    void aPeerWhoseHostNameDoesNotResolveLeavesTheContextStartedAndIsShownUnresolved() {
        runner.withPropertyValues("reliable-msg.peers.billing=billing.example.invalid:7001",
                        "reliable-msg.peer-resolution-interval=30s")
                .withBean(ReliableMessengerBuilderCustomizer.class, () -> builder -> builder.resolver(host -> {
                    throw new java.net.UnknownHostException(host);
                }))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
                    assertThat(messenger.config().peerResolutionInterval()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(messenger.send("billing", new byte[] {1}, null)).as("accepted, kept").isTrue();
                    Health health = context.getBean(ReliableMessengerHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> billing = (Map<String, Object>) ((Map<String, Object>) health.getDetails()
                            .get("peers")).get("billing");
                    assertThat(billing).containsEntry("unresolved", true).containsEntry("paths", List.of());
                    @SuppressWarnings("unchecked")
                    Map<String, Object> silent = (Map<String, Object>) ((Map<String, Object>) health.getDetails()
                            .get("peers")).get("silent");
                    assertThat(silent).doesNotContainKey("unresolved");
                });
    }

    @Test
    void turnsOutOfServiceAtTheHighWaterMarkAndBackUpBelowIt() {
        runner.withPropertyValues("reliable-msg.health.high-water-mark=2", "reliable-msg.max-retries=0",
                "reliable-msg.interval=200ms").run(context -> {
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
            HealthIndicator indicator = context.getBean(ReliableMessengerHealthIndicator.class);
            messenger.send("silent", new byte[] {1}, null);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            messenger.send("silent", new byte[] {2}, null);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(indicator.health().getDetails()).containsEntry("pending", 2);

            await().atMost(Duration.ofSeconds(10)).until(() -> messenger.pendingCount() == 0);
            assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void theIndicatorAndThePropertiesAgreeOnTheDefaultHighWaterMark() {
        runner.withPropertyValues("reliable-msg.max-stored-messages=7").run(context -> {
            assertThat(context.getBean(ReliableMessengerHealthIndicator.class).health().getDetails())
                    .containsEntry("highWaterMark", 5);
            assertThat(context.getBean(ReliableMsgProperties.class).effectiveHighWaterMark()).isEqualTo(5);
        });
    }

    @Test
    void theDefaultHighWaterMarkOfAnApplicationDefinedMessengerFollowsItsOwnCapacity() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class,
                        ReliableMessengerHealthContributorAutoConfiguration.class))
                .withPropertyValues("reliable-msg.enabled=false")
                .withBean(ReliableMessenger.class, () -> ReliableMessenger.builder(MessengerConfig.builder()
                        .clientId(5).bindAddress("127.0.0.1").maxStoredMessages(10).build()).build())
                .run(context -> assertThat(context.getBean(ReliableMessengerHealthIndicator.class).health()
                        .getDetails()).containsEntry("capacity", 10).containsEntry("highWaterMark", 8));
    }

    @Test
    void theDefaultHighWaterMarkIsEightyPercentOfTheCapacityRoundedDownAndAtLeastOne() {
        ReliableMsgProperties.Health health = new ReliableMsgProperties.Health();
        assertThat(ReliableMsgProperties.Health.DEFAULT_HIGH_WATER_MARK_PERCENT).isEqualTo(80);
        assertThat(health.highWaterMarkFor(1000)).isEqualTo(800);
        assertThat(health.highWaterMarkFor(999)).isEqualTo(799);
        assertThat(health.highWaterMarkFor(1)).isEqualTo(1);
        assertThat(health.highWaterMarkFor(1 << 26)).as("no overflow").isEqualTo(53_687_091);
        health.setHighWaterMark(3);
        assertThat(health.highWaterMarkFor(1000)).isEqualTo(3);
    }

    @Test
    void reportsDownOnceTheMessengerIsClosed() {
        runner.run(context -> {
            context.getBean(ReliableMessenger.class).close();
            assertThat(context.getBean(ReliableMessengerHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.DOWN);
        });
    }

    @Test
    void hasNoHealthIndicatorWithoutSpringBootHealthOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health")).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(ReliableMessenger.class)
                        .doesNotHaveBean(ReliableMessengerHealthIndicator.class));
    }

    @Test
    void hasNoHealthIndicatorWhenItIsSwitchedOff() {
        runner.withPropertyValues("management.health.reliableMessenger.enabled=false").run(context ->
                assertThat(context).hasSingleBean(ReliableMessenger.class)
                        .doesNotHaveBean(ReliableMessengerHealthIndicator.class));
    }

    @Test
    void hasNoMetricsWithoutAMeterRegistry() {
        runner.run(context -> assertThat(context).hasSingleBean(ReliableMessenger.class)
                .doesNotHaveBean(MeterBinder.class));
    }

    @Test
    void hasNoMetricsWithoutMicrometerOnTheClassPath() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).withBean(SimpleMeterRegistry.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReliableMessengerMetrics.class));
    }

    @Test
    void countsPerPeerAndRecordsAckLatencyWithAMeterRegistry() {
        int alicePort = FreeUdpPort.find();
        int bobPort = FreeUdpPort.find();
        ApplicationContextRunner bobRunner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
                .withPropertyValues("reliable-msg.client-id=4", "reliable-msg.bind-address=127.0.0.1",
                        "reliable-msg.port=" + bobPort, "reliable-msg.peers.alice=127.0.0.1:" + alicePort,
                        "reliable-msg.close-timeout=0s");
        bobRunner.run(bob -> runner.withBean(SimpleMeterRegistry.class)
                .withPropertyValues("reliable-msg.port=" + alicePort, "reliable-msg.peers.bob=127.0.0.1:" + bobPort,
                        "reliable-msg.interval=200ms")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(ReliableMessengerMetrics.class).bindTo(registry);
                    ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
                    for (int i = 0; i < 3; i++) {
                        messenger.send("bob", new byte[] {(byte) i}, null);
                    }
                    messenger.send("silent", new byte[] {9}, null);

                    await().atMost(Duration.ofSeconds(10)).until(() -> counter(registry, "acked", "bob") == 3);
                    assertThat(counter(registry, "sent", "bob")).isEqualTo(3);
                    assertThat(counter(registry, "sent", "silent")).isEqualTo(1);
                    assertThat(counter(registry, "acked", "silent")).isZero();
                    assertThat(registry.get("reliable.msg.pending").tag("peer", "silent").gauge().value())
                            .isEqualTo(1);
                    assertThat(registry.get("reliable.msg.capacity").gauge().value()).isEqualTo(1000);
                    Timer latency = registry.get("reliable.msg.ack.latency").tag("peer", "bob").timer();
                    await().atMost(Duration.ofSeconds(10)).until(() -> latency.count() == 3);
                    assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
                    for (String name : new String[] {"retransmitted", "delivered", "duplicate", "malformed",
                            "authentication.failures"}) {
                        assertThat(registry.find("reliable.msg." + name).tag("peer", "bob").functionCounter())
                                .as(name).isNotNull();
                    }
                    assertThat(registry.find("reliable.msg.stale").tags("peer", "bob", "kind", "ack").functionCounter())
                            .isNotNull();
                    assertThat(registry.get("reliable.msg.failed").tags("peer", "bob", "reason", "retries_exhausted")
                            .functionCounter().count()).isZero();
                    assertThat(registry.get("reliable.msg.failed").tags("peer", "bob", "reason", "shutdown")
                            .functionCounter().count()).isZero();
                    assertThat(counter(registry, "malformed", "bob")).isZero();
                    assertThat(registry.get("reliable.msg.unknown.source").functionCounter().count()).isZero();

                    messenger.send("bob", new byte[200_000], null); // larger than a loopback datagram: fragments
                    await().atMost(Duration.ofSeconds(10)).until(() -> counter(registry, "acked", "bob") == 4);
                    assertThat(counter(registry, "fragments.sent", "bob")).isGreaterThanOrEqualTo(4);
                    for (String name : new String[] {"fragments.retransmitted", "reassembly.refusals",
                            "fragments.dropped"}) {
                        assertThat(registry.find("reliable.msg." + name).tag("peer", "bob").functionCounter())
                                .as(name).isNotNull();
                    }
                }));
    }

    private static double counter(MeterRegistry registry, String name, String peer) {
        FunctionCounter counter = registry.get("reliable.msg." + name).tag("peer", peer).functionCounter();
        return counter.count();
    }
}
