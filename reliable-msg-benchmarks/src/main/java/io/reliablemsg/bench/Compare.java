package io.reliablemsg.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the library, raw UDP, JGroups and Aeron side by side, each as a sender JVM and a receiver JVM
 * on 127.0.0.1, and prints one table with the ratios library/raw-UDP, library/JGroups and
 * library/Aeron.
 *
 * <pre>
 * java -cp reliable-msg-benchmarks/target/benchmarks.jar io.reliablemsg.bench.Compare            # ~3 min
 * java -cp reliable-msg-benchmarks/target/benchmarks.jar io.reliablemsg.bench.Compare --smoke    # a few s
 * options: --measure=SECONDS --warmup=SECONDS --runs=N (medians over N rounds)
 *          --only=GROUP[,GROUP] (throughput64, throughput1k, latency, request, loss, large, scale)
 *          --cases=REGEX (only the cases whose label matches, e.g. "library defaults|JGroups tuned.*")
 *          --jvm-args="-XX:..." (added to every child JVM, e.g. JFR; {name} becomes the child's case and role)
 * </pre>
 *
 * Every run is bounded: a child halts itself at the latest 20 s after its window, and the driver
 * kills what is still alive 15 s after the window.
 */
public final class Compare {
    /** One measured configuration. {@code side} says whose RESULT line gives the figures. */
    record Case(String group, String label, String impl, String side, Map<String, String> opts) {
        boolean isLibrary() {
            return impl.equals("lib");
        }

        /** Whether the sender's count is of acked messages (JGroups and Aeron tell of no per-message ack). */
        boolean isAcked() {
            return impl.equals("lib") || impl.equals("raw");
        }
    }

    /** Figures of one run of one case. */
    record Row(Case c, double rate, double p50, double p99, double p999, double cpuUsPerMsg, String retrans,
               String note) {
    }

    private final double measureS;
    private final double warmupS;
    private final List<String> jvmArgs;
    private final Path logDir;
    private int childCount;

    Compare(double measureS, double warmupS, List<String> jvmArgs) throws IOException {
        this.measureS = measureS;
        this.warmupS = warmupS;
        this.jvmArgs = jvmArgs;
        this.logDir = Files.createTempDirectory("reliable-msg-bench");
    }

    public static void main(String[] args) throws Exception {
        List<Row> table = runAll(args, System.out);
        for (Row row : table) {
            if (!(row.rate > 0)) {
                System.out.println("FAILED: " + row.c.group + " / " + row.c.label + " measured nothing");
                System.exit(1);
            }
        }
    }

    /** Runs the cases {@code args} select, prints the table on {@code out} and returns its rows. */
    public static List<Row> runAll(String[] args, java.io.PrintStream out) throws Exception {
        boolean smoke = Boolean.getBoolean("smoke") || Arrays.asList(args).contains("--smoke");
        double measure = smoke ? 0.4 : 2.5;
        double warmup = smoke ? 0.3 : 1.5;
        int runs = 1;
        String only = null;
        String labels = null;
        List<String> jvmArgs = new ArrayList<>(List.of("-Xms256m", "-Xmx256m", "-Djava.net.preferIPv4Stack=true"));
        for (String a : args) {
            if (a.startsWith("--measure=")) {
                measure = Double.parseDouble(a.substring(10));
            } else if (a.startsWith("--warmup=")) {
                warmup = Double.parseDouble(a.substring(9));
            } else if (a.startsWith("--runs=")) {
                runs = Integer.parseInt(a.substring(7));
            } else if (a.startsWith("--only=")) {
                only = a.substring(7);
            } else if (a.startsWith("--cases=")) {
                labels = a.substring(8);
            } else if (a.startsWith("--jvm-args=")) {
                jvmArgs.addAll(Arrays.asList(a.substring(11).trim().split("\\s+")));
            } else if (!a.equals("--smoke")) {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        Compare compare = new Compare(measure, warmup, jvmArgs);
        List<Case> cases = labels == null ? cases(smoke, only) : matching(cases(smoke, only), labels);
        long start = System.nanoTime();
        List<List<Row>> rounds = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            List<Row> rows = new ArrayList<>();
            for (Case c : cases) {
                Row row = compare.run(c);
                System.err.printf("[round %d/%d] %-13s %-26s %12.0f msgs/s p99 %10.1f us%n", r + 1, runs, c.group,
                        c.label, row.rate, row.p99);
                rows.add(row);
            }
            rounds.add(rows);
        }
        List<Row> table = runs == 1 ? rounds.get(0) : medians(rounds);
        out.println(render(table, runs, measure, smoke));
        out.printf("total %.0f s; child logs in %s%n", (System.nanoTime() - start) / 1e9, compare.logDir);
        return table;
    }

    /** The cases whose whole label matches {@code regex} ({@code --cases=}); none is an error, not an empty run. */
    static List<Case> matching(List<Case> cases, String regex) {
        java.util.regex.Pattern wanted = java.util.regex.Pattern.compile(regex);
        List<Case> chosen = new ArrayList<>(cases);
        chosen.removeIf(c -> !wanted.matcher(c.label).matches());
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no case's label matches --cases=" + regex);
        }
        return chosen;
    }

    static List<Case> cases(boolean smoke, String only) {
        List<Case> all = new ArrayList<>();
        for (int payload : new int[] {64, 1024}) {
            String group = payload == 64 ? "throughput64" : "throughput1k";
            String p = Integer.toString(payload);
            all.add(new Case(group, "library bundle 1472", "lib", "sender",
                    Map.of("payload", p, "window", "1000", "bundle", "1472")));
            all.add(new Case(group, "library defaults", "lib", "sender",
                    Map.of("payload", p, "window", "1000", "bundle", "default")));
            // tuned like "JGroups tuned": as many in flight as the 4 MiB socket buffers hold comfortably
            // (8,000 frames of 88 bytes, about 700 KB in some 35 datagrams), where the default chain of 1,000 keeps
            // about four datagrams in flight and the rate is W / round trip
            all.add(new Case(group, "library tuned W=8000", "lib", "sender",
                    Map.of("payload", p, "window", "8000", "bundle", "default")));
            if (payload == 1024) {
                all.add(new Case(group, "library bundle 8192", "lib", "sender",
                        Map.of("payload", p, "window", "1000", "bundle", "8192")));
            }
            all.add(new Case(group, "library bundleSize 0", "lib", "sender",
                    Map.of("payload", p, "window", "1000", "bundle", "0")));
            if (payload == 64) { // the sender waits for room in the library's blocking trySend, not parked by its listener
                all.add(new Case(group, "library bundleSize 0 room-wait", "lib", "sender",
                        Map.of("payload", p, "window", "1000", "bundle", "0", "sendwait", "room")));
                all.add(new Case(group, "library defaults room-wait", "lib", "sender",
                        Map.of("payload", p, "window", "1000", "bundle", "default", "sendwait", "room")));
                all.add(new Case(group, "library tuned W=8000 room-wait", "lib", "sender",
                        Map.of("payload", p, "window", "8000", "bundle", "default", "sendwait", "room")));
            }
            all.add(new Case(group, "raw UDP W=1000", "raw", "sender", Map.of("payload", p, "window", "1000")));
            all.add(new Case(group, "JGroups default*", "jgroups", "receiver",
                    Map.of("payload", p, "jgconfig", "default")));
            all.add(new Case(group, "JGroups tuned*", "jgroups", "receiver",
                    Map.of("payload", p, "jgconfig", "tuned")));
            all.add(new Case(group, "Aeron offer*", "aeron", "receiver", Map.of("payload", p, "idle", "backoff")));
        }
        all.add(new Case("latency", "library W=1", "lib", "sender", Map.of("payload", "64", "window", "1")));
        all.add(new Case("latency", "library W=1 yield", "lib", "sender",
                Map.of("payload", "64", "window", "1", "libidle", "yield")));
        all.add(new Case("latency", "raw UDP ping-pong", "raw", "sender", Map.of("payload", "64", "mode", "pingpong")));
        all.add(new Case("latency", "JGroups request/reply", "jgroups", "sender",
                Map.of("payload", "64", "mode", "pingpong", "jgconfig", "default")));
        for (String idle : new String[] {"backoff", "yielding"}) {
            all.add(new Case("latency", "Aeron ping-pong " + idle, "aeron", "sender",
                    Map.of("payload", "64", "mode", "pingpong", "idle", idle)));
        }
        // request/reply (issue 15): the library's request future against JGroups unicast request + reply
        // messages with the same number in flight, beside one message at a time and raw UDP ping-pong
        all.add(new Case("request", "library message W=1", "lib", "sender", Map.of("payload", "64", "window", "1")));
        all.add(new Case("request", "raw UDP ping-pong", "raw", "sender", Map.of("payload", "64", "mode", "pingpong")));
        for (String w : new String[] {"1", "1000"}) {
            all.add(new Case("request", "library request W=" + w, "lib", "sender",
                    Map.of("payload", "64", "window", w, "mode", "request")));
            all.add(new Case("request", "JGroups request W=" + w, "jgroups", "sender",
                    Map.of("payload", "64", "mode", "pingpong", "window", w, "jgconfig", "default")));
        }
        // 30 % loss on the sender's datagrams, both directions; retransmit timer 100 ms for the first
        // three, Aeron with its own NAK-driven defaults.
        all.add(new Case("loss", "library bundle 1472", "lib", "receiver", Map.of("payload", "64", "window", "1000",
                "loss", "0.3", "interval", "100", "retries", "60")));
        all.add(new Case("loss", "raw UDP W=1000 (+rto)", "raw", "receiver", Map.of("payload", "64", "window", "1000",
                "loss", "0.3", "interval", "100")));
        all.add(new Case("loss", "JGroups default", "jgroups", "receiver", Map.of("payload", "64", "loss", "0.3",
                "xmit", "100", "jgconfig", "default")));
        all.add(new Case("loss", "Aeron defaults", "aeron", "receiver", Map.of("payload", "64", "loss", "0.3")));
        // messages larger than a datagram (issue 20): the library fragments them to its datagram size (65,507 on
        // loopback), JGroups' FRAG4 and Aeron's MTU frames cut them; the window keeps the library's chain
        // within maxPendingBytes (64 MiB). "JGroups acked" is the like-for-like peer: the receiver answers each
        // message and the sender keeps as many unanswered as the library's window (JGroups' request/reply mode),
        // so every message is acked end to end and memory is bounded on both sides
        for (int payload : new int[] {65_536, 1 << 20}) {
            String p = Integer.toString(payload);
            String label = payload == 65_536 ? "64 KiB" : "1 MiB";
            String window = payload == 65_536 ? "500" : "32";
            all.add(new Case("large", "library " + label, "lib", "sender", Map.of("payload", p, "window", window)));
            // at 1 MiB JGroups' sender runs out of 256 MiB of heap even with 32 messages in flight (FRAG2 copies
            // each fragment, UNICAST3 keeps them until acked): it gets 1 GiB, noted in its row
            all.add(new Case("large", "JGroups acked W=" + window + " " + label, "jgroups", "sender",
                    payload == 65_536 ? Map.of("payload", p, "jgconfig", "default", "mode", "pingpong", "window", window)
                            : Map.of("payload", p, "jgconfig", "default", "mode", "pingpong", "window", window,
                                    "xmx", "1g")));
            if (payload == 65_536) { // at 1 MiB the JGroups sender, which buffers without bound, runs out of heap
                all.add(new Case("large", "JGroups default* " + label, "jgroups", "receiver",
                        Map.of("payload", p, "jgconfig", "default")));
            }
            all.add(new Case("large", "Aeron offer* " + label, "aeron", "receiver",
                    Map.of("payload", p, "idle", "backoff")));
        }
        for (int peers : new int[] {1, 10, 100}) {
            all.add(new Case("scale", "library " + peers + " peer" + (peers == 1 ? "" : "s"), "lib", "sender",
                    Map.of("payload", "64", "window", "1000", "peers", Integer.toString(peers), "heap", "true")));
        }
        // 1,000 receivers on one sender socket (issue 13): 250 messengers in each of four receiver JVMs. The
        // smoke run gives it a 5 s interval: on a host loaded by other builds the round trip of its first
        // messages exceeded 1 s, so every ack was stale (gap 3) and nothing was acked in the short window
        all.add(new Case("scale", "library 1000 peers", "lib", "sender", Map.of("payload", "64", "window", "1000",
                "peers", "1000", "jvms", "4", "heap", "true", "interval", smoke ? "5000" : "1000")));
        List<Case> chosen = new ArrayList<>();
        for (Case c : all) {
            if (only != null && !Arrays.asList(only.split(",")).contains(c.group)) {
                continue;
            }
            if (smoke && !(c.group.equals("throughput64") && !c.label.startsWith("JGroups tuned")
                    || c.group.equals("latency") && !c.impl.equals("jgroups") && !c.label.endsWith("yielding")
                    || c.group.equals("loss") && c.isLibrary()
                    || c.group.equals("scale") && (c.label.contains(" 10 peers") || c.label.contains("1000 peers"))
                    || c.group.equals("request") && c.label.startsWith("library request"))) {
                continue;
            }
            chosen.add(c);
        }
        return chosen;
    }

    /** A child JVM and the lines it printed on stdout. */
    private final class Child implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final OutputStream stdin;
        /** The embedded media driver's directory of an Aeron child, removed when the child is gone. */
        final Path aeronDir;

        Child(String role, Case c, Map<String, String> extra) throws IOException {
            List<String> cmd = new ArrayList<>();
            String name = (c.group + "-" + c.label + "-" + role + extra.getOrDefault("part", ""))
                    .replaceAll("[^A-Za-z0-9.-]+", "_");
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            jvmArgs.forEach(a -> cmd.add(a.replace("{name}", name))); // e.g. one JFR file per child
            if (c.opts.containsKey("xmx")) { // a case that needs more heap than the others (the last -Xmx wins)
                cmd.add("-Xmx" + c.opts.get("xmx"));
            }
            boolean aeron = c.impl.equals("aeron");
            if (aeron) {
                // Aeron's documented setting for JDK 16+: older Agronas read the selector's key set by
                // reflection and fail without it. 1.46.7 also starts without it (checked); kept so that
                // another Aeron version runs too.
                cmd.add("--add-opens");
                cmd.add("java.base/sun.nio.ch=ALL-UNNAMED");
            }
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Node.class.getName());
            cmd.add("role=" + role);
            cmd.add("impl=" + c.impl);
            c.opts.forEach((k, v) -> cmd.add(k + "=" + v));
            extra.forEach((k, v) -> cmd.add(k + "=" + v));
            aeronDir = aeron ? aeronRoot().resolve(aeronDirPrefix() + ++childCount + "-" + role) : null;
            if (aeronDir != null) {
                cmd.add("aerondir=" + aeronDir);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
            process = pb.start();
            stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            }, "bench-reader-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        Map<String, String> await(String prefix, long timeoutNs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutNs;
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("no " + prefix + " line from child (alive=" + process.isAlive()
                            + "); see logs in " + logDir);
                }
                if (line.startsWith(prefix + " ")) {
                    Map<String, String> kv = new LinkedHashMap<>();
                    for (String part : line.substring(prefix.length() + 1).split(" ")) {
                        int eq = part.indexOf('=');
                        if (eq > 0) {
                            kv.put(part.substring(0, eq), part.substring(eq + 1));
                        }
                    }
                    return kv;
                }
            }
        }

        void go(long t0, long t1) throws IOException {
            stdin.write(("GO " + t0 + " " + t1 + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        Duration cpu() {
            return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
        }

        @Override
        public void close() throws InterruptedException, IOException {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            if (aeronDir != null) {
                deleteTree(aeronDir); // the driver deletes it on close, but not if the child was halted
            }
        }
    }

    /** Where Aeron children keep their driver directories: memory-backed if the host has it. */
    static Path aeronRoot() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** How the names of this driver's Aeron directories begin (under {@link #aeronRoot()}). */
    static String aeronDirPrefix() {
        return "reliable-msg-bench-aeron-" + ProcessHandle.current().pid() + "-";
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    Row run(Case c) throws Exception {
        Map<String, String> recvExtra = new LinkedHashMap<>();
        if (c.impl.equals("jgroups")) {
            recvExtra.put("jgports", freePort() + "," + freePort());
        } else if (c.impl.equals("aeron")) {
            recvExtra.put("aeronports", freePort() + "," + freePort());
        }
        long setupTimeout = TimeUnit.SECONDS.toNanos(40);
        // the receivers: one JVM, or the case's peers spread over "jvms" of them (started together)
        int jvms = Integer.parseInt(c.opts.getOrDefault("jvms", "1"));
        int peers = Integer.parseInt(c.opts.getOrDefault("peers", "1"));
        List<Child> receivers = new ArrayList<>();
        try {
            for (int j = 0; j < jvms; j++) {
                Map<String, String> extra = new LinkedHashMap<>(recvExtra);
                if (jvms > 1) {
                    int first = j * peers / jvms;
                    extra.put("peers", Integer.toString((j + 1) * peers / jvms - first));
                    extra.put("clientbase", Integer.toString(100 + first));
                    extra.put("part", Integer.toString(j + 1));
                }
                receivers.add(new Child("receiver", c, extra));
            }
            StringBuilder ports = new StringBuilder();
            for (Child receiver : receivers) {
                ports.append(ports.length() == 0 ? "" : ",").append(receiver.await("READY", setupTimeout).get("ports"));
            }
            Map<String, String> sendExtra = new LinkedHashMap<>(recvExtra);
            sendExtra.put("ports", ports.toString());
            try (Child sender = new Child("sender", c, sendExtra)) {
                return measure(c, receivers, sender);
            }
        } finally {
            for (Child receiver : receivers) {
                receiver.close();
            }
        }
    }

    private Row measure(Case c, List<Child> receivers, Child sender) throws Exception {
        long setupTimeout = TimeUnit.SECONDS.toNanos(40);
        sender.await("READY", setupTimeout);
        // JGroups needs a second to settle after the join (first credits, RED, first xmits), and on
        // a busy host its default stack can stall for a while after it: its smoke window is longer.
        boolean jgroups = c.impl.equals("jgroups");
        // 1,000 peers: the first copies to each (and the capability probes) take a second or two on a busy
        // host with five JVMs just started, so the smoke window would measure only the start
        boolean manyPeers = receivers.size() > 1;
        // requests: during a full build on the loaded host, the smoke's 0.3 s warm-up was too short for the
        // W=1000 case (no reply counted in its window; it passed alone): at least 1 s, as for JGroups
        boolean requests = "request".equals(c.opts.get("mode"));
        double warm = jgroups || requests ? Math.max(1.0, warmupS) : manyPeers ? Math.max(2.0, warmupS) : warmupS;
        double measure = jgroups ? Math.max(1.5, measureS) : manyPeers ? Math.max(1.0, measureS) : measureS;
        long t0 = System.nanoTime() + (long) (warm * 1e9);
        long t1 = t0 + (long) (measure * 1e9);
        for (Child receiver : receivers) {
            receiver.go(t0, t1);
        }
        sender.go(t0, t1);
        Node.sleepUntil(t0);
        List<Long> pids = new ArrayList<>();
        pids.add(sender.process.pid());
        receivers.forEach(x -> pids.add(x.process.pid()));
        long jit0 = jitTicks(pids);
        Duration cpu0 = cpu(receivers, sender);
        Duration senderCpu0 = sender.cpu();
        Node.sleepUntil(t1);
        Duration cpu1 = cpu(receivers, sender);
        long jit1 = jitTicks(pids);
        Duration senderCpu = sender.cpu().minus(senderCpu0);
        long resultTimeout = TimeUnit.SECONDS.toNanos(15);
        Map<String, String> s = sender.await("RESULT", resultTimeout);
        List<Map<String, String>> rs = new ArrayList<>();
        for (Child receiver : receivers) {
            rs.add(receiver.await("RESULT", resultTimeout));
        }
        Map<String, String> r = rs.get(0); // the figures of a receiver-side case (always one receiver JVM)
        Map<String, String> m = c.side.equals("sender") ? s : r;
        long count = Long.parseLong(m.get("count"));
        double cpuUs = count == 0 ? Double.NaN : cpu1.minus(cpu0).toNanos() / 1e3 / count;
        String retrans = s.getOrDefault("retrans", "-");
        StringBuilder note = new StringBuilder();
        for (String k : List.of("failed", "sendDrops", "injectedDrops", "fast", "redDropped", "backPressured", "engineP50",
                "engineP99", "heapMiB")) {
            if (s.containsKey(k) && !s.get(k).equals("0")) {
                note.append(k).append('=').append(s.get(k)).append(' ');
            }
        }
        if (c.side.equals("receiver") && s.containsKey("count") && c.isAcked()) {
            note.append("acked/s=").append(s.get("rate")).append(' ');
        }
        if (c.opts.containsKey("xmx")) {
            note.append("heap=").append(c.opts.get("xmx")).append(' ');
        }
        if (count > 0 && jit1 > jit0) { // part of 'cpu us': the JIT still compiling in the window (warm-up too short)
            note.append(String.format("jitCpu=%.2fus ", (jit1 - jit0) * 1e4 / count));
        }
        if (c.group.equals("scale") && cpu1.compareTo(cpu0) > 0) { // where the CPU goes as peers grow
            note.append(String.format("senderCpu=%.0f%% ", 100.0 * senderCpu.toNanos() / cpu1.minus(cpu0).toNanos()));
        }
        long duplicates = rs.stream().mapToLong(x -> Long.parseLong(x.getOrDefault("duplicates", "0"))).sum();
        if (duplicates != 0) {
            note.append("dupCopiesReacked=").append(duplicates);
        }
        return new Row(c, count / measure, d(m, "p50"), d(m, "p99"), d(m, "p999"), cpuUs, retrans,
                note.toString().trim());
    }

    /**
     * CPU time, in clock ticks of 10 ms, of the JIT compiler threads ("C1/C2 CompilerThread") of processes
     * {@code pids}, from /proc (0 where there is none): the share of a window's CPU that is warm-up, not messaging.
     */
    static long jitTicks(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        if (comm.contains("CompilerThre")) { // utime and stime: fields 14 and 15
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    } catch (IOException | RuntimeException ended) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException | RuntimeException none) {
                // no /proc, or the process ended
            }
        }
        return ticks;
    }

    private static Duration cpu(List<Child> receivers, Child sender) {
        Duration total = sender.cpu();
        for (Child receiver : receivers) {
            total = total.plus(receiver.cpu());
        }
        return total;
    }

    private static double d(Map<String, String> m, String k) {
        String v = m.get(k);
        return v == null ? Double.NaN : Double.parseDouble(v);
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    static List<Row> medians(List<List<Row>> rounds) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rounds.get(0).size(); i++) {
            int idx = i;
            Case c = rounds.get(0).get(i).c;
            double[][] v = new double[5][rounds.size()];
            for (int r = 0; r < rounds.size(); r++) {
                Row row = rounds.get(r).get(idx);
                v[0][r] = row.rate;
                v[1][r] = row.p50;
                v[2][r] = row.p99;
                v[3][r] = row.p999;
                v[4][r] = row.cpuUsPerMsg;
            }
            StringBuilder rates = new StringBuilder("rates=");
            for (int r = 0; r < rounds.size(); r++) {
                rates.append(r == 0 ? "" : "/").append(String.format("%.0fk", v[0][r] / 1e3));
            }
            Row last = rounds.get(rounds.size() - 1).get(idx);
            out.add(new Row(c, median(v[0]), median(v[1]), median(v[2]), median(v[3]), median(v[4]), last.retrans,
                    (rates + " " + last.note).trim()));
        }
        return out;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String render(List<Row> rows, int runs, double measureS, boolean smoke) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%nreliable-msg comparison on 127.0.0.1, %s, %.1f s windows%s%n",
                runs == 1 ? "one round" : "medians of " + runs + " rounds", measureS, smoke ? " (SMOKE: figures meaningless)" : ""));
        b.append(String.format("%-13s %-24s %11s %8s %8s %9s %8s %9s %8s %8s %8s %9s %9s  %s%n", "group", "case",
                "msgs/s", "p50 us", "p99 us", "p99.9 us", "cpu us", "retrans", "lib/raw", "lib/JGd", "lib/JGt",
                "lib/Aer", "lib/AerY", "notes"));
        String group = null;
        for (Row row : rows) {
            if (!row.c.group.equals(group)) {
                group = row.c.group;
                b.append('\n');
            }
            String vsRaw = "";
            String vsJgd = "";
            String vsJgt = "";
            String vsAeron = "";
            String vsAeronYielding = "";
            if (row.c.isLibrary()) {
                Row raw = find(rows, row.c.group, "raw");
                Row jgd = find(rows, row.c.group, "JGroups default");
                Row jgt = find(rows, row.c.group, "JGroups tuned");
                if (row.c.group.equals("request") && row.c.label.startsWith("library request")) {
                    String w = row.c.label.substring(row.c.label.indexOf("W="));
                    Row jrr = find(rows, row.c.group, "JGroups request " + w);
                    Row message = find(rows, row.c.group, "library message W=1");
                    vsRaw = raw == null ? "" : String.format("p99 %.2fx", row.p99 / raw.p99);
                    vsJgd = jrr == null ? "" : String.format("%.2f", row.rate / jrr.rate);
                    vsJgt = message == null || !w.equals("W=1") ? "" : String.format("p99 %.2fx", row.p99 / message.p99);
                } else if (row.c.group.equals("latency")) {
                    Row jrr = find(rows, row.c.group, "JGroups request");
                    vsRaw = raw == null ? "" : String.format("p99 %.2fx", row.p99 / raw.p99);
                    vsJgd = jrr == null ? "" : String.format("p99 %.2fx", row.p99 / jrr.p99);
                    vsJgt = jrr == null ? "" : String.format("p999 %.2fx", row.p999 / jrr.p999);
                    Row aeron = find(rows, row.c.group, "Aeron ping-pong backoff");
                    Row yielding = find(rows, row.c.group, "Aeron ping-pong yielding");
                    vsAeron = aeron == null ? "" : String.format("p99 %.2fx", row.p99 / aeron.p99);
                    vsAeronYielding = yielding == null ? "" : String.format("p99 %.2fx", row.p99 / yielding.p99);
                } else if (row.c.group.equals("large")) { // against the peers' rows of the same size
                    String size = row.c.label.substring("library ".length());
                    Row acked = findWithSuffix(rows, row.c.group, "JGroups acked", size);
                    Row oneWay = findWithSuffix(rows, row.c.group, "JGroups default", size);
                    Row aeron = findWithSuffix(rows, row.c.group, "Aeron", size);
                    vsJgd = acked == null ? "" : String.format("%.2f", row.rate / acked.rate);
                    vsJgt = oneWay == null ? "" : String.format("%.2f", row.rate / oneWay.rate);
                    vsAeron = aeron == null ? "" : String.format("%.2f", row.rate / aeron.rate);
                } else {
                    Row aeron = find(rows, row.c.group, "Aeron");
                    vsAeron = aeron == null ? "" : String.format("%.2f", row.rate / aeron.rate);
                    vsRaw = raw == null ? "" : String.format("%.2f", row.rate / raw.rate);
                    vsJgd = jgd == null ? "" : String.format("%.2f", row.rate / jgd.rate);
                    vsJgt = jgt == null ? "" : String.format("%.2f", row.rate / jgt.rate);
                }
            }
            b.append(String.format("%-13s %-24s %11.0f %8.1f %8.1f %9.1f %8.2f %9s %8s %8s %8s %9s %9s  %s%n",
                    row.c.group, row.c.label, row.rate, row.p50, row.p99, row.p999, row.cpuUsPerMsg, row.retrans, vsRaw,
                    vsJgd, vsJgt, vsAeron, vsAeronYielding, row.note));
        }
        b.append("\nmsgs/s: acked per second at the sender (library, raw UDP; send-to-ack latency), or delivered per"
                + " second at the receiver for JGroups and Aeron (*: one-way send-to-delivery latency, neither has a"
                + " per-message ack) and for the loss group (delivery time from first send). cpu us: CPU time of both"
                + " processes per message. latency group: round trip of one message at a time; ratio columns give p99"
                + " (and p99.9) ratios against raw ping-pong, JGroups request/reply and Aeron ping-pong with its"
                + " default (backoff) and a yielding idle strategy. request group: replies per second at the requester"
                + " and request-to-reply time; lib/raw is the p99 against raw ping-pong, lib/JGd the rate against"
                + " JGroups with as many requests in flight, and for W=1 lib/JGt is the p99 against one message at a"
                + " time (goal: <= 1.2x). large group: lib/JGd is the rate against JGroups with every message answered"
                + " and as many in flight (JGroups acked), lib/JGt against JGroups one-way, lib/Aer against Aeron"
                + " one-way, each of the same message size.\n");
        return b.toString();
    }

    private static Row findWithSuffix(List<Row> rows, String group, String labelPrefix, String labelSuffix) {
        for (Row r : rows) {
            if (r.c.group.equals(group) && r.c.label.startsWith(labelPrefix) && r.c.label.endsWith(" " + labelSuffix)) {
                return r;
            }
        }
        return null;
    }

    private static Row find(List<Row> rows, String group, String labelPrefix) {
        for (Row r : rows) {
            if (r.c.group.equals(group) && (r.c.label.startsWith(labelPrefix))) {
                return r;
            }
        }
        return null;
    }
}
