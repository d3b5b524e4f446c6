package io.reliablemsg.sample.demo;

import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.FaultInjectingTransport;
import io.reliablemsg.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * DEMO FACILITY: makes this node's link flap on purpose, by wrapping its UDP transport in
 * {@link FaultInjectingTransport}s (they drop datagrams in both directions): one for the whole node,
 * and one per network, which drops only the datagrams exchanged with the peers' address on that
 * network. Network n is the n-th address of each peer ({@code reliable-msg.peers.b=<network 1>,<network 2>}):
 * in the demo, network 1 is the direct loopback and network 2 the {@link UdpRelay}. Exists only with
 * {@code sample.demo-controls.enabled=true}.
 */
public final class FaultSwitch {
    /** Networks whose faults can be set apart: the peers' first and second addresses. */
    public static final int NETWORKS = 2;

    private final Supplier<Map<String, List<String>>> peers;
    private final Fault node = new Fault(0);
    private final Fault[] networks = new Fault[NETWORKS];

    /** A switch for a node whose peers and their addresses, in preference order, {@code peers} reads now. */
    public FaultSwitch(Supplier<Map<String, List<String>>> peers) {
        this.peers = peers;
        for (int i = 0; i < NETWORKS; i++) {
            networks[i] = new Fault(i + 1);
        }
    }

    /** One fault injector: the whole node's (network 0) or one network's. */
    private static final class Fault {
        final int network;
        volatile FaultInjectingTransport transport;
        volatile long outageEndsNs;
        /** The remote addresses on this network (unused by the whole node's). */
        volatile Set<InetSocketAddress> addresses = Set.of();

        Fault(int network) {
            this.network = network;
        }
    }

    /** Wraps the messenger's UDP transport; called once, when the messenger starts. */
    Transport wrap(Transport udp) {
        Transport wrapped = udp;
        for (Fault network : networks) {
            FaultInjectingTransport created = new FaultInjectingTransport(wrapped, Clock.SYSTEM,
                    System.nanoTime() + network.network, remote -> network.addresses.contains(remote));
            network.transport = created;
            wrapped = created;
        }
        FaultInjectingTransport created = new FaultInjectingTransport(wrapped, Clock.SYSTEM, System.nanoTime());
        node.transport = created;
        return created;
    }

    /** Drops each datagram with probability {@code loss} in [0, 1]; 0 stops dropping. */
    public void setLoss(double loss) {
        setLoss(null, loss);
    }

    /**
     * Drops each datagram on {@code network} (1 or 2; null: the whole node) with probability {@code loss}
     * in [0, 1]; 0 stops dropping.
     *
     * @throws IllegalArgumentException when no peer has an address on {@code network}
     */
    public void setLoss(Integer network, double loss) {
        running(network).transport.setLossRate(loss);
    }

    /** Drops every datagram for {@code seconds} from now. */
    public void startOutage(double seconds) {
        startOutage(null, seconds);
    }

    /**
     * Drops every datagram on {@code network} (1 or 2; null: the whole node) for {@code seconds} from now.
     *
     * @throws IllegalArgumentException when no peer has an address on {@code network}
     */
    public void startOutage(Integer network, double seconds) {
        Fault fault = running(network);
        long durationNs = (long) (seconds * TimeUnit.SECONDS.toNanos(1));
        fault.transport.startOutage(durationNs);
        fault.outageEndsNs = System.nanoTime() + durationNs;
    }

    /** No loss, no outage, on the whole node and on every network. */
    public void clear() {
        running(null);
        for (Fault fault : all()) {
            fault.transport.setLossRate(0);
            fault.transport.endOutage();
            fault.outageEndsNs = 0;
        }
    }

    /**
     * The whole node's loss rate, milliseconds of outage left and datagrams dropped so far, and under
     * {@code networks} the same per network with the addresses it was last set for (none before its first fault).
     */
    public Map<String, Object> state() {
        Map<String, Object> state = describe(node);
        List<Map<String, Object>> perNetwork = new ArrayList<>();
        for (Fault network : networks) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("network", network.network);
            entry.putAll(describe(network));
            entry.put("addresses", network.addresses.stream().map(FaultSwitch::hostPort).toList());
            perNetwork.add(entry);
        }
        state.put("networks", perNetwork);
        return state;
    }

    private static Map<String, Object> describe(Fault fault) {
        FaultInjectingTransport current = fault.transport;
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("loss", current == null ? 0.0 : current.lossRate());
        boolean inOutage = current != null && current.inOutage();
        state.put("outageRemainingMillis",
                inOutage ? Math.max(0, (fault.outageEndsNs - System.nanoTime()) / 1_000_000) : 0);
        state.put("dropped", current == null ? 0 : current.dropped());
        return state;
    }

    private List<Fault> all() {
        List<Fault> all = new ArrayList<>(List.of(networks));
        all.add(0, node);
        return all;
    }

    /** The whole node's fault (null) or {@code network}'s, with that network's addresses read now. */
    private Fault running(Integer network) {
        if (node.transport == null) {
            throw new IllegalStateException("the messenger has not started yet");
        }
        if (network == null) {
            return node;
        }
        if (network < 1 || network > NETWORKS) {
            throw new IllegalArgumentException("network must be 1 or " + NETWORKS + " but was " + network);
        }
        Fault fault = networks[network - 1];
        Set<InetSocketAddress> addresses = addressesOn(network);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("network " + network + " is no peer's: no peer has an address number "
                    + network + " (reliable-msg.peers.<name>=<network 1 address>,<network 2 address>)");
        }
        fault.addresses = addresses;
        return fault;
    }

    /** The {@code network}-th address of every peer that has one, resolved now. */
    private Set<InetSocketAddress> addressesOn(int network) {
        Set<InetSocketAddress> addresses = new LinkedHashSet<>();
        for (List<String> peerAddresses : peers.get().values()) {
            if (peerAddresses.size() >= network) {
                InetSocketAddress address = parse(peerAddresses.get(network - 1));
                if (address != null && !address.isUnresolved()) {
                    addresses.add(address);
                }
            }
        }
        return Collections.unmodifiableSet(addresses);
    }

    /** {@code host:port} or {@code [v6]:port}, resolved; null when it is not of that form. */
    static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        String host = hostPort.substring(0, colon).trim();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1).trim()));
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
