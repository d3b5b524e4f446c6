package io.reliablemsg;

/**
 * Told once for every message that was given up, never for an acked one. Runs on the callback
 * thread (or the I/O loop when callbacks are inline). The message's place on the chain is released
 * only after this returns, so a slow listener slows senders down instead of growing memory.
 */
@FunctionalInterface
public interface SendFailureListener {
    /** Handles one failed message. */
    void onSendFailed(SendFailure failure);
}
