package io.reliablemsg.spring;

import io.reliablemsg.MessengerSetting;
import java.util.Optional;

/**
 * Where a setting is written under {@code reliable-msg.*}: {@code field} is its bean property path in
 * {@link ReliableMsgProperties} (what a binding error is reported against), {@code name} the property as a
 * user writes it, without the prefix. {@code secret} properties are reported without their value.
 */
record SettingProperty(String field, String name, boolean secret) {
    /** {@code reliable-msg.client-id}. */
    static final SettingProperty CLIENT_ID = plain("clientId", "client-id");
    /** {@code reliable-msg.health.high-water-mark}, a setting of the starter, not of the core. */
    static final SettingProperty HEALTH_HIGH_WATER_MARK = plain("health.highWaterMark", "health.high-water-mark");

    /**
     * The property of a core setting; {@code key} is the peer name or key id of settings that hold several
     * values. The switch has no default branch, so a new {@link MessengerSetting} does not compile until
     * it is mapped here.
     */
    static SettingProperty of(MessengerSetting setting, Optional<String> key) {
        String suffix = key.map(value -> "." + value).orElse("");
        return switch (setting) {
            case CLIENT_ID -> CLIENT_ID;
            case BIND_ADDRESS -> plain("bindAddress", "bind-address");
            case PORT -> plain("port", "port");
            case PEER -> plain("peers", "peers" + suffix);
            case INTERVAL -> plain("interval", "interval");
            case MAX_RETRIES -> plain("maxRetries", "max-retries");
            case MAX_USER_BUFFER_LENGTH -> plain("maxUserBufferLength", "max-user-buffer-length");
            case MAX_STORED_MESSAGES -> plain("maxStoredMessages", "max-stored-messages");
            case MAX_DATAGRAM_SIZE -> plain("maxDatagramSize", "max-datagram-size");
            case BUNDLE_SIZE -> plain("bundleSize", "bundle-size");
            case CLOCK_SKEW_ALLOWANCE -> plain("clockSkewAllowance", "clock-skew-allowance");
            case MAX_RETRANSMITS_PER_PEER_PER_SCAN ->
                    plain("maxRetransmitsPerPeerPerScan", "max-retransmits-per-peer-per-scan");
            case DUPLICATE_WINDOW -> plain("duplicateWindow", "duplicate-window");
            case MAX_SENDER_INCARNATIONS_PER_PEER ->
                    plain("maxSenderIncarnationsPerPeer", "max-sender-incarnations-per-peer");
            case MAX_UNKNOWN_PEERS -> plain("maxUnknownPeers", "max-unknown-peers");
            case DELIVERY_QUEUE_CAPACITY -> plain("deliveryQueueCapacity", "delivery-queue-capacity");
            case HANDLER_THREADS -> plain("handlerThreads", "handler-threads");
            case IDLE_STRATEGY -> plain("idleStrategy", "idle-strategy");
            case CLOSE_TIMEOUT -> plain("closeTimeout", "close-timeout");
            case SOCKET_BUFFER_BYTES -> plain("socketBufferSize", "socket-buffer-size");
            case HEARTBEAT_INTERVAL -> plain("heartbeatInterval", "heartbeat-interval");
            case AUTHENTICATION_KEY -> new SettingProperty("security.keys", "security.keys" + suffix, true);
            case SEND_KEY_ID -> plain("security.sendKeyId", "security.send-key-id");
            case PEER_CLIENT_ID -> plain("peerClientIds", "peer-client-ids" + suffix);
            case PATH_MAX_RETRANSMISSIONS -> plain("pathMaxRetransmissions", "path-max-retransmissions");
            case REORDERING_WINDOW -> plain("reorderingWindow", "reordering-window");
            case ACK_MODE -> plain("ackMode", "ack-mode");
            case MAX_REPLY_SIZE -> plain("maxReplySize", "max-reply-size");
            case REPLY_CACHE_BYTES -> plain("replyCacheSize", "reply-cache-size");
            case REPLY_TIMEOUT -> plain("replyTimeout", "reply-timeout");
            case PEER_RESOLUTION_INTERVAL -> plain("peerResolutionInterval", "peer-resolution-interval");
            case MAX_MESSAGE_SIZE -> plain("maxMessageSize", "max-message-size");
            case MAX_PENDING_BYTES -> plain("maxPendingSize", "max-pending-size");
            case REASSEMBLY_BYTES -> plain("reassemblySize", "reassembly-size");
        };
    }

    private static SettingProperty plain(String field, String name) {
        return new SettingProperty(field, name, false);
    }

    /** {@code reliable-msg.<name>: <reason>}, the message a user sees. */
    String describe(String reason) {
        return fullName() + ": " + reason;
    }

    /** The property's full name, {@code reliable-msg.<name>}. */
    String fullName() {
        return ReliableMsgProperties.PREFIX + "." + name;
    }
}
