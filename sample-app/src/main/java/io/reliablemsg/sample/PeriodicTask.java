package io.reliablemsg.sample;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A task run at a fixed rate on a daemon thread of its own while the application runs. It starts
 * after the messenger's lifecycle ({@code DEFAULT_PHASE - 4096}) and stops before it, so it never
 * calls a messenger that is not running. An exception of one run is logged at DEBUG and does not end
 * the timer (a closing messenger throws).
 */
abstract class PeriodicTask implements SmartLifecycle {
    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String threadName;
    private final long initialDelayMillis;
    private final long periodMillis;
    private ScheduledExecutorService timer;

    PeriodicTask(String threadName, long initialDelayMillis, long periodMillis) {
        this.threadName = threadName;
        this.initialDelayMillis = initialDelayMillis;
        this.periodMillis = periodMillis;
    }

    /** One run of the task. */
    abstract void runOnce();

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.debug(threadName + " run failed", e);
        }
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::runQuietly, initialDelayMillis, periodMillis, TimeUnit.MILLISECONDS);
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
