package io.reliablemsg;

/**
 * Told of every change of the peer set once the I/O loop applied it: a peer added, removed, or whose
 * addresses changed (given anew, or its host names resolving to other addresses). Runs on the
 * messenger's callback thread, in order with the other callbacks; exceptions are logged and counted
 * in {@link MessengerStats#handlerErrors()}. Each change is logged at INFO whether or not a listener
 * is set.
 */
@FunctionalInterface
public interface PeerListener {
    /** {@code change} was applied. */
    void onPeerChanged(PeerChange change);
}
