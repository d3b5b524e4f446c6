package io.reliablemsg.spring;

import io.reliablemsg.PathChange;
import io.reliablemsg.PathState;
import io.reliablemsg.ReliableMessenger;
import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * Published for every change of state of a path to a peer: one of the peer's addresses failing
 * ({@link PathState#FAILED}), answering again ({@link PathState#STANDBY}), or taking the traffic
 * ({@link PathState#ACTIVE}); see docs/PROTOCOL.md, "Paths". Published on the messenger's callback
 * thread, never on its I/O loop. Listen for it with {@code @EventListener}.
 */
public class PeerPathEvent extends ApplicationEvent {
    private static final long serialVersionUID = 1L;

    private final transient PathChange change;

    /** An event from {@code messenger} for {@code change}. */
    public PeerPathEvent(ReliableMessenger messenger, PathChange change) {
        super(messenger);
        this.change = Objects.requireNonNull(change, "change");
    }

    /** The messenger whose path changed. */
    public ReliableMessenger getMessenger() {
        return (ReliableMessenger) getSource();
    }

    /** The change: peer, path address, previous and current state, reason. */
    public PathChange getChange() {
        return change;
    }

    /** The peer's name. */
    public String getPeer() {
        return change.peer();
    }

    /** The path's address, as host:port. */
    public String getPath() {
        return change.address();
    }

    /** The path's state now. */
    public PathState getState() {
        return change.current();
    }

    @Override
    public String toString() {
        return "PeerPathEvent[" + change + "]";
    }
}
