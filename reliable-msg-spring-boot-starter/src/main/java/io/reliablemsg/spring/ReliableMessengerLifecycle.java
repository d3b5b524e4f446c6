package io.reliablemsg.spring;

import io.reliablemsg.ReliableMessenger;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the messenger when the application context starts and closes it when the context closes.
 *
 * <p>Its phase is low ({@link #PHASE}): it starts before the web server and message listener
 * containers (which run at higher phases) and stops after them, so requests still being served at
 * shutdown can send. {@code stop()} runs {@link ReliableMessenger#close()}: sends are refused at once,
 * pending messages get up to {@code reliable-msg.close-timeout} to be acked, the rest are failed with
 * reason {@code SHUTDOWN} (one {@link SendFailedEvent} each), then the socket is closed.
 */
public final class ReliableMessengerLifecycle implements SmartLifecycle {
    /** Below the web server's phases (start earlier, stop later). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ReliableMessenger messenger;
    private volatile boolean running;

    /** Manages {@code messenger}. */
    public ReliableMessengerLifecycle(ReliableMessenger messenger) {
        this.messenger = Objects.requireNonNull(messenger, "messenger");
    }

    @Override
    public void start() {
        if (!messenger.isRunning()) { // an application-defined messenger may have been started already
            messenger.start();
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        messenger.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
