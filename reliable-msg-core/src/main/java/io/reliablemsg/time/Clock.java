package io.reliablemsg.time;

/**
 * Source of time for the messenger's loop. Protocol classes never read a clock themselves: the loop
 * reads this once per pass and hands the values down, so tests drive time with {@link ManualClock}.
 */
public interface Clock {
    /** Monotonic time in nanoseconds, for deadlines (never goes back). */
    long nanoTime();

    /** Wall-clock time in milliseconds since the epoch, for the send times carried on the wire. */
    long currentTimeMillis();

    /** The clock of this JVM: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }
    };
}
