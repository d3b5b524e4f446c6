package io.reliablemsg.internal;

import io.reliablemsg.PeerChange;

/** Where changes of the peer set go to reach the user's peer listener, off the loop. */
interface PeerEvents {
    /** The loop applied {@code change}. */
    void peerChanged(PeerChange change);
}
