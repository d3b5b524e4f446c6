package io.reliablemsg.internal;

import io.reliablemsg.Reply;
import java.time.Duration;

/**
 * Completes a request's future with its reply off the I/O loop, then frees its send slot: on the callback
 * thread in order with the other callbacks, or, when callbacks run inline, at once with the slot freed
 * first and the future completed on the common pool (as {@link SendFutures} completes acks). Internal.
 */
final class ReplyDispatch implements ReplyOutcomes {
    /** A reply waiting on the callback thread; holds the request's slot until it ran. */
    record ReplyTask(Reply reply, int peerIndex, SendFutures futures, SendSlots slots) implements Runnable {
        @Override
        public void run() {
            try {
                futures.onReplied(reply);
            } finally {
                slots.release(peerIndex);
            }
        }
    }

    private final SendFutures futures;
    private final CallbackTasks callbacks;
    private final SendSlots slots;
    private final boolean inline;

    ReplyDispatch(SendFutures futures, CallbackTasks callbacks, SendSlots slots, boolean inline) {
        this.futures = futures;
        this.callbacks = callbacks;
        this.slots = slots;
        this.inline = inline;
    }

    @Override
    public void replied(String peer, int peerIndex, long msgId, byte[] reply, long roundTripNs, int transmissions) {
        Reply answer = new Reply(peer, msgId, reply, transmissions, Duration.ofNanos(roundTripNs));
        if (inline) {
            slots.release(peerIndex); // nothing queues up inline: a stage that sends the next request finds room
            futures.onReplied(answer);
        } else {
            callbacks.execute(new ReplyTask(answer, peerIndex, futures, slots));
        }
    }
}
