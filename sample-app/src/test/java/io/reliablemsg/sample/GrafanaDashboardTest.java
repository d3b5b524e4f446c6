package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.test.spring.AutoConfigureReliableMsgTestNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard {@code docs/grafana/reliable-msg.json} against what the sample node exposes
 * at {@code /actuator/prometheus}: every metric its PromQL expressions (panels and variables) use is
 * there, with the labels they match or group by. The node runs on the test network, its peer b silent.
 */
@AutoConfigureReliableMsgTestNetwork
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "reliable-msg.client-id=1", "reliable-msg.peers.b=127.0.0.1:7002", "sample.node-name=a"})
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of(System.getProperty("reliable-msg.dashboard",
            "../docs/grafana/reliable-msg.json"));
    /** Labels that Prometheus adds when it scrapes, absent from the exposition itself. */
    private static final Set<String> SCRAPE_LABELS = Set.of("instance", "job");
    private static final Pattern SAMPLE_LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]\\w*)=\"");

    private static JsonNode dashboard;

    @LocalServerPort
    int port;

    @BeforeAll
    static void readDashboard() throws IOException {
        dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
    }

    @Test
    void everyMetricTheDashboardQueriesIsExposedWithTheLabelsItUses() {
        Map<String, Set<String>> exposed = exposedMetricsAndLabels();
        List<String> expressions = expressions(dashboard);
        assertThat(expressions).as("PromQL expressions in %s", DASHBOARD).hasSizeGreaterThan(10);

        Set<String> used = new HashSet<>();
        for (String expression : expressions) {
            PromQl.References references = PromQl.references(expression);
            assertThat(references.metrics()).as("metrics of %s", expression).isNotEmpty();
            Set<String> labelsOfTheseMetrics = new HashSet<>(SCRAPE_LABELS);
            for (String metric : references.metrics()) {
                assertThat(exposed.containsKey(metric)).as("/actuator/prometheus has %s, used by %s; it has %s", metric,
                        expression, exposed.keySet().stream().filter(name -> name.startsWith("reliable_msg")).sorted()
                                .toList()).isTrue();
                labelsOfTheseMetrics.addAll(exposed.get(metric));
            }
            assertThat(labelsOfTheseMetrics).as("labels of %s", expression).containsAll(references.labels());
            used.addAll(references.metrics());
        }
        assertThat(used).as("the panels the dashboard promises").contains("reliable_msg_pending",
                "reliable_msg_acked_total", "reliable_msg_retransmitted_total", "reliable_msg_failed_total",
                "reliable_msg_ack_latency_seconds_bucket", "reliable_msg_reachable",
                "reliable_msg_path_state", "reliable_msg_path_round_trip_seconds", "reliable_msg_path_failures_total",
                "reliable_msg_failover_copies_total");
    }

    @Test
    void everyPanelQueriesThroughTheImportedDataSourceAndHasAUnitAndATitle() {
        assertThat(dashboard.at("/__inputs/0/name").asString()).isEqualTo("DS_PROMETHEUS");
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            if (!panel.get("type").asString().equals("row")) {
                panels.add(panel);
            }
        }
        assertThat(panels).hasSizeGreaterThanOrEqualTo(6).allSatisfy(panel -> {
            assertThat(panel.get("title").asString()).isNotBlank();
            assertThat(panel.at("/datasource/uid").asString()).isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.get("targets")).isNotEmpty();
            if (panel.get("type").asString().equals("timeseries")) {
                assertThat(panel.at("/fieldConfig/defaults/unit").asString()).as(panel.get("title").asString())
                        .isNotBlank();
            }
        });
    }

    /** Every {@code expr} of a panel target and every variable query, anywhere in the dashboard. */
    private static List<String> expressions(JsonNode node) {
        List<String> found = new ArrayList<>();
        collect(node, found);
        for (JsonNode variable : node.at("/templating/list")) {
            JsonNode query = variable.get("query");
            found.add(query.isObject() ? query.get("query").asString() : query.asString());
        }
        return found;
    }

    private static void collect(JsonNode node, List<String> found) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                if (property.getKey().equals("expr")) {
                    found.add(property.getValue().asString());
                } else {
                    collect(property.getValue(), found);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                collect(child, found);
            }
        }
    }

    /** Metric names of the exposition's samples, each with the label names it carries. */
    private Map<String, Set<String>> exposedMetricsAndLabels() {
        Http.Response response = new Http(port).get("/actuator/prometheus");
        assertThat(response.status()).isEqualTo(200);
        Map<String, Set<String>> exposed = new HashMap<>();
        for (String line : response.text().lines().toList()) {
            Matcher sample = SAMPLE_LINE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            Set<String> labels = exposed.computeIfAbsent(sample.group(1), name -> new HashSet<>());
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return exposed;
    }
}
