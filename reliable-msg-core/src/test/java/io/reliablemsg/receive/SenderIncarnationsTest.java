package io.reliablemsg.receive;

import static io.reliablemsg.receive.DuplicateWindow.Verdict.DUPLICATE;
import static io.reliablemsg.receive.DuplicateWindow.Verdict.NEW;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Proves the policy of {@link SenderIncarnations}, with time given by hand: one duplicate window
 * per (client id, incarnation); at most {@code maxIncarnations} of them; when all slots are taken a
 * new incarnation gets the least recently used slot only once that window has been idle for more
 * than {@code quietNs} (idle exactly {@code quietNs}: refused), and a window idle for more than the
 * hold time is forgotten (idle exactly {@code holdNs}: kept), whether by {@code expire} or while
 * looking for a slot. Idle time counts from a window's last use, not from its creation.
 */
class SenderIncarnationsTest {
    private static final int WINDOW_SIZE = 64;
    private static final long HOLD_NS = 1_000;
    private static final long QUIET_NS = 100;

    private static SenderIncarnations table(int maxIncarnations) {
        return new SenderIncarnations(maxIncarnations, WINDOW_SIZE, HOLD_NS, QUIET_NS);
    }

    @Test
    void givesEachClientIdAndIncarnationAWindowOfItsOwn() {
        SenderIncarnations table = table(4);
        DuplicateWindow client1First = table.window(1, 1, 0);
        DuplicateWindow client1Restarted = table.window(1, 2, 0);
        DuplicateWindow client2SameIncarnation = table.window(2, 1, 0);
        client1First.mark(5);

        assertThat(client1First).isNotSameAs(client1Restarted).isNotSameAs(client2SameIncarnation);
        assertThat(client1Restarted).isNotSameAs(client2SameIncarnation);
        assertThat(client1Restarted.check(5)).as("restarted sender reusing id 5").isEqualTo(NEW);
        assertThat(client2SameIncarnation.check(5)).as("another client's id 5").isEqualTo(NEW);
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void returnsTheSameWindowEachTimeTheSameIncarnationSendsAgain() {
        SenderIncarnations table = table(2);
        DuplicateWindow window = table.window(1, 1, 0);
        window.mark(5);

        assertThat(table.window(1, 1, 10)).isSameAs(window);
        assertThat(table.window(1, 1, 20).check(5)).isEqualTo(DUPLICATE);
        assertThat(table.size()).isOne();
    }

    /** A sender that restarted: late copies of the old incarnation still meet the old window. */
    @Test
    void checksLateCopiesOfAnOldIncarnationAgainstItsOwnWindowAfterTheSenderRestarted() {
        SenderIncarnations table = table(2);
        table.window(1, 1, 0).mark(5);
        table.window(1, 2, 10).mark(1);

        assertThat(table.window(1, 1, 20).check(5)).as("old incarnation, id 5 again").isEqualTo(DUPLICATE);
        assertThat(table.window(1, 2, 20).check(5)).as("new incarnation, its first id 5").isEqualTo(NEW);
        assertThat(table.window(1, 1, 20).check(1)).as("old incarnation, id 1 never seen").isEqualTo(NEW);
    }

    @Test
    void startsEmptyAndCountsTheWindowsItHolds() {
        SenderIncarnations table = table(3);
        assertThat(table.size()).isZero();

        table.window(1, 1, 0);
        assertThat(table.size()).isOne();
        table.window(1, 1, 1);
        assertThat(table.size()).as("same incarnation again").isOne();
        table.window(2, 1, 2);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void holdsAtMostMaxIncarnationsWindowsAndRefusesAnotherWhileAllMayStillBeInUse() {
        SenderIncarnations table = table(2);
        DuplicateWindow first = table.window(1, 1, 0);
        DuplicateWindow second = table.window(1, 2, 0);

        assertThat(table.window(1, 3, 50)).isNull();
        assertThat(table.window(2, 1, 50)).isNull();

        assertThat(table.size()).isEqualTo(2);
        assertThat(table.refusals()).isEqualTo(2);
        assertThat(table.evictions()).isZero();
        assertThat(table.window(1, 1, 50)).isSameAs(first);
        assertThat(table.window(1, 2, 50)).isSameAs(second);
    }

    /** Both slots last used at 0: at quietNs - 1 and at quietNs the table is still full. */
    @Test
    void refusesANewIncarnationWhileTheLeastRecentlyUsedWindowHasBeenIdleForQuietNsOrLess() {
        SenderIncarnations table = table(2);
        DuplicateWindow first = table.window(1, 1, 0);
        DuplicateWindow second = table.window(1, 2, 0);

        assertThat(table.window(1, 3, QUIET_NS - 1)).as("idle quietNs - 1").isNull();
        assertThat(table.window(1, 3, QUIET_NS)).as("idle exactly quietNs").isNull();

        assertThat(table.refusals()).isEqualTo(2);
        assertThat(table.evictions()).isZero();
        assertThat(table.window(1, 1, QUIET_NS)).isSameAs(first);
        assertThat(table.window(1, 2, QUIET_NS)).isSameAs(second);
    }

    @Test
    void reusesTheSlotOfTheLeastRecentlyUsedWindowOnceIdleForOneNanosecondMoreThanQuietNs() {
        SenderIncarnations table = table(2);
        table.window(1, 1, 0).mark(5);
        DuplicateWindow second = table.window(1, 2, 0);

        DuplicateWindow third = table.window(1, 3, QUIET_NS + 1);

        assertThat(third).isNotNull().isNotSameAs(second);
        assertThat(third.check(5)).as("a fresh window, not the reused one's marks").isEqualTo(NEW);
        assertThat(table.evictions()).isOne();
        assertThat(table.refusals()).isZero();
        assertThat(table.size()).isEqualTo(2);
    }

    /**
     * Three windows last used at 0, 10 and 20, then the one of 0 used again at 30: the least
     * recently used is now the one of 10, so it alone decides (refused at 10 + quietNs, reused at
     * 10 + quietNs + 1) and it is the one replaced; the others stay.
     */
    @Test
    void picksTheLeastRecentlyUsedWindowNotTheOldestCreatedAndKeepsTheOthers() {
        SenderIncarnations table = table(3);
        DuplicateWindow usedAgain = table.window(1, 1, 0);
        DuplicateWindow leastRecentlyUsed = table.window(1, 2, 10);
        DuplicateWindow newest = table.window(1, 3, 20);
        assertThat(table.window(1, 1, 30)).isSameAs(usedAgain);

        assertThat(table.window(1, 4, 10 + QUIET_NS)).as("least recently used idle exactly quietNs").isNull();
        DuplicateWindow fourth = table.window(1, 4, 10 + QUIET_NS + 1);

        assertThat(fourth).isNotNull().isNotSameAs(leastRecentlyUsed);
        assertThat(table.evictions()).isOne();
        assertThat(table.size()).isEqualTo(3);
        long now = 10 + QUIET_NS + 1;
        assertThat(table.window(1, 1, now)).as("used again at 30").isSameAs(usedAgain);
        assertThat(table.window(1, 3, now)).as("last used at 20").isSameAs(newest);
        assertThat(table.window(1, 4, now)).isSameAs(fourth);
    }

    @Test
    void keepsAWindowThatHasBeenIdleForExactlyTheHoldTime() {
        SenderIncarnations table = table(2);
        DuplicateWindow window = table.window(1, 1, 0);
        window.mark(5);

        table.expire(HOLD_NS - 1);
        table.expire(HOLD_NS);

        assertThat(table.size()).isOne();
        assertThat(table.window(1, 1, HOLD_NS)).isSameAs(window);
        assertThat(window.check(5)).isEqualTo(DUPLICATE);
    }

    /** Gone from the table; when that incarnation sends again it starts from a fresh window. */
    @Test
    void forgetsAWindowIdleForOneNanosecondMoreThanTheHoldTimeAndGivesTheReturningIncarnationAFreshOne() {
        SenderIncarnations table = table(2);
        DuplicateWindow old = table.window(1, 1, 0);
        old.mark(5);

        table.expire(HOLD_NS + 1);
        assertThat(table.size()).isZero();

        DuplicateWindow returning = table.window(1, 1, HOLD_NS + 2);
        assertThat(returning).isNotSameAs(old);
        assertThat(returning.check(5)).as("id 5 after the old window was forgotten").isEqualTo(NEW);
        assertThat(table.size()).isOne();
        assertThat(table.evictions()).as("an expired window is no eviction").isZero();
    }

    @Test
    void countsIdleTimeFromTheLastUseNotFromTheFirst() {
        SenderIncarnations table = table(2);
        DuplicateWindow window = table.window(1, 1, 0);
        table.window(1, 1, 500);

        table.expire(500 + HOLD_NS);
        assertThat(table.size()).as("idle exactly the hold time since its last use").isOne();
        table.expire(500 + HOLD_NS + 1);
        assertThat(table.size()).as("idle one nanosecond more").isZero();
        assertThat(table.window(1, 1, 500 + HOLD_NS + 1)).isNotSameAs(window);
    }

    /** Looking for a slot for another incarnation forgets expired windows on the way, at the same boundary. */
    @Test
    void forgetsExpiredWindowsWhileLookingForASlotButKeepsOnesIdleForExactlyTheHoldTime() {
        SenderIncarnations atHold = table(3);
        atHold.window(1, 1, 0);
        atHold.window(1, 2, HOLD_NS);
        assertThat(atHold.size()).as("first idle exactly the hold time").isEqualTo(2);

        SenderIncarnations pastHold = table(3);
        pastHold.window(1, 1, 0);
        pastHold.window(1, 2, HOLD_NS + 1);
        assertThat(pastHold.size()).as("first idle one nanosecond more").isOne();
    }

    /**
     * A full one-slot table: the window idle exactly the hold time is still held, so the new
     * incarnation takes it by eviction (it is quiet); one nanosecond later it has expired and the
     * slot is simply free.
     */
    @Test
    void takesTheSlotOfAnExpiredWindowWithoutCountingAnEviction() {
        SenderIncarnations atHold = table(1);
        atHold.window(1, 1, 0);
        assertThat(atHold.window(1, 2, HOLD_NS)).isNotNull();
        assertThat(atHold.evictions()).as("idle exactly the hold time: evicted").isOne();

        SenderIncarnations pastHold = table(1);
        pastHold.window(1, 1, 0);
        assertThat(pastHold.window(1, 2, HOLD_NS + 1)).isNotNull();
        assertThat(pastHold.evictions()).as("idle one nanosecond more: expired, slot free").isZero();
        assertThat(pastHold.size()).isOne();
    }

    /** Expiry compares differences of times, so a clock value that wraps past Long.MAX_VALUE is no edge. */
    @Test
    void expiresByIdleTimeAcrossTheWrapOfTheNanosecondClock() {
        SenderIncarnations table = table(2);
        long start = Long.MAX_VALUE - 10;
        DuplicateWindow window = table.window(1, 1, start);

        table.expire(start + HOLD_NS); // wraps to a negative value
        assertThat(table.size()).isOne();
        assertThat(table.window(1, 1, start + HOLD_NS)).isSameAs(window);
        table.expire(start + 2 * HOLD_NS + 1);
        assertThat(table.size()).isZero();
    }

    /**
     * Idle time is now minus last use, at any clock reading: at a monotonic time of hours (as
     * System.nanoTime gives), looking up one incarnation forgets none of the others used just before.
     */
    @Test
    void windowsUsedJustBeforeSurviveALookupOfAnotherIncarnationAtLargeClockReadings() {
        long t = 3_600_000_000_000_000L;
        SenderIncarnations table = table(4);
        table.window(1, 1, t).mark(5);
        table.window(1, 2, t);
        table.window(1, 3, t + 10);
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.window(1, 1, t + 20).check(5)).as("the first window, kept").isEqualTo(DUPLICATE);
        table.expire(t + HOLD_NS);
        assertThat(table.size()).as("incarnation 2 idle exactly the hold time: kept").isEqualTo(3);
        table.expire(t + HOLD_NS + 1);
        assertThat(table.size()).as("only incarnation 2 is past its hold time").isEqualTo(2);
    }

    @Test
    void aWindowInUseForgetsTheIdsMarkedBeforeAStepAHoldTimeAgoAndShrinks() {
        SenderIncarnations table = new SenderIncarnations(1, 1 << 20, HOLD_NS, QUIET_NS);
        DuplicateWindow window = table.window(1, 1, 0);
        window.mark(1_000);
        window.mark(20_000); // a sender with many peers: sparse ids
        table.expire(HOLD_NS - 1);
        table.window(1, 1, HOLD_NS - 1); // in use all along
        table.expire(HOLD_NS); // first step: remembers 20,000, forgets nothing yet
        assertThat(window.check(1_000)).isEqualTo(DuplicateWindow.Verdict.DUPLICATE);
        window.mark(30_000);
        assertThat(window.bits()).isEqualTo(1 << 15);
        table.window(1, 1, 2 * HOLD_NS - 1);
        table.expire(2 * HOLD_NS - 1);
        assertThat(window.check(1_000)).as("one step is not a hold time yet").isEqualTo(DuplicateWindow.Verdict.DUPLICATE);
        table.expire(2 * HOLD_NS);
        assertThat(window.check(20_000)).as("marked before the step a hold time ago: forgotten")
                .isEqualTo(DuplicateWindow.Verdict.BELOW_WINDOW);
        assertThat(window.check(30_000)).isEqualTo(DuplicateWindow.Verdict.DUPLICATE);
        assertThat(window.check(25_000)).isEqualTo(DuplicateWindow.Verdict.NEW);
        assertThat(window.bits()).isEqualTo(64);
        assertThat(table.windowBytes()).isEqualTo(8);
    }
}
