package io.reliablemsg.sample.demo;

import io.reliablemsg.sample.TrafficGenerator;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * DEMO FACILITY: {@code /api/faults} (make the link flap) and {@code /api/traffic} (change the
 * generated stream's rate). Exists only with {@code sample.demo-controls.enabled=true}.
 */
@RestController
@ConditionalOnBooleanProperty(name = "sample.demo-controls.enabled")
public class DemoControlsController {
    private static final double MAX_OUTAGE_SECONDS = 3600;

    private final FaultSwitch faultSwitch;
    private final TrafficGenerator traffic;

    DemoControlsController(FaultSwitch faultSwitch, TrafficGenerator traffic) {
        this.faultSwitch = faultSwitch;
        this.traffic = traffic;
    }

    /**
     * A flap to start; either or both fields.
     *
     * @param loss          share of datagrams to drop from now on, in [0, 1]
     * @param outageSeconds drop everything for this many seconds from now
     * @param network       1 or 2: only the datagrams exchanged with the peers' first (network 1) or
     *                      second (network 2) address; absent: the whole node
     */
    public record FaultRequest(Double loss, Double outageSeconds, JsonNode network) {
    }

    /**
     * New rate of the generated stream.
     *
     * @param ratePerSecond messages per second; 0 pauses
     */
    public record TrafficRequest(Integer ratePerSecond) {
    }

    /** Current faults. */
    @GetMapping("/api/faults")
    public Map<String, Object> faults() {
        return faultSwitch.state();
    }

    /** Starts a flap: 200 with the new state, 400 with a reason for bad input. */
    @PostMapping("/api/faults")
    public ResponseEntity<Map<String, Object>> startFaults(@RequestBody FaultRequest request) {
        if (request.loss() == null && request.outageSeconds() == null) {
            return badRequest("give loss (0..1) or outageSeconds");
        }
        if (request.loss() != null && !(request.loss() >= 0 && request.loss() <= 1)) {
            return badRequest("loss must be in [0, 1] but was " + request.loss());
        }
        if (request.outageSeconds() != null
                && !(request.outageSeconds() > 0 && request.outageSeconds() <= MAX_OUTAGE_SECONDS)) {
            return badRequest("outageSeconds must be in (0, " + (int) MAX_OUTAGE_SECONDS + "] but was "
                    + request.outageSeconds());
        }
        JsonNode networkField = request.network();
        Integer network = null;
        if (networkField != null && !networkField.isNull()) {
            if (!networkField.isIntegralNumber() || networkField.asLong() < 1 || networkField.asLong() > FaultSwitch.NETWORKS) {
                return badRequest("network must be 1 or " + FaultSwitch.NETWORKS
                        + " (the peers' first or second address; absent: the whole node) but was " + networkField);
            }
            network = networkField.asInt();
        }
        try {
            if (request.loss() != null) {
                faultSwitch.setLoss(network, request.loss());
            }
            if (request.outageSeconds() != null) {
                faultSwitch.startOutage(network, request.outageSeconds());
            }
        } catch (IllegalArgumentException noSuchNetwork) {
            return badRequest(noSuchNetwork.getMessage());
        }
        return ResponseEntity.ok(faultSwitch.state());
    }

    /** Ends every fault, of the whole node and of each network: the link works again. */
    @DeleteMapping("/api/faults")
    public Map<String, Object> clearFaults() {
        faultSwitch.clear();
        return faultSwitch.state();
    }

    /** Changes the generated stream's rate: 200, or 400 with a reason. */
    @PostMapping("/api/traffic")
    public ResponseEntity<Map<String, Object>> setTraffic(@RequestBody TrafficRequest request) {
        if (request.ratePerSecond() == null) {
            return badRequest("ratePerSecond is required");
        }
        try {
            traffic.setRatePerSecond(request.ratePerSecond());
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
        return ResponseEntity.ok(Map.of("peer", String.valueOf(traffic.peer()), "ratePerSecond", traffic.ratePerSecond()));
    }

    private static ResponseEntity<Map<String, Object>> badRequest(String reason) {
        return ResponseEntity.badRequest().body(Map.of("error", reason));
    }
}
