package io.reliablemsg.internal;

/** Where liveness puts its probes (heartbeats) on their way to the wire. */
interface ProbeOut {
    /** Queues a PING frame for {@code to}, sent at {@code nowMillis}. */
    void ping(PeerOutbox to, long nowMillis);

    /** Queues a PONG frame for {@code to} answering its ping of {@code echoedSendTimeMillis}. */
    void pong(PeerOutbox to, long echoedSendTimeMillis, long nowMillis);
}
