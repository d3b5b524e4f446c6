package io.reliablemsg.sample;

import static org.awaitility.Awaitility.await;

import io.reliablemsg.sample.demo.NodeProcess;
import io.reliablemsg.sample.demo.UdpRelay;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Nodes {@code a} (client id 1) and {@code b} (client id 2) as two JVMs started from the built
 * executable jar, on 127.0.0.1 with ports chosen free now, demo controls on; on one network, or on two as
 * in the demo (the second through a {@link UdpRelay}). Closing kills both and closes the relay.
 */
final class TwoNodes implements AutoCloseable {
    final NodeProcess a;
    final NodeProcess b;
    /** The second network, or null on one. */
    final UdpRelay relay;

    private TwoNodes(NodeProcess a, NodeProcess b, UdpRelay relay) {
        this.a = a;
        this.b = b;
        this.relay = relay;
    }

    /** Starts both with {@code settings} added to each, and waits until both answer HTTP. */
    static TwoNodes start(String testName, List<String> settings) {
        return start(testName, settings, false);
    }

    /**
     * Starts both on two networks, as the demo does: a names b {@code 127.0.0.1:<b's port>,<relay x>}, b names a
     * {@code 127.0.0.1:<a's port>,<relay y>}.
     */
    static TwoNodes startOnTwoNetworks(String testName, List<String> settings) {
        return start(testName, settings, true);
    }

    private static TwoNodes start(String testName, List<String> settings, boolean twoNetworks) {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no executable jar at " + jar.toAbsolutePath()
                    + ": run the test through 'mvn -pl sample-app verify' (failsafe, after package)");
        }
        Path logs = Path.of(System.getProperty("sample.target", "target"), testName);
        int udpA = FreeUdpPort.find();
        int udpB = FreeUdpPort.find();
        int httpA = freeTcpPort();
        int httpB = freeTcpPort();
        List<String> launch = NodeProcess.launchJar(jar);
        UdpRelay relay = twoNetworks ? UdpRelay.start(new InetSocketAddress(UdpRelay.loopback(), udpA),
                new InetSocketAddress(UdpRelay.loopback(), udpB)) : null;
        String addressesOfB = "127.0.0.1:" + udpB + (relay == null ? "" : ",127.0.0.1:" + relay.x().getPort());
        String addressesOfA = "127.0.0.1:" + udpA + (relay == null ? "" : ",127.0.0.1:" + relay.y().getPort());
        NodeProcess a = null;
        NodeProcess b = null;
        try {
            a = NodeProcess.start("a", launch, httpA, node(settings, 1, udpA, "b", addressesOfB, httpB), logs.resolve("a.log"));
            b = NodeProcess.start("b", launch, httpB, node(settings, 2, udpB, "a", addressesOfA, httpA), logs.resolve("b.log"));
            TwoNodes nodes = new TwoNodes(a, b, relay);
            nodes.awaitAnswering(a);
            nodes.awaitAnswering(b);
            return nodes;
        } catch (RuntimeException | Error e) {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            if (relay != null) {
                relay.close();
            }
            throw e;
        }
    }

    private void awaitAnswering(NodeProcess node) {
        await("node " + node.name() + " answering (log: " + node.log() + ")").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!node.isAlive()) {
                        throw new IllegalStateException("node " + node.name() + " exited:\n" + node.logTail(40));
                    }
                    return node.answers();
                });
    }

    private static List<String> node(List<String> settings, int clientId, int udpPort, String peer, String peerAddresses,
                                     int peerHttpPort) {
        List<String> args = new ArrayList<>(List.of("--reliable-msg.bind-address=127.0.0.1",
                "--sample.demo-controls.enabled=true", "--reliable-msg.client-id=" + clientId,
                "--reliable-msg.port=" + udpPort, "--reliable-msg.peers." + peer + "=" + peerAddresses,
                "--sample.traffic.peer=" + peer, "--sample.peer-pages." + peer + "=http://127.0.0.1:" + peerHttpPort + "/"));
        args.addAll(settings);
        return args;
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops both gracefully (bounded), killing what does not end, then closes the relay. */
    @Override
    public void close() {
        a.stop(Duration.ofSeconds(15));
        b.stop(Duration.ofSeconds(15));
        if (relay != null) {
            relay.close();
        }
    }
}
