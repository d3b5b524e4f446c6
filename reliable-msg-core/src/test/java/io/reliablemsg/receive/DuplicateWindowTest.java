package io.reliablemsg.receive;

import static io.reliablemsg.receive.DuplicateWindow.Verdict.BELOW_WINDOW;
import static io.reliablemsg.receive.DuplicateWindow.Verdict.DUPLICATE;
import static io.reliablemsg.receive.DuplicateWindow.Verdict.NEW;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuplicateWindowTest {
    @Test
    void newUntilMarkedThenDuplicate() {
        DuplicateWindow w = new DuplicateWindow(64);
        assertThat(w.check(10)).isEqualTo(NEW);
        w.mark(10);
        assertThat(w.check(10)).isEqualTo(DUPLICATE);
        assertThat(w.check(11)).isEqualTo(NEW);
    }

    @Test
    void reorderedLowerIdsInsideTheWindowAreStillNew() {
        DuplicateWindow w = new DuplicateWindow(64);
        w.mark(100);
        assertThat(w.check(50)).isEqualTo(NEW);
        w.mark(50);
        assertThat(w.check(50)).isEqualTo(DUPLICATE);
        assertThat(w.check(37)).isEqualTo(NEW);   // 100 - 37 = 63 < 64
        assertThat(w.check(36)).isEqualTo(BELOW_WINDOW);
    }

    @Test
    void slidingForgetsBitsThatLeaveTheWindow() {
        DuplicateWindow w = new DuplicateWindow(64);
        w.mark(1);
        w.mark(65); // same bit position as 1: must not read as a duplicate
        assertThat(w.check(65)).isEqualTo(DUPLICATE);
        assertThat(w.check(1)).isEqualTo(BELOW_WINDOW);
        assertThat(w.check(2)).isEqualTo(NEW);
        w.mark(1_000_000);
        assertThat(w.check(999_999)).isEqualTo(NEW);
        assertThat(w.check(65)).isEqualTo(BELOW_WINDOW);
    }

    @Test
    void agreesWithAModelOfTheLastSizeIdsUnderRandomGapsAndReordering() {
        for (long seed = 0; seed < 20; seed++) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            DuplicateWindow w = new DuplicateWindow(256);
            java.util.Set<Long> marked = new java.util.HashSet<>();
            long top = 1_000;
            for (int step = 0; step < 5_000; step++) {
                long id = random.nextInt(4) == 0
                        ? top - random.nextInt(300)          // a late or repeated id
                        : top + 1 + random.nextInt(random.nextBoolean() ? 5 : 400); // gaps up to beyond the window
                long highest = w.highest();
                DuplicateWindow.Verdict expected = highest != Long.MIN_VALUE && highest - id >= 256 ? BELOW_WINDOW
                        : marked.contains(id) ? DUPLICATE : NEW;
                assertThat(w.check(id)).as("seed %d step %d id %d", seed, step, id).isEqualTo(expected);
                if (expected == NEW) {
                    w.mark(id);
                    marked.add(id);
                    top = Math.max(top, id);
                }
            }
        }
    }

    @Test
    void agreesWithTheModelWhileItGrowsFromSixtyFourBitsAndForgets() {
        int size = 1 << 16;
        for (long seed = 0; seed < 30; seed++) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            DuplicateWindow w = new DuplicateWindow(size);
            assertThat(w.bits()).isEqualTo(64);
            java.util.Set<Long> marked = new java.util.HashSet<>();
            long top = 1_000_000L * (seed - 15); // negative ids too: the ring must not care
            long floor = Long.MIN_VALUE;
            for (int step = 0; step < 4_000; step++) {
                if (random.nextInt(50) == 0 && w.highest() != Long.MIN_VALUE) {
                    long upTo = w.highest() - random.nextInt(3_000);
                    w.forgetUpTo(upTo);
                    floor = Math.max(floor, Math.min(upTo, w.highest()));
                    continue;
                }
                int gap = switch (random.nextInt(5)) {
                    case 0 -> random.nextInt(5);
                    case 1 -> random.nextInt(2_000);
                    case 2 -> random.nextInt(size + 100); // to beyond the window
                    default -> 1;
                };
                long id = random.nextInt(4) == 0 ? top - random.nextInt(3_000) : top + 1 + gap;
                long highest = w.highest();
                DuplicateWindow.Verdict expected = highest == Long.MIN_VALUE || id > highest ? NEW
                        : highest - id >= size || id <= floor ? BELOW_WINDOW
                        : marked.contains(id) ? DUPLICATE : NEW;
                assertThat(w.check(id)).as("seed %d step %d id %d", seed, step, id).isEqualTo(expected);
                if (expected == NEW) {
                    w.mark(id);
                    marked.add(id);
                    top = Math.max(top, id);
                }
                assertThat(w.bits()).isBetween(64, size);
            }
        }
    }

    @Test
    void sparseIdsOfASenderWithManyPeersTakeBitsForTheirSpanOnlyAndForgettingShrinksIt() {
        DuplicateWindow w = new DuplicateWindow(1 << 20);
        for (long n = 1; n <= 20; n++) {
            w.mark(n * 1_000); // this receiver gets every thousandth id of its sender
        }
        assertThat(w.bits()).as("span 19,001 ids: 32 Ki bits (4 KiB), not 1 Mi (128 KiB)").isEqualTo(1 << 15);
        assertThat(w.check(5_000)).isEqualTo(DUPLICATE);
        assertThat(w.check(5_001)).isEqualTo(NEW);
        w.forgetUpTo(19_000);
        assertThat(w.check(19_000)).isEqualTo(BELOW_WINDOW);
        assertThat(w.check(5_000)).isEqualTo(BELOW_WINDOW);
        assertThat(w.check(19_500)).isEqualTo(NEW);
        assertThat(w.check(20_000)).isEqualTo(DUPLICATE);
        assertThat(w.bits()).as("one id left").isEqualTo(64);
        w.mark(40_000);
        assertThat(w.bits()).isEqualTo(1 << 15);
        assertThat(w.check(20_000)).isEqualTo(DUPLICATE);
    }

    @Test
    void aLateIdBelowTheLowestKeptGrowsTheWindowDownwards() {
        DuplicateWindow w = new DuplicateWindow(1 << 20);
        w.mark(10_000);
        assertThat(w.bits()).isEqualTo(64);
        w.mark(9_000); // delivered after 10,000: reordering
        assertThat(w.bits()).isEqualTo(1024);
        assertThat(w.check(9_000)).isEqualTo(DUPLICATE);
        assertThat(w.check(10_000)).isEqualTo(DUPLICATE);
        assertThat(w.check(8_999)).as("never marked, inside the window").isEqualTo(NEW);
        assertThat(w.check(9_500)).isEqualTo(NEW);
    }

    @Test
    void incarnationsGetTheirOwnWindowsAndQuietOnesAreReusedOnlyWhenSafe() {
        SenderIncarnations table = new SenderIncarnations(2, 64, 1_000, 100);
        DuplicateWindow first = table.window(1, 1, 0);
        first.mark(5);
        assertThat(table.window(1, 1, 10)).isSameAs(first);
        DuplicateWindow second = table.window(1, 2, 20);
        assertThat(second).isNotSameAs(first);
        assertThat(second.check(5)).isEqualTo(NEW);
        assertThat(table.window(1, 3, 50)).isNull();      // both still may be in use
        assertThat(table.refusals()).isEqualTo(1);
        assertThat(table.window(1, 3, 111)).isNotNull(); // first idle > 100: quiet, reused
        assertThat(table.evictions()).isEqualTo(1);
        table.expire(5_000);
        assertThat(table.size()).isZero();
    }
}
