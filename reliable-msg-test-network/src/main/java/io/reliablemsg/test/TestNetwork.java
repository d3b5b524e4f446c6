package io.reliablemsg.test;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A network inside the JVM for tests: messengers run on it with their real threads and real time,
 * and bind no UDP port. A test switches faults on and off while they run: seeded random loss,
 * duplication and delay (a delay range reorders datagrams), and partitions of a pair of nodes or of
 * one node, one way or both. Nodes are named: a name stands for the address a messenger's
 * configuration gives a peer of that name, or one this network assigns.
 *
 * <p>Put a messenger on it with {@code ReliableMessenger.builder(config).transport(network::transportFor)},
 * or let it build one: {@code network.messenger("alice", "bob")} starts node {@code alice} with peer
 * {@code bob}. Register it as a JUnit extension ({@code @RegisterExtension}) and every messenger it
 * started during a test is closed after the test, and every fault and partition is switched off;
 * a static field keeps the messengers started in {@code @BeforeAll} until all tests ran.
 *
 * <p>Each datagram is copied when sent and waits in the receiving endpoint's buffer (its
 * {@code socketBufferBytes}, the overflow dropped) until the receiver's I/O loop reads it on its
 * own thread, which the arrival wakes; a datagram to an address nothing is bound to is dropped, as
 * on a host. The random draws are per link (one direction between two addresses), seeded from
 * {@link #seed()}: the k-th datagram on a link meets the same fate in every run with that seed;
 * which datagram is k-th still depends on the threads' timing. Partitions are checked when a
 * datagram is sent. Thread-safe.
 */
public final class TestNetwork implements AutoCloseable, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    /** Seed of {@link #TestNetwork()}. */
    public static final long DEFAULT_SEED = 1;

    private final Fabric fabric;
    private final NodeDirectory directory = new NodeDirectory();
    /** Messengers this network started, in start order; those from {@code testStart} on belong to the running test. */
    private final List<ReliableMessenger> started = new ArrayList<>();
    private int testStart = -1;

    /** A network with seed {@value #DEFAULT_SEED}. */
    public TestNetwork() {
        this(DEFAULT_SEED);
    }

    /** A network whose random draws (loss, duplication, delay) follow {@code seed}. */
    public TestNetwork(long seed) {
        this.fabric = new Fabric(seed);
    }

    /** Seed of the random draws. */
    public long seed() {
        return fabric.seed();
    }

    // ---- joining the network

    /**
     * A transport for a messenger with {@code config}, for {@code ReliableMessenger.Builder.transport}:
     * bound at the configured address and port ({@code 0.0.0.0} or {@code ::} become the loopback
     * address, port 0 a port this network picks); the names of the configured peers become node names
     * of this network at their addresses.
     *
     * @throws IllegalStateException when a messenger that is not closed uses that address already
     */
    public Transport transportFor(MessengerConfig config) {
        InetAddress host = bindHost(config.bindAddress());
        InetSocketAddress address = config.port() == 0 ? directory.freeAddress(host, this::bound)
                : new InetSocketAddress(host, config.port());
        InJvmEndpoint endpoint = fabric.bind(address, config.socketBufferBytes());
        directory.clientIdInUse(config.clientId());
        config.peerAddresses().forEach((name, addresses) -> {
            for (InetSocketAddress peer : addresses) {
                InetSocketAddress resolved = peer.isUnresolved() ? new InetSocketAddress(peer.getHostString(),
                        peer.getPort()) : peer;
                if (!resolved.isUnresolved()) {
                    directory.register(name, resolved);
                }
            }
        });
        return endpoint;
    }

    /** A transport bound at {@code address}, with a receive buffer of the core's default socket buffer size. */
    public Transport bind(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        return fabric.bind(address, MessengerConfig.DEFAULT_SOCKET_BUFFER_BYTES);
    }

    /** Whether {@code messenger} runs on this network (its local address is bound here). */
    public boolean carries(ReliableMessenger messenger) {
        return fabric.endpointAt(messenger.localAddress()) != null;
    }

    private boolean bound(InetSocketAddress address) {
        return fabric.endpointAt(address) != null;
    }

    private static InetAddress bindHost(String bindAddress) {
        try {
            InetAddress host = InetAddress.getByName(bindAddress);
            return host.isAnyLocalAddress() ? NodeDirectory.LOOPBACK : host;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("bind address '" + bindAddress + "' cannot be resolved", e);
        }
    }

    // ---- nodes

    /**
     * The address of node {@code name}: the one a messenger's configuration gave a peer of that name, or
     * else one this network assigns now (on the loopback address, a port of the dynamic range).
     *
     * @throws IllegalStateException when configurations gave that name several addresses
     */
    public InetSocketAddress address(String name) {
        return directory.addressOf(requireName(name), this::bound);
    }

    /** A builder for a messenger of node {@code name} on this network, which {@link NodeBuilder#start()} starts. */
    public NodeBuilder node(String name) {
        return new NodeBuilder(this, requireName(name));
    }

    /**
     * Starts a messenger of node {@code name} with {@code peers} (by node name), the core's defaults
     * for every other setting and the node's client id (assigned on first use, skipping the ids of the
     * messengers on this network so far); closed after the test (see the class doc).
     */
    public ReliableMessenger messenger(String name, String... peers) {
        return node(name).peers(peers).start();
    }

    NodeDirectory directory() {
        return directory;
    }

    /** Starts {@code messenger} and tracks it, to close it with the test that started it. */
    ReliableMessenger track(ReliableMessenger messenger) {
        synchronized (started) {
            started.add(messenger);
        }
        messenger.start();
        return messenger;
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a node name must not be blank");
        }
        return name;
    }

    /** Addresses of node {@code name}; an unknown name is an {@link IllegalArgumentException} naming the known ones. */
    private List<InetSocketAddress> addressesOf(String name) {
        List<InetSocketAddress> addresses = directory.addresses(requireName(name));
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no node '" + name + "' on this test network; known nodes: "
                    + directory.names() + " (a name is known once a messenger's configuration names that peer, "
                    + "or after address(name) or node(name).start())");
        }
        return addresses;
    }

    // ---- faults

    /** Drops each copy of each datagram with probability {@code rate} in [0, 1] (0: no loss, the default). */
    public TestNetwork lossRate(double rate) {
        fabric.lossRate(requireRate("loss rate", rate));
        return this;
    }

    /** Delivers a second copy of a datagram with probability {@code rate} in [0, 1] (0: none, the default). */
    public TestNetwork duplicationRate(double rate) {
        fabric.duplicationRate(requireRate("duplication rate", rate));
        return this;
    }

    /**
     * Delays each copy by a uniform draw from [{@code min}, {@code max}], so datagrams sent less than
     * {@code max - min} apart may arrive in another order ({@link Duration#ZERO} twice: no delay, the default).
     */
    public TestNetwork delay(Duration min, Duration max) {
        long minNs = min.toNanos();
        long maxNs = max.toNanos();
        if (minNs < 0 || maxNs < minNs) {
            throw new IllegalArgumentException("delay must be a range [min, max] with 0 <= min <= max but was ["
                    + min + ", " + max + "]");
        }
        fabric.delay(new Fabric.Delay(minNs, maxNs));
        return this;
    }

    private static double requireRate(String what, double rate) {
        if (!(rate >= 0.0 && rate <= 1.0)) {
            throw new IllegalArgumentException(what + " must be in [0, 1] but was " + rate);
        }
        return rate;
    }

    // ---- partitions

    /** Drops every datagram between nodes {@code a} and {@code b}, both ways, from now until healed. */
    public TestNetwork cut(String a, String b) {
        return cutOneWay(a, b).cutOneWay(b, a);
    }

    /** Drops every datagram from node {@code from} to node {@code to} (that direction only) until healed. */
    public TestNetwork cutOneWay(String from, String to) {
        List<InetSocketAddress> targets = addressesOf(to);
        for (InetSocketAddress source : addressesOf(from)) {
            for (InetSocketAddress target : targets) {
                fabric.partitions.cut(source, target);
            }
        }
        return this;
    }

    /** Cuts node {@code name} off from every other node, both ways, until healed. */
    public TestNetwork isolate(String name) {
        return cutIncoming(name).cutOutgoing(name);
    }

    /** Drops every datagram to node {@code name}, from any node, until healed: it hears nothing. */
    public TestNetwork cutIncoming(String name) {
        addressesOf(name).forEach(fabric.partitions::cutIncoming);
        return this;
    }

    /** Drops every datagram from node {@code name}, to any node, until healed: nothing it sends arrives. */
    public TestNetwork cutOutgoing(String name) {
        addressesOf(name).forEach(fabric.partitions::cutOutgoing);
        return this;
    }

    /** Ends the cuts between nodes {@code a} and {@code b}, in both directions. */
    public TestNetwork heal(String a, String b) {
        List<InetSocketAddress> others = addressesOf(b);
        for (InetSocketAddress x : addressesOf(a)) {
            for (InetSocketAddress y : others) {
                fabric.partitions.heal(x, y);
                fabric.partitions.heal(y, x);
            }
        }
        return this;
    }

    /** Ends every cut that involves node {@code name}: its isolation and the cuts of its links. */
    public TestNetwork heal(String name) {
        addressesOf(name).forEach(fabric.partitions::heal);
        return this;
    }

    /** Ends every partition. */
    public TestNetwork healAll() {
        fabric.partitions.healAll();
        return this;
    }

    /** Ends every partition and switches loss, duplication and delay off. */
    public TestNetwork reset() {
        healAll();
        fabric.lossRate(0);
        fabric.duplicationRate(0);
        fabric.delay(Fabric.Delay.NONE);
        return this;
    }

    // ---- counters

    /** Datagrams sent on this network so far (each counted once, before any fault). */
    public long sent() {
        return fabric.sent();
    }

    /** Datagram copies read by a receiver so far. */
    public long delivered() {
        return fabric.delivered();
    }

    /**
     * Datagram copies dropped so far: by loss, by a partition, for want of a node at the address, or
     * because the receiver's buffer was full.
     */
    public long dropped() {
        return fabric.dropped();
    }

    /** Datagrams that got a second copy so far. */
    public long duplicated() {
        return fabric.duplicated();
    }

    // ---- lifecycle

    /** Marks the start of a test: messengers this network starts from now on are closed by {@link #endTest()}. */
    public void beginTest() {
        synchronized (started) {
            testStart = started.size();
        }
    }

    /**
     * Ends a test: switches every fault and partition off ({@link #reset()}), then closes the messengers
     * started since {@link #beginTest()} (all of them when no test was begun), the latest first.
     */
    public void endTest() {
        List<ReliableMessenger> ending;
        synchronized (started) {
            List<ReliableMessenger> ofTheTest = started.subList(Math.max(testStart, 0), started.size());
            ending = new ArrayList<>(ofTheTest);
            ofTheTest.clear();
            testStart = -1;
        }
        reset();
        closeLatestFirst(ending);
    }

    /** Switches every fault and partition off and closes every messenger this network started, the latest first. */
    @Override
    public void close() {
        List<ReliableMessenger> all;
        synchronized (started) {
            all = new ArrayList<>(started);
            started.clear();
            testStart = -1;
        }
        reset();
        closeLatestFirst(all);
    }

    private static void closeLatestFirst(List<ReliableMessenger> messengers) {
        Collections.reverse(messengers);
        RuntimeException failure = null;
        for (ReliableMessenger messenger : messengers) {
            try {
                messenger.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** JUnit: {@link #beginTest()}. */
    @Override
    public void beforeEach(ExtensionContext context) {
        beginTest();
    }

    /** JUnit: {@link #endTest()}. */
    @Override
    public void afterEach(ExtensionContext context) {
        endTest();
    }

    /** JUnit (a static extension field): {@link #close()}. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public String toString() {
        return "TestNetwork(seed " + seed() + ", nodes " + directory.names() + ")";
    }
}
