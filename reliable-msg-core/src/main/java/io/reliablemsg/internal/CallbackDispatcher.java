package io.reliablemsg.internal;

import io.reliablemsg.AckListener;
import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.PathChange;
import io.reliablemsg.PathListener;
import io.reliablemsg.PeerChange;
import io.reliablemsg.PeerListener;
import io.reliablemsg.SendFailure;
import io.reliablemsg.SendFailureListener;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs business callbacks off the I/O loop, in arrival order, on one thread: the inbound handler, request
 * handlers ({@link CallbackTasks}), the failure, ack, path and peer listeners, and replies' futures. A slow or
 * throwing callback can delay only later callbacks, never acks or retransmissions. Deliveries waiting here
 * are bounded ({@code capacity}); when full, the receiver does not ack, and the sender retransmits.
 * Failures, acks and replies waiting here are bounded by the chain's capacity, because their send slot is
 * released only after their listener ran. Without an ack listener an ack frees its slot at once.
 * With {@code inline}, callbacks run on the caller (the loop): for handlers that never block, and for
 * single-threaded simulations.
 */
final class CallbackDispatcher implements Delivery, SendOutcomes, PathEvents, PeerEvents, CallbackTasks {
    private static final Logger LOG = System.getLogger(CallbackDispatcher.class.getName());
    private static final Object STOP = new Object();

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
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final boolean inline;

    /**
     * Callbacks on a thread named {@code name} (or inline); {@code ackListener}, {@code pathListener} and
     * {@code peerListener} may be null. Slots of reported outcomes go back to {@code slots}; listener exceptions count in {@code handlerErrors}.
     */
    CallbackDispatcher(String name, InboundHandler handler, SendFailureListener failureListener,
                       AckListener ackListener, PathListener pathListener, PeerListener peerListener, SendSlots slots,
                       AtomicLong handlerErrors, int capacity, boolean inline) {
        this.handler = handler;
        this.failureListener = failureListener;
        this.ackListener = ackListener;
        this.pathListener = pathListener;
        this.peerListener = peerListener;
        this.slots = slots;
        this.handlerErrors = handlerErrors;
        this.capacity = capacity;
        this.inline = inline;
        this.thread = inline ? null : new Thread(this::run, name);
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public boolean offer(InboundMessage message) {
        if (inline) {
            deliver(message);
            return true;
        }
        return enqueueDelivery(message);
    }

    @Override
    public boolean offerDelivery(Runnable delivery) {
        if (inline) {
            delivery.run();
            return true;
        }
        return enqueueDelivery(new QueuedDelivery(delivery));
    }

    private boolean enqueueDelivery(Object delivery) {
        if (queuedDeliveries.incrementAndGet() > capacity) {
            queuedDeliveries.decrementAndGet();
            return false;
        }
        return queue.add(delivery);
    }

    @Override
    public void execute(Runnable task) {
        if (inline) {
            task.run();
        } else {
            queue.add(task);
        }
    }

    @Override
    public void failed(SendFailure failure, int peerIndex) {
        if (inline) {
            fail(failure, peerIndex);
        } else {
            queue.add(new FailureTask(failure, peerIndex));
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
            queue.add(new AckTask(peer, peerIndex, msgId, latencyNs, transmissions));
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
            queue.add(guarded);
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
        if (inline) {
            return;
        }
        queue.add(STOP);
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNs)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.ERROR, "callback thread " + thread.getName() + " did not finish within the close timeout "
                    + "(a handler or listener blocks); interrupting it with " + queue.size() + " callbacks queued");
            thread.interrupt();
            UnreportedAtClose.drain(queue, slots);
        }
    }

    private void run() {
        while (true) {
            Object task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
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

    private void tellAckListener(String peer, long msgId, long latencyNs, int transmissions) {
        guarded(() -> ackListener.onAcked(peer, msgId, latencyNs, transmissions), "ack listener threw on message ",
                msgId + " to " + peer);
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
            long n = handlerErrors.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.log(Level.WARNING, what + subject + " (" + n + " callback errors so far)", t);
            }
        }
    }
}
