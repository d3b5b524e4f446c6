package io.reliablemsg.spring;

import io.reliablemsg.PeerChange;
import io.reliablemsg.ReliableMessenger;
import java.util.List;
import java.util.Objects;
import org.springframework.context.ApplicationEvent;

/**
 * Published for every change of the messenger's peer set, once its I/O loop applied it: a peer added
 * ({@link PeerChange.Kind#ADDED}), removed ({@link PeerChange.Kind#REMOVED}; its pending messages failed
 * with {@code PEER_REMOVED}, one {@link SendFailedEvent} each), or whose addresses changed
 * ({@link PeerChange.Kind#CHANGED}: given anew, or its host name resolving otherwise), whatever made the
 * change ({@code ReliableMessenger.addPeer}, a configuration refresh, {@code DiscoveryClient}). Published
 * on the messenger's callback thread, never on its I/O loop. Listen for it with {@code @EventListener}.
 */
public class PeerChangedEvent extends ApplicationEvent {
    private static final long serialVersionUID = 1L;

    private final transient PeerChange change;

    /** An event from {@code messenger} for {@code change}. */
    public PeerChangedEvent(ReliableMessenger messenger, PeerChange change) {
        super(messenger);
        this.change = Objects.requireNonNull(change, "change");
    }

    /** The messenger whose peers changed. */
    public ReliableMessenger getMessenger() {
        return (ReliableMessenger) getSource();
    }

    /** The change: peer, kind, addresses now. */
    public PeerChange getChange() {
        return change;
    }

    /** The peer's name. */
    public String getPeer() {
        return change.peer();
    }

    /** What changed. */
    public PeerChange.Kind getKind() {
        return change.kind();
    }

    /** The peer's addresses now, as host:port (empty when removed or unresolved). */
    public List<String> getAddresses() {
        return change.addresses();
    }

    @Override
    public String toString() {
        return "PeerChangedEvent[" + change + "]";
    }
}
