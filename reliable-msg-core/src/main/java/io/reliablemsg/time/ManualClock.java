package io.reliablemsg.time;

import java.time.Duration;

/**
 * A clock that moves only when told to. Monotonic and wall time advance together;
 * {@link #withWallOffset(long)} gives a view of the same time for a host whose wall clock is skewed.
 * Not thread-safe: a simulation drives it from one thread.
 */
public final class ManualClock implements Clock {
    private final long epochMillis;
    private long nowNs;

    /** A clock at monotonic time 0 and wall time {@code epochMillis}. */
    public ManualClock(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    @Override
    public long nanoTime() {
        return nowNs;
    }

    @Override
    public long currentTimeMillis() {
        return epochMillis + nowNs / 1_000_000L;
    }

    /** Moves time forward by {@code duration}. */
    public void advance(Duration duration) {
        advanceNs(duration.toNanos());
    }

    /** Moves time forward by {@code deltaNs} nanoseconds (not negative). */
    public void advanceNs(long deltaNs) {
        if (deltaNs < 0) {
            throw new IllegalArgumentException("time cannot go back: " + deltaNs + " ns");
        }
        nowNs += deltaNs;
    }

    /** Sets monotonic time to {@code timeNs}, which must not be earlier than now. */
    public void setNs(long timeNs) {
        advanceNs(timeNs - nowNs);
    }

    /** The same clock seen from a host whose wall clock runs {@code offsetMillis} ahead (or behind). */
    public Clock withWallOffset(long offsetMillis) {
        return new Clock() {
            @Override
            public long nanoTime() {
                return ManualClock.this.nanoTime();
            }

            @Override
            public long currentTimeMillis() {
                return ManualClock.this.currentTimeMillis() + offsetMillis;
            }
        };
    }
}
