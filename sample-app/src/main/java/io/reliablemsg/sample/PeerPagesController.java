package io.reliablemsg.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/peer-faults}: for each peer whose page is configured ({@code sample.peer-pages.<name>}),
 * the fault that peer injects, read from its {@code /api/stats}, so that the page shows both ends
 * of a link. A peer that does not answer within {@value #TIMEOUT_MILLIS} ms is reported as such.
 */
@RestController
public class PeerPagesController {
    static final long TIMEOUT_MILLIS = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, URI> peerPages;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS)).build();

    /** A controller asking the peers of {@code properties.peerPages()}. */
    public PeerPagesController(SampleProperties properties) {
        this.peerPages = properties.peerPages();
    }

    /**
     * By peer name: {@code faults} (its fault switch's state) when it answered with one,
     * {@code demoControls: false} when it has no fault switch, or {@code error} when it did not answer.
     */
    @GetMapping("/api/peer-faults")
    public Map<String, Object> peerFaults() {
        Map<String, Object> body = new LinkedHashMap<>();
        peerPages.forEach((peer, page) -> body.put(peer, faultsOf(page)));
        return body;
    }

    private Map<String, Object> faultsOf(URI page) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("page", page.toString());
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(page.resolve("api/stats"))
                    .timeout(Duration.ofMillis(TIMEOUT_MILLIS)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                state.put("error", "answered " + response.statusCode());
                return state;
            }
            JsonNode stats = JSON.readTree(response.body());
            state.put("demoControls", stats.path("demoControls").asBoolean());
            if (stats.has("faults")) {
                state.put("faults", JSON.convertValue(stats.get("faults"), Map.class));
            }
        } catch (IOException | RuntimeException e) {
            state.put("error", "no answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.put("error", "interrupted");
        }
        return state;
    }
}
