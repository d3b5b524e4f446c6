package io.reliablemsg.spring;

import io.reliablemsg.AckMode;
import io.reliablemsg.IdleStrategy;
import io.reliablemsg.MessengerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings under {@code reliable-msg.*}. Each maps to the {@link MessengerConfig} setting of the same
 * name. A property that is not set is null here and is not passed on, so the core's default applies: the
 * defaults live in the core only ({@code MessengerConfig.DEFAULT_*}), and each property's description
 * names the one that applies. The properties validate themselves while they are bound, so a bad value
 * stops the application at start-up with a message that names the property and the reason.
 *
 * <p>{@code client-id} has no default: it must be unique among the processes that talk to each other,
 * and a default (a fixed number, or one derived from the host name) would collide silently.
 */
@ConfigurationProperties(ReliableMsgProperties.PREFIX)
public class ReliableMsgProperties implements Validator {
    /** Prefix of every property. */
    public static final String PREFIX = "reliable-msg";

    /** Whether to create the messenger. Set to false to keep the starter on the class path but idle. */
    private boolean enabled = true;

    /** Client id of this process, carried in every datagram; unique among the processes that exchange messages. Required. */
    private Integer clientId;

    /** Local address the UDP socket binds to. Default: 0.0.0.0, the core's (MessengerConfig.DEFAULT_BIND_ADDRESS). */
    private String bindAddress;

    /** Local UDP port; 0 picks a free one. Default: 0, the core's (MessengerConfig.DEFAULT_PORT). */
    private Integer port;

    /** Peers that messages can be sent to, by name, each as host:port ([v6-address]:port for IPv6). */
    private Map<String, String> peers = new LinkedHashMap<>();

    /**
     * Retransmit interval, and the largest age at which a message or an ack is still accepted. Default: 1s,
     * the core's (MessengerConfig.DEFAULT_INTERVAL).
     */
    private Duration interval;

    /**
     * Retransmissions after the first send before a message is given up and a SendFailedEvent published.
     * Default: 10, the core's (MessengerConfig.DEFAULT_MAX_RETRIES).
     */
    private Integer maxRetries;

    /**
     * Largest user buffer accepted by send, in bytes; it is handed back in SendFailedEvent. Default: 64, the
     * core's (MessengerConfig.DEFAULT_MAX_USER_BUFFER_LENGTH).
     */
    private Integer maxUserBufferLength;

    /**
     * Capacity of the retransmit chain: messages held at once until acked or failed; send returns false
     * beyond it. Default: 1000, the core's (MessengerConfig.DEFAULT_MAX_STORED_MESSAGES).
     */
    private Integer maxStoredMessages;

    /**
     * Largest datagram sent to a peer that reads fragments, in UDP payload bytes; bundles and fragments never
     * exceed it. 0 takes the path's: the MTU of the interface that routes to the peers, less the IP and UDP
     * headers (1472 on Ethernet, 65507 on loopback, 1472 when it cannot be told). Default: 0, the core's
     * (MessengerConfig.DEFAULT_MAX_DATAGRAM_SIZE).
     */
    private Integer maxDatagramSize;

    /**
     * Frames ready at once for one peer share datagrams up to this many bytes, never more than the datagram
     * size; 0 sends one frame per datagram. Default: 65507, the core's (MessengerConfig.DEFAULT_BUNDLE_SIZE).
     */
    private Integer bundleSize;

    /**
     * Largest message send accepts; one larger than a datagram goes in fragments, each retransmitted on its own.
     * Default: 1MB, the core's (MessengerConfig.DEFAULT_MAX_MESSAGE_SIZE).
     */
    private DataSize maxMessageSize;

    /**
     * Most payload held on the retransmit chain at once; a send beyond it is refused like on a full chain.
     * Default: 64MB, the core's (MessengerConfig.DEFAULT_MAX_PENDING_BYTES).
     */
    private DataSize maxPendingSize;

    /**
     * Most memory held for messages being reassembled from fragments; a new message beyond it is refused,
     * unacked, and counted. Default: 64MB, the core's (MessengerConfig.DEFAULT_REASSEMBLY_BYTES).
     */
    private DataSize reassemblySize;

    /**
     * Wall-clock difference between hosts tolerated by the age checks. Default: 200ms, the core's
     * (MessengerConfig.DEFAULT_CLOCK_SKEW_ALLOWANCE).
     */
    private Duration clockSkewAllowance;

    /**
     * Retransmissions to one peer per scan (half an interval) at most: a brake on storms after the network
     * comes back. Default: 1000, the core's (MessengerConfig.DEFAULT_MAX_RETRANSMITS_PER_PEER_PER_SCAN).
     */
    private Integer maxRetransmitsPerPeerPerScan;

    /**
     * Message ids per sender incarnation remembered for duplicate detection; a power of two. Default:
     * 1048576, the core's (MessengerConfig.DEFAULT_DUPLICATE_WINDOW).
     */
    private Integer duplicateWindow;

    /**
     * Sender incarnations tracked per peer at once (a restarting sender uses a new one). Default: 4, the
     * core's (MessengerConfig.DEFAULT_MAX_SENDER_INCARNATIONS_PER_PEER).
     */
    private Integer maxSenderIncarnationsPerPeer;

    /**
     * Whether datagrams from addresses that are not configured peers are accepted and delivered. Default:
     * false, the core's (MessengerConfig.DEFAULT_ACCEPT_UNKNOWN_PEERS).
     */
    private Boolean acceptUnknownPeers;

    /**
     * Unknown source addresses tracked at once when they are accepted. Default: 256, the core's
     * (MessengerConfig.DEFAULT_MAX_UNKNOWN_PEERS).
     */
    private Integer maxUnknownPeers;

    /**
     * Received messages that may wait for the inbound handlers; beyond it messages are not acked, so senders
     * retransmit. Default: 10000, the core's (MessengerConfig.DEFAULT_DELIVERY_QUEUE_CAPACITY).
     */
    private Integer deliveryQueueCapacity;

    /**
     * Threads (lanes) that run the handlers. Each peer's messages run on one lane, in order; handlers of
     * peers on different lanes run concurrently, so with more than 1 they must be thread-safe across peers.
     * With spring.threads.virtual.enabled=true on Java 21+, the lanes are virtual threads. Default: 1, the
     * core's (MessengerConfig.DEFAULT_HANDLER_THREADS).
     */
    private Integer handlerThreads;

    /**
     * What the I/O loop does when it has nothing to do: park (sleep until a datagram, a send or a timer;
     * no CPU while idle), yield or spin (keep polling: one core busy, lower latency). Default: park, the
     * core's (MessengerConfig.DEFAULT_IDLE_STRATEGY).
     */
    private IdleStrategy idleStrategy;

    /**
     * How long shutdown waits for pending messages to be acked before failing the rest with reason
     * SHUTDOWN. Default: 5s, the core's (MessengerConfig.DEFAULT_CLOSE_TIMEOUT).
     */
    private Duration closeTimeout;

    /**
     * Socket send and receive buffer size asked of the kernel (it may grant less). Default: 4MB, the core's
     * (MessengerConfig.DEFAULT_SOCKET_BUFFER_BYTES).
     */
    private DataSize socketBufferSize;

    /**
     * How long a peer may stay silent before it is pinged; a peer that answers none of max-retries + 1
     * pings in a row is reported unreachable (health details). Zero turns heartbeats off. Default: 1s, the
     * core's (MessengerConfig.DEFAULT_HEARTBEAT_INTERVAL): an idle peer that stopped is found within
     * max-retries + 1 seconds.
     */
    private Duration heartbeatInterval;

    /**
     * How often the host names of the peers are looked up again, on a thread of the messenger's own (never the
     * I/O loop); a peer whose name now has other addresses gets them as its paths, without a restart. A name
     * that does not resolve leaves its peer unresolved (health details) instead of failing the start. Zero: only
     * when a peer is added. Default: 10s, the core's (MessengerConfig.DEFAULT_PEER_RESOLUTION_INTERVAL): with the
     * JVM's own 30 s DNS cache, a changed record is reached within 40 s.
     */
    private Duration peerResolutionInterval;

    /**
     * Copies in a row a path to a peer (one of its addresses) may leave unacked before it is failed and
     * the traffic moves to the peer's next address at once; with several addresses it must be below
     * max-retries. Default: 2, the core's (MessengerConfig.DEFAULT_PATH_MAX_RETRANSMISSIONS).
     */
    private Integer pathMaxRetransmissions;

    /**
     * Whether traffic goes back to a peer's first address once that path answers again. Default: true, the
     * core's (MessengerConfig.DEFAULT_RETURN_TO_PRIMARY).
     */
    private Boolean returnToPrimary;

    /**
     * Whether a message is resent before its timer when an ack for a message sent to the same peer more than
     * the reordering window later comes first (fast retransmission), and a large message's missing fragments
     * are probed a round trip after its fragment acks stop (both use up no retries). Default: true, the core's
     * (MessengerConfig.DEFAULT_FAST_RETRANSMIT).
     */
    private Boolean fastRetransmit;

    /**
     * How much later a copy must have been sent than another for its ack to prove the other lost. Default:
     * 5ms, the core's (MessengerConfig.DEFAULT_REORDERING_WINDOW), at most a quarter of the interval in force.
     */
    private Duration reorderingWindow;

    /**
     * When a new message or request is acked: on-receipt, at once before the handler runs (seed S7), or
     * after-handler, once the handler returned normally, so a handler that throws gets the message again
     * on the next retransmission (the interval must then cover the handler's time). Default: on-receipt,
     * the core's (MessengerConfig.DEFAULT_ACK_MODE).
     */
    private AckMode ackMode;

    /**
     * Largest reply a request handler may return; a larger one counts as a handler error. Never more than
     * fits one UDP datagram (replies are not fragmented). Default: 65415B, the core's (MessengerConfig.DEFAULT_MAX_REPLY_SIZE).
     */
    private DataSize maxReplySize;

    /**
     * Memory for the replies kept to answer duplicate requests without running the handler again; when full,
     * the least recently sent replies are dropped first. Default: 16MB, the core's
     * (MessengerConfig.DEFAULT_REPLY_CACHE_BYTES).
     */
    private DataSize replyCacheSize;

    /**
     * How long a request waits for its reply after its first send before its future fails with
     * REPLY_TIMEOUT. Default: 30s, the core's (MessengerConfig.DEFAULT_REPLY_TIMEOUT).
     */
    private Duration replyTimeout;

    /** Client ids that datagrams from each named peer must carry; peers not listed may use any client id. */
    private Map<String, Integer> peerClientIds = new LinkedHashMap<>();

    /** Health indicator settings. */
    private final Health health = new Health();

    /** Peers from Spring Cloud's DiscoveryClient (needs spring-cloud-commons on the class path). */
    private final Discovery discovery = new Discovery();

    /** Datagram authentication settings. */
    private final Security security = new Security();

    /** Micrometer Observations of sends and deliveries (needs an ObservationRegistry bean). */
    private final Observations observations = new Observations();

    /** Builds the core configuration; throws {@link IllegalArgumentException} naming the property when a value is bad. */
    public MessengerConfig toMessengerConfig() {
        return MessengerSettings.toConfig(this);
    }

    @Override
    public boolean supports(Class<?> type) {
        return ReliableMsgProperties.class.isAssignableFrom(type);
    }

    @Override
    public void validate(Object target, Errors errors) {
        ReliableMsgProperties properties = (ReliableMsgProperties) target;
        MessengerSettings.validate(properties, errors);
        Duration refresh = properties.getDiscovery().getRefreshInterval();
        if (refresh == null || refresh.toMillis() < 100) {
            errors.rejectValue("discovery.refreshInterval", "invalid", "reliable-msg.discovery.refresh-interval "
                    + "must be at least 100 ms but was " + refresh);
        }
    }

    /**
     * Datagram authentication (HMAC-SHA256). With at least one key every datagram is signed and only
     * correctly signed datagrams are accepted. Key values are never logged.
     */
    public static class Security {
        /**
         * Keys by id (0-255), each written as base64:..., hex:..., or file:/path (the file's bytes, a
         * trailing newline removed); at least 16 bytes. Use ${ENV_VAR} placeholders to read them from the
         * environment.
         */
        private Map<Integer, String> keys = new LinkedHashMap<>();

        /** Id of the key datagrams are signed with; unset means the first key. Others are accepted too (rotation). */
        private Integer sendKeyId;

        /** Keys by id, as written. */
        public Map<Integer, String> getKeys() {
            return keys;
        }

        /** Sets the keys. */
        public void setKeys(Map<Integer, String> keys) {
            this.keys = keys;
        }

        /** Send key id, or null for the first key. */
        public Integer getSendKeyId() {
            return sendKeyId;
        }

        /** Sets the send key id. */
        public void setSendKeyId(Integer sendKeyId) {
            this.sendKeyId = sendKeyId;
        }

        @Override
        public String toString() {
            return "Security[keyIds=" + keys.keySet() + ", sendKeyId=" + sendKeyId + "]"; // never the key values
        }
    }

    /**
     * Settings of the {@code reliableMessenger} health indicator. The high-water mark is the starter's own
     * setting (the core has no health), so its default rule lives here, in {@link #highWaterMarkFor(int)}.
     */
    public static class Health {
        /** Share of the retransmit chain's capacity, in percent, at which the high-water mark lies unless set. */
        public static final int DEFAULT_HIGH_WATER_MARK_PERCENT = 80;

        /**
         * Pending messages at which the health status turns OUT_OF_SERVICE; unset means 80% of
         * max-stored-messages (at least 1).
         */
        private Integer highWaterMark;

        /**
         * The high-water mark in force for a messenger whose chain holds {@code capacity} messages: as set,
         * or {@value #DEFAULT_HIGH_WATER_MARK_PERCENT}% of {@code capacity} rounded down, at least 1. The
         * health indicator and the property check both use it, so they cannot disagree.
         */
        public int highWaterMarkFor(int capacity) {
            if (highWaterMark != null) {
                return highWaterMark;
            }
            return (int) Math.max(1, (long) capacity * DEFAULT_HIGH_WATER_MARK_PERCENT / 100);
        }

        /** High-water mark as set, or null for the default. */
        public Integer getHighWaterMark() {
            return highWaterMark;
        }

        /** Sets the high-water mark. */
        public void setHighWaterMark(Integer highWaterMark) {
            this.highWaterMark = highWaterMark;
        }
    }

    /**
     * Peers from Spring Cloud's {@code DiscoveryClient} (Kubernetes, Consul, Eureka behind it): every
     * instance of the services named becomes a peer {@code <service-id>/<instance-id>}, at the instance's
     * host and the UDP port in its metadata {@code reliable-msg-port} (an instance without it is left out),
     * pinned to the client id in {@code reliable-msg-client-id} when present. Refreshed on Spring Cloud's
     * {@code HeartbeatEvent} and every {@link #getRefreshInterval() refresh interval}; the starter's own
     * rule, not a core setting.
     */
    public static class Discovery {
        /** Refresh interval unless set: often enough for scale-out, rare enough for the registry. */
        public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(30);

        /** Services whose instances are peers; none by default. */
        private List<String> serviceIds = new ArrayList<>();

        /**
         * How often the instances are asked for besides each HeartbeatEvent. Default: 30s, the starter's
         * (Discovery.DEFAULT_REFRESH_INTERVAL).
         */
        private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;

        /** Services whose instances are peers. */
        public List<String> getServiceIds() {
            return serviceIds;
        }

        /** Sets the services whose instances are peers. */
        public void setServiceIds(List<String> serviceIds) {
            this.serviceIds = serviceIds;
        }

        /** How often the instances are asked for. */
        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        /** Sets how often the instances are asked for. */
        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }
    }

    /**
     * Micrometer Observations of the messenger: {@code reliable.msg.send} from each send to its ack or failure,
     * {@code reliable.msg.receive} around each handler call, with the W3C trace context carried in the datagram
     * so that a trace continues from the sender to the receiver's handler (docs/SPRING.md, "Tracing"). The
     * starter's own switch, not a core setting: the core only carries the trace context.
     */
    public static class Observations {
        /** Whether sends and deliveries are observed with the application's ObservationRegistry. */
        private boolean enabled;

        /** Whether sends and deliveries are observed. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether sends and deliveries are observed. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * The high-water mark in force for the messenger these properties configure:
     * {@link Health#highWaterMarkFor(int)} of {@link #effectiveMaxStoredMessages()}.
     */
    public int effectiveHighWaterMark() {
        return health.highWaterMarkFor(effectiveMaxStoredMessages());
    }

    /** The chain capacity in force: {@code max-stored-messages} as set, or the core's default. */
    public int effectiveMaxStoredMessages() {
        return maxStoredMessages != null ? maxStoredMessages : MessengerConfig.DEFAULT_MAX_STORED_MESSAGES;
    }

    /** Whether to create the messenger. */
    public boolean isEnabled() { return enabled; }
    /** Sets whether to create the messenger. */
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    /** Client id, or null when not set. */
    public Integer getClientId() { return clientId; }
    /** Sets the client id. */
    public void setClientId(Integer clientId) { this.clientId = clientId; }
    /** Local bind address, or null for the core's default. */
    public String getBindAddress() { return bindAddress; }
    /** Sets the local bind address. */
    public void setBindAddress(String bindAddress) { this.bindAddress = bindAddress; }
    /** Local port, or null for the core's default. */
    public Integer getPort() { return port; }
    /** Sets the local port. */
    public void setPort(Integer port) { this.port = port; }
    /** Peers by name, as host:port. */
    public Map<String, String> getPeers() { return peers; }
    /** Sets the peers. */
    public void setPeers(Map<String, String> peers) { this.peers = peers; }
    /** Retransmit interval, or null for the core's default. */
    public Duration getInterval() { return interval; }
    /** Sets the retransmit interval. */
    public void setInterval(Duration interval) { this.interval = interval; }
    /** Retransmissions before failure, or null for the core's default. */
    public Integer getMaxRetries() { return maxRetries; }
    /** Sets the retransmissions before failure. */
    public void setMaxRetries(Integer maxRetries) { this.maxRetries = maxRetries; }
    /** Largest user buffer, or null for the core's default. */
    public Integer getMaxUserBufferLength() { return maxUserBufferLength; }
    /** Sets the largest user buffer. */
    public void setMaxUserBufferLength(Integer maxUserBufferLength) { this.maxUserBufferLength = maxUserBufferLength; }
    /** Chain capacity, or null for the core's default. */
    public Integer getMaxStoredMessages() { return maxStoredMessages; }
    /** Sets the chain capacity. */
    public void setMaxStoredMessages(Integer maxStoredMessages) { this.maxStoredMessages = maxStoredMessages; }
    /** Largest datagram, or null for the core's default. */
    public Integer getMaxDatagramSize() { return maxDatagramSize; }
    /** Sets the largest datagram. */
    public void setMaxDatagramSize(Integer maxDatagramSize) { this.maxDatagramSize = maxDatagramSize; }
    /** Bundling limit, or null for the core's default. */
    public Integer getBundleSize() { return bundleSize; }
    /** Sets the bundling limit. */
    public void setBundleSize(Integer bundleSize) { this.bundleSize = bundleSize; }
    /** Clock skew allowance, or null for the core's default. */
    public Duration getClockSkewAllowance() { return clockSkewAllowance; }
    /** Sets the clock skew allowance. */
    public void setClockSkewAllowance(Duration clockSkewAllowance) { this.clockSkewAllowance = clockSkewAllowance; }
    /** Retransmit budget per peer per scan, or null for the core's default. */
    public Integer getMaxRetransmitsPerPeerPerScan() { return maxRetransmitsPerPeerPerScan; }
    /** Sets the retransmit budget per peer per scan. */
    public void setMaxRetransmitsPerPeerPerScan(Integer budget) { this.maxRetransmitsPerPeerPerScan = budget; }
    /** Duplicate window, or null for the core's default. */
    public Integer getDuplicateWindow() { return duplicateWindow; }
    /** Sets the duplicate window. */
    public void setDuplicateWindow(Integer duplicateWindow) { this.duplicateWindow = duplicateWindow; }
    /** Sender incarnations tracked per peer, or null for the core's default. */
    public Integer getMaxSenderIncarnationsPerPeer() { return maxSenderIncarnationsPerPeer; }
    /** Sets the sender incarnations tracked per peer. */
    public void setMaxSenderIncarnationsPerPeer(Integer count) { this.maxSenderIncarnationsPerPeer = count; }
    /** Whether unknown peers are accepted, or null for the core's default. */
    public Boolean getAcceptUnknownPeers() { return acceptUnknownPeers; }
    /** Sets whether unknown peers are accepted. */
    public void setAcceptUnknownPeers(Boolean acceptUnknownPeers) { this.acceptUnknownPeers = acceptUnknownPeers; }
    /** Unknown peers tracked at once, or null for the core's default. */
    public Integer getMaxUnknownPeers() { return maxUnknownPeers; }
    /** Sets the unknown peers tracked at once. */
    public void setMaxUnknownPeers(Integer maxUnknownPeers) { this.maxUnknownPeers = maxUnknownPeers; }
    /** Delivery queue capacity, or null for the core's default. */
    public Integer getDeliveryQueueCapacity() { return deliveryQueueCapacity; }

    public Integer getHandlerThreads() { return handlerThreads; }

    public void setHandlerThreads(Integer threads) { this.handlerThreads = threads; }

    public IdleStrategy getIdleStrategy() { return idleStrategy; }

    public void setIdleStrategy(IdleStrategy strategy) { this.idleStrategy = strategy; }
    /** Sets the delivery queue capacity. */
    public void setDeliveryQueueCapacity(Integer capacity) { this.deliveryQueueCapacity = capacity; }
    /** Drain time on shutdown, or null for the core's default. */
    public Duration getCloseTimeout() { return closeTimeout; }
    /** Sets the drain time on shutdown. */
    public void setCloseTimeout(Duration closeTimeout) { this.closeTimeout = closeTimeout; }
    /** Socket buffer size, or null for the core's default. */
    public DataSize getSocketBufferSize() { return socketBufferSize; }
    /** Sets the socket buffer size. */
    public void setSocketBufferSize(DataSize socketBufferSize) { this.socketBufferSize = socketBufferSize; }
    /** Health indicator settings. */
    public Health getHealth() { return health; }
    /** Peers from Spring Cloud's DiscoveryClient. */
    public Discovery getDiscovery() { return discovery; }
    /** Micrometer Observations settings. */
    public Observations getObservations() { return observations; }
    /** Heartbeat interval (zero: off), or null for the core's default. */
    public Duration getHeartbeatInterval() { return heartbeatInterval; }
    /** Sets the heartbeat interval. */
    public void setHeartbeatInterval(Duration heartbeatInterval) { this.heartbeatInterval = heartbeatInterval; }
    /** Peer host name resolution interval (zero: only when added), or null for the core's default. */
    public Duration getPeerResolutionInterval() { return peerResolutionInterval; }
    /** Sets the peer host name resolution interval. */
    public void setPeerResolutionInterval(Duration interval) { this.peerResolutionInterval = interval; }
    /** Copies in a row a path may leave unacked, or null for the core's default. */
    public Integer getPathMaxRetransmissions() { return pathMaxRetransmissions; }
    /** Sets the copies in a row a path may leave unacked. */
    public void setPathMaxRetransmissions(Integer copies) { this.pathMaxRetransmissions = copies; }
    /** Whether traffic returns to a peer's first address, or null for the core's default. */
    public Boolean getReturnToPrimary() { return returnToPrimary; }
    /** Sets whether traffic returns to a peer's first address. */
    public void setReturnToPrimary(Boolean returnToPrimary) { this.returnToPrimary = returnToPrimary; }

    public Boolean getFastRetransmit() { return fastRetransmit; }

    public void setFastRetransmit(Boolean fastRetransmit) { this.fastRetransmit = fastRetransmit; }

    public Duration getReorderingWindow() { return reorderingWindow; }

    public void setReorderingWindow(Duration reorderingWindow) { this.reorderingWindow = reorderingWindow; }
    /** When messages are acked. */
    public AckMode getAckMode() { return ackMode; }
    /** Sets when messages are acked. */
    public void setAckMode(AckMode ackMode) { this.ackMode = ackMode; }
    /** Largest reply. */
    public DataSize getMaxReplySize() { return maxReplySize; }
    /** Sets the largest reply. */
    public void setMaxReplySize(DataSize maxReplySize) { this.maxReplySize = maxReplySize; }
    /** Largest message. */
    public DataSize getMaxMessageSize() { return maxMessageSize; }
    /** Sets the largest message. */
    public void setMaxMessageSize(DataSize maxMessageSize) { this.maxMessageSize = maxMessageSize; }
    /** Most payload on the retransmit chain. */
    public DataSize getMaxPendingSize() { return maxPendingSize; }
    /** Sets the most payload on the retransmit chain. */
    public void setMaxPendingSize(DataSize maxPendingSize) { this.maxPendingSize = maxPendingSize; }
    /** Most memory for reassembly. */
    public DataSize getReassemblySize() { return reassemblySize; }
    /** Sets the most memory for reassembly. */
    public void setReassemblySize(DataSize reassemblySize) { this.reassemblySize = reassemblySize; }
    /** Memory for cached replies. */
    public DataSize getReplyCacheSize() { return replyCacheSize; }
    /** Sets the memory for cached replies. */
    public void setReplyCacheSize(DataSize replyCacheSize) { this.replyCacheSize = replyCacheSize; }
    /** How long a request waits for its reply. */
    public Duration getReplyTimeout() { return replyTimeout; }
    /** Sets how long a request waits for its reply. */
    public void setReplyTimeout(Duration replyTimeout) { this.replyTimeout = replyTimeout; }
    /** Authentication settings. */
    public Security getSecurity() { return security; }
    /** Client ids required per peer. */
    public Map<String, Integer> getPeerClientIds() { return peerClientIds; }
    /** Sets the client ids required per peer. */
    public void setPeerClientIds(Map<String, Integer> peerClientIds) { this.peerClientIds = peerClientIds; }
}
