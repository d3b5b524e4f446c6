package io.reliablemsg.sample;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/history}: the node's last minutes, one sample a second, for the live page. */
@RestController
public class HistoryController {
    private final StatsHistory history;

    /** A controller serving {@code history}. */
    public HistoryController(StatsHistory history) {
        this.history = history;
    }

    /**
     * The samples taken after {@code since} (epoch ms; all of them when absent), oldest first, with
     * the time between samples and how many are kept. A page loads them all once, then asks for
     * those after the last one it has.
     */
    @GetMapping("/api/history")
    public Map<String, Object> history(@RequestParam(defaultValue = "0") long since) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intervalMillis", HistorySampler.INTERVAL_MILLIS);
        body.put("capacity", StatsHistory.CAPACITY);
        body.put("samples", history.since(since));
        return body;
    }
}
