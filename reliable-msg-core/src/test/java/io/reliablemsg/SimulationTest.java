package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameVisitor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Seeded scenarios over the simulated network: loss 0-60 %, duplication, reordering, delays up to
 * 3x the interval, partitions shorter and longer than maxRetries x interval, sender restarts and
 * chains that fill up; in a third of them every node is on 2 or 3 networks whose paths are cut and
 * healed independently, some one way. After each scenario quiesces, the invariants of docs/PROTOCOL.md are checked.
 *
 * <p>{@code -Dsim.scenarios=N} runs more (default 2000); {@code -Dsim.seed=S} replays one scenario:
 * {@code mvn -pl reliable-msg-core test -Dtest=SimulationTest -Dsim.seed=S}.
 */
class SimulationTest {
    private static final long MS = 1_000_000L;

    /** One message as the oracle sees it. */
    private record Key(String from, long incarnation, long msgId) {
    }

    /** What happened in a scenario, summed to show the suite exercised every path. */
    record Outcome(long accepted, long acked, long failed, long refused, long duplicates, long staleDropped,
                   long staleAcks, long restarts, long multiPath) {
        Outcome plus(Outcome o) {
            return new Outcome(accepted + o.accepted, acked + o.acked, failed + o.failed, refused + o.refused,
                    duplicates + o.duplicates, staleDropped + o.staleDropped, staleAcks + o.staleAcks,
                    restarts + o.restarts, multiPath + o.multiPath);
        }
    }

    @Test
    void invariantsHoldAcrossSeededScenarios() {
        String replay = System.getProperty("sim.seed");
        if (replay != null) {
            System.out.println(runScenario(Long.parseLong(replay)));
            return;
        }
        int scenarios = Integer.getInteger("sim.scenarios", 2000);
        long base = Long.getLong("sim.baseSeed", 20261125L);
        Outcome total = new Outcome(0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (int i = 0; i < scenarios; i++) {
            long seed = base + i;
            try {
                total = total.plus(runScenario(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("scenario failed; replay with: mvn -pl reliable-msg-core test "
                        + "-Dtest=SimulationTest -Dsim.seed=" + seed + "\n" + e.getMessage(), e);
            }
        }
        System.out.println(scenarios + " scenarios: " + total);
        // The suite is only worth something if every path was taken many times.
        assertThat(total.acked()).isGreaterThan(scenarios * 10L);
        assertThat(total.failed()).isGreaterThan(scenarios / 10);
        assertThat(total.refused()).isPositive();
        assertThat(total.duplicates()).isGreaterThan(scenarios / 10);
        assertThat(total.staleDropped()).isGreaterThan(scenarios / 10);
        assertThat(total.staleAcks()).isPositive();
        assertThat(total.restarts()).isGreaterThan(scenarios / 10);
        assertThat(total.multiPath()).isGreaterThan(scenarios / 5);
    }

    static Outcome runScenario(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long intervalMs = 50 + r.nextInt(151);
        long intervalNs = intervalMs * MS;
        int maxRetries = 1 + r.nextInt(8);
        int capacity = 4 + r.nextInt(60);
        int nodeCount = 2 + r.nextInt(2);
        long skewMs = r.nextInt(30);
        double loss = r.nextInt(4) == 0 ? 0.0 : r.nextDouble() * 0.6;
        double duplication = r.nextBoolean() ? 0.0 : r.nextDouble() * 0.3;
        long maxDelayNs = r.nextInt(3) == 0 ? 0 : (long) (r.nextDouble() * 3 * intervalNs);
        long minDelayNs = maxDelayNs == 0 ? 0 : (long) (r.nextDouble() * maxDelayNs * 0.5);
        long retrySpanNs = maxRetries * intervalNs;
        long sendWindowNs = (2 + r.nextInt(4)) * intervalNs * Math.max(1, maxRetries);

        Duration heartbeat = r.nextInt(3) == 0 ? Duration.ofMillis(intervalMs) : Duration.ZERO;
        // A third of the scenarios put every node on 2 or 3 networks (docs/PROTOCOL.md, "Paths"): each path
        // is cut and healed on its own, some cuts one way only; enough retries to walk every path.
        int networks = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
        int pathMaxRetransmissions = 1 + r.nextInt(2);
        int retries = networks == 1 ? maxRetries : Math.max(maxRetries, pathMaxRetransmissions * (networks - 1) + 1);
        SimulatedCluster c = new SimulatedCluster(seed);
        c.network.lossRate(loss).duplicationRate(duplication).delayNs(minDelayNs, maxDelayNs);
        for (int i = 0; i < nodeCount; i++) {
            UnaryOperator<MessengerConfig.Builder> settings = b -> b.interval(Duration.ofMillis(intervalMs))
                    .maxRetries(retries).pathMaxRetransmissions(pathMaxRetransmissions)
                    .maxStoredMessages(capacity).clockSkewAllowance(Duration.ofMillis(skewMs))
                    .bundleSize(r.nextBoolean() ? 0 : 1472).heartbeatInterval(heartbeat);
            if (networks == 1) {
                c.add("n" + i, 100 + i, settings);
            } else {
                c.addMultiHomed("n" + i, 100 + i, networks, settings);
            }
        }
        List<SimulatedCluster.Node> nodes = new ArrayList<>(c.nodes.values());
        long spanNs = (retries + 1) * intervalNs; // a message unacked this long after its first send fails

        // Partitions: some shorter, some longer than the retry span; per network with several networks.
        int partitions = r.nextInt(networks == 1 ? 3 : 5);
        List<long[]> cuts = new ArrayList<>(); // {x, y, network, from, until, oneWay}
        for (int p = 0; p < partitions; p++) {
            int x = r.nextInt(nodeCount);
            int y = (x + 1 + r.nextInt(nodeCount - 1)) % nodeCount;
            int network = r.nextInt(networks);
            long from = (long) (r.nextDouble() * sendWindowNs);
            long length = (long) ((0.3 + r.nextDouble() * 1.5) * (networks == 1 ? retrySpanNs : spanNs));
            boolean oneWay = networks > 1 && r.nextInt(3) == 0;
            InetSocketAddress ax = nodes.get(x).addresses.get(network);
            InetSocketAddress ay = nodes.get(y).addresses.get(network);
            if (oneWay) {
                c.network.cutOneWay(ax, ay, from, from + length);
            } else {
                c.network.partition(ax, ay, from, from + length);
            }
            cuts.add(new long[] {x, y, network, from, from + length, oneWay ? 1 : 0});
        }

        // Oracle state.
        Map<Key, String> accepted = new HashMap<>();      // key -> destination
        Map<Key, byte[]> userBuffers = new HashMap<>();
        Set<Key> crashedWhilePending = new HashSet<>();
        Map<String, Set<Key>> freshArrivals = new HashMap<>(); // receiver -> keys a fresh copy reached
        Map<InetSocketAddress, String> names = new HashMap<>();
        nodes.forEach(n -> n.addresses.forEach(a -> names.put(a, n.name)));
        Map<Key, Long> sentAtNs = new HashMap<>();
        long skewNs = skewMs * MS;
        c.network.observer((from, to, bytes, nowNs) -> {
            SimulatedCluster.Node receiver = c.nodes.get(names.get(to));
            if (receiver == null || !receiver.alive()) {
                return;
            }
            DatagramReader.read(ByteBuffer.wrap(bytes), null, new FrameVisitor<Object>() {
                @Override
                public void onData(Object context, int clientId, long incarnation, long msgId, long sendTimeMillis, int transmissions,
                                   ByteBuffer datagram, int payloadOffset, int payloadLength) {
                    long ageMs = c.clock.currentTimeMillis() - sendTimeMillis;
                    if (ageMs <= intervalMs + skewMs) {
                        freshArrivals.computeIfAbsent(receiver.name, k -> new HashSet<>())
                                .add(new Key(names.get(from), incarnation, msgId));
                    }
                }

                @Override
                public void onAck(Object context, int a, long b, int d, long e, long f, long g, long h, int i) {
                }
            });
        });
        List<String> violations = new ArrayList<>();
        for (SimulatedCluster.Node n : nodes) {
            n.onDelivered = m -> {
                long ageMs = c.clock.currentTimeMillis() - m.sendTimeMillis();
                if (ageMs > intervalMs + skewMs) {
                    violations.add("delivered a message " + ageMs + " ms old: " + m);
                }
            };
        }
        c.startAll();

        // Sends and at most one restart.
        int messages = 20 + r.nextInt(80);
        for (int i = 0; i < messages; i++) {
            long at = (long) (r.nextDouble() * sendWindowNs);
            SimulatedCluster.Node from = nodes.get(r.nextInt(nodeCount));
            String to = nodes.get((nodes.indexOf(from) + 1 + r.nextInt(nodeCount - 1)) % nodeCount).name;
            byte[] userBuffer = new byte[r.nextInt(65)];
            r.nextBytes(userBuffer);
            byte[] payload = ("m" + i + "@" + from.name).getBytes();
            c.at(at, () -> {
                if (!from.alive()) {
                    return;
                }
                long id = from.send(to, payload, userBuffer);
                if (id != ReliableMessenger.NOT_ACCEPTED) {
                    Key key = new Key(from.name, from.messenger.incarnation(), id);
                    accepted.put(key, to);
                    userBuffers.put(key, userBuffer);
                    sentAtNs.put(key, c.clock.nanoTime());
                }
                if (from.messenger.pendingCount() > capacity) {
                    violations.add("chain above capacity: " + from.messenger.pendingCount());
                }
            });
        }
        boolean restart = r.nextInt(3) == 0;
        if (restart) {
            SimulatedCluster.Node victim = nodes.get(r.nextInt(nodeCount));
            long at = (long) (r.nextDouble() * sendWindowNs);
            c.at(at, () -> {
                long incarnation = victim.messenger.incarnation();
                Set<Long> resolved = new HashSet<>(victim.ackedByIncarnation(incarnation));
                victim.failuresByIncarnation(incarnation).forEach(f -> resolved.add(f.msgId()));
                accepted.keySet().stream()
                        .filter(k -> k.from().equals(victim.name) && k.incarnation() == incarnation
                                && !resolved.contains(k.msgId()))
                        .forEach(crashedWhilePending::add);
                victim.crash();
                c.at(c.clock.nanoTime() + (long) (r.nextDouble() * 2 * intervalNs), victim::start);
            });
        }

        // Run past the last send until every chain has resolved (retries, maximum delay, margin).
        c.runUntil(sendWindowNs + 4 * intervalNs + (retries + 2) * intervalNs + 3 * maxDelayNs);

        // Resolution: exactly one of acked / failed for every accepted send of a surviving incarnation.
        Map<Key, Integer> ackCount = new HashMap<>();
        Map<Key, List<SendFailure>> failuresByKey = new HashMap<>();
        for (SimulatedCluster.Node n : nodes) {
            assertThat(n.messenger.pendingCount()).as("seed %d: %s pending after quiescence", seed, n.name).isZero();
            long current = n.messenger.incarnation();
            for (Long id : n.ackedByIncarnation(current)) {
                ackCount.merge(new Key(n.name, current, id), 1, Integer::sum);
            }
            for (SendFailure f : n.failuresByIncarnation(current)) {
                failuresByKey.computeIfAbsent(new Key(n.name, current, f.msgId()), k -> new ArrayList<>()).add(f);
            }
        }
        // Deliveries per receiver incarnation: duplicate state lives in memory, so a restarted
        // receiver may deliver again what its previous incarnation delivered (docs/PROTOCOL.md).
        Map<Key, Integer> deliveries = new HashMap<>();
        Map<String, Integer> deliveriesPerReceiverIncarnation = new HashMap<>();
        for (SimulatedCluster.Node n : nodes) {
            for (int i = 0; i < n.delivered.size(); i++) {
                InboundMessage m = n.delivered.get(i);
                Key key = new Key(m.peer(), m.incarnation(), m.msgId());
                deliveries.merge(key, 1, Integer::sum);
                deliveriesPerReceiverIncarnation.merge(key + "@" + n.deliveredBy.get(i), 1, Integer::sum);
            }
        }
        for (Map.Entry<Key, String> e : accepted.entrySet()) {
            Key key = e.getKey();
            SimulatedCluster.Node sender = c.nodes.get(key.from());
            if (crashedWhilePending.contains(key) || key.incarnation() != sender.messenger.incarnation()) {
                continue; // its process died; resolved keys of dead incarnations were checked before the crash
            }
            int acks = ackCount.getOrDefault(key, 0);
            List<SendFailure> fails = failuresByKey.getOrDefault(key, List.of());
            assertThat(acks + fails.size()).as("seed %d: %s resolved exactly once (acks %d, failures %d)", seed, key,
                    acks, fails.size()).isEqualTo(1);
            if (acks == 1) {
                assertThat(deliveries.getOrDefault(key, 0)).as("seed %d: acked %s was delivered", seed, key)
                        .isGreaterThanOrEqualTo(1);
            } else {
                assertThat(fails.get(0).userBuffer()).as("seed %d: user buffer of %s", seed, key)
                        .isEqualTo(userBuffers.get(key));
            }
        }
        deliveriesPerReceiverIncarnation.forEach((key, count) -> assertThat(count)
                .as("seed %d: %s delivered at most once", seed, key).isEqualTo(1));
        if (!restart) {
            deliveries.forEach((key, count) -> assertThat(count).as("seed %d: %s delivered once", seed, key).isEqualTo(1));
        }
        for (SimulatedCluster.Node n : nodes) {
            Set<Key> delivered = new HashSet<>();
            n.delivered.forEach(m -> delivered.add(new Key(m.peer(), m.incarnation(), m.msgId())));
            for (Key arrived : freshArrivals.getOrDefault(n.name, Set.of())) {
                assertThat(delivered).as("seed %d: a fresh copy of %s reached %s, so it was delivered", seed, arrived,
                        n.name).contains(arrived);
            }
        }
        boolean benign = loss == 0 && partitions == 0 && maxDelayNs < intervalNs / 2 && !restart;
        if (benign) {
            for (SimulatedCluster.Node n : nodes) {
                assertThat(n.failuresByIncarnation(n.messenger.incarnation()))
                        .as("seed %d: nothing fails on a network that allows delivery", seed).isEmpty();
            }
        }
        // Paths: without random loss or late acks, a message fails only if, on every network, its path was
        // cut (either way) at some moment of its retry span.
        if (networks > 1 && loss == 0 && maxDelayNs < intervalNs / 4 && !restart) {
            for (SimulatedCluster.Node n : nodes) {
                for (SendFailure f : n.failuresByIncarnation(n.messenger.incarnation())) {
                    Key key = new Key(n.name, n.messenger.incarnation(), f.msgId());
                    long sent = sentAtNs.get(key);
                    int from = nodes.indexOf(n);
                    int to = nodes.indexOf(c.nodes.get(accepted.get(key)));
                    for (int network = 0; network < networks; network++) {
                        boolean cut = false;
                        for (long[] k : cuts) {
                            boolean samePair = k[0] == from && k[1] == to || k[0] == to && k[1] == from;
                            cut |= samePair && k[2] == network && k[3] < sent + spanNs + maxDelayNs && k[4] > sent;
                        }
                        assertThat(cut).as("seed %d: %s failed although network %d worked for its whole retry "
                                + "span (cuts %s)", seed, key, network, cutsToString(cuts)).isTrue();
                    }
                }
            }
        }
        assertThat(violations).as("seed %d", seed).isEmpty();
        long acked = 0, failed = 0, refused = 0, duplicates = 0, stale = 0, staleAcks = 0;
        for (SimulatedCluster.Node n : nodes) {
            MessengerStats s = n.messenger.stats();
            acked += s.acked();
            failed += s.failed();
            refused += n.messenger.chainFullRejections();
            duplicates += s.duplicates();
            stale += s.staleMessagesDropped();
            staleAcks += s.staleAcksDropped();
        }
        return new Outcome(accepted.size(), acked, failed, refused, duplicates, stale, staleAcks, restart ? 1 : 0,
                networks > 1 ? 1 : 0);
    }

    private static String cutsToString(List<long[]> cuts) {
        StringBuilder b = new StringBuilder();
        for (long[] k : cuts) {
            b.append(String.format("[n%d-n%d net %d %d..%d ms%s] ", k[0], k[1], k[2], k[3] / MS, k[4] / MS,
                    k[5] == 1 ? " one way" : ""));
        }
        return b.toString();
    }
}
