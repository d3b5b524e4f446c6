package io.reliablemsg.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The case list and the table's ratio columns, on made-up figures: no processes. */
class CompareTableTest {
    private static Compare.Row row(String group, String label, String impl, double rate, double p99) {
        return new Compare.Row(new Compare.Case(group, label, impl, "sender", Map.of()), rate, p99 / 2, p99, p99 * 2,
                1.0, "0", "");
    }

    private static String line(String table, String group, String label) {
        return table.lines().filter(l -> l.startsWith(String.format("%-13s %-24s", group, label))).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + group + " / " + label + " in\n" + table));
    }

    @Test
    void throughputRowsOfTheLibraryGiveTheirRateOverAeron() {
        String table = Compare.render(List.of(
                row("throughput64", "library bundle 1472", "lib", 3_000_000, 100),
                row("throughput64", "raw UDP W=1000", "raw", 1_000_000, 100),
                row("throughput64", "Aeron offer*", "aeron", 1_500_000, 100)), 1, 1.0, false);

        assertThat(line(table, "throughput64", "library bundle 1472")).contains(" 3.00 ", " 2.00 ");
        assertThat(line(table, "throughput64", "Aeron offer*")).doesNotContain("2.00");
    }

    @Test
    void latencyRowsOfTheLibraryGiveTheirP99OverBothAeronIdleStrategies() {
        String table = Compare.render(List.of(
                row("latency", "library W=1", "lib", 10_000, 100),
                row("latency", "Aeron ping-pong backoff", "aeron", 10_000, 50),
                row("latency", "Aeron ping-pong yielding", "aeron", 10_000, 400)), 1, 1.0, false);

        assertThat(line(table, "latency", "library W=1")).contains("p99 2.00x", "p99 0.25x");
    }

    @Test
    void requestRowsGiveTheirRateOverJGroupsWithAsManyInFlightAndW1TheirP99OverOneMessage() {
        String table = Compare.render(List.of(
                row("request", "library message W=1", "lib", 10_000, 100),
                row("request", "raw UDP ping-pong", "raw", 20_000, 50),
                row("request", "library request W=1", "lib", 8_000, 110),
                row("request", "JGroups request W=1", "jgroups", 4_000, 220),
                row("request", "library request W=1000", "lib", 300_000, 5_000),
                row("request", "JGroups request W=1000", "jgroups", 100_000, 9_000)), 1, 1.0, false);

        assertThat(line(table, "request", "library request W=1")).contains("p99 2.20x", " 2.00 ", "p99 1.10x");
        assertThat(line(table, "request", "library request W=1000")).contains("p99 100.00x", " 3.00 ")
                .doesNotContain("p99 50.00x");
    }

    @Test
    void largeRowsOfTheLibraryAreComparedWithThePeersRowsOfTheirOwnSize() {
        String table = Compare.render(List.of(
                row("large", "library 64 KiB", "lib", 12_000, 100),
                row("large", "JGroups acked W=500 64 KiB", "jgroups", 6_000, 100),
                row("large", "JGroups default* 64 KiB", "jgroups", 24_000, 100),
                row("large", "Aeron offer* 64 KiB", "aeron", 48_000, 100),
                row("large", "library 1 MiB", "lib", 900, 100),
                row("large", "JGroups acked W=32 1 MiB", "jgroups", 300, 100),
                row("large", "Aeron offer* 1 MiB", "aeron", 3_600, 100)), 1, 1.0, false);

        assertThat(line(table, "large", "library 64 KiB")).contains(" 2.00 ", " 0.50 ", " 0.25 ");
        assertThat(line(table, "large", "library 1 MiB")).contains(" 3.00 ", " 0.25 ")
                .as("no one-way JGroups row at 1 MiB, and never the 64 KiB rows").doesNotContain(" 0.15 ", " 0.04 ", " 0.02 ");
    }

    @Test
    void largeMessagesAreComparedWithJGroupsAckingEachWithTheLibrarysWindow() {
        assertThat(Compare.cases(false, "large")).filteredOn(c -> c.label().startsWith("JGroups acked"))
                .extracting(c -> c.label() + " " + c.opts().get("mode") + " " + c.opts().get("window") + " " + c.side())
                .containsExactly("JGroups acked W=500 64 KiB pingpong 500 sender",
                        "JGroups acked W=32 1 MiB pingpong 32 sender");
        assertThat(Compare.cases(false, "large")).filteredOn(c -> c.impl().equals("lib"))
                .extracting(c -> c.opts().get("window")).containsExactly("500", "32");
    }

    /** Aeron has no request/reply: its ping-pong is in the latency group, and scale is the library's alone. */
    @Test
    void everyGroupButScaleAndRequestHasAnAeronCase() {
        List<Compare.Case> all = Compare.cases(false, null);

        assertThat(all).filteredOn(c -> c.impl().equals("aeron")).extracting(c -> c.group() + " / " + c.label())
                .containsExactly("throughput64 / Aeron offer*", "throughput1k / Aeron offer*",
                        "latency / Aeron ping-pong backoff", "latency / Aeron ping-pong yielding",
                        "loss / Aeron defaults", "large / Aeron offer* 64 KiB", "large / Aeron offer* 1 MiB");
    }

    @Test
    void casesSelectsByWholeLabelAndRefusesAnEmptySelection() {
        List<Compare.Case> t64 = Compare.cases(false, "throughput64");

        assertThat(Compare.matching(t64, "library defaults|JGroups tuned.*")).extracting(Compare.Case::label)
                .containsExactly("library defaults", "JGroups tuned*");
        assertThat(Compare.matching(t64, "library tuned W=8000")).singleElement()
                .satisfies(c -> assertThat(c.opts()).containsEntry("window", "8000").containsEntry("bundle", "default")
                        .doesNotContainKey("sendwait"));
        assertThat(Compare.matching(t64, ".*room-wait")).extracting(Compare.Case::label)
                .containsExactly("library bundleSize 0 room-wait", "library defaults room-wait",
                        "library tuned W=8000 room-wait")
                .allSatisfy(label -> assertThat(Compare.matching(t64, label).get(0).opts())
                        .containsEntry("sendwait", "room"));
        assertThat(Compare.matching(Compare.cases(false, "throughput1k"), "library.*")).extracting(Compare.Case::label)
                .as("room-wait at 64 B only").noneMatch(label -> label.endsWith("room-wait"));
        assertThatThrownBy(() -> Compare.matching(t64, "library")) // a part of a label is not a match
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--cases=library");
    }

    @Test
    void onlySelectsTheAeronCasesOfTheGroupsNamed() {
        assertThat(Compare.cases(false, "latency")).filteredOn(c -> c.impl().equals("aeron"))
                .extracting(c -> c.opts().get("idle")).containsExactly("backoff", "yielding");
        assertThat(Compare.cases(true, "latency")).filteredOn(c -> c.impl().equals("aeron"))
                .extracting(Compare.Case::label).containsExactly("Aeron ping-pong backoff");
    }
}
