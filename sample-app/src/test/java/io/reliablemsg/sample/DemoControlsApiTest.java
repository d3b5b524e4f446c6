package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.test.spring.AutoConfigureReliableMsgTestNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A node with demo controls on, a chain of 3 and a peer that never answers (nothing runs at its two
 * addresses on the test network; slots stay held 11 s).
 */
@AutoConfigureReliableMsgTestNetwork
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reliable-msg.client-id=1", "reliable-msg.peers.b=127.0.0.1:7002,127.0.0.1:7003", "reliable-msg.max-stored-messages=3",
        "sample.demo-controls.enabled=true", "sample.traffic.peer=b"})
class DemoControlsApiTest {
    @LocalServerPort
    int port;

    private Http http() {
        return new Http(port);
    }

    @Test
    void answers503WhenTheRetransmitChainIsFull() {
        for (int i = 0; i < 3; i++) {
            assertThat(http().post("/api/messages", "{\"peer\":\"b\",\"payload\":\"p\"}").status()).isEqualTo(202);
        }
        Http.Response full = http().post("/api/messages", "{\"peer\":\"b\",\"payload\":\"p\"}");

        assertThat(full.status()).isEqualTo(503);
        assertThat(full.body().get("error").asString()).contains("retransmit chain full");
        assertThat(full.body().get("capacity").asInt()).isEqualTo(3);
        assertThat(http().get("/api/stats").body().get("chainFullRejections").asLong()).isEqualTo(1);
    }

    @Test
    void setsAndClearsLossAndOutageThroughTheFaultSwitch() {
        JsonNode started = http().post("/api/faults", "{\"loss\":0.3,\"outageSeconds\":60}").body();
        assertThat(started.get("loss").asDouble()).isEqualTo(0.3);
        assertThat(started.get("outageRemainingMillis").asLong()).isBetween(50_000L, 60_000L);
        assertThat(http().get("/api/stats").body().at("/faults/loss").asDouble()).isEqualTo(0.3);

        JsonNode cleared = http().delete("/api/faults").body();
        assertThat(cleared.get("loss").asDouble()).isZero();
        assertThat(cleared.get("outageRemainingMillis").asLong()).isZero();
    }

    @Test
    void refusesBadFaultsAndRatesWith400AndAReason() {
        Http.Response loss = http().post("/api/faults", "{\"loss\":1.5}");
        assertThat(loss.status()).isEqualTo(400);
        assertThat(loss.body().get("error").asString()).isEqualTo("loss must be in [0, 1] but was 1.5");

        assertThat(http().post("/api/faults", "{\"outageSeconds\":0}").status()).isEqualTo(400);
        assertThat(http().post("/api/faults", "{}").status()).isEqualTo(400);
        assertThat(http().get("/api/faults").body().get("loss").asDouble()).isZero();

        Http.Response rate = http().post("/api/traffic", "{\"ratePerSecond\":-1}");
        assertThat(rate.status()).isEqualTo(400);
        assertThat(rate.body().get("error").asString()).startsWith("ratePerSecond must be in [0, 5000]");
        assertThat(http().post("/api/traffic", "{\"ratePerSecond\":0}").status()).isEqualTo(200);
    }

    @Test
    void setsAFaultOnOneNetworkOnlyTheOtherAndTheWholeNodeStayClean() {
        Http.Response started = http().post("/api/faults", "{\"network\":2,\"outageSeconds\":60}");
        assertThat(started.status()).isEqualTo(200);
        JsonNode state = started.body();
        assertThat(state.get("outageRemainingMillis").asLong()).as("the whole node").isZero();
        assertThat(state.at("/networks/1/network").asInt()).isEqualTo(2);
        assertThat(state.at("/networks/1/outageRemainingMillis").asLong()).isBetween(50_000L, 60_000L);
        assertThat(state.at("/networks/1/addresses").toString()).as("b's second address").isEqualTo("[\"127.0.0.1:7003\"]");
        assertThat(state.at("/networks/0/outageRemainingMillis").asLong()).isZero();

        await("the pings of b's standby path, its second address, are dropped on network 2")
                .atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(http().get("/api/stats").body().at("/faults/networks/1/dropped").asLong()).isPositive());
        JsonNode faults = http().get("/api/stats").body().get("faults");
        assertThat(faults.get("dropped").asLong()).as("the whole node drops nothing").isZero();
        assertThat(faults.at("/networks/0/dropped").asLong()).as("network 1 drops nothing").isZero();

        JsonNode lossy = http().post("/api/faults", "{\"network\":1,\"loss\":0.5}").body();
        assertThat(lossy.at("/networks/0/loss").asDouble()).isEqualTo(0.5);
        assertThat(lossy.at("/networks/0/addresses").toString()).isEqualTo("[\"127.0.0.1:7002\"]");
        assertThat(lossy.get("loss").asDouble()).isZero();
        JsonNode cleared = http().delete("/api/faults").body();
        assertThat(cleared.at("/networks/0/loss").asDouble()).isZero();
        assertThat(cleared.at("/networks/1/outageRemainingMillis").asLong()).isZero();
    }

    @Test
    void refusesANetworkOtherThan1Or2With400AndAReason() {
        for (String bad : new String[] {"0", "3", "1.5", "\"1\"", "\"x\"", "[1]"}) {
            Http.Response response = http().post("/api/faults", "{\"network\":" + bad + ",\"outageSeconds\":5}");
            assertThat(response.status()).as("network " + bad).isEqualTo(400);
            assertThat(response.body().get("error").asString()).as("network " + bad)
                    .startsWith("network must be 1 or 2 (the peers' first or second address; absent: the whole node)")
                    .endsWith(" but was " + bad);
        }
        assertThat(http().get("/api/faults").body().at("/networks/0/outageRemainingMillis").asLong()).isZero();
        assertThat(http().post("/api/faults", "{\"network\":null,\"loss\":0.1}").body().get("loss").asDouble())
                .as("null network: the whole node").isEqualTo(0.1);
        http().delete("/api/faults");
    }
}
