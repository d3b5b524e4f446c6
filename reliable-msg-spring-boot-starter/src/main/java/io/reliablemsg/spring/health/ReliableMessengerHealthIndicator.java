package io.reliablemsg.spring.health;

import io.reliablemsg.PathStats;
import io.reliablemsg.PeerStats;
import io.reliablemsg.ReliableMessenger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of a {@link ReliableMessenger}, from its retransmit chain.
 *
 * <ul>
 *   <li>{@code UP}: running, fewer than {@code highWaterMark} messages pending.</li>
 *   <li>{@code OUT_OF_SERVICE}: running, but {@code highWaterMark} or more messages pending. The
 *       process is not broken (its socket and loop work; the peers are unreachable or slow), so it is
 *       not {@code DOWN}; but it will soon refuse sends ({@code send} returns false when the chain is
 *       full), so it should get no new work. That is a readiness signal: put this indicator in the
 *       readiness group, never in liveness, because a restart would not bring the peers back and
 *       would fail every pending message.</li>
 *   <li>{@code DOWN}: the messenger is not running (not started yet, or closed).</li>
 * </ul>
 *
 * Details: {@code pending}, {@code capacity}, {@code highWaterMark}, and per peer under {@code peers}
 * its {@code pending} count, whether it is {@code reachable}, and, once it has acked something, the
 * estimated offset of its clock against ours ({@code clockOffsetMillis}), the protocol revision it
 * reads once known ({@code protocolRevision}), {@code unresolved: true} while none of its host names
 * resolves (sends to it wait; nothing goes out), and its {@code paths}: per address, its {@code state}
 * (ACTIVE, STANDBY, FAILED), smoothed {@code roundTripMillis}, {@code datagrams} sent and
 * {@code failures}.
 */
public final class ReliableMessengerHealthIndicator implements HealthIndicator {
    private final ReliableMessenger messenger;
    private final int highWaterMark;

    /** Health of {@code messenger}, OUT_OF_SERVICE from {@code highWaterMark} pending messages on. */
    public ReliableMessengerHealthIndicator(ReliableMessenger messenger, int highWaterMark) {
        this.messenger = Objects.requireNonNull(messenger, "messenger");
        if (highWaterMark < 1) {
            throw new IllegalArgumentException("highWaterMark must be at least 1 but was " + highWaterMark);
        }
        this.highWaterMark = highWaterMark;
    }

    @Override
    public Health health() {
        int pending = messenger.pendingCount();
        Map<String, Object> peers = new LinkedHashMap<>();
        for (PeerStats peer : messenger.stats().peers().values()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pending", peer.pending());
            details.put("reachable", peer.reachable());
            if (peer.unresolved()) {
                details.put("unresolved", true); // none of its host names resolves (yet): nothing is sent to it
            }
            if (peer.clockOffsetMillis() != null) {
                details.put("clockOffsetMillis", peer.clockOffsetMillis());
            }
            if (peer.protocolRevision() != null) {
                details.put("protocolRevision", peer.protocolRevision());
            }
            List<Map<String, Object>> paths = new ArrayList<>();
            for (PathStats path : peer.paths()) {
                Map<String, Object> pathDetails = new LinkedHashMap<>();
                pathDetails.put("address", path.address());
                pathDetails.put("state", path.state().name());
                if (path.smoothedRoundTripMillis() != null) {
                    pathDetails.put("roundTripMillis", path.smoothedRoundTripMillis());
                }
                pathDetails.put("datagrams", path.transmissions());
                pathDetails.put("failures", path.failures());
                paths.add(pathDetails);
            }
            details.put("paths", paths);
            peers.put(peer.name(), details);
        }
        Status status = !messenger.isRunning() ? Status.DOWN
                : pending >= highWaterMark ? Status.OUT_OF_SERVICE : Status.UP;
        return Health.status(status)
                .withDetail("pending", pending)
                .withDetail("capacity", messenger.capacity())
                .withDetail("highWaterMark", highWaterMark)
                .withDetail("peers", peers)
                .build();
    }
}
