package io.reliablemsg.internal;

import io.reliablemsg.PathChange;

/** Where path changes go to reach the user's path listener, off the loop. */
interface PathEvents {
    /** A path changed state. */
    void pathChanged(PathChange change);
}
