package io.reliablemsg.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One thread of the {@link CallbackDispatcher} and its queue, run in order. The thread starts with the first
 * task, so a lane no peer maps to costs no thread. Threads come from a {@link ThreadFactory} (the default
 * makes daemon platform threads); each is named after its lane.
 */
final class CallbackLane {
    private static final Logger LOG = System.getLogger(CallbackDispatcher.class.getName());
    private static final Object STOP = new Object();

    private final String name;
    private final ThreadFactory factory;
    private final Consumer<Object> runner;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private volatile Thread thread;

    /** A lane named {@code name} whose thread hands every task to {@code runner}; {@code factory} may be null. */
    CallbackLane(String name, ThreadFactory factory, Consumer<Object> runner) {
        this.name = name;
        this.factory = factory;
        this.runner = runner;
    }

    /** Queues {@code task}, starting the thread if this is the first. */
    void add(Object task) {
        if (thread == null) {
            start();
        }
        queue.add(task);
    }

    private synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread t;
        if (factory == null) {
            t = new Thread(this::run);
            t.setDaemon(true);
        } else {
            t = factory.newThread(this::run);
            if (t == null) {
                throw new IllegalStateException("the handler thread factory returned no thread for " + name);
            }
        }
        t.setName(name);
        t.start();
        thread = t;
    }

    /** Whether the thread has started (for tests and close). */
    boolean started() {
        return thread != null;
    }

    /** Asks the thread to stop once what is queued ran. */
    void stop() {
        if (thread != null) {
            queue.add(STOP);
        }
    }

    /**
     * Waits until {@code deadlineNs} (of {@link System#nanoTime()}) for the thread to finish; if it does not
     * (a handler blocks), interrupts it and reports through {@link UnreportedAtClose} what it never ran.
     */
    void awaitStop(long deadlineNs, SendSlots slots) {
        Thread t = thread;
        if (t == null) {
            return;
        }
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.log(Level.ERROR, "callback thread " + name + " did not finish within the close timeout "
                    + "(a handler or listener blocks); interrupting it with " + queue.size() + " callbacks queued");
            t.interrupt();
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
            runner.accept(task);
        }
    }
}
