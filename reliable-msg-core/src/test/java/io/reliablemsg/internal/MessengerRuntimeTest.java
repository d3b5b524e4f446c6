package io.reliablemsg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reliablemsg.AsyncRequestHandler;
import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.PeerResolver;
import io.reliablemsg.chain.PendingMessagePool;
import io.reliablemsg.time.ManualClock;
import io.reliablemsg.transport.Transport;
import io.reliablemsg.wire.DatagramReader;
import io.reliablemsg.wire.DatagramWriter;
import io.reliablemsg.wire.FrameVisitor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The runtime's start and close around a stand-in transport: what it opened is closed when start fails, the
 * counters read before start, a close interrupted while it waits for the loop thread keeps the interrupt, and an
 * asynchronous request handler's result wakes the waiting loop thread.
 * The {@code @Timeout} only stops a hung loop from hanging the build; no assertion depends on time.
 */
class MessengerRuntimeTest {
    private static final long EPOCH_MILLIS = 1_800_000_000_000L;
    private static final InetSocketAddress SELF = new InetSocketAddress("10.0.0.1", 7000);

    private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.2", 7000);

    /**
     * A socket stand-in: it receives what the test queues (from {@link #PEER}); await blocks until a wakeup or
     * the test's {@link #release} (at most a minute, longer than any wait of a test); close is counted.
     */
    private static final class StandInTransport implements Transport {
        final AtomicInteger closes = new AtomicInteger();
        final ConcurrentLinkedQueue<byte[]> inbound = new ConcurrentLinkedQueue<>();
        /** The message ids of the REPLY frames sent. */
        final BlockingQueue<Long> repliesSent = new LinkedBlockingQueue<>();
        volatile boolean waiting;
        /** While set, a wakeup does not end the wait (only close or {@link #release} do). */
        volatile boolean wakeupsIgnored;
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
                }

                @Override
                public void onAck(Object c, int ci, long i, int oc, long oi, long m, long e, long a, int t) {
                }

                @Override
                public void onReply(Object c, int ci, long i, int oc, long oi, long msgId, long e, long r,
                                    boolean noReply, ByteBuffer d, int o, int l) {
                    repliesSent.add(msgId);
                }
            });
            return true;
        }

        @Override
        public InetSocketAddress receive(ByteBuffer into) {
            byte[] next = inbound.poll();
            if (next == null) {
                return null;
            }
            into.put(next);
            return PEER;
        }

        @Override
        public void await(long timeoutNs) {
            waiting = true;
            try {
                permits.tryAcquire(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting = false;
            }
        }

        /** Lets the loop out of its wait without counting as the messenger's wakeup. */
        void release() {
            permits.release();
        }

        @Override
        public void wakeup() {
            if (!wakeupsIgnored) {
                permits.release();
            }
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            permits.release();
        }
    }

    private static MessengerRuntime runtime(MessengerConfig config, Transport transport,
                                            UnaryOperator<Transport> decorator) {
        return runtime(config, transport, decorator, null);
    }

    private static MessengerRuntime runtime(MessengerConfig config, Transport transport,
                                            UnaryOperator<Transport> decorator, AsyncRequestHandler async) {
        return new MessengerRuntime(config, 1, new MessengerRuntime.Parts(new ManualClock(EPOCH_MILLIS),
                c -> transport, decorator, m -> { }, new SendFutures(null, f -> { }, false), null, null,
                PeerResolver.SYSTEM, null, async, null, null, new PendingMessagePool(config.maxStoredMessages())));
    }

    private static byte[] requestFromPeer(long msgId) {
        DatagramWriter w = new DatagramWriter(200);
        w.begin(2, 22, 0);
        assertThat(w.tryAppendRequest(msgId, EPOCH_MILLIS, 1, new byte[] {7}, 0)).isTrue();
        ByteBuffer b = w.finish();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    private static void awaitWaiting(StandInTransport transport) {
        org.awaitility.Awaitility.await("the loop went to wait").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> transport.waiting);
    }

    private static MessengerConfig.Builder config() {
        return MessengerConfig.builder().clientId(1).bindAddress("10.0.0.1").port(7000);
    }

    @Test
    void aDecoratorThatReturnsNullFailsTheStartAndTheOpenedTransportIsClosed() {
        StandInTransport opened = new StandInTransport();
        MessengerRuntime runtime = runtime(config().build(), opened, t -> null);

        assertThatThrownBy(() -> runtime.start(false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("decorator returned null");
        assertThat(opened.closes.get()).isOne();
    }

    @Test
    void aPeerAtOurOwnAddressFailsTheStartAndTheTransportIsClosed() {
        StandInTransport opened = new StandInTransport();
        MessengerRuntime runtime = runtime(config().peer("me", "10.0.0.1", 7000).build(), opened, null);

        assertThatThrownBy(() -> runtime.start(false)).isInstanceOf(InvalidSettingException.class);
        assertThat(opened.closes.get()).isOne();
        assertThat(runtime.engine()).as("nothing was built").isNull();
    }

    @Test
    void theCountersReadBeforeStartShowNothingQueued() {
        MessengerRuntime runtime = runtime(config().peer("b", "10.0.0.2", 7000).build(), new StandInTransport(),
                null);

        assertThat(runtime.stats().deliveryQueueDepth()).isZero();
        assertThat(runtime.stats().peers()).containsOnlyKeys("b");
        assertThat(runtime.localAddress()).isNull();
    }

    @Test
    @Timeout(30)
    void aCloseInterruptedWhileItWaitsForTheLoopThreadKeepsTheInterruptAndStillClosesTheTransport() {
        StandInTransport transport = new StandInTransport();
        MessengerRuntime runtime = runtime(config().peer("b", "10.0.0.2", 7000).build(), transport, null);
        runtime.start(true);
        assertThat(runtime.localAddress()).isEqualTo(SELF);
        // The loop thread stays in its wait through the stop request, so the join below is still waiting for it
        // (a join of a thread that has ended would return without looking at the interrupt); close ends the wait.
        transport.wakeupsIgnored = true;

        Thread.currentThread().interrupt();
        try {
            runtime.drainAndStop(TimeUnit.SECONDS.toNanos(1));
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for the caller").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(transport.closes.get()).isOne();
    }

    @Test
    @Timeout(120)
    void anAsynchronousHandlersResultWakesTheLoopWaitingWithNothingElseToDo() throws Exception {
        StandInTransport transport = new StandInTransport();
        BlockingQueue<CompletableFuture<byte[]>> handled = new LinkedBlockingQueue<>();
        MessengerRuntime runtime = runtime(config().peer("b", "10.0.0.2", 7000).build(), transport, null, m -> {
            CompletableFuture<byte[]> result = new CompletableFuture<>();
            handled.add(result);
            return result;
        });
        runtime.start(true);
        try {
            awaitWaiting(transport);
            transport.inbound.add(requestFromPeer(5));
            transport.release();
            CompletableFuture<byte[]> result = handled.poll(30, TimeUnit.SECONDS);
            assertThat(result).as("the request reached the handler").isNotNull();
            awaitWaiting(transport);
            assertThat(transport.repliesSent).as("no reply before the result").isEmpty();

            result.complete(new byte[] {8});

            // The loop's wait would last a minute; only the wakeup of the result ends it sooner.
            assertThat(transport.repliesSent.poll(30, TimeUnit.SECONDS)).as("the reply, sent by the woken loop")
                    .isEqualTo(5L);
        } finally {
            runtime.drainAndStop(0);
        }
    }
}
