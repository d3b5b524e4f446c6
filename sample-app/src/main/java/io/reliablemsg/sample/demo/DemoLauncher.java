package io.reliablemsg.sample.demo;

import io.reliablemsg.sample.SampleApplication;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * The one-command demo ({@code java -jar sample-app.jar --demo}): starts nodes {@code a} and
 * {@code b} as two child JVMs talking over UDP on 127.0.0.1 on two networks (network 1: directly;
 * network 2: through a {@link UdpRelay}, so each node names its peer by two addresses), streams messages
 * both ways, makes the link flap on a fixed script (through b's demo fault switch, and the relay), prints
 * one progress line a second, and stops after {@code --demo.seconds} (default 75) or on Ctrl-C.
 */
public final class DemoLauncher {
    static final int DEFAULT_SECONDS = 75;
    static final int DEFAULT_RATE = 50;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /**
     * Give up after 16 transmissions 200 ms apart (3.2 s): a 5 s outage outlasts them, while at 30% loss
     * both ways (49% of attempts acked) a message fails with odds 0.51^16, about 1 in 50,000. A path is
     * failed after 2 intervals without an answer on it (path-max-retransmissions, the default).
     */
    private static final List<String> NODE_SETTINGS = List.of("--reliable-msg.bind-address=127.0.0.1",
            "--reliable-msg.interval=200ms", "--reliable-msg.max-retries=15", "--reliable-msg.close-timeout=3s",
            "--sample.demo-controls.enabled=true", "--logging.level.root=WARN");

    /** What a scripted flap changes: b's fault switch, or the relay (network 2). */
    interface Change {
        void apply(NodeProcess b, UdpRelay relay);
    }

    /** A request to b's {@code /api/faults}: {@code json}, or DELETE (everything clean) when null. */
    static Change faults(String json) {
        return (b, relay) -> {
            if (json == null) {
                b.delete("api/faults");
            } else {
                NodeProcess.Reply reply = b.post("api/faults", json);
                if (reply.status() != 200) {
                    throw new IllegalStateException("b refused " + json + ": " + reply.status() + " " + reply.body());
                }
            }
        };
    }

    /** The relay, network 2, drops everything ({@code down}) or works again. */
    static Change relayDown(boolean down) {
        return (b, relay) -> relay.setDown(down);
    }

    /** A scripted change of the link at {@code second}. */
    record Flap(int second, String description, Change change) {
    }

    static final List<Flap> SCRIPT = List.of(
            new Flap(10, "b drops 30% of datagrams (both ways, both networks)", faults("{\"loss\":0.3}")),
            new Flap(20, "link clean", faults(null)),
            new Flap(25, "outage 2 s (both networks): shorter than max-retries x interval, nothing fails",
                    faults("{\"outageSeconds\":2}")),
            new Flap(35, "outage 5 s (both networks): longer than max-retries x interval (3.2 s), messages sent "
                    + "early in it fail", faults("{\"outageSeconds\":5}")),
            new Flap(40, "link clean", faults(null)),
            new Flap(44, "network 2 down (the relay drops everything): the standby path fails, traffic stays on "
                    + "network 1", relayDown(true)),
            new Flap(49, "network 2 up again", relayDown(false)),
            new Flap(53, "network 1 down for 12 s (b drops what it exchanges with a's first address), longer than "
                    + "max-retries x interval: traffic moves to network 2, nothing fails",
                    faults("{\"network\":1,\"outageSeconds\":12}")),
            new Flap(65, "link clean: traffic returns to network 1", faults(null)));

    private DemoLauncher() {
    }

    /** Runs the demo; returns the process exit status. */
    public static int run(String[] args) throws IOException, InterruptedException {
        int seconds = intOption(args, "--demo.seconds=", DEFAULT_SECONDS);
        int rate = intOption(args, "--demo.rate=", DEFAULT_RATE);
        int httpA = freeTcpPort(8080);
        int httpB = freeTcpPort(8081);
        int udpA = freeUdpPort(7001);
        int udpB = freeUdpPort(7002);
        Path logs = Files.createTempDirectory("reliable-msg-demo-");
        List<String> launch = NodeProcess.launchLikeThisProcess(SampleApplication.class);
        InetAddress loopback = UdpRelay.loopback();
        List<NodeProcess> nodes = new ArrayList<>();
        try (UdpRelay relay = UdpRelay.start(new InetSocketAddress(loopback, udpA), new InetSocketAddress(loopback, udpB))) {
            System.out.printf("reliable-msg demo: node a (client id 1, UDP 127.0.0.1:%d) and node b (client id 2, "
                    + "UDP 127.0.0.1:%d) each send %d messages/s to the other.%n", udpA, udpB, rate);
            System.out.printf("Two networks: network 1 direct, network 2 through a relay (a sends to 127.0.0.1:%d, "
                    + "b to 127.0.0.1:%d): a names b %s, b names a %s.%n", relay.x().getPort(), relay.y().getPort(),
                    addresses(udpB, relay.x()), addresses(udpA, relay.y()));
            System.out.printf("Watch them at http://127.0.0.1:%d/ (a) and http://127.0.0.1:%d/ (b). "
                    + "Stops after %d s or Ctrl-C. Node logs: %s%n", httpA, httpB, seconds, logs);
            Thread killer = new Thread(() -> nodes.forEach(node -> node.stop(Duration.ofSeconds(5))), "demo-shutdown");
            Runtime.getRuntime().addShutdownHook(killer);
            try {
                nodes.add(NodeProcess.start("a", launch, httpA, node(1, udpA, "b", addresses(udpB, relay.x()), httpB),
                        logs.resolve("a.log")));
                nodes.add(NodeProcess.start("b", launch, httpB, node(2, udpB, "a", addresses(udpA, relay.y()), httpA),
                        logs.resolve("b.log")));
                if (!awaitAnswering(nodes)) {
                    return 1;
                }
                NodeProcess a = nodes.get(0);
                NodeProcess b = nodes.get(1);
                for (NodeProcess node : nodes) {
                    node.post("api/traffic", "{\"ratePerSecond\":" + rate + "}");
                }
                long startNs = System.nanoTime();
                for (int second = 1; second <= seconds; second++) {
                    // one line a second, anchored to the start so that slow HTTP calls do not make it drift
                    TimeUnit.NANOSECONDS.sleep(Math.max(0, startNs + TimeUnit.SECONDS.toNanos(second) - System.nanoTime()));
                    for (Flap flap : SCRIPT) {
                        if (flap.second() == second) {
                            flap.change().apply(b, relay);
                            System.out.println("-- " + flap.description());
                        }
                    }
                    System.out.printf("[%3ds] %s | %s%n", second, progress(a), progress(b));
                }
                relay.setDown(false);
                finish(nodes);
                return 0;
            } finally {
                nodes.forEach(node -> node.stop(STOP_GRACE));
                try {
                    Runtime.getRuntime().removeShutdownHook(killer);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is already running
                }
            }
        }
    }

    /** A peer's two addresses: network 1, its own socket; network 2, the relay's socket that leads to it. */
    static String addresses(int directPort, InetSocketAddress throughRelay) {
        return "127.0.0.1:" + directPort + ",127.0.0.1:" + throughRelay.getPort();
    }

    /** One node's part of a progress line. */
    static String progress(NodeProcess node) {
        JsonNode s = node.get("api/stats");
        return String.format("%s: sent %6d acked %6d retransmitted %5d failed %4d pending %4d delivered %6d",
                node.name(), s.get("sent").asLong(), s.get("acked").asLong(), s.get("retransmitted").asLong(),
                s.get("failed").asLong(), s.get("pending").asLong(), s.get("delivered").asLong());
    }

    /**
     * One node's settings; {@code peerAddresses} are the peer's, network 1's first. Its page shows the peer's
     * injected fault, read from the peer's HTTP API.
     */
    private static List<String> node(int clientId, int udpPort, String peer, String peerAddresses, int peerHttpPort) {
        List<String> args = new ArrayList<>(NODE_SETTINGS);
        args.add("--sample.peer-pages." + peer + "=http://127.0.0.1:" + peerHttpPort + "/");
        args.add("--reliable-msg.client-id=" + clientId);
        args.add("--reliable-msg.port=" + udpPort);
        args.add("--reliable-msg.peers." + peer + "=" + peerAddresses);
        args.add("--sample.traffic.peer=" + peer);
        return args;
    }

    private static boolean awaitAnswering(List<NodeProcess> nodes) throws InterruptedException {
        long deadlineNs = System.nanoTime() + START_TIMEOUT.toNanos();
        for (NodeProcess node : nodes) {
            while (!node.answers()) {
                if (!node.isAlive() || System.nanoTime() > deadlineNs) {
                    System.out.println("node " + node.name() + " did not start; the end of " + node.log() + ":");
                    System.out.println(node.logTail(40));
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(200); // bounded by START_TIMEOUT above
            }
        }
        return true;
    }

    /** Stops the streams, lets the chains drain, and prints what became of every message. */
    private static void finish(List<NodeProcess> nodes) throws InterruptedException {
        for (NodeProcess node : nodes) {
            node.post("api/traffic", "{\"ratePerSecond\":0}");
            node.delete("api/faults");
        }
        for (int i = 0; i < 10 && nodes.stream().anyMatch(n -> n.get("api/stats").get("pending").asLong() > 0); i++) {
            TimeUnit.MILLISECONDS.sleep(500); // at most 10 polls of the nodes' pending counts
        }
        System.out.println("== done");
        for (NodeProcess node : nodes) {
            JsonNode s = node.get("api/stats");
            System.out.printf("%s sent %d: %d acked, %d failed (each reported once by a SendFailedEvent, see %sapi/failures), "
                            + "%d pending; it delivered %d, %d of them twice%n", node.name(), s.get("sent").asLong(),
                    s.get("acked").asLong(), s.get("failed").asLong(), node.url(), s.get("pending").asLong(),
                    s.get("delivered").asLong(), s.get("deliveredTwice").asLong());
        }
    }

    private static int intOption(String[] args, String prefix, int defaultValue) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return Integer.parseInt(arg.substring(prefix.length()));
            }
        }
        return defaultValue;
    }

    /** {@code preferred} when nothing listens on it, else any free port. */
    static int freeTcpPort(int preferred) throws IOException {
        for (int port : new int[] {preferred, 0}) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try any port
            }
        }
        throw new IOException("no free TCP port");
    }

    /** {@code preferred} when no socket is bound to it, else any free port. */
    static int freeUdpPort(int preferred) throws IOException {
        for (int port : new int[] {preferred, 0}) {
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try any port
            }
        }
        throw new IOException("no free UDP port");
    }
}
