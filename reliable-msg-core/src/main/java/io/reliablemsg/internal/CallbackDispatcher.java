package io.reliablemsg.internal;

import io.reliablemsg.InboundHandler;
import io.reliablemsg.InboundMessage;
import io.reliablemsg.SendFailure;
import io.reliablemsg.SendFailureListener;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs business callbacks off the I/O loop, in arrival order, on one thread: a slow or throwing
 * handler can delay only later callbacks, never acks or retransmissions. Deliveries waiting here
 * are bounded ({@code capacity}); when full, the engine does not ack, and the sender retransmits.
 * Failures are bounded by the chain's capacity, because their chain slot is released only after
 * the listener ran.
 */
final class CallbackDispatcher implements Callbacks {
    private static final Logger LOG = System.getLogger(CallbackDispatcher.class.getName());
    private static final Object STOP = new Object();

    private record FailureTask(SendFailure failure, Runnable release) {
    }

    private final InboundHandler handler;
    private final SendFailureListener failureListener;
    private final AtomicLong handlerErrors;
    private final int capacity;
    private final AtomicInteger queuedDeliveries = new AtomicInteger();
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final boolean inline;

    CallbackDispatcher(String name, InboundHandler handler, SendFailureListener failureListener,
                       AtomicLong handlerErrors, int capacity, boolean inline) {
        this.handler = handler;
        this.failureListener = failureListener;
        this.handlerErrors = handlerErrors;
        this.capacity = capacity;
        this.inline = inline;
        if (inline) {
            thread = null;
        } else {
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public boolean offerDelivery(InboundMessage message) {
        if (inline) {
            deliver(message);
            return true;
        }
        if (queuedDeliveries.incrementAndGet() > capacity) {
            queuedDeliveries.decrementAndGet();
            return false;
        }
        queue.add(message);
        return true;
    }

    @Override
    public void failure(SendFailure failure, Runnable release) {
        if (inline) {
            fail(failure, release);
        } else {
            queue.add(new FailureTask(failure, release));
        }
    }

    @Override
    public void close(long timeoutNs) {
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
                    + "(a handler or failure listener blocks); interrupting it with " + queue.size() + " callbacks queued");
            thread.interrupt();
            // What the listener will never see is at least written down, one line each, with its user buffer.
            Object task;
            while ((task = queue.poll()) != null) {
                if (task instanceof FailureTask f) {
                    LOG.log(Level.ERROR, "send failure not reported to the listener at close: " + f.failure()
                            + " userBuffer=" + HexFormat.of().formatHex(f.failure().userBuffer()));
                    f.release().run();
                }
            }
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
            } else {
                FailureTask f = (FailureTask) task;
                fail(f.failure(), f.release());
            }
        }
    }

    private void deliver(InboundMessage message) {
        try {
            handler.onMessage(message);
        } catch (Throwable t) {
            long n = handlerErrors.incrementAndGet();
            if (Long.bitCount(n) == 1) { // 1st, 2nd, 4th, 8th ... error: visible, but no flood
                LOG.log(Level.WARNING, "inbound handler threw on " + message + " (" + n + " handler errors so far)", t);
            }
        }
    }

    private void fail(SendFailure failure, Runnable release) {
        try {
            failureListener.onSendFailed(failure);
        } catch (Throwable t) {
            long n = handlerErrors.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.log(Level.WARNING, "send failure listener threw on " + failure + " (" + n + " errors so far)", t);
            }
        } finally {
            release.run();
        }
    }
}
