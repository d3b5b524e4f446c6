package io.reliablemsg.spring.cloud;

import io.reliablemsg.ReliableMessenger;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The peers one source (the configuration, a discovery client) gives the messenger: each time the
 * source says which peers it wants, the difference from what it gave before is applied in place,
 * through {@code addPeer}, {@code updatePeer} and {@code removePeer}; the messenger and its pending
 * messages stay. A peer the source never gave is left alone. A peer the messenger refuses (a bad
 * address, one another peer has) is logged and left out, never the whole change. Thread-safe.
 */
final class PeerSet {
    private static final Logger LOG = System.getLogger(PeerSet.class.getName());

    /** A peer as the source wants it: addresses as {@code reliable-msg.peers.<name>} takes them, client id or null. */
    record Spec(String addresses, Integer clientId) {
    }

    private final ReliableMessenger messenger;
    private final String source;
    private final Map<String, Spec> given = new LinkedHashMap<>();

    /** Peers of {@code messenger} from {@code source} (named in logs); {@code initial} were given at start. */
    PeerSet(ReliableMessenger messenger, String source, Map<String, Spec> initial) {
        this.messenger = messenger;
        this.source = source;
        this.given.putAll(initial);
    }

    /** Makes the peers from this source {@code wanted}; returns how many changes were applied. */
    synchronized int apply(Map<String, Spec> wanted) {
        int changes = 0;
        Map<String, List<String>> now = messenger.peers();
        for (String name : new ArrayList<>(given.keySet())) {
            if (!wanted.containsKey(name)) {
                given.remove(name);
                if (now.containsKey(name)) {
                    changes += attempt(name, () -> messenger.removePeer(name));
                }
            }
        }
        for (Map.Entry<String, Spec> e : wanted.entrySet()) {
            String name = e.getKey();
            Spec spec = e.getValue();
            Spec before = given.get(name);
            List<String> addresses = now.get(name);
            if (addresses == null) {
                changes += attempt(name, () -> messenger.addPeer(name, spec.clientId(), spec.addresses()));
            } else if (before != null && !Objects.equals(before.clientId(), spec.clientId())) {
                changes += attempt(name, () -> {
                    messenger.removePeer(name); // a pinned client id is the peer's identity: a new peer
                    messenger.addPeer(name, spec.clientId(), spec.addresses());
                });
            } else if (!addresses.equals(split(spec.addresses()))) {
                changes += attempt(name, () -> messenger.updatePeer(name, spec.addresses()));
            }
            given.put(name, spec);
        }
        return changes;
    }

    /** The names this source gave. */
    synchronized List<String> names() {
        return new ArrayList<>(given.keySet());
    }

    /** The peers this source gave, as it gave them. */
    synchronized Map<String, Spec> current() {
        return new LinkedHashMap<>(given);
    }

    private int attempt(String name, Runnable change) {
        try {
            change.run();
            return 1;
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.log(Level.WARNING, "peer " + name + " from " + source + " not applied: " + e.getMessage());
            return 0;
        }
    }

    private static List<String> split(String addresses) {
        List<String> list = new ArrayList<>();
        for (String a : addresses.split(",")) {
            list.add(a.trim());
        }
        return list;
    }
}
