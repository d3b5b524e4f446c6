package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ReliableMessengerAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
            .withPropertyValues("reliable-msg.bind-address=127.0.0.1");

    @Test
    void createsAStartedMessengerWithTheCoreDefaultsWhenOnlyClientIdIsSet() {
        runner.withPropertyValues("reliable-msg.client-id=7").run(context -> {
            assertThat(context).hasSingleBean(ReliableMessenger.class).hasSingleBean(SendFailedEventPublisher.class)
                    .hasSingleBean(ReliableMessengerLifecycle.class);
            ReliableMessenger messenger = context.getBean(ReliableMessenger.class);
            assertThat(messenger.isRunning()).isTrue();
            MessengerConfig config = messenger.config();
            assertThat(config.clientId()).isEqualTo(7);
            assertThat(config.interval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.maxRetries()).isEqualTo(10);
            assertThat(config.maxUserBufferLength()).isEqualTo(64);
            assertThat(config.maxStoredMessages()).isEqualTo(1000);
            assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.peers()).isEmpty();
        });
    }

    @Test
    void aBareClientIdYieldsExactlyTheCoresDefaultConfiguration() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
                .withPropertyValues("reliable-msg.client-id=1").run(context -> {
                    Map<String, Object> configured =
                            MessengerConfigValues.of(context.getBean(ReliableMessenger.class).config());
                    assertThat(configured).hasSizeGreaterThanOrEqualTo(27)
                            .isEqualTo(MessengerConfigValues.of(MessengerConfig.builder().clientId(1).build()));
                });
    }

    @Test
    void bindsEveryPropertyToTheMessengerConfig() {
        runner.withPropertyValues("reliable-msg.client-id=42", "reliable-msg.port=0",
                "reliable-msg.peers.billing=127.0.0.1:9001", "reliable-msg.peers.audit=localhost:9002",
                "reliable-msg.interval=250ms", "reliable-msg.max-retries=3", "reliable-msg.max-user-buffer-length=16",
                "reliable-msg.max-stored-messages=50", "reliable-msg.max-datagram-size=1500",
                "reliable-msg.bundle-size=0", "reliable-msg.clock-skew-allowance=1s",
                "reliable-msg.max-retransmits-per-peer-per-scan=7", "reliable-msg.duplicate-window=1024",
                "reliable-msg.max-sender-incarnations-per-peer=2", "reliable-msg.accept-unknown-peers=true",
                "reliable-msg.max-unknown-peers=9", "reliable-msg.delivery-queue-capacity=11",
                "reliable-msg.close-timeout=2s", "reliable-msg.socket-buffer-size=1MB",
                "reliable-msg.heartbeat-interval=3s", "reliable-msg.idle-strategy=yield",
                "reliable-msg.handler-threads=3").run(context -> {
            MessengerConfig config = context.getBean(ReliableMessenger.class).config();
            assertThat(config.clientId()).isEqualTo(42);
            assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
            assertThat(config.peers()).containsOnlyKeys("billing", "audit");
            InetSocketAddress billing = config.peers().get("billing");
            assertThat(billing.getHostString()).isEqualTo("127.0.0.1");
            assertThat(billing.getPort()).isEqualTo(9001);
            assertThat(config.interval()).isEqualTo(Duration.ofMillis(250));
            assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(3));
            assertThat(config.maxRetries()).isEqualTo(3);
            assertThat(config.maxUserBufferLength()).isEqualTo(16);
            assertThat(config.maxStoredMessages()).isEqualTo(50);
            assertThat(config.maxDatagramSize()).isEqualTo(1500);
            assertThat(config.bundleSize()).isZero();
            assertThat(config.clockSkewAllowance()).isEqualTo(Duration.ofSeconds(1));
            assertThat(config.maxRetransmitsPerPeerPerScan()).isEqualTo(7);
            assertThat(config.duplicateWindow()).isEqualTo(1024);
            assertThat(config.maxSenderIncarnationsPerPeer()).isEqualTo(2);
            assertThat(config.acceptUnknownPeers()).isTrue();
            assertThat(config.maxUnknownPeers()).isEqualTo(9);
            assertThat(config.deliveryQueueCapacity()).isEqualTo(11);
            assertThat(config.idleStrategy()).isEqualTo(io.reliablemsg.IdleStrategy.YIELD);
            assertThat(config.handlerThreads()).isEqualTo(3);
            assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(config.socketBufferBytes()).isEqualTo(1 << 20);
            assertThat(context.getBean(ReliableMsgProperties.class).effectiveHighWaterMark()).isEqualTo(40);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnMessenger() {
        runner.withUserConfiguration(OwnMessenger.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ReliableMessenger.class);
            assertThat(context.getBean(ReliableMessenger.class)).isSameAs(context.getBean(OwnMessenger.class).messenger);
            assertThat(context.getBean(ReliableMessenger.class).config().clientId()).isEqualTo(99);
            assertThat(context.getBean(ReliableMessenger.class).isRunning())
                    .as("the starter's lifecycle starts an application-defined messenger too").isTrue();
        });
    }

    @Test
    void createsNothingWhenDisabled() {
        runner.withPropertyValues("reliable-msg.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ReliableMessenger.class));
    }

    @Test
    void failsAtStartUpWhenClientIdIsMissing() {
        runner.run(context -> assertThat(context).getFailure().rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reliable-msg.client-id: must be set"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "interval               | 0s          | must be at least 1 ms but was PT0S",
        "interval               | -5s         | must be at least 1 ms but was PT-5S",
        "max-retries            | -1          | must be in [0, 254] but was -1",
        "port                   | 70000       | must be in [0, 65535] but was 70000",
        "port                   | -1          | must be in [0, 65535] but was -1",
        "peers.billing          | nohost      | must be host:port but was 'nohost'",
        "peers.billing          | host:99999  | must be host:port but was 'host:99999' (port must be in [1, 65535])",
        "max-stored-messages    | 0           | must be in [1, 67108864] but was 0",
        "health.high-water-mark | 1001        | must be in [1, max-stored-messages (1000)] but was 1001",
        "heartbeat-interval     | -1s         | must be zero (off) or at least 1 ms but was PT-1S",
    })
    void failsAtStartUpNamingTheBadPropertyAndTheReason(String property, String value, String reason) {
        runner.withPropertyValues("reliable-msg.client-id=1", "reliable-msg." + property + "=" + value)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(BindValidationException.class)
                        .hasMessageContaining("reliable-msg." + property + ": " + reason));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnMessenger {
        final ReliableMessenger messenger = ReliableMessenger.builder(MessengerConfig.builder().clientId(99)
                .bindAddress("127.0.0.1").build()).build();

        @Bean
        ReliableMessenger myMessenger() {
            return messenger;
        }
    }
}
