package io.reliablemsg.spring.cloud;

import io.reliablemsg.ReliableMessenger;
import io.reliablemsg.spring.ReliableMsgProperties;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Applies {@code reliable-msg.peers.*} and {@code reliable-msg.peer-client-ids.*} changed at runtime (an
 * {@link EnvironmentChangeEvent} of spring-cloud-context: a Kubernetes ConfigMap reload,
 * {@code /actuator/refresh}) to the running messenger in place: peers added, given new addresses,
 * removed; the messenger bean, its chain and its pending messages survive (no {@code @RefreshScope}
 * rebuild). Peers added otherwise (by code, by discovery) are left alone. Other {@code reliable-msg.*}
 * settings need a restart; a change of one is logged.
 */
public final class ConfigurationPeers implements ApplicationListener<EnvironmentChangeEvent> {
    private static final Logger LOG = System.getLogger(ConfigurationPeers.class.getName());

    private final Environment environment;
    private final PeerSet peers;

    /** Peers of {@code messenger} from {@code environment}; {@code properties} are those it started with. */
    public ConfigurationPeers(ReliableMessenger messenger, Environment environment, ReliableMsgProperties properties) {
        this.environment = Objects.requireNonNull(environment, "environment");
        Map<String, PeerSet.Spec> initial = new LinkedHashMap<>();
        properties.getPeers().forEach((name, addresses) -> initial.put(name,
                new PeerSet.Spec(addresses, properties.getPeerClientIds().get(name))));
        this.peers = new PeerSet(messenger, "reliable-msg.peers", initial);
    }

    @Override
    public void onApplicationEvent(EnvironmentChangeEvent event) {
        boolean peersChanged = false;
        for (String key : event.getKeys()) {
            String k = key.toLowerCase(Locale.ROOT).replace('_', '-');
            if (k.startsWith("reliable-msg.peers") || k.startsWith("reliable-msg.peer-client-ids")
                    || k.startsWith("reliable-msg.peerclientids")) {
                peersChanged = true;
            } else if (k.startsWith("reliable-msg.") && !k.startsWith("reliable-msg.discovery.")) {
                LOG.log(Level.INFO, key + " changed: only reliable-msg.peers.* and reliable-msg.peer-client-ids.* "
                        + "apply at runtime; the rest when the application restarts");
            }
        }
        if (peersChanged) {
            refresh();
        }
    }

    /** Reads the peers from the environment now and applies the difference; returns the changes applied. */
    public int refresh() {
        Binder binder = Binder.get(environment);
        Map<String, String> addresses = binder.bind(ReliableMsgProperties.PREFIX + ".peers",
                Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        Map<String, Integer> clientIds = binder.bind(ReliableMsgProperties.PREFIX + ".peer-client-ids",
                Bindable.mapOf(String.class, Integer.class)).orElse(Map.of());
        Map<String, PeerSet.Spec> wanted = new LinkedHashMap<>();
        addresses.forEach((name, a) -> wanted.put(name, new PeerSet.Spec(a, clientIds.get(name))));
        return peers.apply(wanted);
    }
}
