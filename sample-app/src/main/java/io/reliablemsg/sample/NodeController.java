package io.reliablemsg.sample;

import io.reliablemsg.MessengerStats;
import io.reliablemsg.PathStats;
import io.reliablemsg.PeerStats;
import io.reliablemsg.ReliableMessenger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/stats}, {@code GET /api/failures} and {@code GET /api/deliveries}: what this node has done. */
@RestController
public class NodeController {
    private final ReliableMessenger messenger;
    private final DeliveryLog deliveries;
    private final FailureLog failures;
    private final TrafficGenerator traffic;
    private final SampleProperties properties;
    private final ObjectProvider<StatsSection> sections;
    private final RequestResponder responder;

    /** A controller reporting on the node's parts, and on the optional parts that add a {@link StatsSection}. */
    public NodeController(ReliableMessenger messenger, DeliveryLog deliveries, FailureLog failures,
                          TrafficGenerator traffic, SampleProperties properties, ObjectProvider<StatsSection> sections,
                          RequestResponder responder) {
        this.responder = responder;
        this.messenger = messenger;
        this.deliveries = deliveries;
        this.failures = failures;
        this.traffic = traffic;
        this.properties = properties;
        this.sections = sections;
    }

    /** Counters of this node; {@code delivered} counts messages received by its handler. */
    @GetMapping("/api/stats")
    public Map<String, Object> stats() {
        MessengerStats stats = messenger.stats();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", properties.nodeName());
        body.put("clientId", messenger.config().clientId());
        body.put("sent", stats.sent());
        body.put("acked", stats.acked());
        body.put("retransmitted", stats.retransmitted());
        body.put("failed", stats.failed());
        body.put("pending", stats.pending());
        body.put("capacity", stats.capacity());
        body.put("delivered", deliveries.delivered());
        body.put("deliveredTwice", deliveries.repeated());
        body.put("duplicates", stats.duplicates());
        body.put("staleMessagesDropped", stats.staleMessagesDropped());
        body.put("staleAcksDropped", stats.staleAcksDropped());
        body.put("malformedDropped", stats.malformedDropped());
        body.put("transportSendDrops", stats.transportSendDrops());
        body.put("chainFullRejections", messenger.chainFullRejections());
        body.put("traffic", Map.of("peer", String.valueOf(traffic.peer()), "ratePerSecond", traffic.ratePerSecond(),
                "generated", traffic.generated(), "refused", traffic.refused()));
        body.put("demoControls", properties.demoControls().enabled());
        sections.orderedStream().forEach(section -> body.put(section.key(), section.state().get()));
        body.put("requestsSent", stats.requestsSent());
        body.put("repliesReceived", stats.repliesReceived());
        body.put("peers", peers(stats, responder));
        body.put("links", links(stats));
        return body;
    }

    /**
     * Every counter of each peer, with its paths (PeerStats has accessors, not bean getters: spelled out);
     * {@code requestsHandled} counts the runs of this node's request handler for the peer's requests.
     */
    private static Map<String, Object> peers(MessengerStats stats, RequestResponder responder) {
        Map<String, Object> peers = new LinkedHashMap<>();
        stats.peers().forEach((name, peer) -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("address", peer.address());
            p.put("pending", peer.pending());
            p.put("sent", peer.sent());
            p.put("acked", peer.acked());
            p.put("retransmitted", peer.retransmitted());
            p.put("failed", peer.failed());
            p.put("delivered", peer.delivered());
            p.put("duplicates", peer.duplicates());
            p.put("staleMessagesDropped", peer.staleMessagesDropped());
            p.put("staleAcksDropped", peer.staleAcksDropped());
            p.put("outsideWindowDropped", peer.outsideWindowDropped());
            p.put("deliveryRejected", peer.deliveryRejected());
            p.put("malformedDropped", peer.malformedDropped());
            p.put("reachable", peer.reachable());
            p.put("unresolved", peer.unresolved());
            p.put("noAddressDrops", peer.noAddressDrops());
            p.put("protocolRevision", peer.protocolRevision());
            p.put("failoverCopies", peer.failoverCopies());
            p.put("fastRetransmits", peer.fastRetransmits());
            p.put("requestsSent", peer.requestsSent());
            p.put("repliesReceived", peer.repliesReceived());
            p.put("requestsHandled", responder.handled(name));
            p.put("paths", paths(peer));
            peers.put(name, p);
        });
        return peers;
    }

    /** One entry per address of {@code peer}: address, state, round trip, datagrams, failures. */
    private static List<Map<String, Object>> paths(PeerStats peer) {
        List<Map<String, Object>> paths = new ArrayList<>();
        for (PathStats path : peer.paths()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("address", path.address());
            p.put("state", path.state().name());
            p.put("roundTripMillis", path.smoothedRoundTripMillis());
            p.put("datagrams", path.transmissions());
            p.put("failures", path.failures());
            paths.add(p);
        }
        return paths;
    }

    /**
     * Each peer's link in both directions: this node's messages to it, the messages it delivered
     * from it, and the peer's state as this node sees it.
     */
    private static Map<String, Object> links(MessengerStats stats) {
        Map<String, Object> links = new LinkedHashMap<>();
        stats.peers().forEach((name, peer) -> {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("reachable", peer.reachable());
            link.put("protocolRevision", peer.protocolRevision());
            link.put("clockOffsetMillis", peer.clockOffsetMillis());
            link.put("paths", paths(peer));
            link.put("out", Map.of("sent", peer.sent(), "acked", peer.acked(), "retransmitted", peer.retransmitted(),
                    "failed", peer.failed(), "pending", peer.pending()));
            link.put("in", Map.of("delivered", peer.delivered(), "duplicates", peer.duplicates(),
                    "staleMessagesDropped", peer.staleMessagesDropped(), "malformedDropped", peer.malformedDropped()));
            links.put(name, link);
        });
        return links;
    }

    /**
     * The recent send failures, oldest first, and how many there were in all, read together; the
     * total may exceed the list, which keeps the last {@value FailureLog#CAPACITY}.
     */
    @GetMapping("/api/failures")
    public Map<String, Object> failures() {
        FailureLog.Snapshot snapshot = failures.snapshot();
        return Map.of("total", snapshot.total(), "recent", snapshot.recent(), "capacity", FailureLog.CAPACITY);
    }

    /**
     * When the handler got each recent message at or after {@code since} (epoch ms): rows of
     * [sender's client id, message id, epoch ms], oldest first, at most the last
     * {@value DeliveryLog#TIMED}; {@code total} counts every recorded delivery.
     */
    @GetMapping("/api/deliveries")
    public Map<String, Object> deliveries(@RequestParam(name = "since", defaultValue = "0") long since) {
        DeliveryLog.Timed timed = deliveries.deliveredSince(since);
        List<long[]> rows = new ArrayList<>(timed.deliveries().size());
        for (DeliveryLog.Delivery d : timed.deliveries()) {
            rows.add(new long[] {d.clientId(), d.msgId(), d.atMillis()});
        }
        return Map.of("total", timed.total(), "capacity", DeliveryLog.TIMED, "deliveries", rows);
    }
}
