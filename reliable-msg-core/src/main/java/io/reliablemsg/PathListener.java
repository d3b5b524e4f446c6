package io.reliablemsg;

/**
 * Told of every change of state of a path to a peer (a path failing, coming back, taking over the
 * traffic). Runs on the messenger's callback thread, in order with the other callbacks; exceptions
 * are logged and counted in {@link MessengerStats#handlerErrors()}. The same change is logged once
 * at INFO (back, active) or WARNING (failed) whether or not a listener is set.
 */
@FunctionalInterface
public interface PathListener {
    /** {@code change} happened. */
    void onPathChanged(PathChange change);
}
