package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Wireshark's command-line tools (Debian package {@code tshark}: {@code tshark}, {@code dumpcap},
 * {@code text2pcap}), each run with a timeout, and the project's dissector
 * ({@code tools/wireshark/reliable-msg.lua}). Nothing is installed or fetched here: a missing tool
 * fails the test with what to install.
 */
final class Tshark {
    /** The dissector under test; failsafe runs in the module folder, so the default is beside it. */
    static final Path DISSECTOR = Path.of(System.getProperty("reliable-msg.dissector",
            "../tools/wireshark/reliable-msg.lua")).toAbsolutePath().normalize();
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CAPTURE_START_TIMEOUT = Duration.ofSeconds(20);

    private Tshark() {
    }

    /** Fails with what to install unless tshark, dumpcap, text2pcap and the dissector are there. */
    static void require() {
        for (String tool : List.of("tshark", "dumpcap", "text2pcap")) {
            if (which(tool) == null) {
                fail(tool + " is not on the PATH: this test needs Wireshark's command-line tools. Install them as"
                        + " root with: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tshark"
                        + " (.ci/run does this when tshark is missing)");
            }
        }
        if (!Files.isRegularFile(DISSECTOR)) {
            fail("no dissector at " + DISSECTOR + " (set -Dreliable-msg.dissector=<path to reliable-msg.lua>)");
        }
    }

    private static Path which(String tool) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Dissects {@code capture} with the project's dissector and returns one row per packet that
     * {@code displayFilter} keeps, each mapping a field to its values in the packet (several when the
     * field occurs several times, as in a datagram of several frames; none when absent).
     */
    static List<Map<String, List<String>>> fields(Path capture, String displayFilter, List<String> preferences,
                                                  List<String> fields) {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(),
                "-X", "lua_script:" + DISSECTOR, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a",
                "-E", "aggregator=;", "-E", "header=n"));
        for (String preference : preferences) {
            command.addAll(List.of("-o", preference));
        }
        if (displayFilter != null) {
            command.addAll(List.of("-Y", displayFilter));
        }
        for (String field : fields) {
            command.addAll(List.of("-e", field));
        }
        List<Map<String, List<String>>> rows = new ArrayList<>();
        for (String line : run(command).lines().toList()) {
            String[] values = line.split("\t", -1);
            if (values.length != fields.size()) {
                fail("tshark printed " + values.length + " columns for " + fields.size() + " fields: " + line);
            }
            Map<String, List<String>> row = new LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                row.put(fields.get(i), values[i].isEmpty() ? List.of() : Arrays.asList(values[i].split(";", -1)));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Writes the full dissection of {@code capture} (tshark -V) into {@code text}, for a person to read. */
    static void writeDissection(Path capture, Path text, String... preferences) {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(),
                "-X", "lua_script:" + DISSECTOR, "-V", "-O", "reliable_msg"));
        for (String preference : preferences) {
            command.addAll(List.of("-o", preference));
        }
        try {
            Files.writeString(text, run(command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code datagrams} as UDP packets from port {@code sourcePort} to {@code targetPort} into a pcap file. */
    static void writePcap(List<byte[]> datagrams, int sourcePort, int targetPort, Path pcap) {
        StringBuilder hex = new StringBuilder();
        for (byte[] datagram : datagrams) {
            for (int offset = 0; offset < datagram.length; offset += 16) {
                hex.append(String.format("%06x", offset));
                for (int i = offset; i < Math.min(datagram.length, offset + 16); i++) {
                    hex.append(String.format(" %02x", datagram[i]));
                }
                hex.append('\n');
            }
            hex.append('\n');
        }
        Path text = pcap.resolveSibling(pcap.getFileName() + ".txt");
        try {
            Files.createDirectories(pcap.toAbsolutePath().getParent());
            Files.writeString(text, hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(List.of("text2pcap", "-q", "-u", sourcePort + "," + targetPort, text.toString(), pcap.toString()));
    }

    /** Runs {@code command}, returns its standard output; fails on a non-zero exit or after the timeout. */
    static String run(List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("tshark-out-", ".txt");
            err = Files.createTempFile("tshark-err-", ".txt");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(command + " did not end within " + RUN_TIMEOUT);
            }
            if (process.exitValue() != 0) {
                fail(command + " exited with " + process.exitValue() + ": " + Files.readString(err));
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
    }

    /**
     * Starts capturing on the loopback interface into {@code file} with the capture filter
     * {@code filter}, and returns once dumpcap says it captures. dumpcap stops by itself after
     * {@code maxDuration} or {@code maxPackets}, whichever comes first; {@link Capture#stop} ends it sooner.
     */
    static Capture captureLoopback(Path file, String filter, Duration maxDuration, int maxPackets) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Process process = new ProcessBuilder("dumpcap", "-i", "lo", "-f", filter, "-B", "64",
                    "-a", "duration:" + maxDuration.toSeconds(), "-c", String.valueOf(maxPackets),
                    "-w", file.toString()).redirectErrorStream(true).start();
            Capture capture = new Capture(process, file);
            capture.awaitStarted();
            return capture;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dumpcap", e);
        }
    }

    /** A running dumpcap; its output is read by a thread of its own so that it never blocks. */
    static final class Capture implements AutoCloseable {
        private final Process process;
        private final Path file;
        private final StringBuffer output = new StringBuffer();
        private final CompletableFuture<Void> started = new CompletableFuture<>();
        private final Thread reader;

        private Capture(Process process, Path file) {
            this.process = process;
            this.file = file;
            reader = new Thread(this::readOutput, "dumpcap-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void readOutput() {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                    if (line.startsWith("Capturing on")) {
                        started.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended; what it printed is in output
            } finally {
                started.complete(null);
            }
        }

        private void awaitStarted() {
            try {
                started.get(CAPTURE_START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                fail("dumpcap did not start capturing within " + CAPTURE_START_TIMEOUT + ": " + output);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
            if (!process.isAlive()) {
                String printed = output.toString();
                fail("dumpcap could not capture on lo" + (printed.toLowerCase().contains("permission")
                        ? " (capturing needs root, or the capabilities CAP_NET_RAW and CAP_NET_ADMIN on dumpcap;"
                        + " CI runs as root)" : "") + ": " + printed);
            }
        }

        /** The packets dumpcap reported captured so far (its last "Packets: N" line), or -1. */
        int packetsCounted() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Packets: (\\d+)").matcher(output);
            int last = -1;
            while (m.find()) {
                last = Integer.parseInt(m.group(1));
            }
            return last;
        }

        /** Ends the capture (SIGTERM: dumpcap closes the file properly) and returns the file. */
        Path stop() {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("dumpcap did not stop within 20 s: " + output);
                }
                reader.join(5_000); // its summary (packets received and dropped) is in the output then
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            return file;
        }

        /** What dumpcap printed (its summary once stopped). */
        String output() {
            return output.toString();
        }

        /** Kills dumpcap if it still runs. */
        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
