package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.sample.demo.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two sample-app JVMs on 127.0.0.1: everything sent through b's lossy link is acked and delivered
 * once; what is sent during an outage longer than max-retries x interval fails once each, with its
 * user buffer.
 */
class TwoNodesOverLossyLinkIT {
    private static final int MESSAGES = 5_000;
    private static final int SENT_DURING_OUTAGE = 40;
    /** interval 100 ms x max-retries 30: a message is given up 3.1 s after its first send. */
    private static final List<String> SETTINGS = List.of("--reliable-msg.interval=100ms",
            "--reliable-msg.max-retries=30", "--reliable-msg.max-stored-messages=10000",
            "--reliable-msg.close-timeout=1s");
    private static final double OUTAGE_SECONDS = 8;
    private static final Duration GIVE_UP_AFTER = Duration.ofMillis(3100);

    @Test
    void acksAndDeliversEveryMessageOnceAt30PercentLossThenFailsEachMessageSentDuringALongOutage() {
        try (TwoNodes nodes = TwoNodes.start("two-nodes-it", SETTINGS)) {
            NodeProcess a = nodes.a;
            NodeProcess b = nodes.b;
            assertThat(b.post("api/faults", "{\"loss\":0.3}").status()).isEqualTo(200);

            for (int i = 0; i < MESSAGES; i++) {
                NodeProcess.Reply reply = a.post("api/messages",
                        "{\"peer\":\"b\",\"payload\":\"m-" + i + "\",\"userBuffer\":\"u-" + i + "\"}");
                assertThat(reply.status()).as("POST %d: %s", i, reply.body()).isEqualTo(202);
            }
            await("all acked").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode stats = a.get("api/stats");
                assertThat(stats.get("acked").asLong()).isEqualTo(MESSAGES);
                assertThat(stats.get("pending").asLong()).isZero();
            });
            JsonNode sender = a.get("api/stats");
            JsonNode receiver = b.get("api/stats");
            assertThat(sender.get("failed").asLong()).isZero();
            assertThat(sender.get("retransmitted").asLong()).as("loss made a retransmit").isPositive();
            assertThat(receiver.at("/faults/dropped").asLong()).as("b dropped datagrams").isGreaterThan(MESSAGES / 10);
            assertThat(receiver.get("delivered").asLong()).isEqualTo(MESSAGES);
            assertThat(receiver.get("deliveredTwice").asLong()).isZero();
            assertThat(receiver.get("duplicates").asLong()).as("lost acks caused duplicates, not deliveries").isPositive();

            b.delete("api/faults");
            b.post("api/faults", "{\"outageSeconds\":" + OUTAGE_SECONDS + "}");
            long outageStartNs = System.nanoTime();
            Set<String> outageBuffers = new HashSet<>();
            for (int i = 0; i < SENT_DURING_OUTAGE; i++) {
                assertThat(a.post("api/messages", "{\"peer\":\"b\",\"payload\":\"x\",\"userBuffer\":\"outage-" + i + "\"}")
                        .status()).isEqualTo(202);
                outageBuffers.add("outage-" + i);
            }
            Duration sending = Duration.ofNanos(System.nanoTime() - outageStartNs);
            assertThat(sending.plus(GIVE_UP_AFTER)).as("every message gives up before the outage ends")
                    .isLessThan(Duration.ofMillis((long) (OUTAGE_SECONDS * 1000)));

            await("one failure per message sent during the outage").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(a.get("api/stats").get("failed").asLong()).isEqualTo(SENT_DURING_OUTAGE));
            JsonNode failures = a.get("api/failures");
            assertThat(failures.get("total").asLong()).isEqualTo(SENT_DURING_OUTAGE);
            List<String> failedBuffers = new ArrayList<>();
            for (JsonNode failure : failures.get("recent")) {
                failedBuffers.add(failure.get("userBuffer").asString());
                assertThat(failure.get("reason").asString()).isEqualTo("RETRIES_EXHAUSTED");
                assertThat(failure.get("attempts").asInt()).isEqualTo(31);
                assertThat(failure.get("peer").asString()).isEqualTo("b");
            }
            assertThat(failedBuffers).containsExactlyInAnyOrderElementsOf(outageBuffers);
            assertThat(a.get("api/stats").get("acked").asLong()).isEqualTo(MESSAGES);
            assertThat(b.get("api/stats").get("delivered").asLong()).isEqualTo(MESSAGES);
        }
    }
}
