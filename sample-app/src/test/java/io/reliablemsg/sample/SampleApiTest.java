package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reliablemsg.test.spring.AutoConfigureReliableMsgTestNetwork;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP API of one node whose peer never answers (nothing runs at its address on the test network),
 * demo controls off (the default).
 */
@AutoConfigureReliableMsgTestNetwork
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reliable-msg.client-id=1", "reliable-msg.peers.b=127.0.0.1:7002", "reliable-msg.interval=300ms",
        "reliable-msg.max-retries=2", "reliable-msg.max-user-buffer-length=8", "sample.node-name=a",
        "management.metrics.distribution.percentiles-histogram.reliable.msg.ack.latency=true",
        "management.metrics.distribution.slo.reliable.msg.ack.latency=50ms,200ms"})
class SampleApiTest {
    @LocalServerPort
    int port;

    private Http http() {
        return new Http(port);
    }

    @Test
    void acceptsAMessageWith202AndItsId() {
        Http.Response response = http().post("/api/messages", "{\"peer\":\"b\",\"payload\":\"hello\",\"userBuffer\":\"u1\"}");

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.body().get("msgId").asLong()).isPositive();
    }

    @Test
    void refusesAnUnknownPeerWith400NamingTheConfiguredPeers() {
        Http.Response response = http().post("/api/messages", "{\"peer\":\"zz\",\"payload\":\"hello\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("error").asString()).contains("unknown peer 'zz'").contains("[b]");
    }

    @Test
    void refusesAUserBufferLongerThanConfiguredWith400() {
        Http.Response response = http().post("/api/messages",
                "{\"peer\":\"b\",\"payload\":\"hello\",\"userBuffer\":\"123456789\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("error").asString()).contains("user buffer of 9 bytes exceeds");
    }

    @Test
    void refusesAMissingPayloadWith400() {
        Http.Response response = http().post("/api/messages", "{\"peer\":\"b\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("error").asString()).isEqualTo("payload is required");
    }

    @Test
    void reportsAMessageThePeerNeverAckedInFailuresWithItsUserBuffer() {
        long msgId = http().post("/api/messages", "{\"peer\":\"b\",\"payload\":\"lost\",\"userBuffer\":\"order-7\"}")
                .body().get("msgId").asLong();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode recent = http().get("/api/failures").body().get("recent");
            assertThat(recent.valueStream().filter(f -> f.get("msgId").asLong() == msgId)).singleElement()
                    .satisfies(f -> {
                        assertThat(f.get("userBuffer").asString()).isEqualTo("order-7");
                        assertThat(f.get("peer").asString()).isEqualTo("b");
                        assertThat(f.get("attempts").asInt()).isEqualTo(3);
                        assertThat(f.get("reason").asString()).isEqualTo("RETRIES_EXHAUSTED");
                    });
        });
        JsonNode failures = http().get("/api/failures").body();
        assertThat(failures.get("total").asLong()).as("total and list read together")
                .isGreaterThanOrEqualTo(failures.get("recent").size()).isPositive();
        JsonNode stats = http().get("/api/stats").body();
        assertThat(stats.get("failed").asLong()).isPositive();
        assertThat(stats.get("node").asString()).isEqualTo("a");
        assertThat(stats.get("demoControls").asBoolean()).isFalse();
    }

    @Test
    void hasNoFaultSwitchUnlessDemoControlsAreEnabled() {
        assertThat(http().post("/api/faults", "{\"loss\":1}").status()).isEqualTo(404);
        assertThat(http().post("/api/faults", "{\"network\":1,\"outageSeconds\":5}").status()).isEqualTo(404);
        assertThat(http().get("/api/faults").status()).isEqualTo(404);
        assertThat(http().post("/api/traffic", "{\"ratePerSecond\":10}").status()).isEqualTo(404);
    }

    @Test
    void exposesTheMessengerHealthComponentAndItsMetricsIncludingPrometheus() {
        JsonNode health = http().get("/actuator/health").body();
        assertThat(health.at("/components/reliableMessenger/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/reliableMessenger/details/pending").isNumber()).isTrue();

        assertThat(http().get("/actuator/metrics/reliable.msg.sent").status()).isEqualTo(200);
        assertThat(http().get("/actuator/prometheus").text()).contains("reliable_msg_sent");
    }

    @Test
    void prometheusHasAMeterForEverythingThatCanGoWrongEachWithItsHelpText() {
        String text = http().get("/actuator/prometheus").text();
        List<String> perPeer = List.of("reliable_msg_sent_total", "reliable_msg_retransmitted_total",
                "reliable_msg_acked_total", "reliable_msg_failed_total", "reliable_msg_malformed_total",
                "reliable_msg_authentication_failures_total", "reliable_msg_delivered_total",
                "reliable_msg_duplicate_total", "reliable_msg_stale_total", "reliable_msg_delivery_rejected_total",
                "reliable_msg_outside_window_total", "reliable_msg_unmatched_acks_total", "reliable_msg_pending",
                "reliable_msg_failover_copies_total", "reliable_msg_reachable", "reliable_msg_path_state",
                "reliable_msg_path_datagrams_total", "reliable_msg_path_failures_total",
                "reliable_msg_path_round_trip_seconds", "reliable_msg_ack_latency_seconds_count",
                "reliable_msg_fast_retransmits_total", "reliable_msg_no_address_drops_total", "reliable_msg_unresolved",
                "reliable_msg_requests_sent_total", "reliable_msg_replies_received_total",
                "reliable_msg_requests_handled_total", "reliable_msg_replies_sent_total");
        for (String name : perPeer) {
            assertThat(text).as(name).containsPattern("(?m)^" + name + "\\{[^}]*peer=\"b\"");
        }
        for (String name : List.of("reliable_msg_unknown_source_total", "reliable_msg_capacity",
                "reliable_msg_chain_full_total", "reliable_msg_handler_errors_total", "reliable_msg_delivery_queue",
                "reliable_msg_delivery_queue_capacity", "reliable_msg_transport_send_drops_total",
                "reliable_msg_client_id_conflicts_total", "reliable_msg_peers", "reliable_msg_reply_cache_entries",
                "reliable_msg_reply_cache_bytes", "reliable_msg_reply_cache_evictions_total")) {
            assertThat(text).as(name).containsPattern("(?m)^" + name + "(\\{[^}]*})? ");
            assertThat(text).as("help of " + name).containsPattern("(?m)^# HELP " + name + " \\S");
        }
        assertThat(text).contains("# HELP reliable_msg_stale_total Messages (kind=message) or acks (kind=ack) older");
        assertThat(text).containsPattern("(?m)^reliable_msg_delivery_queue_capacity(\\{[^}]*})? 10000\\.0$");
        // Boot's management.metrics.distribution.* apply to the ack latency timer: buckets and SLOs
        assertThat(text).containsPattern("(?m)^reliable_msg_ack_latency_seconds_bucket\\{[^}]*le=\"0\\.05\"");
        assertThat(text).containsPattern("(?m)^reliable_msg_ack_latency_seconds_bucket\\{[^}]*le=\"0\\.2\"");
        assertThat(text).containsPattern("(?m)^reliable_msg_ack_latency_seconds_bucket\\{[^}]*le=\"\\+Inf\"");
    }

    @Test
    void servesTheLastSamplesOfTheNodeOnceASecondWithEachPeersState() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http().get("/api/history").body().get("samples").size()).isGreaterThanOrEqualTo(2));
        JsonNode history = http().get("/api/history").body();
        assertThat(history.get("intervalMillis").asLong()).isEqualTo(1000);
        assertThat(history.get("capacity").asInt()).isEqualTo(600);
        JsonNode samples = history.get("samples");
        JsonNode last = samples.get(samples.size() - 1);
        assertThat(last.get("timeMillis").asLong()).isGreaterThan(samples.get(0).get("timeMillis").asLong());
        assertThat(last.at("/peers/b/pending").isNumber()).isTrue();
        assertThat(last.at("/peers/b/reachable").isBoolean()).isTrue();
        assertThat(last.at("/peers/b").has("protocolRevision")).isTrue();
        assertThat(last.at("/peers/b/protocolRevision").asInt(1))
                .as("a silent peer: unknown (null) while probed, then 1 (no probe answered)").isEqualTo(1);
        assertThat(last.get("ackedPerSecond").isNumber()).isTrue();

        JsonNode newer = http().get("/api/history?since=" + last.get("timeMillis").asLong()).body().get("samples");
        for (JsonNode sample : newer) {
            assertThat(sample.get("timeMillis").asLong()).isGreaterThan(last.get("timeMillis").asLong());
        }
    }

    @Test
    void reportsEachPeersLinkInBothDirectionsAndNoPeerPagesUnlessConfigured() {
        JsonNode link = http().get("/api/stats").body().at("/links/b");
        assertThat(link.at("/out/sent").isNumber()).isTrue();
        assertThat(link.at("/out/pending").isNumber()).isTrue();
        assertThat(link.at("/in/delivered").isNumber()).isTrue();
        assertThat(link.get("reachable").isBoolean()).isTrue();

        assertThat(http().get("/api/peer-faults").body().size()).isZero();
    }

    @Test
    void reportsEveryPeersCountersAndPaths() {
        JsonNode peer = http().get("/api/stats").body().at("/peers/b");
        assertThat(peer.at("/sent").isNumber()).as("counters, not an empty object").isTrue();
        assertThat(peer.at("/failoverCopies").isNumber()).isTrue();
        assertThat(peer.at("/address").asString()).startsWith("127.0.0.1:");
        JsonNode path = peer.at("/paths/0");
        assertThat(path.at("/address").asString()).isEqualTo(peer.at("/address").asString());
        assertThat(path.at("/state").asString()).isIn("ACTIVE", "FAILED");
        assertThat(path.at("/datagrams").isNumber()).isTrue();
        assertThat(http().get("/api/stats").body().at("/links/b/paths/0/address").asString())
                .isEqualTo(peer.at("/address").asString());
    }

    @Test
    void servesTheWatchPage() {
        Http.Response page = http().get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("<canvas id=\"pending-chart\"").contains("<canvas id=\"rates-chart\"");
    }
}
