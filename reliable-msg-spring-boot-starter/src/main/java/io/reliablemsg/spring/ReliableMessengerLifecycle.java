package io.reliablemsg.spring;

import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.ReliableMessenger;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>What the core can only refuse once the socket is bound (a peer address that is this node's own
 * socket, with {@code reliable-msg.port=0} or a host name) fails the start as an
 * {@link InvalidReliableMsgPropertiesException} naming the property ({@code reliable-msg.peers.b}), so
 * Boot prints it as it prints every other bad property.
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
            try {
                messenger.start();
            } catch (InvalidSettingException e) {
                throw asPropertyProblem(e);
            }
        }
        running = true;
    }

    private static InvalidReliableMsgPropertiesException asPropertyProblem(InvalidSettingException e) {
        List<InvalidReliableMsgPropertiesException.Problem> problems = new ArrayList<>();
        problems.add(problem(e));
        for (Throwable further : e.getSuppressed()) {
            if (further instanceof InvalidSettingException invalid) {
                problems.add(problem(invalid));
            }
        }
        InvalidReliableMsgPropertiesException failure = new InvalidReliableMsgPropertiesException(problems);
        failure.initCause(e);
        return failure;
    }

    private static InvalidReliableMsgPropertiesException.Problem problem(InvalidSettingException e) {
        return new InvalidReliableMsgPropertiesException.Problem(SettingProperty.of(e.setting(), e.key()).fullName(),
                e.reason());
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
