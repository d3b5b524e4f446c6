package io.reliablemsg.spring;

import io.reliablemsg.AckListener;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Tells every {@link AckListener} bean (the metrics binder is one) of each ack. Runs on the messenger's
 * callback thread, never on the I/O loop; a message's send slot is freed once the listeners returned,
 * so slow listeners hold back new sends instead of stalling retransmission. Looked up on the first
 * ack, like {@link InboundHandlers}, so a listener may depend on the messenger.
 */
public final class AckListeners implements AckListener {
    private final Supplier<List<AckListener>> lookup;
    private volatile List<AckListener> listeners;

    /** Calls the listeners that {@code lookup} returns when the first ack arrives. */
    public AckListeners(Supplier<List<AckListener>> lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    @Override
    public void onAcked(String peer, long msgId, long latencyNs, int transmissions) {
        List<AckListener> current = listeners;
        if (current == null) {
            current = List.copyOf(lookup.get());
            listeners = current;
        }
        for (AckListener listener : current) {
            listener.onAcked(peer, msgId, latencyNs, transmissions);
        }
    }
}
