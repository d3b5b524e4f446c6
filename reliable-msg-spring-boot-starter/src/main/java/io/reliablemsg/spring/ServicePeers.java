package io.reliablemsg.spring;

import io.reliablemsg.ReliableMessenger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The peers of a service, for business code that picks one: peers named {@code <service-id>/<instance-id>},
 * as {@code reliable-msg.discovery.service-ids} names the instances that {@code DiscoveryClient} returns
 * (or as the application names them itself). A snapshot each call, in the order the peers were added.
 *
 * <pre>{@code
 * List<String> billing = servicePeers.of("billing");
 * messenger.send(billing.get(Math.floorMod(key.hashCode(), billing.size())), payload, userBuffer);
 * }</pre>
 */
public final class ServicePeers {
    private final ReliableMessenger messenger;

    /** The service peers of {@code messenger}. */
    public ServicePeers(ReliableMessenger messenger) {
        this.messenger = Objects.requireNonNull(messenger, "messenger");
    }

    /** Names of the peers of service {@code serviceId} now (those named {@code serviceId/...}); may be empty. */
    public List<String> of(String serviceId) {
        String prefix = serviceId + "/";
        List<String> names = new ArrayList<>();
        for (String name : messenger.peers().keySet()) {
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        }
        return names;
    }
}
