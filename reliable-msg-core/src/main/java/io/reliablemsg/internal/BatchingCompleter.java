package io.reliablemsg.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Completes futures off the I/O loop when callbacks run inline: completions queue here and one task on
 * {@code pool} runs every completion queued by then, in order, so a busy loop hands the pool one task per
 * batch instead of one per future (on a 2-core host the common pool has one thread, and a task per reply
 * made it the bottleneck of many requests in flight). A stage that blocks holds up the completions after it:
 * with inline callbacks, block only in {@code *Async} stages on an executor of your own.
 */
final class BatchingCompleter implements Executor {
    private static final Logger LOG = System.getLogger(BatchingCompleter.class.getName());

    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    BatchingCompleter(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable completion) {
        queue.add(completion);
        if (scheduled.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        do {
            Runnable next;
            while ((next = queue.poll()) != null) {
                try {
                    next.run();
                } catch (RuntimeException | Error e) { // a future's complete never throws; a bug of ours would
                    LOG.log(Level.ERROR, "completing a future failed", e);
                }
            }
            scheduled.set(false);
            // a completion queued after the last poll but before the flag cleared has no task: take it on
        } while (!queue.isEmpty() && scheduled.compareAndSet(false, true));
    }
}
