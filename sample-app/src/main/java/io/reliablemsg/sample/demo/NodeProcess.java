package io.reliablemsg.sample.demo;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A sample-app node running in its own JVM, started from this app's jar (or class path), with its
 * output in a log file, and a JSON client for its HTTP API. Used by the demo launcher and by the
 * multi-process tests.
 */
public final class NodeProcess implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final int httpPort;
    private final Process process;
    private final Path log;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();

    private NodeProcess(String name, int httpPort, Process process, Path log) {
        this.name = name;
        this.httpPort = httpPort;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts node {@code name}: {@code java <launch> --server.port=httpPort <arguments>}, output to {@code log}.
     *
     * @param launch the JVM options and class path or jar that start this application
     */
    public static NodeProcess start(String name, List<String> launch, int httpPort, List<String> arguments, Path log) {
        List<String> command = new ArrayList<>(launch);
        command.add("--server.address=127.0.0.1");
        command.add("--server.port=" + httpPort);
        command.add("--sample.node-name=" + name);
        command.addAll(arguments);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new NodeProcess(name, httpPort, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + name + ": " + command, e);
        }
    }

    /**
     * The command prefix that starts this application in a new JVM: {@code java -jar <jar>} when
     * this JVM runs the executable jar, {@code java -cp <class path> <main class>} otherwise.
     */
    public static List<String> launchLikeThisProcess(Class<?> mainClass) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        if (!classPath.contains(File.pathSeparator) && classPath.endsWith(".jar")) {
            return launchJar(Path.of(classPath));
        }
        return List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classPath, mainClass.getName());
    }

    /**
     * The command prefix that starts the executable {@code jar} in a new JVM. The JVM compiles with C1
     * only: it starts faster, and a demo node needs no peak speed.
     */
    public static List<String> launchJar(Path jar) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString());
    }

    /** Node name. */
    public String name() {
        return name;
    }

    /** Base URL of its HTTP API. */
    public String url() {
        return "http://127.0.0.1:" + httpPort + "/";
    }

    /** Its log file. */
    public Path log() {
        return log;
    }

    /** Whether the JVM still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@code /api/stats} answers 200 now. */
    public boolean answers() {
        try {
            return send(HttpRequest.newBuilder(uri("api/stats")).GET()).statusCode() == 200;
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    /** GETs {@code path} and parses the JSON body; fails on a status other than 200. */
    public JsonNode get(String path) {
        return parse(send(HttpRequest.newBuilder(uri(path)).GET()), 200);
    }

    /** POSTs {@code json} to {@code path}, returning the status and the parsed body. */
    public Reply post(String path, String json) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
        return new Reply(response.statusCode(), parseBody(response.body()));
    }

    /** DELETEs {@code path}; fails on a status other than 200. */
    public JsonNode delete(String path) {
        return parse(send(HttpRequest.newBuilder(uri(path)).DELETE()), 200);
    }

    /**
     * A response.
     *
     * @param status HTTP status
     * @param body   parsed JSON body, or null when empty
     */
    public record Reply(int status, JsonNode body) {
    }

    /** The last {@code lines} lines of its log, for error reports. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Asks the JVM to shut down gracefully, and kills it if it has not ended within {@code grace}. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the JVM at once (a graceful stop is {@link #stop}). */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    private URI uri(String path) {
        return URI.create(url() + (path.startsWith("/") ? path.substring(1) : path));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("node " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private JsonNode parse(HttpResponse<String> response, int expectedStatus) {
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException("node " + name + ": " + response.request().method() + " "
                    + response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return parseBody(response.body());
    }

    private static JsonNode parseBody(String body) {
        return body.isEmpty() ? null : JSON.readTree(body);
    }
}
