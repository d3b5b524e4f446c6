package io.reliablemsg.spring.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.reliablemsg.AckListener;
import io.reliablemsg.PathState;
import io.reliablemsg.PeerStats;
import io.reliablemsg.ReliableMessenger;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

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
 */
public final class ReliableMessengerMetrics implements MeterBinder, AckListener {
    /** Prefix of every meter name. */
    public static final String PREFIX = "reliable.msg.";
    private static final String STALE = "Messages (kind=message) or acks (kind=ack) older than the interval, dropped";

    private final ReliableMessenger messenger;
    private final Map<String, List<Timer>> latencyTimers = new ConcurrentHashMap<>();

    /** Meters of {@code messenger}. */
    public ReliableMessengerMetrics(ReliableMessenger messenger) {
        this.messenger = Objects.requireNonNull(messenger, "messenger");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String peer : messenger.config().peers().keySet()) {
            counter(registry, "sent", "Messages accepted by send and put on the wire", peer, PeerStats::sent);
            counter(registry, "retransmitted", "Retransmissions", peer, PeerStats::retransmitted);
            counter(registry, "acked", "Messages acked", peer, PeerStats::acked);
            FunctionCounter.builder(PREFIX + "failed", messenger,
                            m -> m.stats(peer).failed() - m.stats(peer).failedAtShutdown())
                    .description("Messages given up").tags("peer", peer, "reason", "retries_exhausted")
                    .register(registry);
            FunctionCounter.builder(PREFIX + "failed", messenger, m -> m.stats(peer).failedAtShutdown())
                    .description("Messages given up").tags("peer", peer, "reason", "shutdown").register(registry);
            counter(registry, "malformed", "Datagrams from the peer's address that failed validation", peer,
                    PeerStats::malformedDropped);
            counter(registry, "authentication.failures",
                    "Datagrams from the peer's address with a missing, unknown or wrong MAC", peer,
                    PeerStats::authenticationFailures);
            counter(registry, "delivered", "Messages from the peer handed to the inbound handlers", peer,
                    PeerStats::delivered);
            counter(registry, "duplicate", "Duplicate messages from the peer, re-acked and not delivered", peer,
                    PeerStats::duplicates);
            // one description for both kinds: Prometheus keeps one HELP line per metric name
            FunctionCounter.builder(PREFIX + "stale", messenger, m -> m.stats(peer).staleMessagesDropped())
                    .description(STALE).tags("peer", peer, "kind", "message").register(registry);
            FunctionCounter.builder(PREFIX + "stale", messenger, m -> m.stats(peer).staleAcksDropped())
                    .description(STALE).tags("peer", peer, "kind", "ack").register(registry);
            counter(registry, "delivery.rejected", "Messages from the peer refused, not acked, because the delivery "
                    + "queue was full (the peer retransmits them)", peer, PeerStats::deliveryRejected);
            counter(registry, "outside.window", "Messages from the peer whose id fell below the duplicate window, "
                    + "dropped unacked", peer, PeerStats::outsideWindowDropped);
            counter(registry, "unmatched.acks", "Acks from the peer for no pending message (late re-acks, an earlier "
                    + "incarnation's)", peer, PeerStats::unmatchedAcks);
            Gauge.builder(PREFIX + "pending", messenger, m -> m.pendingCount(peer))
                    .description("Messages to the peer held until acked or failed").tag("peer", peer)
                    .register(registry);
            Timer timer = Timer.builder(PREFIX + "ack.latency").description("Time from first send to ack")
                    .tag("peer", peer).register(registry);
            latencyTimers.computeIfAbsent(peer, p -> new CopyOnWriteArrayList<>()).add(timer);
            counter(registry, "failover.copies", "Copies sent at once over a new path when the one in use failed",
                    peer, PeerStats::failoverCopies);
            counter(registry, "fast.retransmits", "Early copies sent before the timer because an ack for a later message "
                    + "came first (use up no retries)", peer, PeerStats::fastRetransmits);
            Gauge.builder(PREFIX + "reachable", messenger, m -> m.stats(peer).reachable() ? 1 : 0)
                    .description("1 while the peer looks reachable, 0 after a failure or silence").tag("peer", peer)
                    .register(registry);
            List<InetSocketAddress> addresses = messenger.config().peerAddresses().get(peer);
            for (int i = 0; i < addresses.size(); i++) {
                bindPath(registry, peer, i);
            }
        }
        FunctionCounter.builder(PREFIX + "unknown.source", messenger, m -> m.stats().unknownSourceDropped())
                .description("Datagrams from addresses that are no configured peer, dropped").register(registry);
        Gauge.builder(PREFIX + "capacity", messenger, ReliableMessenger::capacity)
                .description("Messages the retransmit chain can hold").register(registry);
        FunctionCounter.builder(PREFIX + "chain.full", messenger, ReliableMessenger::chainFullRejections)
                .description("Sends refused because the retransmit chain was full").register(registry);
        FunctionCounter.builder(PREFIX + "handler.errors", messenger, m -> m.stats().handlerErrors())
                .description("Exceptions thrown by inbound handlers and failure, ack and path listeners")
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

    /** Meters of path {@code index} of {@code peer}, tagged with the path's address as {@code path}. */
    private void bindPath(MeterRegistry registry, String peer, int index) {
        String path = messenger.stats(peer).paths().get(index).address();
        Tags tags = Tags.of("peer", peer, "path", path);
        for (PathState state : PathState.values()) {
            Gauge.builder(PREFIX + "path.state", messenger,
                            m -> m.stats(peer).paths().get(index).state() == state ? 1 : 0)
                    .description("1 for the state the path is in (active, standby, failed), 0 for the others")
                    .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder(PREFIX + "path.round.trip", messenger, m -> {
            Double srtt = m.stats(peer).paths().get(index).smoothedRoundTripMillis();
            return srtt == null ? Double.NaN : srtt / 1000.0;
        }).description("Smoothed round trip on the path").baseUnit("seconds").tags(tags).register(registry);
        FunctionCounter.builder(PREFIX + "path.datagrams", messenger,
                        m -> m.stats(peer).paths().get(index).transmissions())
                .description("Datagrams sent on the path").tags(tags).register(registry);
        FunctionCounter.builder(PREFIX + "path.failures", messenger,
                        m -> m.stats(peer).paths().get(index).failures())
                .description("Times the path was declared failed").tags(tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String peer,
                         ToLongFunction<PeerStats> value) {
        ToDoubleFunction<ReliableMessenger> read = m -> value.applyAsLong(m.stats(peer));
        FunctionCounter.builder(PREFIX + name, messenger, read).description(description).tag("peer", peer)
                .register(registry);
    }
}
