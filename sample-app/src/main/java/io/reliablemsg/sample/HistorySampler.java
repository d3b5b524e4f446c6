package io.reliablemsg.sample;

import io.reliablemsg.ReliableMessenger;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Takes a sample of the messenger's counters into the {@link StatsHistory} once a second, on a
 * thread of its own. Starts after the messenger and stops before it, like the traffic generator.
 */
@Component
public class HistorySampler implements SmartLifecycle {
    /** Time between two samples. */
    public static final long INTERVAL_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(HistorySampler.class);

    private final ReliableMessenger messenger;
    private final StatsHistory history;
    private ScheduledExecutorService timer;

    /** A sampler of {@code messenger} into {@code history}. */
    public HistorySampler(ReliableMessenger messenger, StatsHistory history) {
        this.messenger = messenger;
        this.history = history;
    }

    private void sample() {
        try {
            history.record(System.currentTimeMillis(), messenger.stats());
        } catch (RuntimeException e) { // an escaping exception would end the timer
            LOG.debug("history sample failed", e);
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sample-history");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::sample, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = timer;
            timer = null;
        }
        if (running != null) {
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    /** After the messenger's lifecycle ({@code DEFAULT_PHASE - 4096}): starts later, stops earlier. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 2048;
    }
}
