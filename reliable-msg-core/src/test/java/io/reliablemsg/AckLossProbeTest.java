package io.reliablemsg;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Throwaway probe: the loss case of Compare, simulated. */
class AckLossProbeTest {
    private static final long MS = 1_000_000L;

    @Test
    void probe() {
        for (long seed = 1; seed <= 2; seed++) {
            SimulatedCluster c = new SimulatedCluster(seed);
            var settings = (java.util.function.UnaryOperator<MessengerConfig.Builder>) b -> b.interval(Duration.ofMillis(100))
                    .maxRetries(60).maxStoredMessages(1000).bundleSize(1472).heartbeatInterval(Duration.ZERO);
            SimulatedCluster.Node a = c.add("a", 1, settings);
            SimulatedCluster.Node b = c.add("b", 2, settings);
            c.network.delayNs(30_000, 80_000);
            c.startAll();
            c.runFor(50 * MS);
            c.network.lossRate(Double.parseDouble(System.getProperty("probe.loss", "0.3")));
            Map<Long, Long> sentAt = new HashMap<>();
            List<Long> deliveryNs = new ArrayList<>();
            long[] window = {0, 0};
            b.onDelivered = m -> {
                long now = c.clock.nanoTime();
                if (now >= window[0] && now < window[1]) {
                    deliveryNs.add(now - sentAt.get(m.msgId()));
                }
            };
            long start = c.clock.nanoTime();
            long end = start + 2500 * MS;
            window[0] = start + 500 * MS;
            window[1] = end;
            for (long t = start; t < end; t += 200_000) {
                c.at(t, () -> {
                    while (true) {
                        long now = c.clock.nanoTime();
                        long id = a.send("b", new byte[64], null);
                        if (id == ReliableMessenger.NOT_ACCEPTED) {
                            break;
                        }
                        sentAt.put(id, now);
                    }
                });
            }
            c.runUntil(window[0]);
            PeerStats s0 = a.messenger.stats("b");
            PeerStats r0 = b.messenger.stats("a");
            c.runUntil(end);
            PeerStats s1 = a.messenger.stats("b");
            PeerStats r1 = b.messenger.stats("a");
            Collections.sort(deliveryNs);
            List<Long> holds = new ArrayList<>();
            for (var e : a.ackedAtNs.entrySet()) {
                long id = Long.parseLong(e.getKey().substring(e.getKey().indexOf('/') + 1));
                Long at = sentAt.get(id);
                if (at != null && e.getValue() >= window[0]) {
                    holds.add(e.getValue() - at);
                }
            }
            Collections.sort(holds);
            long over100 = holds.stream().filter(h -> h >= 100 * MS).count();
            double mean = holds.stream().mapToLong(Long::longValue).average().orElse(0);
            System.out.printf("PROBE holds n=%d mean=%.1fms p50=%.2fms p80=%.2fms p90=%.2fms p99=%.1fms over100=%.3f%n", holds.size(), mean / 1e6,
                    holds.get(holds.size() / 2) / 1e6, holds.get((int) (holds.size() * 0.8)) / 1e6, holds.get((int) (holds.size() * 0.9)) / 1e6,
                    holds.get((int) (holds.size() * 0.99)) / 1e6, (double) over100 / holds.size());
            double secs = 2.0;
            System.out.printf("PROBE seed=%d acked/s=%.0f delivered/s=%.0f p50=%.1fms p99=%.1fms fast=%d retrans=%d dups=%d unmatched=%d%n",
                    seed, (s1.acked() - s0.acked()) / secs, deliveryNs.size() / secs,
                    deliveryNs.get(deliveryNs.size() / 2) / 1e6, deliveryNs.get((int) (deliveryNs.size() * 0.99)) / 1e6,
                    s1.fastRetransmits() - s0.fastRetransmits(), s1.retransmitted() - s0.retransmitted(),
                    r1.duplicates() - r0.duplicates(), s1.unmatchedAcks() - s0.unmatchedAcks());
        }
    }
}
