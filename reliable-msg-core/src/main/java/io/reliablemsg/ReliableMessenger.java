package io.reliablemsg;

import io.reliablemsg.chain.PendingMessage;
import io.reliablemsg.chain.PendingMessagePool;
import io.reliablemsg.chain.TracedMessage;
import io.reliablemsg.internal.Engine;
import io.reliablemsg.internal.MessengerLoop;
import io.reliablemsg.internal.MessengerRuntime;
import io.reliablemsg.internal.SendFutures;
import io.reliablemsg.internal.SendSlots;
import io.reliablemsg.time.Clock;
import io.reliablemsg.transport.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;

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
 * <p>Peers may be added, given new addresses and removed while the messenger runs
 * ({@link #addPeer}, {@link #updatePeer}, {@link #removePeer}; {@link #peers()} lists them): the I/O loop
 * applies each change between its other work, without stopping.
 *
 * <p>Thread-safe. See {@code docs/THREADING.md}.
 */
public final class ReliableMessenger implements AutoCloseable {
    /** Returned by {@link #trySend} when the chain is full. */
    public static final long NOT_ACCEPTED = -1;
    /** Longest wait of {@link #trySend(String, byte[], byte[], Duration)}: longer ones are cut to it (no overflow). */
    private static final Duration MAX_BLOCK = Duration.ofDays(365);
    /** A waiting sender checks this often whether the messenger still runs. */
    private static final long RUNNING_CHECK_NS = 10_000_000L;

    private enum State { NEW, RUNNING, CLOSING, CLOSED }

    private static final byte[] EMPTY = new byte[0];

    private final MessengerConfig config;
    private final long incarnation;
    private final AtomicLong nextMsgId = new AtomicLong();
    /** Sends between their state check and their hand-over to the loop; close waits for them. */
    private final AtomicInteger sendsInProgress = new AtomicInteger();
    private final MessengerRuntime runtime;
    private final SendSlots slots;
    private final SendFutures futures;
    /** Gives each accepted message its trace context; null: none is asked for. */
    private final MessageTracer tracer;
    /** Chain entries the loop gave back, for {@link #accept} to reuse (no allocation per send for the entry). */
    private final PendingMessagePool entries;
    private volatile State state = State.NEW;

    private ReliableMessenger(Builder b) {
        this.config = b.config;
        this.incarnation = b.incarnation != null ? b.incarnation : newIncarnation(b.clock);
        this.futures = new SendFutures(b.ackListener, b.failureListener, config.inlineCallbacks());
        this.entries = new PendingMessagePool(config.maxStoredMessages());
        this.runtime = new MessengerRuntime(config, incarnation, new MessengerRuntime.Parts(b.clock,
                b.transportFactory, b.transportDecorator, b.inboundHandler, futures, b.pathListener, b.peerListener,
                b.resolver, b.requestHandler, b.asyncRequestHandler, b.handlerThreadFactory, b.inboundViewHandler,
                entries));
        this.slots = runtime.slots();
        this.tracer = b.messageTracer;
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

    /** The free chain entries, for tests that check when an entry is given back. */
    PendingMessagePool entries() {
        return entries;
    }

    /** The loop, for a caller that drives it (see {@link #startManual()}). */
    MessengerLoop loop() {
        return runtime.loop();
    }

    /**
     * Sends {@code payload} to {@code peer} reliably: hangs it on the retransmit chain and puts it on
     * the wire (rule S3, docs/PROTOCOL.md). Returns false, doing nothing, when the chain is full.
     *
     * @param userBuffer bytes handed back in {@link SendFailure#userBuffer()} if the message fails;
     *                   may be null (an empty buffer)
     * @throws IllegalArgumentException for an unknown peer, a user buffer longer than
     *                                  {@link MessengerConfig#maxUserBufferLength()} or a payload
     *                                  longer than {@link MessengerConfig#maxMessageSize()} (a request's:
     *                                  {@link MessengerConfig#maxPayloadSize()}, it is never fragmented)
     * @throws IllegalStateException    when the messenger is not running
     */
    public boolean send(String peer, byte[] payload, byte[] userBuffer) {
        return trySend(peer, payload, userBuffer) != NOT_ACCEPTED;
    }

    /** Like {@link #send}, but returns the message id, or {@link #NOT_ACCEPTED} when the chain is full. */
    public long trySend(String peer, byte[] payload, byte[] userBuffer) {
        SendSlots.Account target = validate(peer, payload, userBuffer);
        sendsInProgress.incrementAndGet();
        try { // as submit, but returning the id unboxed
            PendingMessage m = accept(peer, target, payload, userBuffer == null || userBuffer.length == 0 ? EMPTY
                    : userBuffer, false);
            if (m == null) {
                return NOT_ACCEPTED;
            }
            long msgId = m.msgId(); // read before the hand-off: from then on the loop may end m and reuse its entry
            runtime.loop().submit(m);
            return msgId;
        } finally {
            sendsInProgress.decrementAndGet();
        }
    }

    /**
     * Like {@link #trySend}, but when the chain is full, waits up to {@code maxBlock} for room instead of
     * returning at once: for a thread that only sends, the back-pressure a full chain means. A waiting sender
     * is woken once an eighth of the chain (at least one slot) is free again, not at every ack, so at a high
     * rate it sends a run of messages per wake-up (docs/PERFORMANCE.md, "Waiting for room"); with a chain of
     * one it is woken by the ack of the message before. A wait ends early when the messenger closes.
     *
     * @return the message id, or {@link #NOT_ACCEPTED} when no room came within {@code maxBlock} (or the
     *         messenger closed)
     * @throws IllegalArgumentException as {@link #send}, and for a negative {@code maxBlock}
     * @throws IllegalStateException    when the messenger is not running
     * @throws InterruptedException     when the thread is interrupted while it waits
     */
    public long trySend(String peer, byte[] payload, byte[] userBuffer, Duration maxBlock)
            throws InterruptedException {
        if (Objects.requireNonNull(maxBlock, "maxBlock").isNegative()) {
            throw new IllegalArgumentException("maxBlock must not be negative: " + maxBlock);
        }
        long deadlineNs = System.nanoTime() + (maxBlock.compareTo(MAX_BLOCK) > 0 ? MAX_BLOCK : maxBlock).toNanos();
        long id = trySend(peer, payload, userBuffer);
        while (id == NOT_ACCEPTED) {
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                return NOT_ACCEPTED;
            }
            slots.awaitRoom(System.nanoTime() + Math.min(leftNs, RUNNING_CHECK_NS));
            if (!isRunning()) {
                return NOT_ACCEPTED;
            }
            id = trySend(peer, payload, userBuffer);
        }
        return id;
    }

    /**
     * Like {@link #send}, with the outcome as a future that completes once: with a {@link SendResult}
     * when the peer acked the message, or exceptionally with a {@link SendFailedException} carrying the
     * user buffer, reason and transmissions when it was given up (the same outcome the failure listener,
     * the starter's {@code SendFailedEvent}, reports once) or refused because the chain was full
     * ({@link FailureReason#CHAIN_FULL}, at once; no listener hears of that). The future completes on the
     * callback thread (or the common pool when callbacks run inline), never on the I/O loop: stages
     * added with {@code thenApply} and the like run there, so they must not block; use the {@code *Async}
     * variants for work that may. The message's slot is released after the future completed.
     *
     * @throws IllegalArgumentException as {@link #send}
     * @throws IllegalStateException    when the messenger is not running
     */
    public CompletableFuture<SendResult> sendAsync(String peer, byte[] payload, byte[] userBuffer) {
        return submit(peer, payload, userBuffer, false, m -> futures.register(m.msgId()), // before the loop sees it
                buffer -> refused(peer, buffer));
    }

    /**
     * Sends {@code payload} to {@code peer} as a request, answered by the peer's request handler
     * ({@link Builder#requestHandler}): the future completes once, with the {@link Reply} (its bytes, the
     * request's message id, the round trip), or exceptionally with a {@link SendFailedException} carrying
     * the user buffer and the reason: {@link FailureReason#RETRIES_EXHAUSTED} (no ack nor reply to
     * {@code maxRetries + 1} copies in a row), {@link FailureReason#REPLY_TIMEOUT} (no reply within
     * {@link MessengerConfig#replyTimeout()} of the first send), {@link FailureReason#NO_REPLY} (the handler
     * failed, or the peer has none), {@link FailureReason#UNSUPPORTED_BY_PEER} (the peer runs an older
     * release), {@link FailureReason#SHUTDOWN}, or {@link FailureReason#CHAIN_FULL} (at once). Failures reach
     * the failure listener too, as for {@link #sendAsync} (CHAIN_FULL excepted). A request is retransmitted
     * with the same message id until its reply arrives, also after its ack; the peer runs its handler once
     * and sends the same reply to every copy (docs/PROTOCOL.md, section 9). A request holds a send slot, like
     * a message, until its future completed. The future completes on the callback thread (or the common pool
     * with inline callbacks), never on the I/O loop.
     *
     * @throws IllegalArgumentException as {@link #send}
     * @throws IllegalStateException    when the messenger is not running
     */
    public CompletableFuture<Reply> request(String peer, byte[] payload, byte[] userBuffer) {
        return submit(peer, payload, userBuffer, true, m -> futures.registerRequest(m.msgId()),
                buffer -> refused(peer, buffer));
    }

    private static <T> CompletableFuture<T> refused(String peer, byte[] buffer) {
        return CompletableFuture.failedFuture(new SendFailedException(
                new SendFailure(peer, NOT_ACCEPTED, buffer.clone(), 0, FailureReason.CHAIN_FULL)));
    }

    /**
     * Validates, reserves a slot and hands the message to the loop; {@code accepted} runs just before
     * the hand-off, {@code full} when the chain has no room (with the user buffer).
     */
    private <R> R submit(String peer, byte[] payload, byte[] userBuffer, boolean request,
                         Function<PendingMessage, R> accepted, Function<byte[], R> full) {
        SendSlots.Account target = validate(peer, payload, userBuffer);
        if (request && payload.length > config.maxPayloadSize()) {
            throw new IllegalArgumentException("request payload of " + payload.length + " bytes exceeds the largest "
                    + "that goes whole in one datagram (" + config.maxPayloadSize() + "): requests are not fragmented");
        }
        byte[] buffer = userBuffer == null || userBuffer.length == 0 ? EMPTY : userBuffer;
        sendsInProgress.incrementAndGet();
        try {
            PendingMessage m = accept(peer, target, payload, buffer, request);
            if (m == null) {
                return full.apply(buffer);
            }
            R result = accepted.apply(m);
            runtime.loop().submit(m); // m is the loop's from here on: it may be ended and its entry reused at once
            return result;
        } finally {
            sendsInProgress.decrementAndGet();
        }
    }

    /** Checks a send's arguments; returns the peer's send slots. */
    private SendSlots.Account validate(String peer, byte[] payload, byte[] userBuffer) {
        Objects.requireNonNull(payload, "payload");
        SendSlots.Account target = account(peer);
        byte[] buffer = userBuffer == null || userBuffer.length == 0 ? EMPTY : userBuffer;
        if (buffer.length > config.maxUserBufferLength()) {
            throw new IllegalArgumentException("user buffer of " + buffer.length + " bytes exceeds maxUserBufferLength ("
                    + config.maxUserBufferLength() + ")");
        }
        if (payload.length > config.maxMessageSize()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds maxMessageSize ("
                    + config.maxMessageSize() + ")");
        }
        return target;
    }

    /** A message for the loop, or null when the chain is full; the caller submits it. */
    private PendingMessage accept(String peer, SendSlots.Account target, byte[] payload, byte[] buffer,
                                  boolean request) {
        // Checked after sendsInProgress was raised: close() sets the state first and then waits for
        // sendsInProgress to reach 0, so every send it lets through is handed over before the loop stops.
        if (state != State.RUNNING) {
            throw new IllegalStateException("messenger is not running (state " + state + ")");
        }
        if (!slots.tryReserve(target)) {
            if (target.closed()) { // removed since it was looked up
                throw unknownPeer(peer);
            }
            return null;
        }
        if (!slots.tryReserveBytes(payload.length)) { // maxPendingBytes: refused like a full chain
            slots.release(target.index());
            return null;
        }
        long msgId = nextMsgId.incrementAndGet();
        byte[] userBuffer = buffer == EMPTY ? EMPTY : buffer.clone();
        TraceContext trace = tracer == null ? null : traceContext(peer, msgId, request);
        return trace == null ? entries.take(msgId, target.index(), payload.clone(), userBuffer, request)
                : new TracedMessage(msgId, target.index(), payload.clone(), userBuffer, request, trace);
    }

    /** The tracer's context for a message; none when it throws (the message still goes). */
    private TraceContext traceContext(String peer, long msgId, boolean request) {
        try {
            return tracer.onSend(peer, msgId, request);
        } catch (RuntimeException e) {
            System.getLogger(ReliableMessenger.class.getName()).log(System.Logger.Level.WARNING,
                    "message tracer failed; message " + msgId + " to " + peer + " goes without a trace context", e);
            return null;
        }
    }

    private SendSlots.Account account(String peer) {
        SendSlots.Account account = runtime.account(peer);
        if (account == null) {
            throw unknownPeer(peer);
        }
        return account;
    }

    private IllegalArgumentException unknownPeer(String peer) {
        return new IllegalArgumentException("unknown peer '" + peer + "'; peers now: " + runtime.peerNames());
    }

    /**
     * Adds peer {@code name} at one or more addresses, as {@link MessengerConfig.Builder#peer(String, String...)}
     * takes them ({@code host:port}, {@code [v6]:port}, or one string of comma-separated ones; each a path).
     * Sends to it are accepted once this returns; the I/O loop starts sending to it within its next pass.
     * A host name is resolved here, on the calling thread, and again every
     * {@link MessengerConfig#peerResolutionInterval()}; while none resolves, the peer is unresolved: sends to
     * it are accepted and retried as usual, and nothing goes out until a name resolves.
     *
     * @throws InvalidSettingException  (an {@link IllegalArgumentException}) for a bad address, a name that is
     *                                  a peer already, or an address that another peer or this node's own
     *                                  socket has
     * @throws IllegalStateException    once {@link #close()} has begun
     */
    public void addPeer(String name, String... addresses) {
        addPeer(name, null, addresses);
    }

    /**
     * Like {@link #addPeer(String, String...)}, requiring datagrams from the peer to carry {@code clientId}
     * (as {@link MessengerConfig.Builder#peerClientId} does); null accepts any.
     */
    public void addPeer(String name, Integer clientId, String... addresses) {
        List<InetSocketAddress> parsed = HostAndPort.parseAll(name, addresses);
        requireNotClosed();
        runtime.addPeer(name, clientId, parsed);
    }

    /**
     * Gives peer {@code name} new addresses (as {@link #addPeer}). Its counters, duplicate windows, liveness and
     * pending messages stay: a message in flight to an address it no longer has is sent to the new one at once,
     * without using up a retry (a failover copy); the others follow at their next retransmission. An address it
     * keeps keeps its path state.
     *
     * @throws IllegalArgumentException for an unknown peer or a bad address (as {@link #addPeer})
     * @throws IllegalStateException    once {@link #close()} has begun
     */
    public void updatePeer(String name, String... addresses) {
        List<InetSocketAddress> parsed = HostAndPort.parseAll(name, addresses);
        requireNotClosed();
        runtime.updatePeer(name, parsed);
    }

    /**
     * Removes peer {@code name}. Sends to it throw {@link IllegalArgumentException} from now on, as to any
     * unknown peer; every message to it still pending fails once with {@link FailureReason#PEER_REMOVED}
     * (failure listener, {@code sendAsync} future), with its user buffer. Datagrams from its addresses are an
     * unknown source's from then on. Its duplicate windows are kept for the hold time: added again under the
     * same name within it, it delivers nothing twice.
     *
     * @throws IllegalArgumentException for an unknown peer
     * @throws IllegalStateException    once {@link #close()} has begun
     */
    public void removePeer(String name) {
        requireNotClosed();
        runtime.removePeer(name);
    }

    /**
     * The peers now, by name, each with its addresses as given ({@code host:port}, host names unresolved), in the
     * order they were added: a snapshot, not changed by later changes. Their resolved addresses and state are in
     * {@link #stats(String)}.
     */
    public Map<String, List<String>> peers() {
        return runtime.peers();
    }

    private void requireNotClosed() {
        if (isClosed()) {
            throw new IllegalStateException("messenger is closed (state " + state + ")");
        }
    }

    /** Messages held now: on the chain, or acked or failed and awaiting their listener. */
    public int pendingCount() {
        return slots.held();
    }

    /** Messages held now for {@code peer}. */
    public int pendingCount(String peer) {
        return account(peer).held();
    }

    /** Chain capacity. */
    public int capacity() {
        return slots.capacity();
    }

    /** Sends refused because the chain was full. */
    public long chainFullRejections() {
        return slots.rejections();
    }

    /** A snapshot of all counters. */
    public MessengerStats stats() {
        return runtime.stats();
    }

    /** Counters of one peer. */
    public PeerStats stats(String peer) {
        PeerStats stats = runtime.peerStats(peer);
        if (stats == null) {
            throw unknownPeer(peer);
        }
        return stats;
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
        runtime.drainAndStop(config.closeTimeout().toNanos());
        state = State.CLOSED;
    }

    private static long newIncarnation(Clock clock) {
        // Start time in ms in the high bits (restarts usually increase it), random low bits (two starts
        // in the same ms differ). Only inequality matters to receivers.
        return (clock.currentTimeMillis() << 20) | ThreadLocalRandom.current().nextLong(1 << 20);
    }

    /** Builder for {@link ReliableMessenger}. */
    public static final class Builder {
        private final MessengerConfig config;
        private InboundHandler inboundHandler = m -> { };
        private SendFailureListener failureListener = f -> System.getLogger(ReliableMessenger.class.getName())
                .log(System.Logger.Level.WARNING, "send failed and no failure listener is set: " + f);
        private AckListener ackListener;
        private PathListener pathListener;
        private RequestHandler requestHandler;
        private AsyncRequestHandler asyncRequestHandler;
        private PeerListener peerListener;
        private PeerResolver resolver = PeerResolver.SYSTEM;
        private Function<MessengerConfig, Transport> transportFactory;
        private UnaryOperator<Transport> transportDecorator;
        private Clock clock = Clock.SYSTEM;
        private Long incarnation;
        private ThreadFactory handlerThreadFactory;
        private InboundViewHandler inboundViewHandler;
        private MessageTracer messageTracer;

        private Builder(MessengerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Receives delivered messages (default: none; messages are still acked). */
        public Builder inboundHandler(InboundHandler handler) {
            this.inboundHandler = Objects.requireNonNull(handler, "inboundHandler");
            return this;
        }

        /**
         * Answers requests from peers ({@link ReliableMessenger#request}) with reply bytes, on the callback
         * thread (default: none; every request is answered "no reply"). Replaces an asynchronous handler.
         */
        public Builder requestHandler(RequestHandler handler) {
            this.requestHandler = Objects.requireNonNull(handler, "requestHandler");
            this.asyncRequestHandler = null;
            return this;
        }

        /**
         * Answers requests with a stage of reply bytes (see {@link AsyncRequestHandler}). Replaces a
         * {@link #requestHandler}.
         */
        public Builder asyncRequestHandler(AsyncRequestHandler handler) {
            this.asyncRequestHandler = Objects.requireNonNull(handler, "asyncRequestHandler");
            this.requestHandler = null;
            return this;
        }

        /** Told of every failed message (default: a warning in the log). */
        public Builder failureListener(SendFailureListener listener) {
            this.failureListener = Objects.requireNonNull(listener, "failureListener");
            return this;
        }

        /**
         * Told of every ack, on the callback thread like the other listeners (default: none). The
         * message's send slot is freed after the listener returned, so a slow listener holds back
         * new sends rather than growing a queue.
         */
        public Builder ackListener(AckListener listener) {
            this.ackListener = Objects.requireNonNull(listener, "ackListener");
            return this;
        }

        /**
         * Creates the transport at start instead of the UDP socket on the configured address and port:
         * for simulations, and for the test kit's in-JVM network (module {@code reliable-msg-test}:
         * {@code transport(testNetwork::transportFor)}). To wrap the real socket, use {@link #transportDecorator}.
         */
        public Builder transport(Function<MessengerConfig, Transport> factory) {
            this.transportFactory = Objects.requireNonNull(factory, "transport");
            return this;
        }

        /**
         * Told of every change of state of a path to a peer (one of its addresses failing, coming back,
         * taking the traffic), on the callback thread (default: none; the changes are logged either way).
         */
        public Builder pathListener(PathListener listener) {
            this.pathListener = Objects.requireNonNull(listener, "pathListener");
            return this;
        }

        /**
         * Told of every change of the peer set once applied (a peer added, removed, or whose addresses changed),
         * on the callback thread (default: none; the changes are logged either way).
         */
        public Builder peerListener(PeerListener listener) {
            this.peerListener = Objects.requireNonNull(listener, "peerListener");
            return this;
        }

        /**
         * Wraps the transport once it is open, whichever factory opened it (extend
         * {@link io.reliablemsg.transport.ForwardingTransport} and override what changes): the hook for fault
         * injection, capture or metrics around the real socket (default: none). The decorator must
         * return a transport; closing the messenger closes what it returned.
         */
        public Builder transportDecorator(UnaryOperator<Transport> decorator) {
            this.transportDecorator = Objects.requireNonNull(decorator, "transportDecorator");
            return this;
        }

        /**
         * Resolves the peers' host names (default {@link PeerResolver#SYSTEM}, the JVM's resolver and its cache);
         * for tests, or a resolver of your own (a service registry, DNS over a library of your choice).
         */
        public Builder resolver(PeerResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Reads each new message in place on the I/O loop, without copying it (see {@link InboundViewHandler}),
         * instead of the {@link #inboundHandler(InboundHandler)}: no allocation per received message. Needs
         * {@link MessengerConfig.Builder#inlineCallbacks(boolean) inlineCallbacks(true)} and
         * {@link AckMode#ON_RECEIPT}; {@link #build()} refuses it otherwise.
         */
        public Builder inboundViewHandler(InboundViewHandler handler) {
            this.inboundViewHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Makes the threads that run callbacks (default: daemon platform threads); each is named
         * {@code reliable-msg-callbacks-<clientId>[-<lane>]} when started. For virtual threads on Java 21+:
         * {@code Thread.ofVirtual().factory()}. See {@link MessengerConfig.Builder#handlerThreads(int)}.
         */
        public Builder handlerThreadFactory(ThreadFactory factory) {
            this.handlerThreadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Gives each accepted message the W3C trace context it carries to its peer, asked on the sending thread
         * (default: none, and nothing is carried); the peer's handler finds it in
         * {@link InboundHandler#onMessage(InboundMessage, TraceContext)} (and the request handlers' two-argument
         * {@code onRequest}). The Spring Boot starter sets one with
         * {@code reliable-msg.observations.enabled=true}. See {@link MessageTracer} and docs/PROTOCOL.md,
         * "Trace context".
         */
        public Builder messageTracer(MessageTracer tracer) {
            this.messageTracer = Objects.requireNonNull(tracer, "messageTracer");
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

        /**
         * Builds the messenger, resolving the peers' host names (one that does not resolve leaves its peer
         * unresolved, not the build failed); call {@link ReliableMessenger#start()} next.
         */
        public ReliableMessenger build() {
            if (inboundViewHandler != null && (!config.inlineCallbacks() || config.ackMode() != AckMode.ON_RECEIPT)) {
                throw new IllegalArgumentException("an inbound view handler reads messages in place on the I/O loop: "
                        + "it needs inlineCallbacks(true) and ackMode ON_RECEIPT, but inlineCallbacks is "
                        + config.inlineCallbacks() + " and ackMode " + config.ackMode());
            }
            return new ReliableMessenger(this);
        }
    }
}
