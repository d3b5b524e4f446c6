package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code POST /api/requests} between two nodes of the sample in this JVM over UDP on 127.0.0.1: 200 with
 * the message id and {@code reply:} + payload; 504 with the user buffer and the reason once the peer is
 * gone; 400 for bad input; {@code requestsHandled} per peer in {@code GET /api/stats} counts handler runs.
 */
class RequestsApiTest {
    private ConfigurableApplicationContext a;
    private ConfigurableApplicationContext b;

    private static ConfigurableApplicationContext node(String name, int clientId, int udpPort, String peer,
                                                       int peerPort) {
        return new SpringApplicationBuilder(SampleApplication.class).properties(List.of("server.port=0",
                "sample.node-name=" + name, "reliable-msg.client-id=" + clientId, "reliable-msg.bind-address=127.0.0.1",
                "reliable-msg.port=" + udpPort, "reliable-msg.peers." + peer + "=127.0.0.1:" + peerPort,
                "reliable-msg.interval=100ms", "reliable-msg.max-retries=3", "reliable-msg.close-timeout=0s",
                "spring.jmx.enabled=false").toArray(String[]::new)).run();
    }

    private static Http http(ConfigurableApplicationContext node) {
        return new Http(Integer.parseInt(node.getEnvironment().getProperty("local.server.port")));
    }

    @BeforeEach
    void startTwoNodes() {
        int udpA = FreeUdpPort.find();
        int udpB = FreeUdpPort.find();
        a = node("a", 1, udpA, "b", udpB);
        b = node("b", 2, udpB, "a", udpA);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void answersARequestWith200ItsIdAndThePeersReplyCountingOneHandlerRun() {
        Http.Response response = http(a).post("/api/requests", "{\"peer\":\"b\",\"payload\":\"hello\",\"userBuffer\":\"u1\"}");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("msgId").asLong()).isPositive();
        assertThat(response.body().get("reply").asString()).isEqualTo("reply:hello");
        assertThat(http(b).get("/api/stats").body().get("peers").get("a").get("requestsHandled").asLong()).isEqualTo(1);
        assertThat(http(a).get("/api/stats").body().get("peers").get("b").get("repliesReceived").asLong()).isEqualTo(1);
    }

    @Test
    void answersARequestThatFailedWith504ItsUserBufferAndTheReason() {
        b.close();
        Http.Response response = http(a).post("/api/requests", "{\"peer\":\"b\",\"payload\":\"anyone\",\"userBuffer\":\"u2\"}");

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body().get("msgId").asLong()).isPositive();
        assertThat(response.body().get("userBuffer").asString()).isEqualTo("u2");
        assertThat(response.body().get("reason").asString()).isEqualTo("RETRIES_EXHAUSTED");
    }

    @Test
    void refusesAnUnknownPeerOrAMissingPayloadWith400() {
        assertThat(http(a).post("/api/requests", "{\"peer\":\"zz\",\"payload\":\"x\"}").status()).isEqualTo(400);
        Http.Response missing = http(a).post("/api/requests", "{\"peer\":\"b\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().get("error").asString()).isEqualTo("payload is required");
    }
}
