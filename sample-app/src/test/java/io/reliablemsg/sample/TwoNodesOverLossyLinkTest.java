package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.test.TestNetwork;
import io.reliablemsg.test.spring.TestNetworkContextInitializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two sample-app nodes in this JVM, each an application context with its HTTP API, on one test
 * network: everything sent through b's lossy link (b's demo fault switch at 30 %) is acked and
 * delivered once; what is sent while the test has b cut off, for longer than max-retries x interval,
 * fails once each, with its user buffer; once healed, the link carries messages again. Real UDP is not
 * the point here (the chaos test and {@code WiresharkDissectorIT} are on real sockets).
 */
class TwoNodesOverLossyLinkTest {
    private static final int MESSAGES = 5_000;
    private static final int SENT_WHILE_CUT_OFF = 40;
    /** interval 100 ms x max-retries 30: a message is given up 3.1 s after its first send. */
    private static final List<String> SETTINGS = List.of("reliable-msg.interval=100ms",
            "reliable-msg.max-retries=30", "reliable-msg.max-stored-messages=10000",
            "reliable-msg.close-timeout=1s");

    @Test
    void acksAndDeliversEveryMessageOnceAt30PercentLossThenFailsEachMessageSentWhileThePeerIsCutOff() {
        try (TestNetwork network = new TestNetwork();
             ConfigurableApplicationContext nodeA = start(network, "a", 1, 7001, "b", 7002);
             ConfigurableApplicationContext nodeB = start(network, "b", 2, 7002, "a", 7001)) {
            Http a = http(nodeA);
            Http b = http(nodeB);
            assertThat(b.post("/api/faults", "{\"loss\":0.3}").status()).isEqualTo(200);

            for (int i = 0; i < MESSAGES; i++) {
                Http.Response reply = a.post("/api/messages",
                        "{\"peer\":\"b\",\"payload\":\"m-" + i + "\",\"userBuffer\":\"u-" + i + "\"}");
                assertThat(reply.status()).as("POST %d: %s", i, reply.text()).isEqualTo(202);
            }
            await("all acked").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode stats = a.get("/api/stats").body();
                assertThat(stats.get("acked").asLong()).isEqualTo(MESSAGES);
                assertThat(stats.get("pending").asLong()).isZero();
            });
            JsonNode sender = a.get("/api/stats").body();
            JsonNode receiver = b.get("/api/stats").body();
            assertThat(sender.get("failed").asLong()).isZero();
            assertThat(sender.get("retransmitted").asLong()).as("loss made a retransmit").isPositive();
            assertThat(receiver.at("/faults/dropped").asLong()).as("b dropped datagrams").isGreaterThan(MESSAGES / 10);
            assertThat(receiver.get("delivered").asLong()).isEqualTo(MESSAGES);
            assertThat(receiver.get("deliveredTwice").asLong()).isZero();
            assertThat(receiver.get("duplicates").asLong()).as("lost acks caused duplicates, not deliveries").isPositive();

            b.delete("/api/faults");
            network.isolate("b");
            Set<String> cutOffBuffers = new HashSet<>();
            for (int i = 0; i < SENT_WHILE_CUT_OFF; i++) {
                assertThat(a.post("/api/messages", "{\"peer\":\"b\",\"payload\":\"x\",\"userBuffer\":\"cut-" + i + "\"}")
                        .status()).isEqualTo(202);
                cutOffBuffers.add("cut-" + i);
            }

            await("one failure per message sent while b is cut off").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(a.get("/api/stats").body().get("failed").asLong()).isEqualTo(SENT_WHILE_CUT_OFF));
            JsonNode failures = a.get("/api/failures").body();
            assertThat(failures.get("total").asLong()).isEqualTo(SENT_WHILE_CUT_OFF);
            List<String> failedBuffers = new ArrayList<>();
            for (JsonNode failure : failures.get("recent")) {
                failedBuffers.add(failure.get("userBuffer").asString());
                assertThat(failure.get("reason").asString()).isEqualTo("RETRIES_EXHAUSTED");
                assertThat(failure.get("attempts").asInt()).isEqualTo(31);
                assertThat(failure.get("peer").asString()).isEqualTo("b");
            }
            assertThat(failedBuffers).containsExactlyInAnyOrderElementsOf(cutOffBuffers);
            assertThat(b.get("/api/stats").body().get("delivered").asLong()).isEqualTo(MESSAGES);

            network.heal("b");
            assertThat(a.post("/api/messages", "{\"peer\":\"b\",\"payload\":\"healed\"}").status()).isEqualTo(202);
            await("acked once healed").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(a.get("/api/stats").body().get("acked").asLong()).isEqualTo(MESSAGES + 1));
        }
    }

    /**
     * A sample node with demo controls, HTTP on a free port, its messenger on {@code network}; settings as
     * command-line arguments, as the jar gets them (they must win over the node's application.properties).
     */
    private static ConfigurableApplicationContext start(TestNetwork network, String name, int clientId, int port,
                                                        String peer, int peerPort) {
        List<String> settings = new ArrayList<>(List.of("server.port=0", "spring.jmx.enabled=false",
                "sample.node-name=" + name, "sample.demo-controls.enabled=true", "reliable-msg.client-id=" + clientId,
                "reliable-msg.port=" + port, "reliable-msg.peers." + peer + "=127.0.0.1:" + peerPort));
        settings.addAll(SETTINGS);
        return new SpringApplicationBuilder(SampleApplication.class)
                .initializers(new TestNetworkContextInitializer(network))
                .run(settings.stream().map(setting -> "--" + setting).toArray(String[]::new));
    }

    private static Http http(ConfigurableApplicationContext node) {
        return new Http(node.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }
}
