package io.reliablemsg;

import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.internal.Engine;
import io.reliablemsg.internal.MessengerLoop;
import io.reliablemsg.internal.MessengerRuntime;
import io.reliablemsg.internal.PeerState;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Sends messages to named peers over UDP so that each is either acked or reported failed, and
 * hands received messages to an {@link InboundHandler} once each.
 *
 * <p>Lifecycle: {@link #builder(MessengerConfig)} → {@link #start()} (binds the socket, starts the
 * I/O loop and the callback thread) → {@link #send} from any thread → {@link #close()}.
 *
 * <p>{@code close()} stops accepting sends at once ({@code send} then throws
 * {@link IllegalStateException}), keeps the loop running for up to
 * {@link MessengerConfig#closeTimeout()} so that pending messages can still be acked, then fails
 * every message still pending with {@link FailureReason#SHUTDOWN} (the failure listener is called
 * for each), runs the callbacks already queued, and closes the socket. No accepted message is left
 * without an outcome.
 *
 * <p>Thread-safe. See {@code docs/THREADING.md}.
 */
public final class ReliableMessenger implements AutoCloseable {
    /** Returned by {@link #trySend} when the chain is full. */
    public static final long NOT_ACCEPTED = -1;

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    private final MessengerConfig config;
    private final Clock clock;
    private final long incarnation;
    private final Map<String, PeerState> peers;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong nextMsgId = new AtomicLong();
    private final AtomicLong chainFullRejections = new AtomicLong();
    /** Sends between their state check and their hand-over to the loop; close waits for them. */
    private final AtomicInteger sendsInProgress = new AtomicInteger();
    private static final byte[] EMPTY = new byte[0];
    private final MessengerRuntime runtime;
    private volatile State state = State.NEW;

    private ReliableMessenger(Builder b) {
        this.config = b.config;
        this.clock = b.clock;
        this.incarnation = b.incarnation != null ? b.incarnation : newIncarnation(clock);
        Map<String, PeerState> byName = new LinkedHashMap<>();
        List<PeerState> ordered = new ArrayList<>();
        for (Map.Entry<String, InetSocketAddress> e : config.peers().entrySet()) {
            PeerState peer = Engine.newPeer(config, e.getKey(), resolve(e.getKey(), e.getValue()), ordered.size());
            byName.put(e.getKey(), peer);
            ordered.add(peer);
        }
        this.peers = Collections.unmodifiableMap(byName);
        this.runtime = new MessengerRuntime(config, clock, incarnation, ordered, b.transportFactory, b.inboundHandler,
                b.failureListener, b.ackListener, this::release);
    }

    /** A builder for a messenger with {@code config}. */
    public static Builder builder(MessengerConfig config) {
        return new Builder(config);
    }

    /** Binds the socket and starts the I/O loop. */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("messenger already started (state " + state + ")");
        }
        runtime.start(true);
        state = State.RUNNING;
    }

    /**
     * Binds the transport without starting threads: the caller drives {@link #loop()} itself.
     * For simulations with a manual clock.
     */
    synchronized void startManual() {
        if (state != State.NEW) {
            throw new IllegalStateException("messenger already started (state " + state + ")");
        }
        runtime.start(false);
        state = State.RUNNING;
    }

    /** The engine, for single-threaded tests that inspect retained state. */
    Engine engine() {
        return runtime.engine();
    }

    /** The loop, for a caller that drives it (see {@link #startManual()}). */
    MessengerLoop loop() {
        return runtime.loop();
    }

    /**
     * Sends {@code payload} to {@code peer} reliably: hangs it on the retransmit chain and puts it on
     * the wire (seed S3). Returns false, doing nothing, when the chain is full (seed {@code BOOL}).
     *
     * @param userBuffer bytes handed back in {@link SendFailure#userBuffer()} if the message fails;
     *                   may be null (an empty buffer)
     * @throws IllegalArgumentException for an unknown peer, a user buffer longer than
     *                                  {@link MessengerConfig#maxUserBufferLength()} or a payload
     *                                  longer than {@link MessengerConfig#maxPayloadSize()}
     * @throws IllegalStateException    when the messenger is not running
     */
    public boolean send(String peer, byte[] payload, byte[] userBuffer) {
        return trySend(peer, payload, userBuffer) != NOT_ACCEPTED;
    }

    /** Like {@link #send}, but returns the message id, or {@link #NOT_ACCEPTED} when the chain is full. */
    public long trySend(String peer, byte[] payload, byte[] userBuffer) {
        Objects.requireNonNull(payload, "payload");
        PeerState target = peers.get(peer);
        if (target == null) {
            throw new IllegalArgumentException("unknown peer '" + peer + "'; configured peers: " + peers.keySet());
        }
        byte[] buffer = userBuffer == null || userBuffer.length == 0 ? EMPTY : userBuffer;
        if (buffer.length > config.maxUserBufferLength()) {
            throw new IllegalArgumentException("user buffer of " + buffer.length + " bytes exceeds maxUserBufferLength ("
                    + config.maxUserBufferLength() + ")");
        }
        if (payload.length > config.maxPayloadSize()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the largest that fits "
                    + "one datagram (" + config.maxPayloadSize() + " bytes with maxDatagramSize "
                    + config.maxDatagramSize() + ")");
        }
        sendsInProgress.incrementAndGet();
        try {
            return accept(target, payload, buffer);
        } finally {
            sendsInProgress.decrementAndGet();
        }
    }

    private long accept(PeerState target, byte[] payload, byte[] buffer) {
        // Checked after sendsInProgress was raised: close() sets the state first and then waits for
        // sendsInProgress to reach 0, so every send it lets through is handed over before the loop stops.
        if (state != State.RUNNING) {
            throw new IllegalStateException("messenger is not running (state " + state + ")");
        }
        int held;
        do {
            held = pending.get();
            if (held >= config.maxStoredMessages()) {
                chainFullRejections.incrementAndGet();
                return NOT_ACCEPTED;
            }
        } while (!pending.compareAndSet(held, held + 1));
        target.pending.incrementAndGet();
        PendingMessage m = new PendingMessage(nextMsgId.incrementAndGet(), target.index, payload.clone(),
                buffer == EMPTY ? EMPTY : buffer.clone());
        runtime.loop().submit(m);
        return m.msgId;
    }

    /** Messages held now: on the chain, or failed and awaiting their failure callback. */
    public int pendingCount() {
        return pending.get();
    }

    /** Messages held now for {@code peer}. */
    public int pendingCount(String peer) {
        PeerState p = peers.get(peer);
        if (p == null) {
            throw new IllegalArgumentException("unknown peer '" + peer + "'; configured peers: " + peers.keySet());
        }
        return p.pending.get();
    }

    /** Chain capacity. */
    public int capacity() {
        return config.maxStoredMessages();
    }

    /** Sends refused because the chain was full. */
    public long chainFullRejections() {
        return chainFullRejections.get();
    }

    /** A snapshot of all counters. */
    public MessengerStats stats() {
        return runtime.stats(pending.get(), peers.values());
    }

    /** Counters of one peer. */
    public PeerStats stats(String peer) {
        PeerState p = peers.get(peer);
        if (p == null) {
            throw new IllegalArgumentException("unknown peer '" + peer + "'; configured peers: " + peers.keySet());
        }
        return p.snapshot();
    }

    /** The configuration this messenger runs with. */
    public MessengerConfig config() {
        return config;
    }

    /** This process's incarnation: a new value each time a messenger is created. */
    public long incarnation() {
        return incarnation;
    }

    /** Address the socket is bound to (after {@link #start()}). */
    public InetSocketAddress localAddress() {
        return runtime.localAddress();
    }

    /** Whether {@link #start()} ran and {@link #close()} has not begun. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Whether {@link #close()} has begun (a closed messenger cannot be started again). */
    public boolean isClosed() {
        return state == State.CLOSING || state == State.CLOSED;
    }

    /** Drains, fails what is left with {@link FailureReason#SHUTDOWN}, and closes (see the class doc). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED || state == State.CLOSING) {
                return;
            }
            boolean wasRunning = state == State.RUNNING;
            state = State.CLOSING;
            if (!wasRunning) {
                state = State.CLOSED;
                return;
            }
        }
        while (sendsInProgress.get() > 0) {
            Thread.onSpinWait(); // a send that passed its state check is handing its message over
        }
        runtime.drainAndStop(pending::get, config.closeTimeout().toNanos());
        state = State.CLOSED;
    }

    private void release(PeerState peer) {
        peer.pending.decrementAndGet();
        pending.decrementAndGet();
    }

    private static long newIncarnation(Clock clock) {
        // Start time in ms in the high bits (restarts usually increase it), random low bits (two starts
        // in the same ms differ). Only inequality matters to receivers.
        return (clock.currentTimeMillis() << 20) | ThreadLocalRandom.current().nextLong(1 << 20);
    }

    private static InetSocketAddress resolve(String name, InetSocketAddress address) {
        InetSocketAddress resolved = address.isUnresolved()
                ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        if (resolved.isUnresolved()) {
            throw new IllegalArgumentException("peers." + name + " host '" + address.getHostString()
                    + "' cannot be resolved");
        }
        return resolved;
    }

    /** Builder for {@link ReliableMessenger}. */
    public static final class Builder {
        private final MessengerConfig config;
        private InboundHandler inboundHandler = m -> { };
        private SendFailureListener failureListener = f -> System.getLogger(ReliableMessenger.class.getName())
                .log(System.Logger.Level.WARNING, "send failed and no failure listener is set: " + f);
        private AckListener ackListener = (peer, msgId, latencyNs, transmissions) -> { };
        private Function<MessengerConfig, Transport> transportFactory;
        private Clock clock = Clock.SYSTEM;
        private Long incarnation;

        private Builder(MessengerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Receives delivered messages (default: none; messages are still acked). */
        public Builder inboundHandler(InboundHandler handler) {
            this.inboundHandler = Objects.requireNonNull(handler, "inboundHandler");
            return this;
        }

        /** Told of every failed message (default: a warning in the log). */
        public Builder failureListener(SendFailureListener listener) {
            this.failureListener = Objects.requireNonNull(listener, "failureListener");
            return this;
        }

        /** Told of every ack, on the I/O loop (default: none). */
        public Builder ackListener(AckListener listener) {
            this.ackListener = Objects.requireNonNull(listener, "ackListener");
            return this;
        }

        /** Creates the transport at start (default: a UDP socket on the configured address and port). */
        public Builder transport(Function<MessengerConfig, Transport> factory) {
            this.transportFactory = Objects.requireNonNull(factory, "transport");
            return this;
        }

        /** Time source (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Fixes the incarnation instead of deriving it from the start time (for tests). */
        public Builder incarnation(long incarnation) {
            this.incarnation = incarnation;
            return this;
        }

        /** Builds the messenger (resolving peer host names); call {@link ReliableMessenger#start()} next. */
        public ReliableMessenger build() {
            return new ReliableMessenger(this);
        }
    }
}
