package io.reliablemsg.internal;

import io.reliablemsg.chain.PendingMessage;

/** Where the sender puts a message copy on its way to the wire. */
interface DataOut {
    /** Queues a DATA frame of {@code m} for {@code to}, stamped with {@code nowMillis} as its send time (S3, S4). */
    void data(PeerOutbox to, PendingMessage m, long nowMillis);

    /**
     * Queues FRAGMENT {@code index} of {@code m} (fragments of {@code m.fragments().fragmentBytes()} bytes) for
     * {@code to}, stamped with {@code nowMillis} as its send time.
     */
    default void fragment(PeerOutbox to, PendingMessage m, int index, long nowMillis) {
        throw new UnsupportedOperationException("this output writes no fragments");
    }
}
