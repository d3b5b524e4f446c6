package io.reliablemsg;

import io.reliablemsg.time.Clock;
import io.reliablemsg.time.ManualClock;
import io.reliablemsg.transport.SimulatedNetwork;
import io.reliablemsg.transport.ForwardingTransport;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Messengers on a {@link SimulatedNetwork}, all driven from the test thread by one
 * {@link ManualClock}: no threads, no sleeps, the same seed gives the same run.
 */
final class SimulatedCluster {
    final ManualClock clock = new ManualClock(1_800_000_000_000L);
    final SimulatedNetwork network;
    final Map<String, Node> nodes = new LinkedHashMap<>();
    private final PriorityQueue<Action> actions = new PriorityQueue<>();
    /** Other parties on the network, driven at every pass like the nodes (for example a version 1 node). */
    private final List<Runnable> participants = new ArrayList<>();
    private long actionSequence;

    private record Action(long atNs, long sequence, Runnable task) implements Comparable<Action> {
        @Override
        public int compareTo(Action o) {
            return atNs != o.atNs ? Long.compare(atNs, o.atNs) : Long.compare(sequence, o.sequence);
        }
    }

    /** One process: a messenger and what its callbacks saw. */
    final class Node {
        final String name;
        final int clientId;
        final InetSocketAddress address;
        /** Every address of the node, one per network; {@link #address} is the first. */
        final List<InetSocketAddress> addresses;
        final UnaryOperator<MessengerConfig.Builder> settings;
        final long wallOffsetMillis;
        ReliableMessenger messenger;
        Transport transport;
        final List<InboundMessage> delivered = new ArrayList<>();
        /** The trace context each of {@link #delivered} carried (null: none). */
        final List<TraceContext> deliveredTraces = new ArrayList<>();
        /** Incarnation of this node that delivered {@code delivered.get(i)}. */
        final List<Long> deliveredBy = new ArrayList<>();
        final List<SendFailure> failures = new ArrayList<>();
        /** When each of {@link #failures} was reported, on the cluster's clock. */
        final List<Long> failureTimesNs = new ArrayList<>();
        final List<Long> acked = new ArrayList<>();
        /** When each ack reached the ack listener, by "incarnation/msgId". */
        final Map<String, Long> ackedAtNs = new HashMap<>();
        final Map<Long, List<Long>> ackedByIncarnation = new HashMap<>();
        final Map<Long, List<SendFailure>> failuresByIncarnation = new HashMap<>();
        Consumer<InboundMessage> onDelivered = m -> { };
        /** Datagrams this node sends that the test drops before the network sees them (a view of each). */
        Predicate<ByteBuffer> dropOutgoing = d -> false;
        /** Whether the inbound handler throws on a message (it is then not recorded as delivered). */
        Predicate<InboundMessage> handlerThrows = m -> false;
        /** Messages the inbound handler threw on, every run. */
        final List<InboundMessage> handlerFailures = new ArrayList<>();
        /** Answers requests: "reply:" and the request's payload unless replaced. */
        RequestHandler requestHandler = m -> concat("reply:".getBytes(), m.payload());
        /** When set, answers requests instead of {@link #requestHandler}. */
        AsyncRequestHandler asyncRequestHandler;
        /** Every run of the request handler, and the incarnation of this node that ran it. */
        final List<InboundMessage> handledRequests = new ArrayList<>();
        /** The trace context each of {@link #handledRequests} carried (null: none). */
        final List<TraceContext> handledRequestTraces = new ArrayList<>();
        final List<Long> handledRequestsBy = new ArrayList<>();
        /** Which of the other nodes this node is configured with at start (all by default). */
        Predicate<String> knows = name -> true;
        /** Gives this node's messages their trace contexts (none unless a test sets one). */
        MessageTracer tracer;
        /** Resolves the host names of the peers (the system resolver unless a test sets one). */
        PeerResolver resolver = PeerResolver.SYSTEM;
        /** Changes of the peer set told to the peer listener, all incarnations. */
        final List<PeerChange> peerChanges = new ArrayList<>();
        int incarnations;
        /** Datagrams this node sent, all incarnations, by destination: [protocol datagrams, CAPABILITIES datagrams]. */
        final Map<InetSocketAddress, long[]> sentTo = new HashMap<>();

        /** Datagrams this node sent to {@code other}, CAPABILITIES probes and answers included. */
        long datagramsSentTo(Node other) {
            long[] counts = sentTo.getOrDefault(other.address, new long[2]);
            return counts[0] + counts[1];
        }

        Node(String name, int clientId, List<InetSocketAddress> addresses,
             UnaryOperator<MessengerConfig.Builder> settings, long wallOffsetMillis) {
            this.name = name;
            this.clientId = clientId;
            this.address = addresses.get(0);
            this.addresses = List.copyOf(addresses);
            this.settings = settings;
            this.wallOffsetMillis = wallOffsetMillis;
        }

        /** Starts (or restarts, as a new incarnation) this node's messenger. */
        void start() {
            MessengerConfig.Builder b = MessengerConfig.builder().clientId(clientId)
                    .bindAddress(addresses.size() == 1 ? address.getHostString() : "0.0.0.0").port(address.getPort());
            for (Node other : nodes.values()) {
                if (other != this && knows.test(other.name)) {
                    b.peer(other.name, other.addresses.stream().map(a -> a.getHostString() + ":" + a.getPort())
                            .toArray(String[]::new));
                }
            }
            Clock nodeClock = clock.withWallOffset(wallOffsetMillis);
            long incarnation = clientId * 1000L + ++incarnations;
            ReliableMessenger.Builder builder = ReliableMessenger.builder(settings.apply(b).build())
                    .clock(nodeClock)
                    .incarnation(incarnation)
                    .transport(c -> transport = new CountingTransport(addresses.size() == 1 ? network.endpoint(address)
                            : network.multiHomedEndpoint(addresses.toArray(InetSocketAddress[]::new)), this))
                    .inboundHandler(new InboundHandler() {
                        @Override
                        public void onMessage(InboundMessage m) {
                            onMessage(m, null);
                        }

                        @Override
                        public void onMessage(InboundMessage m, TraceContext trace) {
                            if (handlerThrows.test(m)) {
                                handlerFailures.add(m);
                                throw new IllegalStateException("handler fails on " + m);
                            }
                            delivered.add(m);
                            deliveredTraces.add(trace);
                            deliveredBy.add(incarnation);
                            onDelivered.accept(m);
                        }
                    })
                    .failureListener(f -> {
                        failures.add(f);
                        failureTimesNs.add(clock.nanoTime());
                        failuresByIncarnation.computeIfAbsent(incarnation, k -> new ArrayList<>()).add(f);
                    })
                    .peerListener(peerChanges::add)
                    .resolver(resolver)
                    .ackListener((peer, msgId, latencyNs, transmissions) -> {
                        acked.add(msgId);
                        ackedAtNs.put(incarnation + "/" + msgId, clock.nanoTime());
                        ackedByIncarnation.computeIfAbsent(incarnation, k -> new ArrayList<>()).add(msgId);
                    });
            if (tracer != null) {
                builder.messageTracer(tracer);
            }
            if (asyncRequestHandler != null) {
                AsyncRequestHandler async = asyncRequestHandler;
                builder.asyncRequestHandler(new AsyncRequestHandler() {
                    @Override
                    public CompletionStage<byte[]> onRequest(InboundMessage m) {
                        return onRequest(m, null);
                    }

                    @Override
                    public CompletionStage<byte[]> onRequest(InboundMessage m, TraceContext trace) {
                        handledRequests.add(m);
                        handledRequestTraces.add(trace);
                        handledRequestsBy.add(incarnation);
                        return async.onRequest(m);
                    }
                });
            } else if (requestHandler != null) {
                RequestHandler sync = requestHandler;
                builder.requestHandler(new RequestHandler() {
                    @Override
                    public byte[] onRequest(InboundMessage m) throws Exception {
                        return onRequest(m, null);
                    }

                    @Override
                    public byte[] onRequest(InboundMessage m, TraceContext trace) throws Exception {
                        handledRequests.add(m);
                        handledRequestTraces.add(trace);
                        handledRequestsBy.add(incarnation);
                        return sync.onRequest(m);
                    }
                });
            }
            messenger = builder.build();
            messenger.startManual();
        }

        /** The process dies: its socket goes away, nothing more is driven, no callback fires. */
        void crash() {
            transport.close();
            messenger = null;
        }

        List<Long> ackedByIncarnation(long incarnation) {
            return ackedByIncarnation.getOrDefault(incarnation, List.of());
        }

        List<SendFailure> failuresByIncarnation(long incarnation) {
            return failuresByIncarnation.getOrDefault(incarnation, List.of());
        }

        boolean alive() {
            return messenger != null;
        }

        long send(String peer, byte[] payload, byte[] userBuffer) {
            return messenger.trySend(peer, payload, userBuffer);
        }

        CompletableFuture<Reply> request(String peer, byte[] payload, byte[] userBuffer) {
            return messenger.request(peer, payload, userBuffer);
        }
    }

    /**
     * Datagrams sent by every node that carry protocol frames (DATA, ACK, PING, PONG), leaving out the
     * CAPABILITIES exchange, which travels in datagrams of its own (docs/PROTOCOL.md, "Wire evolution").
     */
    long protocolDatagramsSent() {
        return nodes.values().stream().flatMap(n -> n.sentTo.values().stream()).mapToLong(c -> c[0]).sum();
    }

    /** Datagrams holding a CAPABILITIES frame (probes and answers) sent by every node. */
    long capabilityDatagramsSent() {
        return nodes.values().stream().flatMap(n -> n.sentTo.values().stream()).mapToLong(c -> c[1]).sum();
    }

    /** A node's endpoint that counts what it sends, by destination and kind. */
    private static final class CountingTransport extends ForwardingTransport {
        private final Node node;

        CountingTransport(Transport delegate, Node node) {
            super(delegate);
            this.node = node;
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            int firstFrameType = datagram.get(datagram.position() + WireFormat.HEADER_LENGTH) & 0xFF;
            node.sentTo.computeIfAbsent(target, k -> new long[2])[firstFrameType == WireFormat.TYPE_CAPABILITIES
                    ? 1 : 0]++;
            if (node.dropOutgoing.test(datagram.duplicate())) {
                return true; // lost on the way, as the network would lose it
            }
            return delegate.send(target, datagram);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    SimulatedCluster(long seed) {
        this.network = new SimulatedNetwork(clock, seed);
    }

    /** Adds a node at 10.0.0.{index}:7000 (started by {@link #startAll()}). */
    Node add(String name, int clientId, UnaryOperator<MessengerConfig.Builder> settings) {
        return add(name, clientId, settings, 0);
    }

    /** Adds a node whose wall clock runs {@code wallOffsetMillis} ahead of the others. */
    Node add(String name, int clientId, UnaryOperator<MessengerConfig.Builder> settings, long wallOffsetMillis) {
        InetSocketAddress address = new InetSocketAddress("10.0.0." + (nodes.size() + 1), 7000);
        Node node = new Node(name, clientId, List.of(address), settings, wallOffsetMillis);
        nodes.put(name, node);
        return node;
    }

    /**
     * Adds a node on {@code networks} networks, at 10.{n}.0.{index}:7000 on network n = 1, 2, ...; its
     * peers know it by all of those addresses (one path each), in that order.
     */
    Node addMultiHomed(String name, int clientId, int networks, UnaryOperator<MessengerConfig.Builder> settings) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (int n = 1; n <= networks; n++) {
            addresses.add(new InetSocketAddress("10." + n + ".0." + (nodes.size() + 1), 7000));
        }
        Node node = new Node(name, clientId, addresses, settings, 0);
        nodes.put(name, node);
        return node;
    }

    Node node(String name) {
        return nodes.get(name);
    }

    void startAll() {
        nodes.values().forEach(Node::start);
    }

    /** Drives {@code pass} at every pass, after the nodes: a party on the network that is not a messenger. */
    void participant(Runnable pass) {
        participants.add(pass);
    }

    /** Runs {@code task} when the clock reaches {@code atNs}. */
    void at(long atNs, Runnable task) {
        actions.add(new Action(atNs, actionSequence++, task));
    }

    /** Drives every live node until the clock reaches {@code untilNs}, event by event. */
    void runUntil(long untilNs) {
        long lastNs = -1;
        int passesAtThisInstant = 0;
        while (true) {
            // A protocol that keeps asking to run at the same instant would spin a real loop: fail.
            passesAtThisInstant = clock.nanoTime() == lastNs ? passesAtThisInstant + 1 : 0;
            lastNs = clock.nanoTime();
            if (passesAtThisInstant > 10_000) {
                throw new AssertionError("no progress: still due at " + lastNs + " ns after 10,000 passes");
            }
            settle();
            long next = Math.min(network.nextDeliveryNs(), actions.isEmpty() ? Long.MAX_VALUE : actions.peek().atNs);
            for (Node n : nodes.values()) {
                if (n.alive()) {
                    next = Math.min(next, n.messenger.loop().nextDeadlineNs());
                }
            }
            if (next > untilNs) {
                if (clock.nanoTime() < untilNs) {
                    clock.setNs(untilNs);
                    continue;
                }
                return;
            }
            clock.setNs(Math.max(clock.nanoTime(), next));
        }
    }

    /** Runs due actions and passes until nothing more is due at this instant. */
    private void settle() {
        do {
            while (!actions.isEmpty() && actions.peek().atNs <= clock.nanoTime()) {
                actions.poll().task.run();
            }
            pass();
        } while (network.nextDeliveryNs() <= clock.nanoTime()
                || (!actions.isEmpty() && actions.peek().atNs <= clock.nanoTime()));
    }

    /** Moves the clock forward by {@code deltaNs}, driving everything on the way. */
    void runFor(long deltaNs) {
        runUntil(clock.nanoTime() + deltaNs);
    }

    private void pass() {
        participants.forEach(Runnable::run);
        for (Node n : nodes.values()) {
            if (!n.alive()) {
                continue;
            }
            try {
                int guard = 0;
                while (n.messenger.loop().runOnce() && ++guard < 10_000) {
                    // until the node has nothing left to do at this instant
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
