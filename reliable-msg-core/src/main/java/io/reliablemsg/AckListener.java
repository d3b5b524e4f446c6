package io.reliablemsg;

/**
 * Observes acks as they arrive, for metrics or bookkeeping. Runs on the messenger's callback thread
 * (on the I/O loop only with {@code inlineCallbacks}), in order with failures and with the deliveries of the
 * first lane (all deliveries unless {@link MessengerConfig#handlerThreads()} is above 1). The
 * message's send slot is freed after the listener returned, so a slow listener makes {@code send}
 * refuse sooner but never delays acks or retransmissions. Exceptions are logged and counted in
 * {@link MessengerStats#handlerErrors()}.
 */
@FunctionalInterface
public interface AckListener {
    /** Message {@code msgId} to {@code peer} was acked {@code latencyNs} after its first send. */
    void onAcked(String peer, long msgId, long latencyNs, int transmissions);
}
