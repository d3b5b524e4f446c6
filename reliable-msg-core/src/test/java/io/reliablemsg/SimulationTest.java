package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.FrameVisitor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Seeded scenarios over the simulated network: loss 0-60 %, duplication, reordering, delays up to
 * 3x the interval, partitions shorter and longer than maxRetries x interval, sender restarts and
 * chains that fill up; in a third of them every node is on 2 or 3 networks whose paths are cut and
 * healed independently, some one way. About a third of the sends are requests (docs/PROTOCOL.md, section 9),
 * answered at once or, in some scenarios, up to three intervals later; in a quarter of the scenarios
 * messages are acked after their handler ({@code ackMode=after-handler}, section 10), whose runs throw at
 * random; in a quarter of them one node removes one of its peers while messages are pending and adds it
 * back later, or, on several networks half the time, takes the peer's first address away and gives it
 * back (issue 13). After each scenario quiesces, the invariants of docs/PROTOCOL.md are checked, and
 * for requests: each future completes exactly once, with the right reply or with the failure the failure
 * listener heard; a request's handler runs at most once per receiver incarnation; on a network that allows
 * delivery every request gets its reply; with after-handler a message whose handler threw is delivered
 * again and acked only after a run that succeeded; and a message pending to a peer when it was removed
 * failed exactly once, with PEER_REMOVED, and no other did.
 *
 * <p>{@code -Dsim.scenarios=N} runs more (default 2000); {@code -Dsim.seed=S} replays one scenario:
 * {@code mvn -pl reliable-msg-core test -Dtest=SimulationTest -Dsim.seed=S}; {@code -Dsim.debug} adds the
 * scenario's settings, its requests and every node's counters to the test's output.
 */
class SimulationTest {
    private static final long MS = 1_000_000L;

    /** One message as the oracle sees it. */
    private record Key(String from, long incarnation, long msgId) {
    }

    /** What happened in a scenario, summed to show the suite exercised every path. */
    record Outcome(long accepted, long acked, long failed, long refused, long duplicates, long staleDropped,
                   long staleAcks, long restarts, long multiPath, long replies, long requestsFailed,
                   long repliesResent, long handlerRetries, long churn, long peerRemoved, long readdressed,
                   long lossyPath) {
        Outcome plus(Outcome o) {
            return new Outcome(accepted + o.accepted, acked + o.acked, failed + o.failed, refused + o.refused,
                    duplicates + o.duplicates, staleDropped + o.staleDropped, staleAcks + o.staleAcks,
                    restarts + o.restarts, multiPath + o.multiPath, replies + o.replies,
                    requestsFailed + o.requestsFailed, repliesResent + o.repliesResent,
                    handlerRetries + o.handlerRetries, churn + o.churn, peerRemoved + o.peerRemoved,
                    readdressed + o.readdressed, lossyPath + o.lossyPath);
        }
    }

    /** A request as the oracle sees it: its future, how often it completed, what it asked. */
    /** {@code prefix}, then "#length#", then {@code length} bytes of a pattern that {@link #whole} checks. */
    private static byte[] largePayload(String prefix, int length) {
        byte[] head = (prefix + "#" + length + "#").getBytes();
        byte[] payload = java.util.Arrays.copyOf(head, head.length + length);
        for (int k = 0; k < length; k++) {
            payload[head.length + k] = (byte) (k * 31 + prefix.hashCode());
        }
        return payload;
    }

    /** Whether a delivered payload is as sent: a short one as it is, a large one with its whole pattern. */
    private static boolean whole(byte[] payload) {
        String text = new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1);
        int first = text.indexOf('#');
        if (first < 0) {
            return true;
        }
        int second = text.indexOf('#', first + 1);
        return second > first && java.util.Arrays.equals(payload,
                largePayload(text.substring(0, first), Integer.parseInt(text.substring(first + 1, second))));
    }

    private record Asked(CompletableFuture<Reply> future, AtomicInteger completions, byte[] payload) {
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
        Outcome total = new Outcome(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
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
        assertThat(total.replies()).isGreaterThan(scenarios * 3L);
        assertThat(total.requestsFailed()).isGreaterThan(scenarios / 20);
        assertThat(total.repliesResent()).isGreaterThan(scenarios / 10);
        assertThat(total.handlerRetries()).isGreaterThan(scenarios / 20);
        assertThat(total.churn()).isGreaterThan(scenarios / 6);
        assertThat(total.peerRemoved()).isGreaterThan(scenarios / 20);
        assertThat(total.readdressed()).isGreaterThan(scenarios / 50);
        assertThat(total.lossyPath()).isGreaterThan(scenarios / 10);
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
        AckMode ackMode = r.nextInt(4) == 0 ? AckMode.AFTER_HANDLER : AckMode.ON_RECEIPT;
        boolean slowHandlers = r.nextInt(4) == 0; // request handlers answer up to three intervals later
        SplittableRandom handlerRandom = r.split();
        // A third of the scenarios put every node on 2 or 3 networks (docs/PROTOCOL.md, "Paths"): each path
        // is cut and healed on its own, some cuts one way only; enough retries to walk every path.
        int networks = r.nextInt(3) == 0 ? 2 + r.nextInt(2) : 1;
        int pathMaxRetransmissions = 1 + r.nextInt(2);
        int retries = networks == 1 ? maxRetries : Math.max(maxRetries, pathMaxRetransmissions * (networks - 1) + 1);
        // a request lives until its reply, each ack restarting its retries: bounded by the reply timeout
        long replyTimeoutMs = (retries + 5 + r.nextInt(6)) * intervalMs;
        SimulatedCluster c = new SimulatedCluster(seed);
        c.network.lossRate(loss).duplicationRate(duplication).delayNs(minDelayNs, maxDelayNs);
        for (int i = 0; i < nodeCount; i++) {
            UnaryOperator<MessengerConfig.Builder> settings = b -> b.interval(Duration.ofMillis(intervalMs))
                    .maxRetries(retries).pathMaxRetransmissions(pathMaxRetransmissions)
                    .maxStoredMessages(capacity).clockSkewAllowance(Duration.ofMillis(skewMs))
                    .bundleSize(r.nextBoolean() ? 0 : 1472).heartbeatInterval(heartbeat).ackMode(ackMode)
                    .replyTimeout(Duration.ofMillis(replyTimeoutMs));
            if (networks == 1) {
                c.add("n" + i, 100 + i, settings);
            } else {
                c.addMultiHomed("n" + i, 100 + i, networks, settings);
            }
        }
        List<SimulatedCluster.Node> nodes = new ArrayList<>(c.nodes.values());
        long spanNs = (retries + 1) * intervalNs; // a message unacked this long after its first send fails
        Map<Key, Long> firstSuccessNs = new HashMap<>(); // after-handler: when a handler run first succeeded
        for (SimulatedCluster.Node n : nodes) {
            if (ackMode == AckMode.AFTER_HANDLER) {
                n.handlerThrows = m -> handlerRandom.nextInt(4) == 0;
            }
            if (slowHandlers) {
                n.asyncRequestHandler = m -> {
                    CompletableFuture<byte[]> reply = new CompletableFuture<>();
                    byte[] answer = SimulatedCluster.concat("reply:".getBytes(), m.payload());
                    c.at(c.clock.nanoTime() + (long) (handlerRandom.nextDouble() * 3 * intervalNs),
                            () -> reply.complete(answer));
                    return reply;
                };
            }
        }

        // Loss on one network only, in half of the multi-network scenarios (the scenario's loss, or some when
        // it has none, moves to that network): a lossy path must fail no message while another network works.
        // Drawn from a random of its own, so that every other draw of a seed stays as it was.
        SplittableRandom pathLossRandom = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int lossyNetwork = networks > 1 && pathLossRandom.nextBoolean() ? pathLossRandom.nextInt(networks) : -1;
        double pathLoss = lossyNetwork < 0 ? 0 : loss > 0 ? loss : 0.1 + pathLossRandom.nextDouble() * 0.5;
        double lossEverywhere = lossyNetwork < 0 ? loss : 0;
        if (lossyNetwork >= 0) {
            c.network.lossRate(0);
            for (int x = 0; x < nodeCount; x++) {
                for (int y = x + 1; y < nodeCount; y++) {
                    c.network.lossBetween(nodes.get(x).addresses.get(lossyNetwork),
                            nodes.get(y).addresses.get(lossyNetwork), pathLoss);
                }
            }
        }

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
        Map<Key, Asked> asked = new HashMap<>();
        Map<String, Long> lastId = new HashMap<>(); // "name@incarnation" -> the last message id it was given
        Set<Key> pendingAtRemoval = new HashSet<>();
        long[] readdressed = {0}; // scenarios whose peer was readdressed
        Map<String, Long> probesBeforeRemoval = new HashMap<>(); // "owner->peer" -> probes sent before removals
        long skewNs = skewMs * MS;
        c.network.observer((from, to, bytes, nowNs) -> {
            SimulatedCluster.Node receiver = c.nodes.get(names.get(to));
            List<String> known = receiver == null || !receiver.alive() ? null
                    : receiver.messenger.peers().get(names.get(from));
            if (known == null || !known.contains(from.getHostString() + ":" + from.getPort())) {
                return; // a removed peer's datagrams, or from an address it no longer has: an unknown source's
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
                firstSuccessNs.putIfAbsent(new Key(m.peer(), m.incarnation(), m.msgId()), c.clock.nanoTime());
            };
        }
        c.startAll();

        // Sends and at most one restart.
        SplittableRandom sizes = new SplittableRandom(seed * 31 + 7); // apart from r: the scenarios stay as they were
        int messages = 20 + r.nextInt(80);
        for (int i = 0; i < messages; i++) {
            long at = (long) (r.nextDouble() * sendWindowNs);
            SimulatedCluster.Node from = nodes.get(r.nextInt(nodeCount));
            String to = nodes.get((nodes.indexOf(from) + 1 + r.nextInt(nodeCount - 1)) % nodeCount).name;
            byte[] userBuffer = new byte[r.nextInt(65)];
            r.nextBytes(userBuffer);
            boolean isRequest = r.nextInt(3) == 0;
            // a quarter of the plain messages are larger than a datagram (1472 bytes here): fragments (section 12)
            byte[] payload = !isRequest && sizes.nextInt(4) == 0
                    ? largePayload("m" + i + "@" + from.name, 1_500 + sizes.nextInt(6_000))
                    : ("m" + i + "@" + from.name).getBytes();
            c.at(at, () -> {
                if (!from.alive()) {
                    return;
                }
                String process = from.name + "@" + from.messenger.incarnation();
                long id;
                try {
                    if (isRequest) {
                        CompletableFuture<Reply> future = from.request(to, payload, userBuffer);
                        AtomicInteger completions = new AtomicInteger();
                        future.whenComplete((reply, error) -> completions.incrementAndGet());
                        // refused at once (chain full) or given the next id of this process: the test thread
                        // sends alone
                        id = future.isCompletedExceptionally() ? ReliableMessenger.NOT_ACCEPTED
                                : lastId.getOrDefault(process, 0L) + 1;
                        if (id != ReliableMessenger.NOT_ACCEPTED) {
                            asked.put(new Key(from.name, from.messenger.incarnation(), id),
                                    new Asked(future, completions, payload));
                        }
                    } else {
                        id = from.send(to, payload, userBuffer);
                    }
                } catch (IllegalArgumentException e) { // to a peer removed just now: refused at once
                    assertThat(from.messenger.peers()).as("seed %d: refused only while removed", seed)
                            .doesNotContainKey(to);
                    return;
                }
                if (id != ReliableMessenger.NOT_ACCEPTED) {
                    lastId.put(process, id);
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
                asked.forEach((k, q) -> {
                    if (k.from().equals(victim.name) && k.incarnation() == incarnation && q.future().isDone()) {
                        resolved.add(k.msgId());
                    }
                });
                accepted.keySet().stream()
                        .filter(k -> k.from().equals(victim.name) && k.incarnation() == incarnation
                                && !resolved.contains(k.msgId()))
                        .forEach(crashedWhilePending::add);
                victim.crash();
                c.at(c.clock.nanoTime() + (long) (r.nextDouble() * 2 * intervalNs), victim::start);
            });
        }

        // Membership churn, drawn apart so that the scenarios without it stay as they were: a node removes a
        // peer (failing what is pending to it) and adds it back, within or beyond the hold time.
        SplittableRandom churnRandom = new SplittableRandom(seed * 31 + 7);
        boolean churn = churnRandom.nextInt(4) == 0;
        if (churn) {
            SimulatedCluster.Node owner = nodes.get(churnRandom.nextInt(nodeCount));
            SimulatedCluster.Node gone = nodes.get((nodes.indexOf(owner) + 1 + churnRandom.nextInt(nodeCount - 1))
                    % nodeCount);
            long removeAt = (long) (churnRandom.nextDouble() * sendWindowNs);
            long addAt = removeAt + (long) (churnRandom.nextDouble() * 2 * spanNs);
            // on several networks, half the time the peer is readdressed instead: its first address taken
            // away (what was in flight there goes to the others at once), given back later
            boolean readdress = networks > 1 && churnRandom.nextBoolean();
            if (readdress) {
                String[] all = gone.addresses.stream().map(a -> a.getHostString() + ":" + a.getPort())
                        .toArray(String[]::new);
                c.at(removeAt, () -> {
                    if (owner.alive()) {
                        owner.messenger.updatePeer(gone.name, Arrays.copyOfRange(all, 1, all.length));
                        readdressed[0]++;
                    }
                });
                c.at(addAt, () -> {
                    if (owner.alive()) {
                        owner.messenger.updatePeer(gone.name, all);
                    }
                });
            }
            c.at(removeAt, readdress ? () -> { } : () -> {
                if (!owner.alive() || !owner.messenger.peers().containsKey(gone.name)) {
                    return;
                }
                long incarnation = owner.messenger.incarnation();
                Set<Long> resolved = new HashSet<>(owner.ackedByIncarnation(incarnation));
                owner.failuresByIncarnation(incarnation).forEach(f -> resolved.add(f.msgId()));
                asked.forEach((k, q) -> {
                    if (k.from().equals(owner.name) && k.incarnation() == incarnation && q.future().isDone()) {
                        resolved.add(k.msgId());
                    }
                });
                accepted.forEach((k, to) -> {
                    if (k.from().equals(owner.name) && k.incarnation() == incarnation && to.equals(gone.name)
                            && !resolved.contains(k.msgId())) {
                        pendingAtRemoval.add(k);
                    }
                });
                // a peer added again starts its counters afresh: keep the probes of its earlier life
                probesBeforeRemoval.merge(owner.name + "->" + gone.name,
                        owner.messenger.stats(gone.name).capabilityProbesSent(), Long::sum);
                owner.messenger.removePeer(gone.name);
            });
            c.at(addAt, readdress ? () -> { } : () -> {
                if (owner.alive() && !owner.messenger.peers().containsKey(gone.name)) {
                    owner.messenger.addPeer(gone.name, gone.addresses.stream()
                            .map(a -> a.getHostString() + ":" + a.getPort()).toArray(String[]::new));
                }
            });
        }

        // Run past the last send until every chain has resolved (retries, maximum delay, margin).
        c.runUntil(sendWindowNs + Math.max(4 * intervalNs + (retries + 2) * intervalNs, replyTimeoutMs * MS
                + 2 * intervalNs) + 3 * maxDelayNs);

        // Resolution: exactly one of acked / failed for every accepted send of a surviving incarnation.
        Map<Key, Integer> ackCount = new HashMap<>();
        Map<Key, List<SendFailure>> failuresByKey = new HashMap<>();
        if (System.getProperty("sim.debug") != null) {
            System.out.println("ackMode=" + ackMode + " slow=" + slowHandlers + " interval=" + intervalMs + " retries="
                    + retries + " networks=" + networks + " loss=" + loss + " lossyNetwork=" + lossyNetwork + " restart=" + restart + " delay=" + maxDelayNs);
            asked.forEach((k, q) -> System.out.println(k + " done=" + q.future().isDone() + " " + q.future()));
            nodes.forEach(n -> System.out.println(n.name + " " + n.messenger.stats()));
        }
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
                assertThat(whole(m.payload())).as("seed %d: %s delivered whole", seed, key).isTrue();
                deliveries.merge(key, 1, Integer::sum);
                deliveriesPerReceiverIncarnation.merge(key + "@" + n.deliveredBy.get(i), 1, Integer::sum);
            }
        }
        // Handler runs of requests: at most once per receiver incarnation (the cache answers the duplicates).
        Map<Key, Integer> handled = new HashMap<>();
        for (SimulatedCluster.Node n : nodes) {
            Map<String, Integer> perIncarnation = new HashMap<>();
            for (int i = 0; i < n.handledRequests.size(); i++) {
                InboundMessage m = n.handledRequests.get(i);
                Key key = new Key(m.peer(), m.incarnation(), m.msgId());
                handled.merge(key, 1, Integer::sum);
                perIncarnation.merge(key + "@" + n.handledRequestsBy.get(i), 1, Integer::sum);
            }
            perIncarnation.forEach((key, count) -> assertThat(count)
                    .as("seed %d: request %s handled at most once per receiver incarnation", seed, key).isEqualTo(1));
        }
        long replies = 0;
        long requestsFailed = 0;
        for (Map.Entry<Key, String> e : accepted.entrySet()) {
            Key key = e.getKey();
            SimulatedCluster.Node sender = c.nodes.get(key.from());
            if (crashedWhilePending.contains(key) || key.incarnation() != sender.messenger.incarnation()) {
                continue; // its process died; resolved keys of dead incarnations were checked before the crash
            }
            int acks = ackCount.getOrDefault(key, 0);
            List<SendFailure> fails = failuresByKey.getOrDefault(key, List.of());
            Asked request = asked.get(key);
            if (request != null) {
                assertThat(request.future()).as("seed %d: request %s completed", seed, key).isDone();
                assertThat(request.completions()).as("seed %d: request %s completed once", seed, key).hasValue(1);
                assertThat(acks).as("seed %d: a request's ack is no outcome", seed).isZero();
                boolean replied = !request.future().isCompletedExceptionally();
                assertThat((replied ? 1 : 0) + fails.size()).as("seed %d: request %s resolved exactly once (failures %s)",
                        seed, key, fails).isEqualTo(1);
                if (replied) {
                    replies++;
                    Reply reply = request.future().join();
                    assertThat(reply.payload()).as("seed %d: reply to %s", seed, key)
                            .isEqualTo(SimulatedCluster.concat("reply:".getBytes(), request.payload()));
                    assertThat(reply.msgId()).isEqualTo(key.msgId());
                    assertThat(handled.getOrDefault(key, 0)).as("seed %d: %s was handled", seed, key).isPositive();
                } else {
                    requestsFailed++;
                    Throwable cause = org.assertj.core.api.Assertions.catchThrowable(request.future()::join).getCause();
                    assertThat(((SendFailedException) cause).failure()).as("seed %d: the future and the listener agree",
                            seed).isEqualTo(fails.get(0));
                    assertThat(fails.get(0).userBuffer()).isEqualTo(userBuffers.get(key));
                    // handlers never fail here and the cache never overflows: no "no reply". A request fails only
                    // when no path let copies and answers through in time, or when every capability probe and
                    // answer was lost, so the peer is taken for revision 1 (docs/PROTOCOL.md, 7.5)
                    if (pendingAtRemoval.contains(key)) {
                        assertThat(fails.get(0).reason()).as("seed %d: %s pending when its peer was removed", seed, key)
                                .isEqualTo(FailureReason.PEER_REMOVED);
                    } else if (fails.get(0).reason() == FailureReason.UNSUPPORTED_BY_PEER) {
                        assertThat(sender.messenger.stats(e.getValue()).capabilityProbesSent()
                                + probesBeforeRemoval.getOrDefault(sender.name + "->" + e.getValue(), 0L))
                                .as("seed %d: %s refused, yet no probe round to its peer went unanswered", seed, key)
                                .isGreaterThanOrEqualTo(retries + 1);
                    } else {
                        assertThat(fails.get(0).reason()).as("seed %d: why %s failed", seed, key)
                                .isIn(FailureReason.RETRIES_EXHAUSTED, FailureReason.REPLY_TIMEOUT);
                    }
                }
                continue;
            }
            assertThat(acks + fails.size()).as("seed %d: %s resolved exactly once (acks %d, failures %d)", seed, key,
                    acks, fails.size()).isEqualTo(1);
            if (pendingAtRemoval.contains(key)) {
                assertThat(fails).as("seed %d: %s pending when its peer was removed", seed, key)
                        .singleElement().extracting(SendFailure::reason).isEqualTo(FailureReason.PEER_REMOVED);
            } else {
                assertThat(fails).as("seed %d: %s was not pending at a removal", seed, key)
                        .noneMatch(f -> f.reason() == FailureReason.PEER_REMOVED);
            }
            if (acks == 1) {
                assertThat(deliveries.getOrDefault(key, 0)).as("seed %d: acked %s was delivered", seed, key)
                        .isGreaterThanOrEqualTo(1);
                if (ackMode == AckMode.AFTER_HANDLER) { // acked only after a run that succeeded
                    assertThat(sender.ackedAtNs.get(key.incarnation() + "/" + key.msgId()))
                            .as("seed %d: %s acked after its handler succeeded", seed, key)
                            .isGreaterThanOrEqualTo(firstSuccessNs.get(key));
                }
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
            n.handlerFailures.forEach(m -> delivered.add(new Key(m.peer(), m.incarnation(), m.msgId())));
            for (Key arrived : freshArrivals.getOrDefault(n.name, Set.of())) {
                assertThat(delivered).as("seed %d: a fresh copy of %s reached %s, so it was delivered", seed, arrived,
                        n.name).contains(arrived);
            }
        }
        // after-handler: a handler that throws every run, or a slow one, may fail a message on a good network
        boolean benign = loss == 0 && partitions == 0 && maxDelayNs < intervalNs / 2 && !restart && !churn
                && ackMode == AckMode.ON_RECEIPT;
        if (benign) {
            for (SimulatedCluster.Node n : nodes) {
                assertThat(n.failuresByIncarnation(n.messenger.incarnation()))
                        .as("seed %d: nothing fails on a network that allows delivery", seed).isEmpty();
            }
        }
        // Paths: without loss everywhere, late acks or handler failures (after-handler), a message fails only
        // if, on every network but the lossy one (if any), its path was cut (either way) at some moment of its
        // retry span: a lossy path alone fails nothing while another network works.
        if (networks > 1 && lossEverywhere == 0 && maxDelayNs < intervalNs / 4 && !restart && !churn
                && ackMode == AckMode.ON_RECEIPT) {
            for (SimulatedCluster.Node n : nodes) {
                for (SendFailure f : n.failuresByIncarnation(n.messenger.incarnation())) {
                    Key key = new Key(n.name, n.messenger.incarnation(), f.msgId());
                    if (asked.containsKey(key)) {
                        continue; // a request's retry span starts again at each ack: checked as a request above
                    }
                    long sent = sentAtNs.get(key);
                    int from = nodes.indexOf(n);
                    int to = nodes.indexOf(c.nodes.get(accepted.get(key)));
                    for (int network = 0; network < networks; network++) {
                        if (network == lossyNetwork) {
                            continue; // it loses a share of everything: not a network that works
                        }
                        boolean cut = false;
                        for (long[] k : cuts) {
                            boolean samePair = k[0] == from && k[1] == to || k[0] == to && k[1] == from;
                            cut |= samePair && k[2] == network && k[3] < sent + spanNs + maxDelayNs && k[4] > sent;
                        }
                        assertThat(cut).as("seed %d: %s failed although network %d worked for its whole retry "
                                + "span (cuts %s, network %d lossy at %.2f)", seed, key, network, cutsToString(cuts),
                                lossyNetwork, pathLoss).isTrue();
                    }
                }
            }
        }
        assertThat(violations).as("seed %d", seed).isEmpty();
        long acked = 0, failed = 0, refused = 0, duplicates = 0, stale = 0, staleAcks = 0, resent = 0, reruns = 0;
        for (SimulatedCluster.Node n : nodes) {
            MessengerStats s = n.messenger.stats();
            acked += s.acked();
            failed += s.failed();
            refused += n.messenger.chainFullRejections();
            duplicates += s.duplicates();
            stale += s.staleMessagesDropped();
            staleAcks += s.staleAcksDropped();
            resent += s.peers().values().stream().mapToLong(p -> p.repliesSent()).sum() - s.requestsHandled();
            reruns += n.handlerFailures.size();
        }
        long peerRemoved = pendingAtRemoval.stream().filter(k -> k.incarnation()
                == c.nodes.get(k.from()).messenger.incarnation()).count();
        return new Outcome(accepted.size(), acked, failed, refused, duplicates, stale, staleAcks, restart ? 1 : 0,
                networks > 1 ? 1 : 0, replies, requestsFailed, resent, reruns, churn ? 1 : 0, peerRemoved,
                readdressed[0], lossyNetwork >= 0 ? 1 : 0);
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
