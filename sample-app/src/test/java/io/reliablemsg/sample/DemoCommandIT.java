package io.reliablemsg.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.sample.demo.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's demo command, shortened to 4 seconds: it prints progress lines and stops by itself. */
class DemoCommandIT {
    private static final Pattern PROGRESS = Pattern.compile(
            "\\[\\s*(\\d+)s] a: sent +(\\d+) acked +(\\d+) retransmitted +\\d+ failed +\\d+ pending +\\d+ delivered +(\\d+)"
                    + " \\| b: sent +(\\d+) .*");

    @Test
    void printsAProgressLineEverySecondAndStopsByItself() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("sample.jar", "target/sample-app.jar"));
        Path output = Path.of(System.getProperty("sample.target", "target"), "demo-command-it.log");
        List<String> command = new ArrayList<>(NodeProcess.launchJar(jar));
        command.addAll(List.of("--demo", "--demo.seconds=4"));
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(demo.waitFor(180, TimeUnit.SECONDS)).as("demo ended by itself").isTrue();
            List<String> lines = Files.readAllLines(output);
            assertThat(demo.exitValue()).as(String.join("\n", lines)).isZero();

            List<Matcher> progress = lines.stream().map(PROGRESS::matcher).filter(Matcher::matches).toList();
            assertThat(progress).as(String.join("\n", lines)).hasSize(4);
            Matcher lastLine = progress.get(3);
            assertThat(lastLine.group(1)).isEqualTo("4");
            assertThat(Long.parseLong(lastLine.group(2))).as("a sent").isPositive();
            assertThat(Long.parseLong(lastLine.group(5))).as("b sent").isPositive();
            assertThat(lines).anyMatch(line -> line.startsWith("Watch them at http://127.0.0.1:"));
            assertThat(lines).anyMatch(line -> line.matches("a sent (\\d+): \\1 acked, 0 failed.*0 pending; .* 0 of them twice"));
        } finally {
            demo.destroyForcibly();
        }
    }
}
