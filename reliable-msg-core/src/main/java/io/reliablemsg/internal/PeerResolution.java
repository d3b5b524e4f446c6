package io.reliablemsg.internal;

import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PeerResolver;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Resolves the peers' host names (docs/PROTOCOL.md, "Host names"): when a peer is added, on the
 * thread that adds it, and then every {@code peerResolutionInterval} in rounds that the I/O loop
 * starts but never runs: a round runs on the resolver's own executor (a daemon thread), so a slow DNS
 * server delays only the next round, never a datagram. Literal IP addresses are never looked up. Each
 * address a name resolves to is a path, at most {@link MessengerConfig#MAX_PATHS_PER_PEER} per peer;
 * a peer none of whose names resolves has no address (unresolved) until one does. A name that does
 * not resolve is logged as a warning, at most once a minute per peer. Thread-safe.
 */
final class PeerResolution {
    private static final Logger LOG = System.getLogger(PeerResolution.class.getName());
    private static final long WARNING_PERIOD_NS = 60_000_000_000L;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final PeerResolver resolver;
    private final long intervalNs;
    private final Map<String, RateLimitedLog> warnings = new HashMap<>();
    private final AtomicBoolean roundRunning = new AtomicBoolean();
    private PeerDirectory directory;
    private Executor executor;
    private ExecutorService thread;
    private volatile boolean closed;
    /** Whether a peer was ever given by host name: until then a round would look nothing up, and none starts. */
    private volatile boolean namesGiven;
    /** When the loop starts the next round (loop only; MIN_VALUE: one interval after the first pass). */
    private volatile long nextRoundNs = Long.MIN_VALUE;

    PeerResolution(PeerResolver resolver, MessengerConfig config) {
        this.resolver = resolver;
        this.intervalNs = config.peerResolutionInterval().toNanos();
    }

    /**
     * Rounds resolve the peers of {@code directory} from now on, on a daemon thread named {@code threadName}
     * (created at the first round), or on the loop itself when that is null (a simulation). Says how the JVM's
     * DNS cache bounds the delay.
     */
    void start(PeerDirectory directory, String threadName) {
        this.directory = directory;
        if (threadName == null) {
            executor = Runnable::run;
        } else {
            thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                return t;
            });
            executor = thread;
        }
        boolean named = !directory.withHostNames().isEmpty();
        if (named) {
            namesGiven = true;
        }
        describeJvmCache(named);
    }

    /** Stops the rounds; a lookup in progress finishes on its daemon thread and its answer is dropped. */
    void close() {
        closed = true;
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    /** Whether {@code given} holds a host name (not a literal IP address). */
    static boolean hasHostNames(List<InetSocketAddress> given) {
        for (InetSocketAddress a : given) {
            if (!isLiteral(a.getHostString())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /**
     * The addresses of peer {@code name} given as {@code given}: literals as they are, each host name as the
     * resolver answers now (every address it returns, with the port given). A name that resolves to
     * nothing, or whose lookup fails, adds nothing and is logged.
     */
    List<InetSocketAddress> resolve(String name, List<InetSocketAddress> given, long nowNs) {
        return resolve(name, given, nowNs, new ArrayList<>());
    }

    private List<InetSocketAddress> resolve(String name, List<InetSocketAddress> given, long nowNs,
                                            List<String> failed) {
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (InetSocketAddress spec : given) {
            String host = spec.getHostString();
            if (isLiteral(host)) {
                add(resolved, spec.isUnresolved() ? new InetSocketAddress(host, spec.getPort()) : spec);
                continue;
            }
            namesGiven = true; // from now on the rounds run
            try {
                List<InetAddress> found = resolver.resolve(host);
                if (found == null || found.isEmpty()) {
                    failed.add(host);
                } else {
                    for (InetAddress address : found) { // without the name, so that stats show the address
                        add(resolved, new InetSocketAddress(InetAddress.getByAddress(address.getAddress()),
                                spec.getPort()));
                    }
                }
            } catch (UnknownHostException | RuntimeException e) {
                failed.add(host + (e instanceof UnknownHostException ? "" : " (" + e + ")"));
            }
        }
        if (resolved.size() > MessengerConfig.MAX_PATHS_PER_PEER) {
            warn(name, nowNs, "peer " + name + ": its names resolve to " + resolved.size() + " addresses; the first "
                    + MessengerConfig.MAX_PATHS_PER_PEER + " are its paths");
            resolved = new ArrayList<>(resolved.subList(0, MessengerConfig.MAX_PATHS_PER_PEER));
        }
        if (!failed.isEmpty()) {
            warn(name, nowNs, "peer " + name + ": host " + String.join(", ", failed) + " does not resolve (tried again "
                    + "every " + intervalNs / 1_000_000 + " ms; until then the peer keeps the addresses it has, if any: "
                    + "with none, messages to it are kept and retried as usual, and none is sent)");
        }
        return resolved;
    }

    private static void add(List<InetSocketAddress> resolved, InetSocketAddress address) {
        if (!resolved.contains(address)) {
            resolved.add(address);
        }
    }

    /** When the loop next starts a round, or {@link Long#MAX_VALUE} when rounds are off (loop only). */
    long nextRoundNs() {
        return intervalNs == 0 ? Long.MAX_VALUE : nextRoundNs == Long.MIN_VALUE ? Long.MIN_VALUE : nextRoundNs;
    }

    /**
     * Called by the loop at every pass: starts a round on the executor when one is due and none is still
     * running (a round that takes longer than the interval delays the next, never piles up), once some peer was
     * given by host name: with literal addresses only no round starts, nor the resolver thread. Loop only.
     */
    void onPass(long nowNs) {
        if (intervalNs == 0 || nowNs < nextRoundNs) {
            return;
        }
        boolean first = nextRoundNs == Long.MIN_VALUE; // the names were resolved when the peers were added
        nextRoundNs = nowNs + intervalNs;
        if (first || directory == null || !namesGiven || !roundRunning.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            try {
                round(nowNs);
            } finally {
                roundRunning.set(false);
            }
        });
    }

    /**
     * Resolves every peer given by host name; a peer whose lookups did not all succeed keeps the addresses it
     * has (a DNS server that fails for a while cuts no peer off), unless it has none.
     */
    private void round(long nowNs) {
        for (PeerDirectory.Entry entry : directory.withHostNames()) {
            if (closed) {
                return;
            }
            String name = entry.peer().name;
            List<String> failed = new ArrayList<>();
            List<InetSocketAddress> fresh = resolve(name, entry.given(), nowNs, failed);
            if (!failed.isEmpty() && !entry.addresses().isEmpty()) {
                continue;
            }
            List<InetSocketAddress> refused = directory.resolved(name, entry.version(), fresh);
            if (!refused.isEmpty()) {
                warn(name, nowNs, "peer " + name + ": its names resolve to " + refused + ", which another peer or "
                        + "this node's own socket has: left out");
            }
        }
    }

    private void warn(String name, long nowNs, String message) {
        RateLimitedLog log;
        synchronized (warnings) {
            log = warnings.computeIfAbsent(name, n -> new RateLimitedLog(LOG, Level.WARNING, WARNING_PERIOD_NS));
        }
        synchronized (log) {
            log.log(nowNs, message);
        }
    }

    /**
     * Says at start how the JVM's own DNS cache bounds re-resolution when the system resolver is used for
     * host names: a warning if it caches forever ({@code networkaddress.cache.ttl=-1}, then a changed record
     * is never seen), else the delay it adds, at INFO.
     */
    private void describeJvmCache(boolean hostNames) {
        if (!hostNames || resolver != PeerResolver.SYSTEM || intervalNs == 0) {
            return;
        }
        String ttl = Security.getProperty("networkaddress.cache.ttl");
        if (ttl == null) {
            ttl = System.getProperty("sun.net.inetaddr.ttl");
        }
        int seconds;
        try {
            seconds = ttl == null ? 30 : Integer.parseInt(ttl.trim());
        } catch (NumberFormatException e) {
            seconds = 30;
        }
        if (seconds < 0) {
            LOG.log(Level.WARNING, "networkaddress.cache.ttl is " + ttl + ": the JVM caches host names forever, so a "
                    + "peer whose DNS record changes is never found at its new address; set it to a few seconds "
                    + "(java.security, or -Dsun.net.inetaddr.ttl=5)");
        } else {
            LOG.log(Level.INFO, "peer host names are resolved again every " + intervalNs / 1_000_000 + " ms; the JVM "
                    + "caches answers for " + seconds + " s (networkaddress.cache.ttl), so a changed record is seen "
                    + "within " + (seconds + intervalNs / 1_000_000_000) + " s plus the DNS server's own TTL");
        }
    }
}
