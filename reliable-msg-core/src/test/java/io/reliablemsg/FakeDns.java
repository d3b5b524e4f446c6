package io.reliablemsg;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A resolver for tests: records set by the test, every lookup counted with the thread that asked. */
final class FakeDns implements PeerResolver {
    private final Map<String, List<InetAddress>> records = new ConcurrentHashMap<>();
    private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
    /** Names looked up, in order, with the asking thread's name: "name@thread". */
    final List<String> lookups = new CopyOnWriteArrayList<>();

    /** {@code name} resolves to {@code addresses} (IP literals) from now on; none: it does not resolve. */
    FakeDns set(String name, String... addresses) {
        List<InetAddress> list = new ArrayList<>();
        for (String a : addresses) {
            try {
                list.add(InetAddress.getByName(a)); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(a, e);
            }
        }
        records.put(name, List.copyOf(list));
        failures.remove(name);
        return this;
    }

    /** Looking {@code name} up throws {@code failure} from now on (a broken resolver). */
    FakeDns fail(String name, RuntimeException failure) {
        failures.put(name, failure);
        return this;
    }

    /** Lookups of {@code name} so far. */
    long lookupsOf(String name) {
        return lookups.stream().filter(l -> l.startsWith(name + "@")).count();
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        lookups.add(host + "@" + Thread.currentThread().getName());
        RuntimeException failure = failures.get(host);
        if (failure != null) {
            throw failure;
        }
        List<InetAddress> found = records.get(host);
        if (found == null || found.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return found;
    }
}
