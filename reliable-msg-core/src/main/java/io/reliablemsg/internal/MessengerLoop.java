package io.reliablemsg.internal;

import io.reliablemsg.FailureReason;
import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.Transport;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one loop that owns the socket, the clock and the timer. Each pass reads the clock once, then:
 * receives what is waiting, hangs newly accepted messages on the chain, runs what is due, and
 * sends the datagrams it bundled. Between passes it waits on the socket for at most half an
 * interval or until the next deadline, whichever is sooner (seed S2). Sending threads hand messages
 * over through a lock-free queue and wake it only when it sleeps.
 */
public final class MessengerLoop implements Runnable {
    private static final Logger LOG = System.getLogger(MessengerLoop.class.getName());
    private static final int BATCH = 256;

    private final Engine engine;
    private final Transport transport;
    private final Clock clock;
    private final long halfIntervalNs;
    private final Queue<PendingMessage> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(1 << 16);
    private volatile boolean stopRequested;
    private long nextHousekeepingNs = Long.MIN_VALUE;
    private long loopErrors;

    public MessengerLoop(Engine engine, Transport transport, Clock clock, long intervalNs) {
        this.engine = engine;
        this.transport = transport;
        this.clock = clock;
        this.halfIntervalNs = Math.max(1, intervalNs / 2);
    }

    /** Hands an accepted message to the loop. Thread-safe. */
    public void submit(PendingMessage m) {
        submissions.add(m);
        if (sleeping.get()) {
            transport.wakeup();
        }
    }

    /** Takes back a message not yet picked up; false if the loop already has it. Thread-safe. */
    public boolean withdraw(PendingMessage m) {
        return submissions.remove(m);
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
                if (!runOnce()) {
                    long nowNs = clock.nanoTime();
                    long waitNs = Math.min(engine.nextDeadlineNs() - nowNs, halfIntervalNs);
                    sleeping.set(true);
                    if (submissions.isEmpty() && !stopRequested) {
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
        long nowNs = clock.nanoTime();
        long nowMillis = clock.currentTimeMillis();
        int work = 0;
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
        for (int i = 0; i < BATCH; i++) {
            PendingMessage m = submissions.poll();
            if (m == null) {
                break;
            }
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
        engine.flush();
        return work > 0;
    }

    /** Earliest time this loop has work of its own to do (a retransmit deadline). */
    public long nextDeadlineNs() {
        return engine.nextDeadlineNs();
    }

    /** Fails what is on the chain and what was never picked up, with the shutdown reason. */
    public void shutdown() {
        PendingMessage m;
        while ((m = submissions.poll()) != null) {
            engine.failUnsent(m, FailureReason.SHUTDOWN);
        }
        engine.failAll(FailureReason.SHUTDOWN);
        engine.flush();
    }
}
