package io.reliablemsg.sample;

import io.reliablemsg.ReliableMessenger;
import org.springframework.stereotype.Component;

/**
 * Takes a sample of the messenger's counters into the {@link StatsHistory} once a second, on a
 * thread of its own. Starts after the messenger and stops before it, like the traffic generator.
 */
@Component
public class HistorySampler extends PeriodicTask {
    /** Time between two samples. */
    public static final long INTERVAL_MILLIS = 1000;

    private final ReliableMessenger messenger;
    private final StatsHistory history;

    /** A sampler of {@code messenger} into {@code history}. */
    public HistorySampler(ReliableMessenger messenger, StatsHistory history) {
        super("sample-history", 0, INTERVAL_MILLIS);
        this.messenger = messenger;
        this.history = history;
    }

    @Override
    void runOnce() {
        history.record(System.currentTimeMillis(), messenger.stats());
    }
}
