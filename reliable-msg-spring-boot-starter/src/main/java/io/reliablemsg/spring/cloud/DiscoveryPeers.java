package io.reliablemsg.spring.cloud;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMessengerLifecycle;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Every instance that Spring Cloud's {@link DiscoveryClient} returns for the services named in
 * {@code reliable-msg.discovery.service-ids} is a peer of the messenger, named
 * {@code <service-id>/<instance-id>}, at the instance's host and the UDP port in its metadata
 * {@value #PORT_KEY} (an instance without a valid one is left out, with a warning), its datagrams pinned
 * to the client id in {@value #CLIENT_ID_KEY} when present. Asked when the application starts (after the
 * messenger), on every {@link HeartbeatEvent} and every refresh interval, on a daemon thread of its own
 * ({@code reliable-msg-discovery}), never on the caller of the event; the difference is applied in
 * place (a new instance added, a moved one given its new address, a gone one removed: its pending
 * messages fail with {@code PEER_REMOVED}). A service whose lookup fails keeps its peers.
 */
public final class DiscoveryPeers implements SmartLifecycle, ApplicationListener<HeartbeatEvent> {
    /** Instance metadata with the messenger's UDP port. */
    public static final String PORT_KEY = "reliable-msg-port";
    /** Instance metadata with the messenger's client id (optional). */
    public static final String CLIENT_ID_KEY = "reliable-msg-client-id";
    private static final Logger LOG = System.getLogger(DiscoveryPeers.class.getName());

    private final DiscoveryClient discovery;
    private final List<String> serviceIds;
    private final Duration interval;
    private final PeerSet peers;
    private final Set<String> warned = new HashSet<>();
    private volatile ScheduledExecutorService thread;

    /** Peers of {@code messenger}: the instances of {@code serviceIds}, asked every {@code interval}. */
    public DiscoveryPeers(ReliableMessenger messenger, DiscoveryClient discovery, List<String> serviceIds,
                          Duration interval) {
        this.discovery = Objects.requireNonNull(discovery, "discovery");
        this.serviceIds = List.copyOf(serviceIds);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.peers = new PeerSet(messenger, "DiscoveryClient", Map.of());
    }

    /**
     * Asks the discovery client now and applies the difference; returns the changes applied. Thread-safe;
     * one refresh at a time.
     */
    public synchronized int refresh() {
        Map<String, PeerSet.Spec> wanted = new LinkedHashMap<>();
        for (String serviceId : serviceIds) {
            List<ServiceInstance> instances;
            try {
                instances = discovery.getInstances(serviceId);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "DiscoveryClient failed for service " + serviceId + ": its peers stay as they "
                        + "are", e);
                keep(serviceId, wanted);
                continue;
            }
            for (ServiceInstance instance : instances) {
                String name = serviceId + "/" + (instance.getInstanceId() != null ? instance.getInstanceId()
                        : instance.getHost() + ":" + instance.getPort());
                PeerSet.Spec spec = spec(name, instance);
                if (spec != null) {
                    wanted.put(name, spec);
                }
            }
        }
        return peers.apply(wanted);
    }

    /** Names of the peers of {@code serviceId} that discovery gave, in the order found. */
    public List<String> peersOf(String serviceId) {
        return peers.names().stream().filter(n -> n.startsWith(serviceId + "/")).toList();
    }

    private void keep(String serviceId, Map<String, PeerSet.Spec> wanted) {
        peers.current().forEach((name, spec) -> {
            if (name.startsWith(serviceId + "/")) {
                wanted.put(name, spec);
            }
        });
    }

    private PeerSet.Spec spec(String name, ServiceInstance instance) {
        Map<String, String> metadata = instance.getMetadata() == null ? Map.of() : instance.getMetadata();
        Integer port = integer(metadata.get(PORT_KEY));
        if (port == null || port < 1 || port > 65535 || instance.getHost() == null) {
            warnOnce(name, "instance " + name + " has no valid metadata " + PORT_KEY + " (was "
                    + metadata.get(PORT_KEY) + ") or no host: not a peer");
            return null;
        }
        String clientId = metadata.get(CLIENT_ID_KEY);
        Integer pinned = clientId == null ? null : integer(clientId);
        if (clientId != null && pinned == null) {
            warnOnce(name, "instance " + name + " has metadata " + CLIENT_ID_KEY + "=" + clientId
                    + ", not a 32-bit number: its client id is not pinned");
        }
        String host = instance.getHost();
        return new PeerSet.Spec((host.contains(":") ? "[" + host + "]" : host) + ":" + port, pinned);
    }

    private static Integer integer(String value) {
        if (value == null) {
            return null;
        }
        try {
            return (int) Long.parseLong(value.trim()); // client ids are 32 bits, written signed or unsigned
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private synchronized void warnOnce(String name, String message) {
        if (warned.add(name)) {
            LOG.log(Level.WARNING, message);
        }
    }

    @Override
    public void onApplicationEvent(HeartbeatEvent event) {
        ScheduledExecutorService t = thread;
        if (t != null) {
            t.execute(this::refreshLogged); // the registry's thread publishes: never block it
        }
    }

    private void refreshLogged() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "refresh of the peers from DiscoveryClient failed", e);
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread daemon = new Thread(r, "reliable-msg-discovery");
            daemon.setDaemon(true);
            return daemon;
        });
        refreshLogged(); // the peers are there when the application is ready
        t.scheduleWithFixedDelay(this::refreshLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        thread = t;
    }

    @Override
    public void stop() {
        ScheduledExecutorService t = thread;
        thread = null;
        if (t != null) {
            t.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** After the messenger starts, before it closes. */
    @Override
    public int getPhase() {
        return ReliableMessengerLifecycle.PHASE + 1;
    }
}
