package io.reliablemsg;

import static io.reliablemsg.MessengerSetting.ACK_MODE;
import static io.reliablemsg.MessengerSetting.AUTHENTICATION_KEY;
import static io.reliablemsg.MessengerSetting.BIND_ADDRESS;
import static io.reliablemsg.MessengerSetting.BUNDLE_SIZE;
import static io.reliablemsg.MessengerSetting.CLIENT_ID;
import static io.reliablemsg.MessengerSetting.CLOCK_SKEW_ALLOWANCE;
import static io.reliablemsg.MessengerSetting.CLOSE_TIMEOUT;
import static io.reliablemsg.MessengerSetting.DELIVERY_QUEUE_CAPACITY;
import static io.reliablemsg.MessengerSetting.HANDLER_THREADS;
import static io.reliablemsg.MessengerSetting.IDLE_STRATEGY;
import static io.reliablemsg.MessengerSetting.DUPLICATE_WINDOW;
import static io.reliablemsg.MessengerSetting.HEARTBEAT_INTERVAL;
import static io.reliablemsg.MessengerSetting.INTERVAL;
import static io.reliablemsg.MessengerSetting.MAX_DATAGRAM_SIZE;
import static io.reliablemsg.MessengerSetting.MAX_MESSAGE_SIZE;
import static io.reliablemsg.MessengerSetting.MAX_PENDING_BYTES;
import static io.reliablemsg.MessengerSetting.REASSEMBLY_BYTES;
import static io.reliablemsg.MessengerSetting.MAX_REPLY_SIZE;
import static io.reliablemsg.MessengerSetting.MAX_RETRANSMITS_PER_PEER_PER_SCAN;
import static io.reliablemsg.MessengerSetting.MAX_RETRIES;
import static io.reliablemsg.MessengerSetting.MAX_SENDER_INCARNATIONS_PER_PEER;
import static io.reliablemsg.MessengerSetting.MAX_STORED_MESSAGES;
import static io.reliablemsg.MessengerSetting.MAX_UNKNOWN_PEERS;
import static io.reliablemsg.MessengerSetting.MAX_USER_BUFFER_LENGTH;
import static io.reliablemsg.MessengerSetting.PATH_MAX_RETRANSMISSIONS;
import static io.reliablemsg.MessengerSetting.REORDERING_WINDOW;
import static io.reliablemsg.MessengerSetting.PEER;
import static io.reliablemsg.MessengerSetting.PEER_CLIENT_ID;
import static io.reliablemsg.MessengerSetting.PEER_RESOLUTION_INTERVAL;
import static io.reliablemsg.MessengerSetting.PORT;
import static io.reliablemsg.MessengerSetting.REPLY_CACHE_BYTES;
import static io.reliablemsg.MessengerSetting.REPLY_TIMEOUT;
import static io.reliablemsg.MessengerSetting.SEND_KEY_ID;
import static io.reliablemsg.MessengerSetting.SOCKET_BUFFER_BYTES;

import io.reliablemsg.wire.WireFormat;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of one {@link ReliableMessenger}. Immutable; built with {@link #builder()}, which checks
 * every value and rejects a bad one with an {@link InvalidSettingException} that names the
 * {@link MessengerSetting}. Each default is one {@code DEFAULT_*} constant below.
 */
public final class MessengerConfig {
    /** Bytes of frame overhead a single DATA frame adds to its payload (datagram header + frame header). */
    public static final int DATA_OVERHEAD_BYTES = WireFormat.HEADER_LENGTH + WireFormat.DATA_HEADER_LENGTH;
    /** Bytes kept free in every datagram for an authentication trailer. */
    public static final int TRAILER_RESERVE_BYTES = 32;
    /** Bytes of frame overhead a single REPLY frame adds to its reply (datagram header + frame header). */
    public static final int REPLY_OVERHEAD_BYTES = WireFormat.HEADER_LENGTH + WireFormat.REPLY_HEADER_LENGTH;
    /** Smallest bundle size other than 0: a datagram header, an ACK frame and the trailer reserve. */
    /** Smallest datagram size: room for a header, a fragment head, some data and the trailer reserve. */
    public static final int MIN_DATAGRAM_SIZE = 128;
    private static final int MIN_BUNDLE_SIZE = WireFormat.HEADER_LENGTH + WireFormat.ACK_LENGTH + TRAILER_RESERVE_BYTES;

    // The defaults: each lives here and only here. The builder starts from them, its javadoc and the
    // Spring Boot starter's property descriptions refer to them, and tests compare the docs with them.

    /** Default {@linkplain Builder#bindAddress(String) bind address}: every local address. */
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    /** Default {@linkplain Builder#port(int) port}: 0, any free port. */
    public static final int DEFAULT_PORT = 0;
    /** Default {@linkplain Builder#interval(Duration) retransmit interval}: 1 second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Default {@linkplain Builder#maxRetries(int) retransmissions before failure}. */
    public static final int DEFAULT_MAX_RETRIES = 10;
    /** Default {@linkplain Builder#maxUserBufferLength(int) largest user buffer}, in bytes. */
    public static final int DEFAULT_MAX_USER_BUFFER_LENGTH = 64;
    /** Default {@linkplain Builder#maxStoredMessages(int) retransmit chain capacity}. */
    public static final int DEFAULT_MAX_STORED_MESSAGES = 1000;
    /**
     * Default {@linkplain Builder#maxDatagramSize(int) largest datagram}: 0, the path's. At start the messenger
     * takes the smallest over its configured peers of the MTU of the interface that routes to each, less the IP
     * and UDP headers (1472 bytes on a 1500-byte IPv4 Ethernet path, 1452 over IPv6, 65,507 on loopback), and
     * 1472 where the interface cannot be found (docs/PROTOCOL.md, "Datagram size").
     */
    public static final int DEFAULT_MAX_DATAGRAM_SIZE = 0;
    /**
     * Default {@linkplain Builder#bundleSize(int) bundling limit}, in bytes: 65,507, that is a whole datagram,
     * since a bundle never exceeds the datagram size (so bundles follow the path: 1472 bytes on Ethernet, 65,507
     * on loopback).
     */
    public static final int DEFAULT_BUNDLE_SIZE = WireFormat.MAX_UDP_PAYLOAD;
    /**
     * Default {@linkplain Builder#maxMessageSize(int) largest message}, in bytes: 1 MiB. Control-plane messages
     * larger than a packet (a PFCP session establishment with many rules, a Diameter answer with many AVPs, a
     * bulk configuration push) stay far below it, and one message of this size costs at most 750 fragments of
     * an Ethernet path; larger transfers belong on a stream. Memory is bounded by
     * {@link #DEFAULT_MAX_PENDING_BYTES} and {@link #DEFAULT_REASSEMBLY_BYTES}, not by this times the chain's size.
     */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    /** Default {@linkplain Builder#maxPendingBytes(long) payload bytes held on the retransmit chain}: 64 MiB. */
    public static final long DEFAULT_MAX_PENDING_BYTES = 64L << 20;
    /** Default {@linkplain Builder#reassemblyBytes(long) bytes held for messages being reassembled}: 64 MiB. */
    public static final long DEFAULT_REASSEMBLY_BYTES = 64L << 20;
    /** Largest payload that goes whole in one datagram (a request, a message to a peer that reads no fragments). */
    public static final int MAX_WHOLE_PAYLOAD_SIZE = WireFormat.MAX_UDP_PAYLOAD - DATA_OVERHEAD_BYTES
            - TRAILER_RESERVE_BYTES;
    /** Default {@linkplain Builder#clockSkewAllowance(Duration) clock skew allowance}: 200 milliseconds. */
    public static final Duration DEFAULT_CLOCK_SKEW_ALLOWANCE = Duration.ofMillis(200);
    /** Default {@linkplain Builder#maxRetransmitsPerPeerPerScan(int) retransmit budget per peer per scan}. */
    public static final int DEFAULT_MAX_RETRANSMITS_PER_PEER_PER_SCAN = 1000;
    /** Default {@linkplain Builder#duplicateWindow(int) duplicate window}, in message ids: 2^20. */
    public static final int DEFAULT_DUPLICATE_WINDOW = 1 << 20;
    /** Default {@linkplain Builder#maxSenderIncarnationsPerPeer(int) sender incarnations tracked per peer}. */
    public static final int DEFAULT_MAX_SENDER_INCARNATIONS_PER_PEER = 4;
    /** Default of {@link Builder#acceptUnknownPeers(boolean)}: unknown sources are dropped and counted. */
    public static final boolean DEFAULT_ACCEPT_UNKNOWN_PEERS = false;
    /** Default {@linkplain Builder#maxUnknownPeers(int) unknown sources tracked at once}. */
    public static final int DEFAULT_MAX_UNKNOWN_PEERS = 256;
    /** Default {@linkplain Builder#deliveryQueueCapacity(int) delivery queue capacity}, in messages. */
    public static final int DEFAULT_DELIVERY_QUEUE_CAPACITY = 10_000;
    /** Default {@linkplain Builder#handlerThreads(int) handler threads}: one, every callback in arrival order. */
    public static final int DEFAULT_HANDLER_THREADS = 1;
    /** Most {@linkplain Builder#handlerThreads(int) handler threads} (lanes) a messenger runs. */
    public static final int MAX_HANDLER_THREADS = 1024;
    /** Default {@linkplain Builder#idleStrategy(IdleStrategy) idle strategy}: sleep until there is work. */
    public static final IdleStrategy DEFAULT_IDLE_STRATEGY = IdleStrategy.PARK;
    /** Default of {@link Builder#inlineCallbacks(boolean)}: callbacks run on their own thread. */
    public static final boolean DEFAULT_INLINE_CALLBACKS = false;
    /** Default {@linkplain Builder#closeTimeout(Duration) drain time on close}: 5 seconds. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** Default {@linkplain Builder#socketBufferBytes(int) socket buffer size} asked for, in bytes: 4 MiB. */
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4 << 20;
    /**
     * Default {@linkplain Builder#heartbeatInterval(Duration) heartbeat interval}: 1 s, so that a stopped idle
     * peer is reported unreachable after {@code maxRetries + 1} seconds (11 s with the defaults) instead of
     * looking reachable until a message to it fails, as GTP Echo, SCTP HEARTBEAT and the Diameter watchdog
     * keep a control-plane peer watched; costs one PING and one PONG a second per idle peer and nothing on a
     * busy link. Zero turns heartbeats off.
     */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /**
     * Default {@linkplain Builder#peerResolutionInterval(Duration) peer resolution interval}: 10 s. A changed DNS
     * record is seen within the JVM's own cache time ({@code networkaddress.cache.ttl}, 30 s by default) plus this
     * interval, 40 s, and what was in flight goes to the new address at once: inside the 60 s issue 13 asks for,
     * with 20 s left for the DNS server's own record TTL. Cheap: between the JVM cache's expiries a lookup is
     * served from memory, so a shorter interval adds no DNS queries, only lookups in the cache.
     */
    public static final Duration DEFAULT_PEER_RESOLUTION_INTERVAL = Duration.ofSeconds(10);
    /**
     * Default {@linkplain Builder#pathMaxRetransmissions(int) copies in a row a path may leave unacked}
     * before it is failed: 2 (SCTP's Path.Max.Retrans is 5 with its RTO; ours counts whole intervals).
     */
    public static final int DEFAULT_PATH_MAX_RETRANSMISSIONS = 2;
    /** Default of {@link Builder#returnToPrimary(boolean)}: traffic goes back to the first address once it works. */
    public static final boolean DEFAULT_RETURN_TO_PRIMARY = true;
    /**
     * Default of {@link Builder#fastRetransmit(boolean)}: on. A message is resent before its timer when a
     * message sent to the same peer more than the reordering window after it is acked first.
     */
    public static final boolean DEFAULT_FAST_RETRANSMIT = true;
    /**
     * Default {@linkplain Builder#reorderingWindow(Duration) reordering window}: 5 ms, capped at a quarter
     * of the interval. A datagram overtaken by one sent 5 ms later is taken as lost; reordering within a
     * LAN or a data centre stays well below that, and the cap keeps fast copies ahead of the timer at any interval.
     */
    public static final Duration DEFAULT_REORDERING_WINDOW = Duration.ofMillis(5);
    /** Default {@linkplain Builder#ackMode(AckMode) ack mode}: at once on receipt (seed S7). */
    public static final AckMode DEFAULT_ACK_MODE = AckMode.ON_RECEIPT;
    /**
     * Default {@linkplain Builder#maxReplySize(int) largest reply}, in bytes: what fits the largest datagram
     * (65,507 - 20 - 40 - 32 = 65,415); a smaller {@code maxDatagramSize} lowers it further.
     */
    public static final int DEFAULT_MAX_REPLY_SIZE = WireFormat.MAX_UDP_PAYLOAD - REPLY_OVERHEAD_BYTES
            - TRAILER_RESERVE_BYTES;
    /** Default {@linkplain Builder#replyCacheBytes(long) memory for cached replies}, in bytes: 16 MiB. */
    public static final long DEFAULT_REPLY_CACHE_BYTES = 16L << 20;
    /** Default {@linkplain Builder#replyTimeout(Duration) time a request waits for its reply}: 30 seconds. */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(30);
    /** Most addresses (paths) a peer may have. */
    public static final int MAX_PATHS_PER_PEER = 8;

    private final int clientId;
    private final String bindAddress;
    private final int port;
    private final Map<String, InetSocketAddress> peers;
    private final Map<String, List<InetSocketAddress>> peerAddresses;
    private final int pathMaxRetransmissions;
    private final boolean returnToPrimary;
    private final boolean fastRetransmit;
    private final Duration reorderingWindow;
    private final Duration interval;
    private final int maxRetries;
    private final int maxUserBufferLength;
    private final int maxStoredMessages;
    private final int maxDatagramSize;
    private final int bundleSize;
    private final int maxMessageSize;
    private final long maxPendingBytes;
    private final long reassemblyBytes;
    private final Duration clockSkewAllowance;
    private final int maxRetransmitsPerPeerPerScan;
    private final int duplicateWindow;
    private final int maxSenderIncarnationsPerPeer;
    private final boolean acceptUnknownPeers;
    private final int maxUnknownPeers;
    private final int deliveryQueueCapacity;
    private final int handlerThreads;
    private final IdleStrategy idleStrategy;
    private final boolean inlineCallbacks;
    private final Duration closeTimeout;
    private final int socketBufferBytes;
    private final Duration heartbeatInterval;
    private final Duration peerResolutionInterval;
    private final Map<Integer, byte[]> authenticationKeys;
    private final int sendKeyId;
    private final Map<String, Integer> peerClientIds;
    private final AckMode ackMode;
    private final int maxReplySize;
    private final long replyCacheBytes;
    private final Duration replyTimeout;

    private MessengerConfig(Builder b) {
        this.clientId = b.clientId;
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        Map<String, InetSocketAddress> primaries = new LinkedHashMap<>();
        Map<String, List<InetSocketAddress>> addresses = new LinkedHashMap<>();
        b.peers.forEach((name, list) -> {
            primaries.put(name, list.get(0));
            addresses.put(name, List.copyOf(list));
        });
        this.peers = Collections.unmodifiableMap(primaries);
        this.peerAddresses = Collections.unmodifiableMap(addresses);
        this.pathMaxRetransmissions = b.pathMaxRetransmissions;
        this.returnToPrimary = b.returnToPrimary;
        this.fastRetransmit = b.fastRetransmit;
        this.reorderingWindow = b.reorderingWindow;
        this.interval = b.interval;
        this.maxRetries = b.maxRetries;
        this.maxUserBufferLength = b.maxUserBufferLength;
        this.maxStoredMessages = b.maxStoredMessages;
        this.maxDatagramSize = b.maxDatagramSize;
        // a bundle never exceeds the datagram (the default bundle is a whole one)
        this.bundleSize = b.maxDatagramSize == 0 ? b.bundleSize : Math.min(b.bundleSize, b.maxDatagramSize);
        this.maxMessageSize = b.maxMessageSize;
        this.maxPendingBytes = b.maxPendingBytes;
        this.reassemblyBytes = b.reassemblyBytes;
        this.clockSkewAllowance = b.clockSkewAllowance;
        this.maxRetransmitsPerPeerPerScan = b.maxRetransmitsPerPeerPerScan;
        this.duplicateWindow = b.duplicateWindow;
        this.maxSenderIncarnationsPerPeer = b.maxSenderIncarnationsPerPeer;
        this.acceptUnknownPeers = b.acceptUnknownPeers;
        this.maxUnknownPeers = b.maxUnknownPeers;
        this.deliveryQueueCapacity = b.deliveryQueueCapacity;
        this.handlerThreads = b.handlerThreads;
        this.idleStrategy = b.idleStrategy;
        this.inlineCallbacks = b.inlineCallbacks;
        this.closeTimeout = b.closeTimeout;
        this.socketBufferBytes = b.socketBufferBytes;
        this.heartbeatInterval = b.heartbeatInterval;
        this.peerResolutionInterval = b.peerResolutionInterval;
        Map<Integer, byte[]> keys = new LinkedHashMap<>();
        b.authenticationKeys.forEach((id, key) -> keys.put(id, key.clone()));
        this.authenticationKeys = Collections.unmodifiableMap(keys);
        this.sendKeyId = b.sendKeyId != null ? b.sendKeyId
                : keys.isEmpty() ? -1 : keys.keySet().iterator().next();
        this.peerClientIds = Collections.unmodifiableMap(new LinkedHashMap<>(b.peerClientIds));
        this.ackMode = b.ackMode;
        int datagram = b.maxDatagramSize == 0 ? WireFormat.MAX_UDP_PAYLOAD : b.maxDatagramSize;
        this.maxReplySize = Math.min(b.maxReplySize, datagram - REPLY_OVERHEAD_BYTES - TRAILER_RESERVE_BYTES);
        this.replyCacheBytes = b.replyCacheBytes;
        this.replyTimeout = b.replyTimeout;
    }

    /** A copy of {@code base} whose datagram size is {@code datagramSize} and whose bundles are at most that. */
    private MessengerConfig(MessengerConfig base, int datagramSize) {
        this.clientId = base.clientId;
        this.bindAddress = base.bindAddress;
        this.port = base.port;
        this.peers = base.peers;
        this.peerAddresses = base.peerAddresses;
        this.pathMaxRetransmissions = base.pathMaxRetransmissions;
        this.returnToPrimary = base.returnToPrimary;
        this.fastRetransmit = base.fastRetransmit;
        this.reorderingWindow = base.reorderingWindow;
        this.interval = base.interval;
        this.maxRetries = base.maxRetries;
        this.maxUserBufferLength = base.maxUserBufferLength;
        this.maxStoredMessages = base.maxStoredMessages;
        this.maxDatagramSize = datagramSize;
        this.bundleSize = Math.min(base.bundleSize, datagramSize);
        this.maxMessageSize = base.maxMessageSize;
        this.maxPendingBytes = base.maxPendingBytes;
        this.reassemblyBytes = base.reassemblyBytes;
        this.clockSkewAllowance = base.clockSkewAllowance;
        this.maxRetransmitsPerPeerPerScan = base.maxRetransmitsPerPeerPerScan;
        this.duplicateWindow = base.duplicateWindow;
        this.maxSenderIncarnationsPerPeer = base.maxSenderIncarnationsPerPeer;
        this.acceptUnknownPeers = base.acceptUnknownPeers;
        this.maxUnknownPeers = base.maxUnknownPeers;
        this.deliveryQueueCapacity = base.deliveryQueueCapacity;
        this.handlerThreads = base.handlerThreads;
        this.idleStrategy = base.idleStrategy;
        this.inlineCallbacks = base.inlineCallbacks;
        this.closeTimeout = base.closeTimeout;
        this.socketBufferBytes = base.socketBufferBytes;
        this.heartbeatInterval = base.heartbeatInterval;
        this.peerResolutionInterval = base.peerResolutionInterval;
        this.authenticationKeys = base.authenticationKeys;
        this.sendKeyId = base.sendKeyId;
        this.peerClientIds = base.peerClientIds;
        this.ackMode = base.ackMode;
        this.maxReplySize = base.maxReplySize;
        this.replyCacheBytes = base.replyCacheBytes;
        this.replyTimeout = base.replyTimeout;
    }

    /**
     * This configuration with its datagram size resolved: itself when {@link #maxDatagramSize()} was set, else a
     * copy with {@code pathDatagramSize} (what the messenger found for its paths at start) as the datagram size
     * and the bundle size capped at it.
     */
    public MessengerConfig withPathDatagramSize(int pathDatagramSize) {
        if (maxDatagramSize != 0) {
            return this;
        }
        if (pathDatagramSize < MIN_DATAGRAM_SIZE || pathDatagramSize > WireFormat.MAX_UDP_PAYLOAD) {
            throw new IllegalArgumentException("path datagram size must be in [" + MIN_DATAGRAM_SIZE + ", "
                    + WireFormat.MAX_UDP_PAYLOAD + "] but was " + pathDatagramSize);
        }
        return new MessengerConfig(this, pathDatagramSize);
    }

    /** A builder that starts from the {@code DEFAULT_*} values, as documented on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** This process's client id, carried in every datagram (seed S1). */
    public int clientId() { return clientId; }
    /** Local address the UDP socket binds to. */
    public String bindAddress() { return bindAddress; }
    /** Local UDP port; 0 picks a free one. */
    public int port() { return port; }
    /** Named peers with their first (primary) address, in the order given. Addresses may be unresolved until start. */
    public Map<String, InetSocketAddress> peers() { return peers; }
    /**
     * Named peers with all their addresses, each a path, in preference order (docs/PROTOCOL.md, "Paths").
     * Addresses may be unresolved until start.
     */
    public Map<String, List<InetSocketAddress>> peerAddresses() { return peerAddresses; }
    /** Copies in a row a path may leave unacked (each after a full interval) before it is failed. */
    public int pathMaxRetransmissions() { return pathMaxRetransmissions; }
    /** Whether traffic returns to a peer's first address once that path answers again. */
    public boolean returnToPrimary() { return returnToPrimary; }
    /** Whether a message overtaken by a later acked one is resent before its timer (see the builder). */
    public boolean fastRetransmit() { return fastRetransmit; }
    /** The reordering window as configured; {@link #effectiveReorderingWindow()} is the one in force. */
    public Duration reorderingWindow() { return reorderingWindow; }
    /** The reordering window in force: as configured, at most a quarter of the interval. */
    public Duration effectiveReorderingWindow() {
        Duration quarter = interval.dividedBy(4);
        return reorderingWindow.compareTo(quarter) < 0 ? reorderingWindow : quarter;
    }
    /** Retransmit interval and maximum message age (seed S2, S4, S6, S9). */
    public Duration interval() { return interval; }
    /** Retransmissions after the first send before a message fails (seed S5). */
    public int maxRetries() { return maxRetries; }
    /** Largest user buffer accepted by {@code send} (seed MAX_BUFF_LEN). */
    public int maxUserBufferLength() { return maxUserBufferLength; }
    /** Capacity of the retransmit chain (seed MAX_STORED_MSG). */
    public int maxStoredMessages() { return maxStoredMessages; }
    /**
     * Largest datagram sent to a peer that reads fragments, in bytes: bundles and fragments never exceed it. 0 as
     * configured by default: the path's, which the messenger resolves at start ({@link #withPathDatagramSize}).
     */
    public int maxDatagramSize() { return maxDatagramSize; }
    /** Frames ready at once for one peer share datagrams up to this size; 0 sends one frame per datagram. */
    public int bundleSize() { return bundleSize; }
    /** How far apart the two hosts' wall clocks may be before the age checks misjudge a message. */
    public Duration clockSkewAllowance() { return clockSkewAllowance; }
    /** Retransmissions to one peer per scan (interval / 2) at most: the storm brake after a flap. */
    public int maxRetransmitsPerPeerPerScan() { return maxRetransmitsPerPeerPerScan; }
    /** Message ids per sender incarnation remembered for duplicate detection (a power of two). */
    public int duplicateWindow() { return duplicateWindow; }
    /** Sender incarnations tracked per peer at once (a restarting sender uses a new one). */
    public int maxSenderIncarnationsPerPeer() { return maxSenderIncarnationsPerPeer; }
    /** Whether datagrams from addresses that are not configured peers are accepted. */
    public boolean acceptUnknownPeers() { return acceptUnknownPeers; }
    /** Unknown source addresses tracked at once when they are accepted. */
    public int maxUnknownPeers() { return maxUnknownPeers; }
    /** Messages received but not yet handled that may wait for the handler; beyond it nothing is acked. */
    public int deliveryQueueCapacity() { return deliveryQueueCapacity; }

    /** Threads (lanes) that run handlers; a peer's messages always run on the same one, in order. */
    public int handlerThreads() { return handlerThreads; }

    /** What the I/O loop does when it has nothing to do. */
    public IdleStrategy idleStrategy() { return idleStrategy; }
    /** Whether handlers and listeners run on the I/O loop itself instead of a callback thread. */
    public boolean inlineCallbacks() { return inlineCallbacks; }
    /** How long {@code close()} waits for pending messages to be acked before failing them. */
    public Duration closeTimeout() { return closeTimeout; }
    /** SO_SNDBUF and SO_RCVBUF asked of the kernel (it may grant less). */
    public int socketBufferBytes() { return socketBufferBytes; }
    /**
     * How long a configured peer may stay silent before it is pinged (zero: no heartbeats). A peer
     * that answers none of {@code maxRetries + 1} pings in a row is reported unreachable.
     */
    public Duration heartbeatInterval() { return heartbeatInterval; }
    /**
     * How often the host names of the peers are resolved again (zero: only when a peer is added). A peer whose
     * names resolve to other addresses gets them as its paths, without a restart.
     */
    public Duration peerResolutionInterval() { return peerResolutionInterval; }

    /**
     * Keys for authenticating datagrams (HMAC-SHA256), by key id; empty when datagrams are not
     * authenticated. Copies: changing the returned arrays changes nothing.
     */
    public Map<Integer, byte[]> authenticationKeys() {
        Map<Integer, byte[]> copy = new LinkedHashMap<>();
        authenticationKeys.forEach((id, key) -> copy.put(id, key.clone()));
        return copy;
    }

    /** Whether datagrams are signed and only signed datagrams are accepted. */
    public boolean authenticated() {
        return !authenticationKeys.isEmpty();
    }

    /** Id of the key datagrams are signed with, or -1 without authentication. */
    public int sendKeyId() { return sendKeyId; }

    /** Client ids that datagrams from each named peer must carry; peers not listed may use any. */
    public Map<String, Integer> peerClientIds() { return peerClientIds; }

    /** When a new message is acked: on receipt (seed S7) or after its handler returned (docs/PROTOCOL.md, section 10). */
    public AckMode ackMode() { return ackMode; }
    /**
     * Largest reply a request handler may return, in bytes: the configured value, or what fits
     * {@code maxDatagramSize} when that is less. A larger reply counts as a handler error.
     */
    public int maxReplySize() { return maxReplySize; }
    /**
     * Memory the cached replies may take, in bytes (each charged its length plus a fixed overhead); when a
     * new reply does not fit, the least recently sent ones are dropped (docs/PROTOCOL.md, section 9).
     */
    public long replyCacheBytes() { return replyCacheBytes; }
    /** How long a request waits for its reply after its first send before it fails with {@code REPLY_TIMEOUT}. */
    public Duration replyTimeout() { return replyTimeout; }

    /**
     * Largest payload that goes whole in one datagram: the most a request carries, and what a message to a peer
     * that reads no fragments (revision 3 or older) may carry; 65,431 bytes. Messages are bounded by
     * {@link #maxMessageSize()} instead.
     */
    public int maxPayloadSize() {
        return MAX_WHOLE_PAYLOAD_SIZE;
    }

    /** Largest message {@code send} accepts, in bytes; one larger than a datagram goes in fragments. */
    public int maxMessageSize() { return maxMessageSize; }
    /** Most payload bytes held on the retransmit chain at once; a send beyond it is refused like a full chain. */
    public long maxPendingBytes() { return maxPendingBytes; }
    /** Most bytes a receiver holds for messages being reassembled; a new one beyond it is refused, unacked. */
    public long reassemblyBytes() { return reassemblyBytes; }

    /**
     * How long a receiver must remember a message id: as long as the sender may still retransmit
     * it (first send + maxRetries intervals + the last wait), plus one interval and the skew allowance.
     */
    public Duration duplicateHoldTime() {
        return interval.multipliedBy(maxRetries + 2L).plus(clockSkewAllowance);
    }

    /** Builder for {@link MessengerConfig}. */
    public static final class Builder {
        private int clientId;
        private boolean clientIdSet;
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private final Map<String, List<InetSocketAddress>> peers = new LinkedHashMap<>();
        private int pathMaxRetransmissions = DEFAULT_PATH_MAX_RETRANSMISSIONS;
        private boolean returnToPrimary = DEFAULT_RETURN_TO_PRIMARY;
        private boolean fastRetransmit = DEFAULT_FAST_RETRANSMIT;
        private Duration reorderingWindow = DEFAULT_REORDERING_WINDOW;
        private Duration interval = DEFAULT_INTERVAL;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private int maxUserBufferLength = DEFAULT_MAX_USER_BUFFER_LENGTH;
        private int maxStoredMessages = DEFAULT_MAX_STORED_MESSAGES;
        private int maxDatagramSize = DEFAULT_MAX_DATAGRAM_SIZE;
        private int bundleSize = DEFAULT_BUNDLE_SIZE;
        private boolean bundleSizeSet;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private long maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private long reassemblyBytes = DEFAULT_REASSEMBLY_BYTES;
        private Duration clockSkewAllowance = DEFAULT_CLOCK_SKEW_ALLOWANCE;
        private int maxRetransmitsPerPeerPerScan = DEFAULT_MAX_RETRANSMITS_PER_PEER_PER_SCAN;
        private int duplicateWindow = DEFAULT_DUPLICATE_WINDOW;
        private int maxSenderIncarnationsPerPeer = DEFAULT_MAX_SENDER_INCARNATIONS_PER_PEER;
        private boolean acceptUnknownPeers = DEFAULT_ACCEPT_UNKNOWN_PEERS;
        private int maxUnknownPeers = DEFAULT_MAX_UNKNOWN_PEERS;
        private int deliveryQueueCapacity = DEFAULT_DELIVERY_QUEUE_CAPACITY;
        private int handlerThreads = DEFAULT_HANDLER_THREADS;
        private IdleStrategy idleStrategy = DEFAULT_IDLE_STRATEGY;
        private boolean inlineCallbacks = DEFAULT_INLINE_CALLBACKS;
        private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
        private int socketBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
        private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
        private Duration peerResolutionInterval = DEFAULT_PEER_RESOLUTION_INTERVAL;
        private final Map<Integer, byte[]> authenticationKeys = new LinkedHashMap<>();
        private Integer sendKeyId;
        private final Map<String, Integer> peerClientIds = new LinkedHashMap<>();
        private AckMode ackMode = DEFAULT_ACK_MODE;
        private int maxReplySize = DEFAULT_MAX_REPLY_SIZE;
        private long replyCacheBytes = DEFAULT_REPLY_CACHE_BYTES;
        private Duration replyTimeout = DEFAULT_REPLY_TIMEOUT;

        private Builder() {
        }

        /**
         * When a new message or request is acked (default {@link MessengerConfig#DEFAULT_ACK_MODE}: on receipt,
         * seed S7); {@link AckMode#AFTER_HANDLER} acks once the handler returned normally.
         */
        public Builder ackMode(AckMode mode) {
            require(mode != null, ACK_MODE, "must be ON_RECEIPT or AFTER_HANDLER but was null");
            this.ackMode = mode;
            return this;
        }

        /**
         * Largest reply, in bytes (default {@value MessengerConfig#DEFAULT_MAX_REPLY_SIZE}, in [0, that];
         * never more than fits {@code maxDatagramSize}).
         */
        public Builder maxReplySize(int bytes) {
            require(bytes >= 0 && bytes <= DEFAULT_MAX_REPLY_SIZE, MAX_REPLY_SIZE,
                    "must be in [0, " + DEFAULT_MAX_REPLY_SIZE + "] but was " + bytes);
            this.maxReplySize = bytes;
            return this;
        }

        /**
         * Memory for cached replies, in bytes (default {@value MessengerConfig#DEFAULT_REPLY_CACHE_BYTES}, 16 MiB;
         * at least 1024).
         */
        public Builder replyCacheBytes(long bytes) {
            require(bytes >= 1024, REPLY_CACHE_BYTES, "must be at least 1024 but was " + bytes);
            this.replyCacheBytes = bytes;
            return this;
        }

        /** How long a request waits for its reply (default {@link MessengerConfig#DEFAULT_REPLY_TIMEOUT}; at least 1 ms). */
        public Builder replyTimeout(Duration timeout) {
            require(timeout != null && timeout.toMillis() >= 1, REPLY_TIMEOUT, "must be at least 1 ms but was "
                    + timeout);
            this.replyTimeout = timeout;
            return this;
        }

        /**
         * Adds a key for authenticating datagrams with HMAC-SHA256 under id {@code keyId} (0-255).
         * With at least one key, every datagram is signed and unsigned or wrongly signed ones are
         * dropped. Several keys may be present during a rotation; see {@link #sendKeyId(int)}.
         */
        public Builder authenticationKey(int keyId, byte[] secret) {
            require(keyId >= 0 && keyId <= 255, AUTHENTICATION_KEY, keyId, "must have an id in [0, 255]");
            require(secret != null && secret.length >= 16, AUTHENTICATION_KEY, keyId,
                    "must be at least 16 bytes (128 bits) long");
            authenticationKeys.put(keyId, secret.clone());
            return this;
        }

        /** Key id to sign with (default: the first key added). */
        public Builder sendKeyId(int keyId) {
            this.sendKeyId = keyId;
            return this;
        }

        /**
         * Requires datagrams from peer {@code name} to carry client id {@code clientId}; {@link #build()}
         * checks that the peer is configured.
         */
        public Builder peerClientId(String name, int clientId) {
            require(name != null && !name.isBlank(), PEER_CLIENT_ID, name, "must name a peer");
            peerClientIds.put(name, clientId);
            return this;
        }

        /** Client id of this process (required; any 32-bit value, unique among the peers). */
        public Builder clientId(int clientId) {
            this.clientId = clientId;
            this.clientIdSet = true;
            return this;
        }

        /** Local address to bind (default {@value MessengerConfig#DEFAULT_BIND_ADDRESS}). */
        public Builder bindAddress(String bindAddress) {
            require(bindAddress != null && !bindAddress.isBlank(), BIND_ADDRESS, "must not be blank");
            this.bindAddress = bindAddress;
            return this;
        }

        /** Local port (default {@value MessengerConfig#DEFAULT_PORT}: any free port). */
        public Builder port(int port) {
            require(port >= 0 && port <= 65535, PORT, "must be in [0, 65535] but was " + port);
            this.port = port;
            return this;
        }

        /** Adds a peer {@code name} at {@code host}:{@code port} (one address, one path). */
        public Builder peer(String name, String host, int port) {
            require(name != null && !name.isBlank(), PEER, name, "must have a name that is not blank");
            require(host != null && !host.isBlank(), PEER, name, "must have a host that is not blank");
            require(port >= 1 && port <= 65535, PEER, name, "must have a port in [1, 65535] but was " + port);
            peers.put(name, List.of(InetSocketAddress.createUnresolved(host, port)));
            return this;
        }

        /**
         * Adds a peer {@code name} at one or more addresses, each written {@code host:port} ({@code [v6]:port}
         * for IPv6), in preference order; {@code addresses} may also be one string of comma-separated
         * addresses ({@code "10.1.0.2:7000,10.2.0.2:7000"}, as the Spring property takes them). Each address
         * is a path (docs/PROTOCOL.md, "Paths"): the first is used while it works. At most
         * {@value MessengerConfig#MAX_PATHS_PER_PEER} addresses, none empty, none twice.
         */
        public Builder peer(String name, String... addresses) {
            List<InetSocketAddress> parsed = HostAndPort.parseAll(name, addresses);
            peers.put(name, List.copyOf(parsed));
            return this;
        }

        /**
         * Copies in a row a path may leave unacked before it is failed and the traffic moves to the
         * peer's next usable path at once (default {@value MessengerConfig#DEFAULT_PATH_MAX_RETRANSMISSIONS},
         * in [1, 254]). With several addresses, {@code maxRetries} must be at least this + 1, or a message
         * would fail before another path was tried.
         */
        public Builder pathMaxRetransmissions(int copies) {
            require(copies >= 1 && copies < WireFormat.MAX_TRANSMISSIONS, PATH_MAX_RETRANSMISSIONS,
                    "must be in [1, " + (WireFormat.MAX_TRANSMISSIONS - 1) + "] but was " + copies);
            this.pathMaxRetransmissions = copies;
            return this;
        }

        /**
         * Whether traffic goes back to a peer's first address once that path answers again (default
         * {@value MessengerConfig#DEFAULT_RETURN_TO_PRIMARY}); false keeps it on the path that works now.
         */
        public Builder returnToPrimary(boolean returnToPrimary) {
            this.returnToPrimary = returnToPrimary;
            return this;
        }

        /**
         * Fast retransmission (default {@value MessengerConfig#DEFAULT_FAST_RETRANSMIT}), as KCP's fast resend
         * and TCP's RACK: when an ack comes for a message whose last copy went out more than the
         * {@linkplain #reorderingWindow(Duration) reordering window} after the last copy of another message to
         * the same peer, that other message is taken as lost and resent at once, before its timer. At most one
         * early copy per message per interval, within the peer's retransmit budget; an early copy uses up no
         * retry and moves no deadline, so the time to failure stays {@code (maxRetries + 1) x interval}. Also
         * turns on the probes of a message in fragments: its missing fragments are sent again a round trip plus
         * the reordering window after its fragment acks stopped (docs/PROTOCOL.md, section 12), within the same
         * budget and with the same promise.
         */
        public Builder fastRetransmit(boolean fastRetransmit) {
            this.fastRetransmit = fastRetransmit;
            return this;
        }

        /**
         * How much later a copy must have been sent than another to the same peer for its ack to prove the
         * other lost (default {@link MessengerConfig#DEFAULT_REORDERING_WINDOW}; at least zero; capped at a
         * quarter of the interval when in force).
         */
        public Builder reorderingWindow(Duration window) {
            require(window != null && !window.isNegative(), REORDERING_WINDOW, "must be zero or more but was " + window);
            this.reorderingWindow = window;
            return this;
        }

        /** Retransmit interval (default {@link MessengerConfig#DEFAULT_INTERVAL}; at least 1 ms). */
        public Builder interval(Duration interval) {
            require(interval != null && interval.toMillis() >= 1, INTERVAL, "must be at least 1 ms but was " + interval);
            this.interval = interval;
            return this;
        }

        /** Retransmissions before failure (default {@value MessengerConfig#DEFAULT_MAX_RETRIES}, in [0, 254]). */
        public Builder maxRetries(int maxRetries) {
            require(maxRetries >= 0 && maxRetries < WireFormat.MAX_TRANSMISSIONS, MAX_RETRIES,
                    "must be in [0, " + (WireFormat.MAX_TRANSMISSIONS - 1) + "] but was " + maxRetries);
            this.maxRetries = maxRetries;
            return this;
        }

        /** Largest user buffer (default {@value MessengerConfig#DEFAULT_MAX_USER_BUFFER_LENGTH}, in [0, 65536]). */
        public Builder maxUserBufferLength(int length) {
            require(length >= 0 && length <= 1 << 16, MAX_USER_BUFFER_LENGTH,
                    "must be in [0, 65536] but was " + length);
            this.maxUserBufferLength = length;
            return this;
        }

        /** Chain capacity (default {@value MessengerConfig#DEFAULT_MAX_STORED_MESSAGES}, in [1, 2^26]). */
        public Builder maxStoredMessages(int capacity) {
            require(capacity >= 1 && capacity <= 1 << 26, MAX_STORED_MESSAGES,
                    "must be in [1, " + (1 << 26) + "] but was " + capacity);
            this.maxStoredMessages = capacity;
            return this;
        }

        /**
         * Largest datagram, UDP payload bytes (default {@value MessengerConfig#DEFAULT_MAX_DATAGRAM_SIZE}: the
         * path's, found at start from the interface MTU; otherwise in [{@value MessengerConfig#MIN_DATAGRAM_SIZE},
         * 65507]). Bundles and fragments never exceed it.
         */
        public Builder maxDatagramSize(int bytes) {
            require(bytes == 0 || bytes >= MIN_DATAGRAM_SIZE && bytes <= WireFormat.MAX_UDP_PAYLOAD, MAX_DATAGRAM_SIZE,
                    "must be 0 (the path's) or in [" + MIN_DATAGRAM_SIZE + ", " + WireFormat.MAX_UDP_PAYLOAD
                            + "] but was " + bytes);
            this.maxDatagramSize = bytes;
            return this;
        }

        /**
         * Bundling limit (default {@value MessengerConfig#DEFAULT_BUNDLE_SIZE}: a whole datagram; never more than
         * the datagram size; 0 turns bundling off).
         */
        public Builder bundleSize(int bytes) {
            require(bytes == 0 || bytes >= MIN_BUNDLE_SIZE && bytes <= WireFormat.MAX_UDP_PAYLOAD, BUNDLE_SIZE,
                    "must be 0 or in [" + MIN_BUNDLE_SIZE + ", " + WireFormat.MAX_UDP_PAYLOAD + "] but was " + bytes);
            this.bundleSize = bytes;
            this.bundleSizeSet = true;
            return this;
        }

        /**
         * Largest message {@code send} accepts, in bytes (default {@value MessengerConfig#DEFAULT_MAX_MESSAGE_SIZE},
         * 1 MiB; in [1, 256 MiB]). A message larger than one datagram goes in fragments (docs/PROTOCOL.md, section 12).
         */
        public Builder maxMessageSize(int bytes) {
            require(bytes >= 1 && bytes <= 256 << 20, MAX_MESSAGE_SIZE, "must be in [1, " + (256 << 20)
                    + "] but was " + bytes);
            this.maxMessageSize = bytes;
            return this;
        }

        /**
         * Most payload bytes held on the retransmit chain at once (default
         * {@value MessengerConfig#DEFAULT_MAX_PENDING_BYTES}, 64 MiB; at least {@code maxMessageSize}); a send that
         * would exceed it is refused as on a full chain.
         */
        public Builder maxPendingBytes(long bytes) {
            require(bytes >= 1, MAX_PENDING_BYTES, "must be at least 1 but was " + bytes);
            this.maxPendingBytes = bytes;
            return this;
        }

        /**
         * Most bytes held for messages being reassembled from fragments, over all peers (default
         * {@value MessengerConfig#DEFAULT_REASSEMBLY_BYTES}, 64 MiB; at least {@code maxMessageSize}). A fragment of a
         * new message that does not fit is refused, counted and not acked, so its sender retries.
         */
        public Builder reassemblyBytes(long bytes) {
            require(bytes >= 1, REASSEMBLY_BYTES, "must be at least 1 but was " + bytes);
            this.reassemblyBytes = bytes;
            return this;
        }

        /**
         * Tolerated wall-clock difference between hosts (default
         * {@link MessengerConfig#DEFAULT_CLOCK_SKEW_ALLOWANCE}; not negative).
         */
        public Builder clockSkewAllowance(Duration allowance) {
            require(allowance != null && !allowance.isNegative(), CLOCK_SKEW_ALLOWANCE,
                    "must not be negative but was " + allowance);
            this.clockSkewAllowance = allowance;
            return this;
        }

        /**
         * Retransmit budget per peer per scan (default
         * {@value MessengerConfig#DEFAULT_MAX_RETRANSMITS_PER_PEER_PER_SCAN}, at least 1).
         */
        public Builder maxRetransmitsPerPeerPerScan(int budget) {
            require(budget >= 1, MAX_RETRANSMITS_PER_PEER_PER_SCAN, "must be at least 1 but was " + budget);
            this.maxRetransmitsPerPeerPerScan = budget;
            return this;
        }

        /**
         * Duplicate window in message ids (default {@value MessengerConfig#DEFAULT_DUPLICATE_WINDOW}, a power of
         * two in [64, 2^26]).
         */
        public Builder duplicateWindow(int ids) {
            require(ids >= 64 && ids <= 1 << 26 && Integer.bitCount(ids) == 1, DUPLICATE_WINDOW,
                    "must be a power of two in [64, " + (1 << 26) + "] but was " + ids);
            this.duplicateWindow = ids;
            return this;
        }

        /**
         * Sender incarnations tracked per peer (default
         * {@value MessengerConfig#DEFAULT_MAX_SENDER_INCARNATIONS_PER_PEER}, in [1, 64]).
         */
        public Builder maxSenderIncarnationsPerPeer(int count) {
            require(count >= 1 && count <= 64, MAX_SENDER_INCARNATIONS_PER_PEER, "must be in [1, 64] but was " + count);
            this.maxSenderIncarnationsPerPeer = count;
            return this;
        }

        /**
         * Whether unknown source addresses are accepted (default
         * {@value MessengerConfig#DEFAULT_ACCEPT_UNKNOWN_PEERS}: dropped and counted).
         */
        public Builder acceptUnknownPeers(boolean accept) {
            this.acceptUnknownPeers = accept;
            return this;
        }

        /**
         * Unknown sources tracked at once (default {@value MessengerConfig#DEFAULT_MAX_UNKNOWN_PEERS},
         * in [1, 65536]).
         */
        public Builder maxUnknownPeers(int count) {
            require(count >= 1 && count <= 65536, MAX_UNKNOWN_PEERS, "must be in [1, 65536] but was " + count);
            this.maxUnknownPeers = count;
            return this;
        }

        /** Delivery queue capacity (default {@value MessengerConfig#DEFAULT_DELIVERY_QUEUE_CAPACITY}, at least 1). */
        public Builder deliveryQueueCapacity(int capacity) {
            require(capacity >= 1, DELIVERY_QUEUE_CAPACITY, "must be at least 1 but was " + capacity);
            this.deliveryQueueCapacity = capacity;
            return this;
        }

        /**
         * Threads that run the inbound and request handlers (default {@value MessengerConfig#DEFAULT_HANDLER_THREADS},
         * at most {@value MessengerConfig#MAX_HANDLER_THREADS}). Each peer's messages go to one lane, chosen from the
         * peer's name, and run there in arrival order, so handlers of different peers run concurrently and one
         * peer's never do; with several threads a handler must be thread-safe across peers. Acks, failures, path
         * and peer notices and replies' futures stay on the first lane. The threads start on first use (a lane
         * that no peer maps to never starts) and come from
         * {@link ReliableMessenger.Builder#handlerThreadFactory(java.util.concurrent.ThreadFactory)} when given
         * (virtual threads, for instance). Not with {@link #inlineCallbacks(boolean)}, which runs them on the loop.
         */
        public Builder handlerThreads(int threads) {
            require(threads >= 1 && threads <= MAX_HANDLER_THREADS, HANDLER_THREADS,
                    "must be in [1, " + MAX_HANDLER_THREADS + "] but was " + threads);
            this.handlerThreads = threads;
            return this;
        }

        /**
         * What the I/O loop does when a pass found nothing to do (default
         * {@link MessengerConfig#DEFAULT_IDLE_STRATEGY}): {@link IdleStrategy#PARK} sleeps until there is work,
         * {@link IdleStrategy#YIELD} and {@link IdleStrategy#SPIN} keep polling and so keep one core busy for
         * a lower latency.
         */
        public Builder idleStrategy(IdleStrategy strategy) {
            require(strategy != null, IDLE_STRATEGY, "must be PARK, YIELD or SPIN but was null");
            this.idleStrategy = strategy;
            return this;
        }

        /**
         * Whether callbacks run on the I/O loop (default {@value MessengerConfig#DEFAULT_INLINE_CALLBACKS}).
         * Only for handlers that never block.
         */
        public Builder inlineCallbacks(boolean inline) {
            this.inlineCallbacks = inline;
            return this;
        }

        /**
         * Drain time on close (default {@link MessengerConfig#DEFAULT_CLOSE_TIMEOUT}; zero fails pending
         * messages at once).
         */
        public Builder closeTimeout(Duration timeout) {
            require(timeout != null && !timeout.isNegative(), CLOSE_TIMEOUT, "must not be negative but was " + timeout);
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * Heartbeat interval for idle peers (default {@link MessengerConfig#DEFAULT_HEARTBEAT_INTERVAL}: 1 s;
         * zero: off; at least 1 ms when on).
         */
        public Builder heartbeatInterval(Duration interval) {
            require(interval != null && !interval.isNegative() && (interval.isZero() || interval.toMillis() >= 1),
                    HEARTBEAT_INTERVAL, "must be zero (off) or at least 1 ms but was " + interval);
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * How often peer host names are resolved again (default {@link MessengerConfig#DEFAULT_PEER_RESOLUTION_INTERVAL}:
         * 10 s; zero: only when the peer is added; at least 100 ms when on). The lookups run on a daemon thread of
         * their own, never on the I/O loop.
         */
        public Builder peerResolutionInterval(Duration interval) {
            require(interval != null && !interval.isNegative() && (interval.isZero() || interval.toMillis() >= 100),
                    PEER_RESOLUTION_INTERVAL, "must be zero (off) or at least 100 ms but was " + interval);
            this.peerResolutionInterval = interval;
            return this;
        }

        /**
         * Socket buffer size asked for, in bytes (default {@value MessengerConfig#DEFAULT_SOCKET_BUFFER_BYTES},
         * 4 MiB; at least 4096).
         */
        public Builder socketBufferBytes(int bytes) {
            require(bytes >= 4096, SOCKET_BUFFER_BYTES, "must be at least 4096 but was " + bytes);
            this.socketBufferBytes = bytes;
            return this;
        }

        /**
         * Checks the settings that depend on each other and builds the configuration.
         *
         * @throws InvalidSettingException for the first problem, with every further problem attached as a
         *     suppressed {@code InvalidSettingException}: a missing client id, a bundle size above the
         *     largest datagram, a send key id that is no configured key, a pinned client id of a peer that
         *     is not configured, a peer with several addresses whose messages would fail before a second
         *     path is tried ({@code maxRetries < pathMaxRetransmissions + 1})
         */
        public MessengerConfig build() {
            List<InvalidSettingException> problems = new ArrayList<>();
            check(problems, clientIdSet, CLIENT_ID, null, "must be set: a 32-bit number unique among the "
                    + "processes that exchange messages (there is no safe default: a fixed or derived one could collide)");
            check(problems, !bundleSizeSet || maxDatagramSize == 0 || bundleSize <= maxDatagramSize, BUNDLE_SIZE, null,
                    "must not exceed maxDatagramSize (" + maxDatagramSize + ") but was " + bundleSize);
            check(problems, maxPendingBytes >= maxMessageSize, MAX_PENDING_BYTES, null, "must be at least "
                    + "maxMessageSize (" + maxMessageSize + ") but was " + maxPendingBytes);
            check(problems, reassemblyBytes >= maxMessageSize, REASSEMBLY_BYTES, null, "must be at least "
                    + "maxMessageSize (" + maxMessageSize + ") but was " + reassemblyBytes);
            check(problems, sendKeyId == null || authenticationKeys.containsKey(sendKeyId), SEND_KEY_ID, null,
                    "must be one of the configured key ids " + authenticationKeys.keySet() + " but was " + sendKeyId);
            check(problems, handlerThreads == 1 || !inlineCallbacks, HANDLER_THREADS, null, "must be 1 with "
                    + "inlineCallbacks (handlers then run on the I/O loop) but was " + handlerThreads);
            for (String name : peerClientIds.keySet()) {
                check(problems, peers.containsKey(name), PEER_CLIENT_ID, name, "names a peer that is not configured");
            }
            peers.forEach((name, addresses) -> check(problems, addresses.size() == 1
                    || maxRetries >= pathMaxRetransmissions + 1, PATH_MAX_RETRANSMISSIONS, null, "must be below "
                    + "maxRetries (" + maxRetries + ") when peer '" + name + "' has several addresses, or its messages "
                    + "fail before another path is tried; was " + pathMaxRetransmissions));
            if (!problems.isEmpty()) {
                InvalidSettingException first = problems.get(0);
                problems.subList(1, problems.size()).forEach(first::addSuppressed);
                throw first;
            }
            return new MessengerConfig(this);
        }

        private static void check(List<InvalidSettingException> problems, boolean condition, MessengerSetting setting,
                                  String key, String reason) {
            if (!condition) {
                problems.add(new InvalidSettingException(setting, key, reason));
            }
        }

        private static void require(boolean condition, MessengerSetting setting, String reason) {
            if (!condition) {
                throw new InvalidSettingException(setting, null, reason);
            }
        }

        private static void require(boolean condition, MessengerSetting setting, Object key, String reason) {
            if (!condition) {
                throw new InvalidSettingException(setting, key == null ? null : key.toString(), reason);
            }
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws IllegalArgumentException naming {@code setting} when {@code hostAndPort} is not one
     */
    public static InetSocketAddress parseHostAndPort(String setting, String hostAndPort) {
        try {
            return HostAndPort.parse(hostAndPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " " + e.getMessage(), e);
        }
    }
}
