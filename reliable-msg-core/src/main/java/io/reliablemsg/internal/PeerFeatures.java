package io.reliablemsg.internal;

/** What the requester asks the capability negotiation before it writes a REQUEST (docs/PROTOCOL.md, 7.5). */
interface PeerFeatures {
    /** Whether {@code peer}'s current incarnation advertised every bit of {@code feature}. */
    boolean reads(PeerCapabilities peer, long feature);

    /**
     * Whether what {@code peer} reads is known now (KNOWN, or LEGACY about a peer that was heard from: revision
     * 1), not still being found out; a peer never heard from is unknown, however long it stayed silent.
     */
    boolean settled(PeerCapabilities peer);
}
