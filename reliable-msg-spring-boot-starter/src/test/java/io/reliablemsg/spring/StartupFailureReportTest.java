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

    private static void start(String... properties) {
        String[] all = new String[properties.length + 1];
        System.arraycopy(properties, 0, all, 0, properties.length);
        all[properties.length] = "spring.jmx.enabled=false";
        assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties(all).run()).isNotNull();
    }

    /** The part of the output from Boot's banner line on: the report, not the stack traces logged before it. */
    private static String report(CapturedOutput output) {
        String all = output.getAll();
        int at = all.indexOf("APPLICATION FAILED TO START");
        assertThat(at).as("Boot's failure report in:%n%s", all).isNotNegative();
        return all.substring(at);
    }

    @Test
    void aMissingClientIdIsADescriptionAndAnActionNotAStackTrace(CapturedOutput output) {
        start("reliable-msg.peers.b=127.0.0.1:7001");
        String report = report(output);
        assertThat(report).contains("Description:", "The reliable-msg messenger could not be configured",
                "Property: reliable-msg.client-id", "Reason: must be set");
        assertThat(report).contains("Action:", "Set reliable-msg.client-id to this process's client id",
                "RELIABLE_MSG_CLIENT_ID=1");
    }

    @Test
    void aUdpPortInUseNamesThePortAndTheProperty(CapturedOutput output) throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            start("reliable-msg.client-id=1", "reliable-msg.bind-address=127.0.0.1", "reliable-msg.port=" + port);
            assertThat(report(output)).contains("Description:", "port " + port + " on 127.0.0.1 is already in use",
                    "(reliable-msg.port=" + port + ")", "Action:", "set reliable-msg.port to a free port");
        }
    }

    @Test
    void aBindAddressThatIsNotOfThisHostSaysSoAndWhatToSetInstead(CapturedOutput output) {
        start("reliable-msg.client-id=1", "reliable-msg.bind-address=192.0.2.1"); // TEST-NET-1, RFC 5737
        assertThat(report(output)).contains("192.0.2.1 is not an address of this host",
                "(reliable-msg.bind-address=192.0.2.1)", "Set reliable-msg.bind-address to an address of one of this"
                        + " host's interfaces, or to 0.0.0.0");
    }

    @Test
    void aBadKeyIsReportedWithoutItsValue(CapturedOutput output) {
        start("reliable-msg.client-id=1", "reliable-msg.security.keys.1=base64:not*base64",
                "reliable-msg.security.send-key-id=1");
        String report = report(output);
        assertThat(report).contains("reliable-msg.security.keys", "Action:");
        assertThat(output.getAll()).doesNotContain("not*base64");
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }
}
