package io.reliablemsg.receive;

import static io.reliablemsg.receive.DuplicateWindow.Verdict.BELOW_WINDOW;
import static io.reliablemsg.receive.DuplicateWindow.Verdict.DUPLICATE;
import static io.reliablemsg.receive.DuplicateWindow.Verdict.NEW;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The growing bitmap of {@link DuplicateWindow} at its bounds, at the id: a span of 64 ids fits the first
 * 64 bits and 65 grows it, upwards and downwards, without losing a mark to the ring's wrap-around; after
 * {@code forgetUpTo} the bitmap shrinks to the smallest size holding twice the span left, but only once
 * that is a quarter of what it holds or less (no resizing back and forth), and forgetting up to the
 * highest id leaves the first 64 bits. Window size 2^20: the window's own bound plays no part here.
 */
class DuplicateWindowBoundsTest {
    private static final int SIZE = 1 << 20;

    @Test
    void aSpanOfSixtyFourIdsFitsTheFirstSixtyFourBitsAndSixtyFiveGrowTheBitmap() {
        DuplicateWindow fits = new DuplicateWindow(SIZE);
        fits.mark(0);
        fits.mark(63);
        assertThat(fits.bits()).isEqualTo(64);

        DuplicateWindow grows = new DuplicateWindow(SIZE);
        grows.mark(0);
        grows.mark(64);
        assertThat(grows.bits()).isEqualTo(128);
    }

    @Test
    void growingUpwardsByMoreThanTheRingKeepsEveryMarkAndAddsNone() {
        DuplicateWindow w = new DuplicateWindow(SIZE);
        w.mark(0);
        w.mark(65); // id 65 would share a bit with id 1 in a ring of 64, and clearing 1..65 would clear 0

        assertThat(w.bits()).isEqualTo(128);
        assertThat(w.check(0)).isEqualTo(DUPLICATE);
        assertThat(w.check(65)).isEqualTo(DUPLICATE);
        assertThat(w.check(1)).isEqualTo(NEW);
        assertThat(w.check(64)).isEqualTo(NEW);
    }

    @Test
    void growingDownwardsForALateIdByMoreThanTheRingKeepsEveryMarkAndAddsNone() {
        DuplicateWindow w = new DuplicateWindow(SIZE);
        w.mark(65);
        w.mark(0); // late, 65 below the highest

        assertThat(w.bits()).isEqualTo(128);
        assertThat(w.check(65)).isEqualTo(DUPLICATE);
        assertThat(w.check(0)).isEqualTo(DUPLICATE);
        assertThat(w.check(1)).isEqualTo(NEW);
        assertThat(w.check(64)).isEqualTo(NEW);
    }

    @Test
    void forgettingTheLowestMarkedIdShrinksTheBitmapToTheSpanFromTheNextMarkedOne() {
        DuplicateWindow w = new DuplicateWindow(SIZE);
        w.mark(0);
        w.mark(1_000);
        assertThat(w.bits()).isEqualTo(1_024);

        w.forgetUpTo(0); // the lowest kept id is the one forgotten: the span starts at 1,000 now

        assertThat(w.bits()).isEqualTo(64);
        assertThat(w.check(0)).isEqualTo(BELOW_WINDOW);
        assertThat(w.check(1)).isEqualTo(NEW);
        assertThat(w.check(999)).isEqualTo(NEW);
        assertThat(w.check(1_000)).isEqualTo(DUPLICATE);
    }

    @Test
    void afterForgettingTheBitmapHoldsTwiceTheSpanLeftRoundedUpToAPowerOfTwo() {
        DuplicateWindow w = new DuplicateWindow(SIZE);
        w.mark(0);
        w.mark(267);
        w.mark(300);
        assertThat(w.bits()).isEqualTo(512);

        w.forgetUpTo(0); // 267..300 left: 34 ids, twice that is 68, so 128 bits; 128 is a quarter of 512

        assertThat(w.bits()).isEqualTo(128);
        assertThat(w.check(267)).isEqualTo(DUPLICATE);
        assertThat(w.check(300)).isEqualTo(DUPLICATE);
        assertThat(w.check(268)).isEqualTo(NEW);
    }

    @Test
    void theBitmapShrinksOnlyWhenAQuarterOfItWouldDo() {
        DuplicateWindow w = new DuplicateWindow(SIZE);
        w.mark(0);
        w.mark(100);
        assertThat(w.bits()).isEqualTo(128);

        w.forgetUpTo(0); // one id left would fit 64 bits, but 64 is half of 128: kept as it is

        assertThat(w.bits()).isEqualTo(128);
        assertThat(w.check(100)).isEqualTo(DUPLICATE);
    }

    @Test
    void forgettingUpToJustBelowTheHighestLeavesTheFirstSixtyFourBits() {
        DuplicateWindow w = new DuplicateWindow(SIZE);
        w.mark(100);
        w.mark(5_000);
        assertThat(w.bits()).isEqualTo(8_192);

        w.forgetUpTo(4_999); // the next id after the forgotten ones is the highest itself

        assertThat(w.bits()).isEqualTo(64);
        assertThat(w.check(4_999)).isEqualTo(BELOW_WINDOW);
        assertThat(w.check(5_000)).isEqualTo(DUPLICATE);
        assertThat(w.check(5_001)).isEqualTo(NEW);

        DuplicateWindow all = new DuplicateWindow(SIZE);
        all.mark(100);
        all.mark(5_000);
        all.forgetUpTo(9_000); // beyond the highest: up to the highest
        assertThat(all.bits()).isEqualTo(64);
        assertThat(all.check(5_000)).isEqualTo(BELOW_WINDOW);
        assertThat(all.check(5_001)).isEqualTo(NEW);
    }
}
