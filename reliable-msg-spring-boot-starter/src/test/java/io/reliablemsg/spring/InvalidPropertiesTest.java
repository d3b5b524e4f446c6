package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.MessengerSetting;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Each of the core's typed rejections ({@code InvalidSettingException}) is reported under the property that
 * caused it, and only there; all of them at once.
 */
class InvalidPropertiesTest {
    private static final String KEY = "hex:" + HexFormat.of().formatHex("0123456789abcdef".getBytes());

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
            .withPropertyValues("reliable-msg.bind-address=127.0.0.1", "reliable-msg.client-id=1");

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "bind-address                      | ''       | bindAddress       | must not be blank",
        "port                              | 65536    | port              | must be in [0, 65535] but was 65536",
        "peers.billing                     | host:0   | peers             | must be host:port but was 'host:0' (port must be in [1, 65535])",
        "interval                          | 0ms      | interval          | must be at least 1 ms but was PT0S",
        "max-retries                       | 255      | maxRetries        | must be in [0, 254] but was 255",
        "max-user-buffer-length            | 65537    | maxUserBufferLength | must be in [0, 65536] but was 65537",
        "max-stored-messages               | 0        | maxStoredMessages | must be in [1, 67108864] but was 0",
        "max-datagram-size                 | 100      | maxDatagramSize   | must be 0 (the path's) or in [128, 65507] but was 100",
        "bundle-size                       | 10       | bundleSize        | must be 0 or in [92, 65507] but was 10",
        "clock-skew-allowance              | -1ms     | clockSkewAllowance | must not be negative but was PT-0.001S",
        "max-retransmits-per-peer-per-scan | 0        | maxRetransmitsPerPeerPerScan | must be at least 1 but was 0",
        "duplicate-window                  | 100      | duplicateWindow   | must be a power of two in [64, 67108864] but was 100",
        "max-sender-incarnations-per-peer  | 65       | maxSenderIncarnationsPerPeer | must be in [1, 64] but was 65",
        "max-unknown-peers                 | 0        | maxUnknownPeers   | must be in [1, 65536] but was 0",
        "delivery-queue-capacity           | 0        | deliveryQueueCapacity | must be at least 1 but was 0",
        "handler-threads                   | 0        | handlerThreads    | must be in [1, 1024] but was 0",
        "close-timeout                     | -1s      | closeTimeout      | must not be negative but was PT-1S",
        "socket-buffer-size                | 1KB      | socketBufferSize  | must be at least 4096 but was 1024",
        "heartbeat-interval                | -1s      | heartbeatInterval | must be zero (off) or at least 1 ms but was PT-1S",
        "peer-client-ids.ghost             | 5        | peerClientIds     | names a peer that is not configured",
        "health.high-water-mark            | 0        | health.highWaterMark | must be in [1, max-stored-messages (1000)] but was 0",
        "max-reply-size                    | 65416B   | maxReplySize      | must be in [0, 65415] but was 65416",
        "reply-cache-size                  | 1023B    | replyCacheSize    | must be at least 1024 but was 1023",
        "reply-timeout                     | 0s       | replyTimeout      | must be at least 1 ms but was PT0S",
        "max-message-size                  | 0B       | maxMessageSize    | must be in [1, 268435456] but was 0",
        "max-pending-size                  | 1KB      | maxPendingSize    | must be at least maxMessageSize (1048576) but was 1024",
        "reassembly-size                   | 1KB      | reassemblySize    | must be at least maxMessageSize (1048576) but was 1024",
    })
    void aBadValueIsReportedUnderItsPropertyOnly(String property, String value, String field, String reason) {
        runner.withPropertyValues("reliable-msg." + property + "=" + value).run(context -> {
            List<ObjectError> errors = validationErrors(context);
            assertThat(errors).singleElement().isInstanceOfSatisfying(FieldError.class,
                    error -> assertThat(error.getField()).isEqualTo(field));
            assertThat(errors.get(0).getDefaultMessage()).isEqualTo("reliable-msg." + property + ": " + reason);
        });
    }

    @Test
    void aBundleSizeAboveTheLargestDatagramIsBlamedOnTheBundleSize() {
        runner.withPropertyValues("reliable-msg.max-datagram-size=1500", "reliable-msg.bundle-size=2000").run(context ->
                assertThat(validationErrors(context)).extracting(ObjectError::getDefaultMessage).containsExactly(
                        "reliable-msg.bundle-size: must not exceed maxDatagramSize (1500) but was 2000"));
    }

    @Test
    void aSendKeyIdThatIsNoConfiguredKeyIsBlamedOnSecuritySendKeyId() {
        runner.withPropertyValues("reliable-msg.security.keys.1=" + KEY, "reliable-msg.security.send-key-id=3")
                .run(context -> {
                    List<ObjectError> errors = validationErrors(context);
                    assertThat(errors).extracting(ObjectError::getDefaultMessage).containsExactly(
                            "reliable-msg.security.send-key-id: must be one of the configured key ids [1] but was 3");
                    assertThat(errors.get(0)).isInstanceOfSatisfying(FieldError.class,
                            error -> assertThat(error.getField()).isEqualTo("security.sendKeyId"));
                });
    }

    @Test
    void aKeyIdOutOfRangeIsBlamedOnThatKeyWithoutItsValue() {
        runner.withPropertyValues("reliable-msg.security.keys.300=" + KEY).run(context -> {
            List<ObjectError> errors = validationErrors(context);
            assertThat(errors).extracting(ObjectError::getDefaultMessage)
                    .containsExactly("reliable-msg.security.keys.300: must have an id in [0, 255]");
            assertThat(errors.get(0)).isNotInstanceOf(FieldError.class); // no rejected value: the key is secret
        });
    }

    @Test
    void everyBadPropertyIsReportedAtOnceSettersAndCrossChecksAlike() {
        runner.withPropertyValues("reliable-msg.interval=0s", "reliable-msg.max-retries=-1",
                "reliable-msg.security.keys.1=" + KEY, "reliable-msg.security.send-key-id=9",
                "reliable-msg.peer-client-ids.ghost=5").run(context ->
                assertThat(validationErrors(context)).extracting(ObjectError::getDefaultMessage)
                        .containsExactlyInAnyOrder("reliable-msg.interval: must be at least 1 ms but was PT0S",
                                "reliable-msg.max-retries: must be in [0, 254] but was -1",
                                "reliable-msg.security.send-key-id: must be one of the configured key ids [1] but "
                                        + "was 9",
                                "reliable-msg.peer-client-ids.ghost: names a peer that is not configured"));
    }

    @Test
    void withoutAClientIdTheOtherBadPropertiesAreStillReportedWhileBinding() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
                .withPropertyValues("reliable-msg.max-datagram-size=1500", "reliable-msg.bundle-size=2000")
                .run(context -> assertThat(validationErrors(context)).extracting(ObjectError::getDefaultMessage)
                        .containsExactly("reliable-msg.bundle-size: must not exceed maxDatagramSize (1500) but was 2000"));
    }

    @Test
    void toMessengerConfigThrowsForTheFirstBadPropertyWithTheOthersSuppressed() {
        ReliableMsgProperties properties = new ReliableMsgProperties();
        properties.setClientId(1);
        properties.setMaxRetries(-1);
        properties.getPeerClientIds().put("b", null); // possible when set from code, not from a property
        assertThatThrownBy(properties::toMessengerConfig).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reliable-msg.max-retries: must be in [0, 254] but was -1")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("reliable-msg.peer-client-ids.b: must be a client id but was empty"));
    }

    @Test
    void everyCoreSettingMapsToAPropertyOfItsOwnThatExists() {
        List<String> properties = PropertyMetadata.names();
        BeanWrapper bean = new BeanWrapperImpl(new ReliableMsgProperties());
        List<String> names = new ArrayList<>();
        for (MessengerSetting setting : MessengerSetting.values()) {
            SettingProperty property = SettingProperty.of(setting, Optional.of("x"));
            names.add(property.name());
            assertThat(properties).as(setting.name()).contains(property.name().replaceFirst("\\.x$", ""));
            assertThat(bean.isReadableProperty(property.field())).as(setting + " -> " + property.field()).isTrue();
        }
        assertThat(names).doesNotHaveDuplicates();
        assertThat(SettingProperty.of(MessengerSetting.PEER, Optional.of("billing")).name()).isEqualTo("peers.billing");
        assertThat(SettingProperty.of(MessengerSetting.AUTHENTICATION_KEY, Optional.of("3")).secret()).isTrue();
    }

    private static List<ObjectError> validationErrors(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class);
        Throwable root = context.getStartupFailure();
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return ((BindValidationException) root).getValidationErrors().getAllErrors();
    }
}
