package io.reliablemsg.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.reliablemsg.ReliableMessenger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A web application with actuator and the starter; {@code /actuator/health} is fetched over real HTTP
 * while messages pile up for a peer that never answers (a loopback port nothing listens on).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActuatorHealthOverHttpTest {
    private static final int HIGH_WATER_MARK = 3;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("reliable-msg.client-id", () -> 11);
        registry.add("reliable-msg.bind-address", () -> "127.0.0.1");
        registry.add("reliable-msg.peers.silent", () -> "127.0.0.1:" + FreeUdpPort.find());
        registry.add("reliable-msg.interval", () -> "30s"); // no message fails while the test runs
        registry.add("reliable-msg.max-stored-messages", () -> 10);
        registry.add("reliable-msg.health.high-water-mark", () -> HIGH_WATER_MARK);
        registry.add("reliable-msg.close-timeout", () -> "0s");
        registry.add("management.endpoint.health.show-details", () -> "always");
        registry.add("management.endpoint.health.group.readiness.include", () -> "readinessState,reliableMessenger");
        registry.add("management.endpoint.health.probes.enabled", () -> "true");
    }

    @LocalServerPort
    int port;

    @Autowired
    ReliableMessenger messenger;

    @Autowired
    MeterRegistry meterRegistry;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void showsPendingMessagesAndTurnsOutOfServiceAtTheHighWaterMark() throws Exception {
        Fetched before = fetch("/actuator/health");
        assertThat(before.httpStatus).isEqualTo(200);
        JsonNode component = before.body.path("components").path("reliableMessenger");
        assertThat(component.path("status").asString()).isEqualTo("UP");
        assertThat(component.path("details").path("pending").asInt(-1)).isZero();
        assertThat(component.path("details").path("capacity").asInt()).isEqualTo(10);
        assertThat(component.path("details").path("peers").path("silent").path("pending").asInt(-1)).isZero();

        for (int i = 0; i < HIGH_WATER_MARK - 1; i++) {
            assertThat(messenger.send("silent", new byte[] {(byte) i}, null)).isTrue();
        }
        Fetched belowMark = fetch("/actuator/health");
        assertThat(belowMark.httpStatus).isEqualTo(200);
        assertThat(belowMark.body.path("components").path("reliableMessenger").path("details").path("pending").asInt())
                .isEqualTo(HIGH_WATER_MARK - 1);

        assertThat(messenger.send("silent", new byte[] {9}, null)).isTrue();
        Fetched atMark = fetch("/actuator/health");
        JsonNode stuck = atMark.body.path("components").path("reliableMessenger");
        assertThat(stuck.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(stuck.path("details").path("pending").asInt()).isEqualTo(HIGH_WATER_MARK);
        assertThat(stuck.path("details").path("peers").path("silent").path("pending").asInt()).isEqualTo(HIGH_WATER_MARK);
        assertThat(atMark.body.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(atMark.httpStatus).isEqualTo(503);

        Fetched readiness = fetch("/actuator/health/readiness");
        assertThat(readiness.httpStatus).isEqualTo(503);
        assertThat(readiness.body.path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        Fetched liveness = fetch("/actuator/health/liveness");
        assertThat(liveness.httpStatus).as("a stuck chain is no reason to restart").isEqualTo(200);

        // Boot binds the starter's MeterBinder to the application's registry by itself.
        assertThat(meterRegistry.get("reliable.msg.sent").tag("peer", "silent").functionCounter().count())
                .isEqualTo(HIGH_WATER_MARK);
        assertThat(meterRegistry.get("reliable.msg.pending").tag("peer", "silent").gauge().value())
                .isEqualTo(HIGH_WATER_MARK);
    }

    private Fetched fetch(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Fetched(response.statusCode(), json.readTree(response.body()));
    }

    private record Fetched(int httpStatus, JsonNode body) {
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }
}
