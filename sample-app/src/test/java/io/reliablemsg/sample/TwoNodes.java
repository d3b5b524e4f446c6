package io.reliablemsg.sample;

import static org.awaitility.Awaitility.await;

import io.reliablemsg.sample.demo.NodeProcess;
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
 * executable jar, on 127.0.0.1 with ports chosen free now, demo controls on. Closing kills both.
 */
final class TwoNodes implements AutoCloseable {
    final NodeProcess a;
    final NodeProcess b;

    private TwoNodes(NodeProcess a, NodeProcess b) {
        this.a = a;
        this.b = b;
    }

    /** Starts both with {@code settings} added to each, and waits until both answer HTTP. */
    static TwoNodes start(String testName, List<String> settings) {
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
        NodeProcess a = NodeProcess.start("a", launch, httpA, node(settings, 1, udpA, "b", udpB, httpB),
                logs.resolve("a.log"));
        NodeProcess b = null;
        try {
            b = NodeProcess.start("b", launch, httpB, node(settings, 2, udpB, "a", udpA, httpA), logs.resolve("b.log"));
            TwoNodes nodes = new TwoNodes(a, b);
            nodes.awaitAnswering(a);
            nodes.awaitAnswering(b);
            return nodes;
        } catch (RuntimeException | Error e) {
            a.close();
            if (b != null) {
                b.close();
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

    private static List<String> node(List<String> settings, int clientId, int udpPort, String peer, int peerUdpPort,
                                     int peerHttpPort) {
        List<String> args = new ArrayList<>(List.of("--reliable-msg.bind-address=127.0.0.1",
                "--sample.demo-controls.enabled=true", "--reliable-msg.client-id=" + clientId,
                "--reliable-msg.port=" + udpPort, "--reliable-msg.peers." + peer + "=127.0.0.1:" + peerUdpPort,
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

    /** Stops both gracefully (bounded), killing what does not end. */
    @Override
    public void close() {
        a.stop(Duration.ofSeconds(15));
        b.stop(Duration.ofSeconds(15));
    }
}
