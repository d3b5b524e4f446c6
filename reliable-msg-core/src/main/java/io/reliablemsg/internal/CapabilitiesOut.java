package io.reliablemsg.internal;

/** Where the capability negotiation puts its CAPABILITIES frames: each in a datagram of its own. */
interface CapabilitiesOut {
    /** Sends our CAPABILITIES to {@code to} at once, alone in its datagram, asking for an answer when told to. */
    void capabilities(PeerOutbox to, boolean answerRequested);
}
