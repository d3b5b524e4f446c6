package io.reliablemsg.internal;

import io.reliablemsg.AckListener;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.TraceContext;
import io.reliablemsg.PathChange;
import io.reliablemsg.PathListener;
import io.reliablemsg.PeerChange;
import io.reliablemsg.PeerListener;
import io.reliablemsg.SendFailure;
import io.reliablemsg.SendFailureListener;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs business callbacks off the I/O loop, in arrival order, on {@link CallbackLane}s: the inbound handler,
 * request handlers ({@link CallbackTasks}), the failure, ack, path and peer listeners, and replies' futures.
 * With one lane (the default) they all share one thread; with {@code handlerThreads} lanes, each peer's
 * deliveries go to the lane of its name (in order per peer, concurrent across peers) and everything else to
 * the first. A slow or throwing callback can delay only later callbacks of its lane, never acks or retransmissions. Deliveries waiting here
 * are bounded ({@code capacity}); when full, the receiver does not ack, and the sender retransmits.
 * Failures, acks and replies waiting here are bounded by the chain's capacity, because their send slot is
 * released only after their listener ran. Without an ack listener an ack frees its slot at once.
 * With {@code inline}, callbacks run on the caller (the loop): for handlers that never block, and for
 * single-threaded simulations.
 */
final class CallbackDispatcher implements Delivery, SendOutcomes, PathEvents, PeerEvents, CallbackTasks {
    private static final Logger LOG = System.getLogger(CallbackDispatcher.class.getName());

    record FailureTask(SendFailure failure, int peerIndex) { }

    record AckTask(String peer, int peerIndex, long msgId, long latencyNs, int transmissions) { }

    private record QueuedDelivery(Runnable run) { }

    private final InboundHandler handler;
    private final SendFailureListener failureListener;
    private final AckListener ackListener;
    private final PathListener pathListener;
    private final PeerListener peerListener;
    private final SendSlots slots;
    private final AtomicLong handlerErrors;
    private final int capacity;
    private final AtomicInteger queuedDeliveries = new AtomicInteger();
    private final CallbackLane[] lanes;
    private final boolean inline;

    /**
     * Callbacks on {@code lanes} threads named {@code name}, {@code name-1} ... from {@code factory} (null: daemon
     * platform threads), or inline; {@code ackListener}, {@code pathListener} and {@code peerListener} may be
     * null. Slots of reported outcomes go back to {@code slots}; listener exceptions count in {@code handlerErrors}.
     */
    CallbackDispatcher(String name, InboundHandler handler, SendFailureListener failureListener,
                       AckListener ackListener, PathListener pathListener, PeerListener peerListener, SendSlots slots,
                       AtomicLong handlerErrors, int capacity, boolean inline, int lanes, ThreadFactory factory) {
        this.handler = handler;
        this.failureListener = failureListener;
        this.ackListener = ackListener;
        this.pathListener = pathListener;
        this.peerListener = peerListener;
        this.slots = slots;
        this.handlerErrors = handlerErrors;
        this.capacity = capacity;
        this.inline = inline;
        this.lanes = new CallbackLane[inline ? 0 : lanes];
        for (int i = 0; i < this.lanes.length; i++) {
            this.lanes[i] = new CallbackLane(i == 0 ? name : name + "-" + i, factory, this::run);
        }
    }

    @Override
    public boolean offer(InboundMessage message) {
        if (inline) {
            deliver(message);
            return true;
        }
        return enqueueDelivery(message.peer(), message);
    }

    @Override
    public boolean offer(InboundMessage message, TraceContext traceContext) { // only a traced one costs the lambdas
        return traceContext == null ? offer(message) : offerDelivery(message.peer(), () ->
                guarded(() -> handler.onMessage(message, traceContext), "inbound handler threw on ", message));
    }

    @Override
    public boolean offerDelivery(String peer, Runnable delivery) {
        if (inline) {
            delivery.run();
            return true;
        }
        return enqueueDelivery(peer, new QueuedDelivery(delivery));
    }

    private boolean enqueueDelivery(String peer, Object delivery) {
        if (queuedDeliveries.incrementAndGet() > capacity) {
            queuedDeliveries.decrementAndGet();
            return false;
        }
        lanes[Math.floorMod(peer.hashCode(), lanes.length)].add(delivery);
        return true;
    }

    /** Whether lane {@code index} has started its thread (a lane starts with its first callback). */
    boolean laneStarted(int index) {
        return lanes[index].started();
    }

    @Override
    public void execute(Runnable task) {
        if (inline) {
            task.run();
        } else {
            lanes[0].add(task);
        }
    }

    @Override
    public void failed(SendFailure failure, int peerIndex) {
        if (inline) {
            fail(failure, peerIndex);
        } else {
            lanes[0].add(new FailureTask(failure, peerIndex));
        }
    }

    @Override
    public void acked(String peer, int peerIndex, long msgId, long latencyNs, int transmissions) {
        if (ackListener == null || ackListener instanceof SendFutures futures && !futures.wanted()) {
            slots.release(peerIndex); // nobody listens: no hand-off
        } else if (inline) {
            // nothing queues up inline, so there is nothing to bound: the slot is free before the listener
            // runs, and a listener (or a future's stage) that sends the next message finds room
            slots.release(peerIndex);
            tellAckListener(peer, msgId, latencyNs, transmissions);
        } else {
            lanes[0].add(new AckTask(peer, peerIndex, msgId, latencyNs, transmissions));
        }
    }

    @Override
    public void pathChanged(PathChange change) {
        if (pathListener != null) {
            notice(() -> pathListener.onPathChanged(change), "path listener threw on ", change);
        }
    }

    @Override
    public void peerChanged(PeerChange change) {
        if (peerListener != null) {
            notice(() -> peerListener.onPeerChanged(change), "peer listener threw on ", change);
        }
    }

    /** A path or peer notice: runs now (inline) or queued in order with everything else. */
    private void notice(Runnable call, String onError, Object subject) {
        Runnable guarded = () -> guarded(call, onError, subject);
        if (inline) {
            guarded.run();
        } else {
            lanes[0].add(guarded);
        }
    }

    /** Deliveries queued now and not yet handed to the handler. */
    int queuedDeliveries() {
        return queuedDeliveries.get();
    }

    /**
     * Runs what is queued (for at most {@code timeoutNs}) and stops. What a blocked listener never
     * saw is logged, failures one line each with their user buffer, and its slots are released.
     */
    void close(long timeoutNs) {
        long deadlineNs = System.nanoTime() + timeoutNs;
        for (CallbackLane lane : lanes) {
            lane.stop();
        }
        for (CallbackLane lane : lanes) {
            lane.awaitStop(deadlineNs, slots);
        }
    }

    private void run(Object task) {
        if (task instanceof InboundMessage message) {
            queuedDeliveries.decrementAndGet();
            deliver(message);
        } else if (task instanceof QueuedDelivery delivery) {
            queuedDeliveries.decrementAndGet();
            delivery.run().run(); // counts its own errors
        } else if (task instanceof Runnable other) { // a reply's future, a path or peer notice: counts its own errors
            other.run();
        } else if (task instanceof AckTask a) {
            ack(a.peer(), a.peerIndex(), a.msgId(), a.latencyNs(), a.transmissions());
        } else {
            FailureTask f = (FailureTask) task;
            fail(f.failure(), f.peerIndex());
        }
    }

    private void deliver(InboundMessage message) {
        guarded(() -> handler.onMessage(message), "inbound handler threw on ", message);
    }

    private void ack(String peer, int peerIndex, long msgId, long latencyNs, int transmissions) {
        try {
            tellAckListener(peer, msgId, latencyNs, transmissions);
        } finally {
            slots.release(peerIndex);
        }
    }

    /** Called once per ack: no lambda and no message text unless the listener throws (the text is the error's). */
    private void tellAckListener(String peer, long msgId, long latencyNs, int transmissions) {
        try {
            ackListener.onAcked(peer, msgId, latencyNs, transmissions);
        } catch (Throwable t) {
            callbackError("ack listener threw on message ", msgId + " to " + peer, t);
        }
    }

    private void fail(SendFailure failure, int peerIndex) {
        try {
            guarded(() -> failureListener.onSendFailed(failure), "send failure listener threw on ", failure);
        } finally {
            slots.release(peerIndex);
        }
    }

    /** Runs a business callback; what it throws is counted and logged (1st, 2nd, 4th, 8th ...: visible, no flood). */
    private void guarded(Runnable call, String what, Object subject) {
        try {
            call.run();
        } catch (Throwable t) {
            callbackError(what, subject, t);
        }
    }

    private void callbackError(String what, Object subject, Throwable t) {
        long n = handlerErrors.incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.log(Level.WARNING, what + subject + " (" + n + " callback errors so far)", t);
        }
    }
}
