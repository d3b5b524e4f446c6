package io.reliablemsg.spring.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.reliablemsg.AckListener;
import io.reliablemsg.PathState;
import io.reliablemsg.PathStats;
import io.reliablemsg.PeerChange;
import io.reliablemsg.PeerStats;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.PeerChangedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.springframework.context.ApplicationListener;

/**
 * Micrometer meters of a {@link ReliableMessenger}, all named {@code reliable.msg.*}.
 *
 * <p>Counters, tagged {@code peer}, read from the messenger's own counters when the registry is
 * scraped (no work on the send path): {@code sent}, {@code retransmitted}, {@code acked},
 * {@code failed} (tagged {@code reason} = {@code retries_exhausted} or {@code shutdown}),
 * {@code delivered}, {@code duplicate}, {@code stale} (tagged {@code kind} = {@code message} or
 * {@code ack}), {@code malformed} and {@code authentication.failures} (datagrams from the peer's
 * address that failed validation or authentication). {@code reliable.msg.unknown.source} counts
 * datagrams from addresses that are no configured peer. Gauges: {@code reliable.msg.pending}
 * per peer and {@code reliable.msg.capacity}. Timer: {@code reliable.msg.ack.latency} per peer, the time
 * from a message's first send to its ack, recorded by {@link #onAcked} on the messenger's callback thread.
 *
 * <p>The per-peer meters follow the peer set: bound for the peers there are when a registry binds, added
 * for a peer added later and removed with a peer removed (on its {@link PeerChangedEvent}); a peer's path
 * meters are replaced when its addresses change. A meter read just as its peer or path goes reads NaN.
 */
public final class ReliableMessengerMetrics implements MeterBinder, AckListener,
        ApplicationListener<PeerChangedEvent> {
    /** Prefix of every meter name. */
    public static final String PREFIX = "reliable.msg.";
    private static final String STALE = "Messages (kind=message) or acks (kind=ack) older than the interval, dropped";

    private final ReliableMessenger messenger;
    private final Map<String, List<Timer>> latencyTimers = new ConcurrentHashMap<>();
    /** Per registry bound, per peer: its meters, and its paths' meters. */
    private final Map<MeterRegistry, Map<String, List<Meter>>> peerMeters = new ConcurrentHashMap<>();
    private final Map<MeterRegistry, Map<String, List<Meter>>> pathMeters = new ConcurrentHashMap<>();

    /** Meters of {@code messenger}. */
    public ReliableMessengerMetrics(ReliableMessenger messenger) {
        this.messenger = Objects.requireNonNull(messenger, "messenger");
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        peerMeters.putIfAbsent(registry, new ConcurrentHashMap<>());
        pathMeters.putIfAbsent(registry, new ConcurrentHashMap<>());
        for (String peer : messenger.peers().keySet()) {
            bindPeer(registry, peer);
        }
        bindMessenger(registry);
    }

    /** Follows the peer set: meters for a peer added, none left of one removed, path meters anew on a change. */
    @Override
    public synchronized void onApplicationEvent(PeerChangedEvent event) {
        if (event.getMessenger() != messenger) {
            return;
        }
        String peer = event.getPeer();
        for (Map.Entry<MeterRegistry, Map<String, List<Meter>>> e : peerMeters.entrySet()) {
            MeterRegistry registry = e.getKey();
            if (event.getKind() == PeerChange.Kind.ADDED) {
                bindPeer(registry, peer);
                continue;
            }
            unbind(registry, pathMeters.get(registry).remove(peer));
            if (event.getKind() == PeerChange.Kind.REMOVED) {
                unbind(registry, e.getValue().remove(peer));
            } else if (e.getValue().containsKey(peer)) {
                bindPaths(registry, peer);
            }
        }
        if (event.getKind() == PeerChange.Kind.REMOVED) {
            latencyTimers.remove(peer);
        }
    }

    private static void unbind(MeterRegistry registry, List<Meter> meters) {
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    private void bindPeer(MeterRegistry registry, String peer) {
        if (peerMeters.get(registry).containsKey(peer)) {
            return; // bound already: the registry bound after the peer came
        }
        List<Meter> m = new ArrayList<>();
        m.add(counter(registry, "sent", "Messages accepted by send and put on the wire", peer, PeerStats::sent));
        m.add(counter(registry, "retransmitted", "Retransmissions", peer, PeerStats::retransmitted));
        m.add(counter(registry, "acked", "Messages acked", peer, PeerStats::acked));
        m.add(FunctionCounter.builder(PREFIX + "failed", messenger,
                        read(peer, s -> s.failed() - s.failedAtShutdown()))
                .description("Messages given up").tags("peer", peer, "reason", "retries_exhausted").register(registry));
        m.add(FunctionCounter.builder(PREFIX + "failed", messenger, read(peer, PeerStats::failedAtShutdown))
                .description("Messages given up").tags("peer", peer, "reason", "shutdown").register(registry));
        m.add(counter(registry, "malformed", "Datagrams from the peer's address that failed validation", peer,
                PeerStats::malformedDropped));
        m.add(counter(registry, "authentication.failures",
                "Datagrams from the peer's address with a missing, unknown or wrong MAC", peer,
                PeerStats::authenticationFailures));
        m.add(counter(registry, "delivered", "Messages from the peer handed to the inbound handlers", peer,
                PeerStats::delivered));
        m.add(counter(registry, "duplicate", "Duplicate messages from the peer, re-acked and not delivered", peer,
                PeerStats::duplicates));
        // one description for both kinds: Prometheus keeps one HELP line per metric name
        m.add(FunctionCounter.builder(PREFIX + "stale", messenger, read(peer, PeerStats::staleMessagesDropped))
                .description(STALE).tags("peer", peer, "kind", "message").register(registry));
        m.add(FunctionCounter.builder(PREFIX + "stale", messenger, read(peer, PeerStats::staleAcksDropped))
                .description(STALE).tags("peer", peer, "kind", "ack").register(registry));
        m.add(counter(registry, "delivery.rejected", "Messages from the peer refused, not acked, because the delivery "
                + "queue was full (the peer retransmits them)", peer, PeerStats::deliveryRejected));
        m.add(counter(registry, "outside.window", "Messages from the peer whose id fell below the duplicate window, "
                + "dropped unacked", peer, PeerStats::outsideWindowDropped));
        m.add(counter(registry, "unmatched.acks", "Acks from the peer for no pending message (late re-acks, repeated "
                + "acks, an earlier incarnation's)", peer, PeerStats::unmatchedAcks));
        m.add(counter(registry, "no.address.drops", "Copies of messages to the peer not sent because none of its host "
                + "names resolved", peer, PeerStats::noAddressDrops));
        m.add(Gauge.builder(PREFIX + "pending", messenger, read(peer, PeerStats::pending))
                .description("Messages to the peer held until acked or failed").tag("peer", peer).register(registry));
        Timer timer = Timer.builder(PREFIX + "ack.latency").description("Time from first send to ack")
                .tag("peer", peer).register(registry);
        m.add(timer);
        latencyTimers.computeIfAbsent(peer, p -> new CopyOnWriteArrayList<>()).add(timer);
        m.add(counter(registry, "failover.copies", "Copies sent at once over a new path when the one in use failed",
                peer, PeerStats::failoverCopies));
        m.add(counter(registry, "fast.retransmits", "Early copies sent before the timer because an ack for a later "
                + "message came first, and probes of a large message's missing fragments (use up no retries)", peer,
                PeerStats::fastRetransmits));
        m.add(counter(registry, "requests.sent", "Requests to the peer accepted by request (each once, however often "
                + "retransmitted)", peer, PeerStats::requestsSent));
        m.add(counter(registry, "replies.received", "Replies from the peer matched to a waiting request", peer,
                PeerStats::repliesReceived));
        m.add(counter(registry, "requests.handled", "Requests from the peer whose handler ran (a duplicate answered "
                + "from the reply cache does not count)", peer, PeerStats::requestsHandled));
        m.add(counter(registry, "replies.sent", "Replies sent to the peer, first copies and copies from the reply "
                + "cache for duplicates of a request", peer, PeerStats::repliesSent));
        m.add(counter(registry, "fragments.sent", "FRAGMENT frames sent, first copies and retransmissions", peer,
                PeerStats::fragmentsSent));
        m.add(counter(registry, "fragments.retransmitted", "FRAGMENT frames sent again because they were not acked "
                + "when their message's copy was due", peer, PeerStats::fragmentsRetransmitted));
        m.add(counter(registry, "reassembly.refusals", "Fragments of a new message refused, unacked, for want of "
                + "reassembly memory", peer, PeerStats::reassemblyRefusals));
        m.add(counter(registry, "fragments.dropped", "Fragments dropped: of a message over max-message-size, or "
                + "disagreeing with the others of their message", peer, PeerStats::fragmentsDropped));
        m.add(Gauge.builder(PREFIX + "reachable", messenger, read(peer, s -> s.reachable() ? 1 : 0))
                .description("1 while the peer looks reachable, 0 after a failure or silence").tag("peer", peer)
                .register(registry));
        m.add(Gauge.builder(PREFIX + "unresolved", messenger, read(peer, s -> s.unresolved() ? 1 : 0))
                .description("1 while none of the peer's host names resolves (nothing is sent to it), else 0")
                .tag("peer", peer).register(registry));
        peerMeters.get(registry).put(peer, m);
        bindPaths(registry, peer);
    }

    private void bindMessenger(MeterRegistry registry) {
        FunctionCounter.builder(PREFIX + "unknown.source", messenger, m -> m.stats().unknownSourceDropped())
                .description("Datagrams from addresses that are no configured peer, dropped").register(registry);
        Gauge.builder(PREFIX + "capacity", messenger, ReliableMessenger::capacity)
                .description("Messages the retransmit chain can hold").register(registry);
        FunctionCounter.builder(PREFIX + "chain.full", messenger, ReliableMessenger::chainFullRejections)
                .description("Sends refused because the retransmit chain was full").register(registry);
        FunctionCounter.builder(PREFIX + "handler.errors", messenger, m -> m.stats().handlerErrors())
                .description("Exceptions thrown by inbound handlers and failure, ack, path and peer listeners")
                .register(registry);
        Gauge.builder(PREFIX + "delivery.queue", messenger, m -> m.stats().deliveryQueueDepth())
                .description("Received messages waiting for the inbound handler").register(registry);
        Gauge.builder(PREFIX + "delivery.queue.capacity", messenger, m -> m.config().deliveryQueueCapacity())
                .description("Received messages the delivery queue can hold; beyond it they are refused")
                .register(registry);
        FunctionCounter.builder(PREFIX + "client.id.conflicts", messenger, m -> m.stats().clientIdConflicts())
                .description("Datagrams from a peer carrying a client id another peer uses: two processes with one id")
                .register(registry);
        FunctionCounter.builder(PREFIX + "transport.send.drops", messenger, m -> m.stats().transportSendDrops())
                .description("Datagrams the socket refused because its send buffer was full").register(registry);
        Gauge.builder(PREFIX + "reply.cache.entries", messenger, m -> m.stats().cachedReplies())
                .description("Replies kept to answer duplicates of their requests").register(registry);
        Gauge.builder(PREFIX + "reply.cache.bytes", messenger, m -> m.stats().cachedReplyBytes()).baseUnit("bytes")
                .description("Bytes of the replies kept, bounded by reply-cache-size").register(registry);
        FunctionCounter.builder(PREFIX + "reply.cache.evictions", messenger, m -> m.stats().replyCacheEvictions())
                .description("Replies dropped from the cache before their hold time because it was full (a duplicate "
                        + "of their request is then answered no-reply)").register(registry);
        Gauge.builder(PREFIX + "peers", messenger, m -> m.peers().size())
                .description("Peers now (configured, added at runtime or discovered)").register(registry);
    }

    @Override
    public void onAcked(String peer, long msgId, long latencyNs, int transmissions) {
        List<Timer> timers = latencyTimers.get(peer);
        if (timers != null) {
            for (Timer timer : timers) {
                timer.record(latencyNs, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Meters of each path of {@code peer} now, tagged with the path's address as {@code path}. */
    private void bindPaths(MeterRegistry registry, String peer) {
        PeerStats now = stats(peer);
        List<Meter> m = new ArrayList<>();
        for (PathStats p : now == null ? List.<PathStats>of() : now.paths()) {
            String path = p.address();
            Tags tags = Tags.of("peer", peer, "path", path);
            for (PathState state : PathState.values()) {
                m.add(Gauge.builder(PREFIX + "path.state", messenger, readPath(peer, path, s -> s.state() == state ? 1 : 0))
                        .description("1 for the state the path is in (active, standby, failed), 0 for the others")
                        .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry));
            }
            m.add(Gauge.builder(PREFIX + "path.round.trip", messenger, readPath(peer, path, s -> {
                Double srtt = s.smoothedRoundTripMillis();
                return srtt == null ? Double.NaN : srtt / 1000.0;
            })).description("Smoothed round trip on the path").baseUnit("seconds").tags(tags).register(registry));
            m.add(FunctionCounter.builder(PREFIX + "path.datagrams", messenger, readPath(peer, path, PathStats::transmissions))
                    .description("Datagrams sent on the path").tags(tags).register(registry));
            m.add(FunctionCounter.builder(PREFIX + "path.failures", messenger, readPath(peer, path, PathStats::failures))
                    .description("Times the path was declared failed").tags(tags).register(registry));
        }
        pathMeters.get(registry).put(peer, m);
    }

    private Meter counter(MeterRegistry registry, String name, String description, String peer,
                          ToDoubleFunction<PeerStats> value) {
        return FunctionCounter.builder(PREFIX + name, messenger, read(peer, value)).description(description)
                .tag("peer", peer).register(registry);
    }

    /** {@code value} of {@code peer}'s stats, or NaN once it is gone. */
    private ToDoubleFunction<ReliableMessenger> read(String peer, ToDoubleFunction<PeerStats> value) {
        return m -> {
            PeerStats s = stats(peer);
            return s == null ? Double.NaN : value.applyAsDouble(s);
        };
    }

    /** {@code value} of {@code peer}'s path at {@code address}, or NaN once either is gone. */
    private ToDoubleFunction<ReliableMessenger> readPath(String peer, String address,
                                                        ToDoubleFunction<PathStats> value) {
        return m -> {
            PeerStats s = stats(peer);
            if (s != null) {
                for (PathStats p : s.paths()) {
                    if (p.address().equals(address)) {
                        return value.applyAsDouble(p);
                    }
                }
            }
            return Double.NaN;
        };
    }

    private PeerStats stats(String peer) {
        try {
            return messenger.stats(peer);
        } catch (IllegalArgumentException e) { // removed a moment ago: its meters go with its event
            return null;
        }
    }
}
