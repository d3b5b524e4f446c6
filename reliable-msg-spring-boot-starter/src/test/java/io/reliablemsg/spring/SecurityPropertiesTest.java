package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.autoconfigure.ReliableMessengerAutoConfiguration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code reliable-msg.security.*} and {@code reliable-msg.peer-client-ids.*} (docs/SECURITY.md). */
class SecurityPropertiesTest {
    private static final String SECRET = "0123456789abcdef-a-shared-secret";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReliableMessengerAutoConfiguration.class))
            .withPropertyValues("reliable-msg.bind-address=127.0.0.1", "reliable-msg.client-id=1",
                    "reliable-msg.peers.b=127.0.0.1:9");

    @Test
    void bindsKeysInEveryFormatAndTheSendKeyId(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, SECRET + "\n");
        runner.withPropertyValues(
                "reliable-msg.security.keys.1=base64:" + Base64.getEncoder().encodeToString(SECRET.getBytes()),
                "reliable-msg.security.keys.2=hex:" + java.util.HexFormat.of().formatHex(SECRET.getBytes()),
                "reliable-msg.security.keys.3=file:" + keyFile,
                "reliable-msg.security.send-key-id=2", "reliable-msg.peer-client-ids.b=22").run(context -> {
            MessengerConfig config = context.getBean(ReliableMessenger.class).config();
            assertThat(config.authenticated()).isTrue();
            assertThat(config.sendKeyId()).isEqualTo(2);
            assertThat(config.authenticationKeys()).containsOnlyKeys(1, 2, 3);
            config.authenticationKeys().values()
                    .forEach(key -> assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo(SECRET));
            assertThat(config.peerClientIds()).containsEntry("b", 22);
        });
    }

    @Test
    void withoutKeysTheMessengerIsUnauthenticated() {
        runner.run(context -> assertThat(context.getBean(ReliableMessenger.class).config().authenticated()).isFalse());
    }

    @Test
    void aShortOrMalformedKeyFailsStartUpNamingThePropertyButNeverTheValue() {
        runner.withPropertyValues("reliable-msg.security.keys.1=hex:00112233").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("security.keys.1")
                    .hasMessageContaining("at least 16 bytes").hasMessageNotContaining("00112233");
        });
        runner.withPropertyValues("reliable-msg.security.keys.1=plain-text-secret-value").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("security.keys.1")
                    .hasMessageContaining("base64:, hex: or file:").hasMessageNotContaining("plain-text-secret-value");
        });
    }

    @Test
    void aSendKeyIdThatIsNotConfiguredFailsStartUp() {
        runner.withPropertyValues("reliable-msg.security.keys.1=hex:" + java.util.HexFormat.of()
                .formatHex(SECRET.getBytes()), "reliable-msg.security.send-key-id=9").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("security.send-key-id");
        });
    }
}
