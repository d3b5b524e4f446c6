package io.reliablemsg.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Logs at most one line per period for one kind of event and says how many were suppressed, so a
 * flood of bad datagrams cannot flood the log. Time comes in as an argument. Not thread-safe.
 */
final class RateLimitedLog {
    private final Logger logger;
    private final Level level;
    private final long periodNs;
    private long nextAllowedNs = Long.MIN_VALUE;
    private long suppressed;

    RateLimitedLog(Logger logger, Level level, long periodNs) {
        this.logger = logger;
        this.level = level;
        this.periodNs = periodNs;
    }

    void log(long nowNs, String message) {
        if (nextAllowedNs != Long.MIN_VALUE && nowNs < nextAllowedNs) {
            suppressed++;
            return;
        }
        nextAllowedNs = nowNs + periodNs;
        if (suppressed > 0) {
            logger.log(level, message + " (" + suppressed + " similar suppressed)");
            suppressed = 0;
        } else {
            logger.log(level, message);
        }
    }
}
