package io.reliablemsg.internal;

import io.reliablemsg.FailureReason;
import io.reliablemsg.IdleStrategy;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.Transport;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one loop that owns the socket, the clock and the timer. Each pass reads the clock once, then:
 * receives what is waiting, acks and answers what handlers finished, hangs newly accepted messages on
 * the chain, runs what is due, and sends the datagrams it bundled. Between passes it waits on the socket for at most half an
 * interval or until the next deadline, whichever is sooner (seed S2).
 *
 * <p>Sending threads hand messages over through a bounded lock-free queue. When the loop is asleep,
 * nothing is queued and nothing is in flight (an idle link), the sending thread instead takes the
 * engine lock and puts the message on the chain and the wire itself: a wakeup and a thread hand-off
 * saved where latency is what counts. With messages in flight the queue is used, so that the loop
 * bundles what is ready at once. The engine is only ever used under that lock, which the loop
 * holds for a whole pass.
 *
 * <p>Changes of the peer set are applied at the start of a pass and again after the submissions of
 * the pass were taken and before they are handled: a change queued before a message was accepted is
 * then always applied before that message reaches the sender (a message to a peer just added finds
 * it, one to a peer just removed fails). The idle-link shortcut is not taken while a change waits.
 */
public final class MessengerLoop implements Runnable {
    private static final Logger LOG = System.getLogger(MessengerLoop.class.getName());
    private static final int BATCH = 256;

    private final Engine engine;
    private final PeerResolution resolution;
    private final Transport transport;
    private final Clock clock;
    private final long halfIntervalNs;
    private final IdleStrategy idle;
    private final BoundedMpscQueue<PendingMessage> submissions;
    /** The submissions of the pass, taken before the peer changes queued ahead of them are applied. */
    private final PendingMessage[] batch = new PendingMessage[BATCH];
    private int batchNext;
    private int batchEnd;
    private final ReentrantLock engineLock = new ReentrantLock();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(1 << 16);
    private volatile boolean stopRequested;
    private long nextHousekeepingNs = Long.MIN_VALUE;
    private long loopErrors;

    MessengerLoop(Engine engine, PeerResolution resolution, Transport transport, Clock clock, long intervalNs,
                  int capacity, IdleStrategy idle) {
        this.idle = idle;
        this.submissions = new BoundedMpscQueue<>(capacity);
        this.engine = engine;
        this.resolution = resolution;
        this.transport = transport;
        this.clock = clock;
        this.halfIntervalNs = Math.max(1, intervalNs / 2);
    }

    /**
     * Hands an accepted message to the loop, or sends it from the calling thread when the loop is
     * idle. Thread-safe. The caller has reserved a chain slot, so the queue has room.
     */
    public void submit(PendingMessage m) {
        if (sleeping.get() && submissions.isEmpty() && engineLock.tryLock()) {
            try {
                if (!stopRequested && engine.chainSize() == 0 && !engine.peerChangesPending()) {
                    long nowNs = clock.nanoTime();
                    engine.submit(m, nowNs, clock.currentTimeMillis());
                    engine.flush(nowNs);
                    return;
                }
            } finally {
                engineLock.unlock();
            }
        }
        if (!submissions.offer(m)) {
            throw new IllegalStateException("submission queue full: chain reservations should prevent this");
        }
        if (sleeping.get()) {
            transport.wakeup();
        }
    }

    /** Wakes the loop if it waits (a handler finished). Thread-safe. */
    public void wake() {
        if (sleeping.get()) {
            transport.wakeup();
        }
    }

    /** Asks {@link #run()} to return after its current pass. Thread-safe. */
    public void requestStop() {
        stopRequested = true;
        transport.wakeup();
    }

    @Override
    public void run() {
        while (!stopRequested) {
            try {
                long waitNs;
                engineLock.lock();
                try {
                    // After a pass that did work, PARK goes straight to the wait below rather than through a
                    // second pass that finds nothing: the selector returns at once when a datagram waits (level
                    // triggered), the wait is skipped when a submission or a completion does, and a deadline
                    // already due makes it a non-blocking select. One receive system call and one pass fewer per
                    // wake-up; YIELD and SPIN, which never sleep, pass again at once.
                    waitNs = pass() && idle != IdleStrategy.PARK ? -1
                            : Math.min(deadlineNs() - clock.nanoTime(), halfIntervalNs);
                } finally {
                    engineLock.unlock();
                }
                if (waitNs >= 0 && idle != IdleStrategy.PARK) {
                    if (idle == IdleStrategy.YIELD) {
                        Thread.yield(); // poll again at once: never asleep, so senders need no wake-up
                    } else {
                        Thread.onSpinWait();
                    }
                } else if (waitNs >= 0) {
                    sleeping.set(true);
                    if (submissions.isEmpty() && !engine.completionsPending() && !stopRequested) {
                        transport.await(waitNs);
                    }
                    sleeping.set(false);
                }
            } catch (Throwable t) {
                sleeping.set(false);
                loopErrors++;
                if (Long.bitCount(loopErrors) == 1) {
                    LOG.log(Level.ERROR, "I/O loop pass failed (" + loopErrors + " so far); continuing", t);
                }
            }
        }
        shutdown();
    }

    /** One pass; returns whether it found anything to do. Called by {@link #run()} or a simulation. */
    public boolean runOnce() throws IOException {
        engineLock.lock();
        try {
            return pass();
        } finally {
            engineLock.unlock();
        }
    }

    private boolean pass() throws IOException {
        long nowNs = clock.nanoTime();
        long nowMillis = clock.currentTimeMillis();
        int work = engine.applyPeerChanges(nowNs, nowMillis) ? 1 : 0;
        for (int i = 0; i < BATCH; i++) {
            receiveBuffer.clear();
            InetSocketAddress source = transport.receive(receiveBuffer);
            if (source == null) {
                break;
            }
            receiveBuffer.flip();
            engine.onDatagram(source, receiveBuffer, nowNs, nowMillis);
            work++;
        }
        work += engine.runCompletions(nowNs, nowMillis);
        if (batchNext == batchEnd) { // else a pass failed halfway through its batch: finish that first
            batchNext = 0;
            batchEnd = 0;
            while (batchEnd < BATCH && (batch[batchEnd] = submissions.poll()) != null) {
                batchEnd++;
            }
            if (batchEnd > 0) {
                engine.applyPeerChanges(nowNs, nowMillis); // queued before these messages were accepted
            }
        }
        while (batchNext < batchEnd) {
            PendingMessage m = batch[batchNext];
            batch[batchNext++] = null;
            engine.submit(m, nowNs, nowMillis);
            work++;
        }
        if (engine.nextDeadlineNs() <= nowNs) {
            engine.runTimers(nowNs, nowMillis);
        }
        if (nowNs >= nextHousekeepingNs) {
            engine.expireWindows(nowNs);
            nextHousekeepingNs = nowNs + halfIntervalNs;
        }
        engine.flush(nowNs);
        if (engine.passEndMatters()) { // the copies of a long pass left at its end, not at its start
            engine.passEnded(clock.nanoTime());
        }
        resolution.onPass(nowNs); // starts a round of host name lookups off the loop when one is due
        return work > 0;
    }

    private long deadlineNs() {
        return engine.peerChangesPending() ? Long.MIN_VALUE // queued by a round of lookups, say: apply them now
                : Math.min(engine.nextDeadlineNs(), resolution.nextRoundNs());
    }

    /** Earliest time this loop has work of its own to do (a retransmit deadline, a round of host name lookups). */
    public long nextDeadlineNs() {
        engineLock.lock();
        try {
            return deadlineNs();
        } finally {
            engineLock.unlock();
        }
    }

    /**
     * Fails what is on the chain and what was never picked up, with the shutdown reason. Called by
     * the loop thread as it ends, or by the closing thread when no loop thread runs; the messenger
     * guarantees no send is in progress by then.
     */
    public void shutdown() {
        engineLock.lock();
        try {
            stopRequested = true;
            engine.applyPeerChanges(clock.nanoTime(), clock.currentTimeMillis());
            PendingMessage m;
            while (batchNext < batchEnd) {
                engine.failUnsent(batch[batchNext], FailureReason.SHUTDOWN);
                batch[batchNext++] = null;
            }
            while ((m = submissions.poll()) != null) {
                engine.failUnsent(m, FailureReason.SHUTDOWN);
            }
            engine.failAll(FailureReason.SHUTDOWN);
            engine.flush(clock.nanoTime());
        } finally {
            engineLock.unlock();
        }
    }
}
