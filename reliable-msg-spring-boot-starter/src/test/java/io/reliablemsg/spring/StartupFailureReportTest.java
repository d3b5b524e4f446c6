package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

/** What a user sees on the console when a property is bad: Boot's failure report names it. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {

    @Test
    void reportsEveryBadPropertyWithItsNameValueAndReason(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("reliable-msg.client-id=1", "reliable-msg.interval=0s", "reliable-msg.max-retries=-1",
                        "reliable-msg.peers.billing=nohost", "spring.jmx.enabled=false")
                .run()).isNotNull();

        assertThat(output).contains("Property: reliable-msg.interval", "Value: \"PT0S\"",
                "Reason: reliable-msg.interval: must be at least 1 ms but was PT0S");
        // Boot names the bean property (maxRetries); the reason gives the property as it is written.
        assertThat(output).contains("Property: reliable-msg.maxRetries", "Origin: \"reliable-msg.max-retries\"",
                "Reason: reliable-msg.max-retries: must be in [0, 254] but was -1");
        assertThat(output).contains("Property: reliable-msg.peers",
                "Reason: reliable-msg.peers.billing: must be host:port but was 'nohost'");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }
}
