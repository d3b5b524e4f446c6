package io.reliablemsg;

/**
 * Observes acks as they arrive, for metrics. Runs on the I/O loop: it must be quick and must not
 * block (a Micrometer timer's {@code record} is fine). Exceptions are logged and ignored.
 */
@FunctionalInterface
public interface AckListener {
    /** Message {@code msgId} to {@code peer} was acked {@code latencyNs} after its first send. */
    void onAcked(String peer, long msgId, long latencyNs, int transmissions);
}
