package io.reliablemsg.sample;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.reliablemsg.ReliableMessenger;
import org.springframework.stereotype.Component;

/**
 * {@code reliable.msg.reachable} (tag {@code peer}): 1 while the peer looks reachable
 * ({@code PeerStats.reachable()}), else 0, for the Grafana dashboard's reachability panel
 * ({@code docs/grafana/reliable-msg.json}). The starter's meters do not include it yet; an
 * application that wants the panel registers this binder too, until the starter publishes the gauge.
 */
@Component
public class PeerStateMeters implements MeterBinder {
    private final ReliableMessenger messenger;

    /** Gauges of {@code messenger}'s configured peers. */
    public PeerStateMeters(ReliableMessenger messenger) {
        this.messenger = messenger;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String peer : messenger.config().peers().keySet()) {
            Gauge.builder("reliable.msg.reachable", messenger, m -> m.stats(peer).reachable() ? 1 : 0)
                    .description("Whether the peer looks reachable: 0 after a message to it failed (or, with "
                            + "heartbeats on, its pings went unanswered), 1 again on its next ack or pong")
                    .tag("peer", peer).register(registry);
        }
    }
}
