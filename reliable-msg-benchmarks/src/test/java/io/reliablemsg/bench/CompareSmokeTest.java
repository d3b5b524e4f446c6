package io.reliablemsg.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the comparison in smoke mode (a few short windows, child JVMs on 127.0.0.1) to prove the
 * harness still works end to end, the 1,000-peer case included. Asserts only that every case
 * measured something: no timings.
 */
class CompareSmokeTest {
    @Test
    void smokeRunMeasuresEveryCase() throws Exception {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<Compare.Row> rows = Compare.runAll(new String[] {"--smoke"},
                new PrintStream(text, true, StandardCharsets.UTF_8));
        System.out.println(text.toString(StandardCharsets.UTF_8));
        assertThat(rows).isNotEmpty();
        assertThat(rows).allSatisfy(r -> assertThat(r.rate()).as(r.c().group() + " / " + r.c().label()).isPositive());
        assertThat(rows).filteredOn(r -> r.c().impl().equals("aeron"))
                .extracting(r -> r.c().group() + " / " + r.c().label())
                .containsExactly("throughput64 / Aeron offer*", "latency / Aeron ping-pong backoff");
        assertThat(rows).filteredOn(r -> r.c().group().equals("scale"))
                .extracting(r -> r.c().label())
                .as("one sender to 1,000 receivers in four JVMs (issue 13)")
                .containsExactly("library 10 peers", "library 1000 peers");
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("lib/raw", "lib/Aer");
        try (Stream<Path> left = Files.list(Compare.aeronRoot())) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("Aeron directories left behind")
                    .noneMatch(name -> name.startsWith(Compare.aeronDirPrefix()));
        }
    }
}
