package io.reliablemsg.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HexFormat;
import java.util.Queue;

/**
 * What a callback thread blocked past the close timeout never reported: each failure logged on a line of
 * its own with its user buffer, acks and replies counted, and every slot they held released.
 */
final class UnreportedAtClose {
    private static final Logger LOG = System.getLogger(CallbackDispatcher.class.getName());

    private UnreportedAtClose() {
    }

    /** Empties {@code queue}, the dispatcher's, releasing to {@code slots} what its outcomes held. */
    static void drain(Queue<Object> queue, SendSlots slots) {
        long acksUnreported = 0;
        long repliesUnreported = 0;
        Object task;
        while ((task = queue.poll()) != null) {
            if (task instanceof CallbackDispatcher.FailureTask f) {
                LOG.log(Level.ERROR, "send failure not reported to the listener at close: " + f.failure()
                        + " userBuffer=" + HexFormat.of().formatHex(f.failure().userBuffer()));
                slots.release(f.peerIndex());
            } else if (task instanceof CallbackDispatcher.AckTask a) {
                acksUnreported++;
                slots.release(a.peerIndex());
            } else if (task instanceof ReplyDispatch.ReplyTask r) {
                repliesUnreported++;
                slots.release(r.peerIndex());
            }
        }
        if (acksUnreported > 0) {
            LOG.log(Level.WARNING, acksUnreported + " acks not reported to the ack listener at close");
        }
        if (repliesUnreported > 0) {
            LOG.log(Level.WARNING, repliesUnreported + " replies not handed to their futures at close");
        }
    }
}
