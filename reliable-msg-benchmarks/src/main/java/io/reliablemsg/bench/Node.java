package io.reliablemsg.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One benchmark process, started by {@link Compare}: a sender or a receiver of one implementation.
 *
 * <p>Protocol with the driver, on standard streams: the node prints {@code READY k=v...} once it
 * can take traffic (a receiver gives its port), then reads {@code GO t0 t1} (absolute
 * {@link System#nanoTime()} values: on Linux every JVM reads the same CLOCK_MONOTONIC), measures
 * what happens in [t0, t1), prints {@code RESULT k=v...} and exits. Every node halts by itself at
 * the latest 20 s after t1 (or 90 s after start without GO), whatever the peer does.
 */
public final class Node {
    private Node() {
    }

    /** Options as {@code key=value} arguments. */
    static final class Opts {
        final Map<String, String> values = new LinkedHashMap<>();

        static Opts parse(String[] args) {
            Opts o = new Opts();
            for (String a : args) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected key=value but got '" + a + "'");
                }
                o.values.put(a.substring(0, eq), a.substring(eq + 1));
            }
            return o;
        }

        String str(String key, String dflt) {
            return values.getOrDefault(key, dflt);
        }

        int integer(String key, int dflt) {
            String v = values.get(key);
            return v == null ? dflt : Integer.parseInt(v);
        }

        double dbl(String key, double dflt) {
            String v = values.get(key);
            return v == null ? dflt : Double.parseDouble(v);
        }
    }

    /** The measurement window, handed over by the driver. */
    record Window(long t0, long t1) {
        boolean contains(long now) {
            return now >= t0 && now < t1;
        }

        /** 1 when {@code now} is in the window, else 0, computed without a branch. */
        int index(long now) {
            return (int) (((now - t0) | (t1 - 1 - now)) >>> 63) ^ 1;
        }
    }

    public static void main(String[] args) throws Exception {
        Opts o = Opts.parse(args);
        Watchdog.arm(System.nanoTime() + TimeUnit.SECONDS.toNanos(90));
        String impl = o.str("impl", "lib");
        String role = o.str("role", "sender");
        switch (impl) {
            case "lib" -> LibNode.run(role, o);
            case "raw" -> RawNode.run(role, o);
            case "jgroups" -> JGroupsNode.run(role, o);
            case "aeron" -> AeronNode.run(role, o);
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        }
        System.out.flush();
        System.exit(0);
    }

    static void ready(String text) {
        System.out.println("READY " + text);
        System.out.flush();
    }

    /** Blocks until the driver says GO; arms the watchdog for the end of the window. */
    static Window awaitGo() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("GO ")) {
                String[] p = line.split(" ");
                Window w = new Window(Long.parseLong(p[1]), Long.parseLong(p[2]));
                Watchdog.arm(w.t1 + TimeUnit.SECONDS.toNanos(20));
                return w;
            }
        }
        throw new IllegalStateException("driver closed stdin before GO");
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 50_000_000L));
        }
    }

    static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    /** Prints a result line: counts and a latency histogram in microseconds. */
    static void result(String prefix, long count, Window w, Histogram h, String extra) {
        double seconds = (w.t1 - w.t0) / 1e9;
        StringBuilder b = new StringBuilder("RESULT ").append(prefix)
                .append(" count=").append(count)
                .append(" rate=").append(String.format("%.0f", count / seconds))
                .append(" samples=").append(h.getTotalCount());
        if (h.getTotalCount() > 0) {
            b.append(" p50=").append(String.format("%.1f", h.getValueAtPercentile(50) / 1e3))
                    .append(" p99=").append(String.format("%.1f", h.getValueAtPercentile(99) / 1e3))
                    .append(" p999=").append(String.format("%.1f", h.getValueAtPercentile(99.9) / 1e3))
                    .append(" max=").append(String.format("%.1f", h.getMaxValue() / 1e3));
        }
        if (extra != null && !extra.isEmpty()) {
            b.append(' ').append(extra);
        }
        System.out.println(b);
        System.out.flush();
    }

    /** Halts the JVM at a deadline, so that no benchmark process outlives its run. */
    static final class Watchdog {
        private static volatile long deadline;
        private static Thread thread;

        static synchronized void arm(long deadlineNanoTime) {
            deadline = deadlineNanoTime;
            if (thread == null) {
                thread = new Thread(() -> {
                    while (true) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            System.err.println("watchdog: deadline passed, halting");
                            Runtime.getRuntime().halt(3);
                        }
                        try {
                            TimeUnit.NANOSECONDS.sleep(Math.min(left, 200_000_000L));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "bench-watchdog");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }
}
