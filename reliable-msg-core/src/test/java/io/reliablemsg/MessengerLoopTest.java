package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import io.reliablemsg.time.ManualClock;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.DatagramWriter;
import io.reliablemsg.wire.FrameVisitor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The I/O loop ({@code MessengerLoop}) with its own thread, on a scripted transport instead of a
 * socket and a manual clock that never moves: the loop waits in {@code await} until the test or the
 * messenger wakes it, so every step is an event, never a sleep. It proves: an idle loop waits at most
 * half an interval; a send on an idle link goes out from the calling thread without waking the loop;
 * a send with messages in flight is queued and wakes it; close wakes and stops it and fails what is
 * pending with SHUTDOWN; a pass reads at most 256 datagrams and takes at most 256 submissions; it
 * releases the engine lock after every pass; idle duplicate windows are forgotten after the hold time.
 * The {@code @Timeout}s only stop a hung loop from hanging the build; no assertion depends on time.
 */
class MessengerLoopTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress SELF = new InetSocketAddress("10.0.0.1", 7000);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.2", 7000);

    /** A socket stand-in: the test queues datagrams to receive; await blocks until a wakeup. */
    private static final class ScriptedTransport implements Transport {
        final ConcurrentLinkedQueue<byte[]> inbound = new ConcurrentLinkedQueue<>();
        /** DATA message ids sent, in order. */
        final BlockingQueue<Long> dataSent = new LinkedBlockingQueue<>();
        final BlockingQueue<Long> awaits = new LinkedBlockingQueue<>();
        final AtomicInteger wakeups = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        /** Calls of receive, the ones that found nothing included. */
        final AtomicInteger receiveCalls = new AtomicInteger();
        private final Semaphore permits = new Semaphore(0);

        @Override
        public InetSocketAddress localAddress() {
            return SELF;
        }

        @Override
        public boolean send(InetSocketAddress target, ByteBuffer datagram) {
            DatagramReader.read(datagram.duplicate(), null, new FrameVisitor<Object>() {
                @Override
                public void onData(Object c, int clientId, long inc, long msgId, long s, int t, ByteBuffer d, int o,
                                   int l) {
                    dataSent.add(msgId);
                }

                @Override
                public void onAck(Object c, int ci, long i, int oc, long oi, long m, long e, long a, int t) {
                }
            });
            return true;
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) {
            receiveCalls.incrementAndGet();
            byte[] next = inbound.poll();
            if (next == null) {
                return null;
            }
            received.incrementAndGet();
            into.put(next);
            return PEER;
        }

        @Override
        public void await(long timeoutNs) {
            awaits.add(timeoutNs);
            permits.acquireUninterruptibly();
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
            permits.release();
        }

        /** Lets the loop out of its wait without counting as the messenger's wakeup. */
        void release() {
            permits.release();
        }

        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final ScriptedTransport transport = new ScriptedTransport();
    private final BlockingQueue<SendFailure> failures = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> acks = new LinkedBlockingQueue<>();

    private ReliableMessenger messenger() {
        MessengerConfig config = MessengerConfig.builder().clientId(1).bindAddress("10.0.0.1").port(7000)
                .peer("b", "10.0.0.2:7000").interval(Duration.ofMillis(100)).maxRetries(3)
                .closeTimeout(Duration.ZERO).build();
        return ReliableMessenger.builder(config).clock(clock).incarnation(11).transport(c -> transport)
                .inboundHandler(m -> { })
                .failureListener(failures::add)
                .ackListener((peer, msgId, latencyNs, transmissions) -> acks.add(msgId))
                .build();
    }

    private static byte[] ackFromPeer(long msgId, long echoedSendTimeMillis, long nowMillis) {
        DatagramWriter w = new DatagramWriter(200);
        w.begin(2, 22, 0);
        w.tryAppendAck(1, 11, msgId, echoedSendTimeMillis, nowMillis, 1, 0);
        ByteBuffer b = w.finish();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    private long nextAwait() throws InterruptedException {
        Long timeout = transport.awaits.poll(30, TimeUnit.SECONDS);
        assertThat(timeout).as("the loop went to wait").isNotNull();
        return timeout;
    }

    @Test
    @Timeout(60)
    void theLoopThreadWaitsHalfAnIntervalAtMostSendsFromTheCallerWhenIdleQueuesWhenBusyAndFailsThePendingOnClose()
            throws Exception {
        ReliableMessenger m = messenger();
        m.start();
        assertThat(nextAwait()).as("idle: half the 100 ms interval").isEqualTo(50 * MS);

        // idle link, loop asleep: the message goes out from this thread before send returns, nobody woken
        assertThat(m.send("b", new byte[] {1}, new byte[] {1})).isTrue();
        assertThat(transport.dataSent).containsExactly(1L);
        assertThat(transport.wakeups.get()).isZero();

        // a message in flight: the next one is queued for the loop, which is woken for it
        assertThat(m.send("b", new byte[] {2}, new byte[] {2})).isTrue();
        assertThat(transport.wakeups.get()).isOne();
        assertThat(transport.dataSent.poll(30, TimeUnit.SECONDS)).isEqualTo(1L);
        assertThat(transport.dataSent.poll(30, TimeUnit.SECONDS)).as("sent by the loop").isEqualTo(2L);
        nextAwait();

        // a received ack is read on the next pass
        transport.inbound.add(ackFromPeer(1, clock.currentTimeMillis(), clock.currentTimeMillis()));
        transport.release();
        assertThat(acks.poll(30, TimeUnit.SECONDS)).isEqualTo(1L);
        nextAwait();

        // message 2 is due for retransmission 100 ms after it was sent: 80 ms on, the loop waits only 20 ms
        clock.advanceNs(80 * MS);
        transport.release();
        assertThat(nextAwait()).as("until the retransmit deadline, sooner than half an interval").isEqualTo(20 * MS);

        // close: the loop is woken, stops, and fails message 2 with SHUTDOWN
        m.close();
        SendFailure failure = failures.poll(30, TimeUnit.SECONDS);
        assertThat(failure).isNotNull();
        assertThat(failure.msgId()).isEqualTo(2);
        assertThat(failure.reason()).isEqualTo(FailureReason.SHUTDOWN);
        assertThat(failures).isEmpty();
        assertThat(m.stats("b").acked()).isOne();
    }

    /**
     * After a pass that did work the loop waits at once (the wait returns at once while a datagram is
     * waiting), rather than passing again to find nothing: one datagram costs two receive calls, the one
     * that reads it and the one that finds the socket empty, and the wait still ends by the next deadline.
     */
    @Test
    @Timeout(60)
    void afterAPassThatDidWorkTheLoopWaitsWithoutASecondPass() throws Exception {
        ReliableMessenger m = messenger();
        m.start();
        nextAwait();
        assertThat(m.send("b", new byte[] {1}, new byte[] {1})).isTrue(); // from this thread: the loop sleeps
        transport.release();
        nextAwait();
        clock.advanceNs(30 * MS);
        int callsBefore = transport.receiveCalls.get();
        transport.inbound.add(ackFromPeer(1, clock.currentTimeMillis(), clock.currentTimeMillis()));
        transport.release();
        assertThat(acks.poll(30, TimeUnit.SECONDS)).isEqualTo(1L);
        assertThat(nextAwait()).as("the chain is empty now: half an interval").isEqualTo(50 * MS);
        assertThat(transport.receiveCalls.get() - callsBefore).as("one that read the ack, one that found none")
                .isEqualTo(2);

        // with a message in flight the wait after the working pass still ends at its retransmit deadline
        assertThat(m.send("b", new byte[] {2}, new byte[] {2})).isTrue();
        transport.release();
        nextAwait();
        clock.advanceNs(70 * MS);
        transport.inbound.add(ackFromPeer(7, clock.currentTimeMillis(), clock.currentTimeMillis())); // not on the chain
        transport.release();
        assertThat(nextAwait()).as("30 ms to message 2's deadline").isEqualTo(30 * MS);
        m.close();
    }

    /** YIELD and SPIN never wait in the transport: they poll again after each pass, idle or not. */
    @Test
    @Timeout(60)
    void yieldAndSpinNeverWaitInTheTransportAndStillReadWhatArrives() throws Exception {
        for (IdleStrategy strategy : new IdleStrategy[] {IdleStrategy.YIELD, IdleStrategy.SPIN}) {
            ScriptedTransport polled = new ScriptedTransport();
            BlockingQueue<Long> polledAcks = new LinkedBlockingQueue<>();
            MessengerConfig config = MessengerConfig.builder().clientId(1).bindAddress("10.0.0.1").port(7000)
                    .peer("b", "10.0.0.2:7000").interval(Duration.ofMillis(100)).maxRetries(3)
                    .idleStrategy(strategy).closeTimeout(Duration.ZERO).build();
            try (ReliableMessenger m = ReliableMessenger.builder(config).clock(clock).incarnation(11)
                    .transport(c -> polled).inboundHandler(x -> { }).failureListener(f -> { })
                    .ackListener((peer, msgId, latencyNs, transmissions) -> polledAcks.add(msgId)).build()) {
                m.start();
                assertThat(m.send("b", new byte[] {1}, new byte[] {1})).isTrue();
                assertThat(polled.dataSent.poll(30, TimeUnit.SECONDS)).as(strategy + ": sent by the loop").isEqualTo(1L);
                polled.inbound.add(ackFromPeer(1, clock.currentTimeMillis(), clock.currentTimeMillis()));
                assertThat(polledAcks.poll(30, TimeUnit.SECONDS)).as(strategy + ": read without a wakeup").isEqualTo(1L);
                int calls = polled.receiveCalls.get();
                while (polled.receiveCalls.get() < calls + 3) {
                    Thread.onSpinWait(); // idle now: it keeps polling
                }
                assertThat(polled.wakeups.get()).as(strategy + ": nobody needed to wake it (before close)").isZero();
            }
            assertThat(polled.awaits).as(strategy + " never waits in the transport").isEmpty();
        }
    }

    /** close() lets pending messages be acked within the close timeout before failing them, then closes the socket. */
    @Test
    @Timeout(60)
    void closeWaitsForAPendingMessageToBeAckedAndThenClosesTheTransport() throws Exception {
        MessengerConfig config = MessengerConfig.builder().clientId(1).bindAddress("10.0.0.1").port(7000)
                .peer("b", "10.0.0.2:7000").interval(Duration.ofMillis(100)).maxRetries(3)
                .closeTimeout(Duration.ofSeconds(30)).build();
        ReliableMessenger m = ReliableMessenger.builder(config).clock(clock).incarnation(11).transport(c -> transport)
                .inboundHandler(x -> { }).failureListener(failures::add)
                .ackListener((peer, msgId, latencyNs, transmissions) -> acks.add(msgId)).build();
        m.start();
        nextAwait();
        m.send("b", new byte[] {1}, null);
        Thread closer = new Thread(m::close, "closer");
        closer.start();
        while (closer.getState() != Thread.State.TIMED_WAITING) { // close is waiting for the ack
            Thread.onSpinWait();
        }
        transport.inbound.add(ackFromPeer(1, clock.currentTimeMillis(), clock.currentTimeMillis()));
        transport.release();
        closer.join();
        assertThat(acks).containsExactly(1L);
        assertThat(failures).as("acked while closing, so not failed").isEmpty();
        assertThat(transport.closed).isTrue();
    }

    @Test
    void aPassReadsAtMost256DatagramsAndSaysWhetherItFoundWork() throws Exception {
        ReliableMessenger m = messenger();
        m.startManual();
        assertThat(m.loop().runOnce()).as("nothing received or submitted").isFalse();
        for (int i = 0; i < 300; i++) {
            transport.inbound.add(ackFromPeer(1_000 + i, clock.currentTimeMillis(), clock.currentTimeMillis()));
        }
        assertThat(m.loop().runOnce()).isTrue();
        assertThat(transport.received.get()).isEqualTo(256);
        assertThat(m.loop().runOnce()).isTrue();
        assertThat(transport.received.get()).isEqualTo(300);
        assertThat(m.loop().runOnce()).isFalse();
        assertThat(m.stats("b").unmatchedAcks()).as("each read once").isEqualTo(300);
    }

    @Test
    void aPassTakesAtMost256SubmissionsAndOneIsWorkFound() throws Exception {
        ReliableMessenger m = messenger();
        m.startManual();
        m.loop().runOnce();
        assertThat(m.trySend("b", new byte[] {1}, null)).isPositive();
        assertThat(m.loop().runOnce()).as("one submission").isTrue();
        assertThat(m.engine().chainSize()).isOne();
        for (int i = 0; i < 299; i++) {
            m.trySend("b", new byte[] {1}, null);
        }
        m.loop().runOnce();
        assertThat(m.engine().chainSize()).isEqualTo(257);
        m.loop().runOnce();
        assertThat(m.engine().chainSize()).isEqualTo(300);
    }

    @Test
    @Timeout(60)
    void everyPassAndEveryDeadlineQueryReleasesTheEngineLockForOtherThreads() throws Exception {
        ReliableMessenger m = messenger();
        m.startManual();
        m.loop().runOnce();
        m.loop().nextDeadlineNs();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertThat(other.submit(() -> m.loop().runOnce()).get(30, TimeUnit.SECONDS)).isFalse();
            m.loop().shutdown();
            assertThat(other.submit(() -> m.loop().nextDeadlineNs()).get(30, TimeUnit.SECONDS)).isNotNull();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void shutdownFailsWhatWasSubmittedButNeverPickedUp() throws Exception {
        ReliableMessenger m = messenger();
        m.startManual();
        m.trySend("b", new byte[] {1}, new byte[] {7});
        m.loop().shutdown();
        SendFailure failure = failures.poll();
        assertThat(failure).isNotNull();
        assertThat(failure.reason()).isEqualTo(FailureReason.SHUTDOWN);
        assertThat(failure.userBuffer()).containsExactly(7);
        assertThat(transport.dataSent).as("never sent").isEmpty();
    }

    /**
     * The loop's housekeeping: the receiver's duplicate window of a sender that went quiet is kept for
     * the hold time (interval x (maxRetries + 2) + skew allowance = 700 ms here) and forgotten within
     * half an interval after it, so idle windows do not pile up.
     */
    @Test
    void anIdleDuplicateWindowIsKeptForTheHoldTimeAndForgottenWithinHalfAnIntervalAfter() {
        UnaryOperator<MessengerConfig.Builder> settings = b -> b.interval(Duration.ofMillis(100))
                .maxRetries(3).clockSkewAllowance(Duration.ofMillis(200));
        SimulatedCluster c = new SimulatedCluster(5);
        c.add("a", 1, settings);
        c.add("b", 2, settings);
        c.startAll();
        c.runFor(MS);
        c.node("a").send("b", new byte[] {1}, null);
        long sentAt = c.clock.nanoTime();
        c.runFor(10 * MS);
        assertThat(c.node("b").delivered).hasSize(1);
        assertThat(c.node("b").messenger.engine().trackedIncarnations()).isOne();

        c.runUntil(sentAt + 700 * MS - 60 * MS);
        assertThat(c.node("b").messenger.engine().trackedIncarnations()).as("within the hold time").isOne();
        c.runUntil(sentAt + 700 * MS + 60 * MS);
        assertThat(c.node("b").messenger.engine().trackedIncarnations()).as("hold time passed").isZero();
        assertThat(c.node("a").failures).isEmpty();
    }
}
