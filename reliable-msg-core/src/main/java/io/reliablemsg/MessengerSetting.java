package io.reliablemsg;

/**
 * A setting of {@link MessengerConfig.Builder} that has a rule, as named in an
 * {@link InvalidSettingException}. Each constant stands for the builder method of the same name in
 * camel case ({@link #builderMethod()}), which is also how the core's messages name it. Code that
 * configures the core from elsewhere (the Spring Boot starter's properties, a command line) maps these
 * to its own names instead of parsing messages.
 */
public enum MessengerSetting {
    /** {@link MessengerConfig.Builder#clientId(int)}: required. */
    CLIENT_ID,
    /** {@link MessengerConfig.Builder#bindAddress(String)}. */
    BIND_ADDRESS,
    /** {@link MessengerConfig.Builder#port(int)}. */
    PORT,
    /** {@link MessengerConfig.Builder#peer(String, String...)}; the key is the peer's name. */
    PEER,
    /** {@link MessengerConfig.Builder#interval(java.time.Duration)}. */
    INTERVAL,
    /** {@link MessengerConfig.Builder#maxRetries(int)}. */
    MAX_RETRIES,
    /** {@link MessengerConfig.Builder#maxUserBufferLength(int)}. */
    MAX_USER_BUFFER_LENGTH,
    /** {@link MessengerConfig.Builder#maxStoredMessages(int)}. */
    MAX_STORED_MESSAGES,
    /** {@link MessengerConfig.Builder#maxDatagramSize(int)}. */
    MAX_DATAGRAM_SIZE,
    /** {@link MessengerConfig.Builder#bundleSize(int)}. */
    BUNDLE_SIZE,
    /** {@link MessengerConfig.Builder#clockSkewAllowance(java.time.Duration)}. */
    CLOCK_SKEW_ALLOWANCE,
    /** {@link MessengerConfig.Builder#maxRetransmitsPerPeerPerScan(int)}. */
    MAX_RETRANSMITS_PER_PEER_PER_SCAN,
    /** {@link MessengerConfig.Builder#duplicateWindow(int)}. */
    DUPLICATE_WINDOW,
    /** {@link MessengerConfig.Builder#maxSenderIncarnationsPerPeer(int)}. */
    MAX_SENDER_INCARNATIONS_PER_PEER,
    /** {@link MessengerConfig.Builder#maxUnknownPeers(int)}. */
    MAX_UNKNOWN_PEERS,
    /** {@link MessengerConfig.Builder#deliveryQueueCapacity(int)}. */
    DELIVERY_QUEUE_CAPACITY,
    /** {@link MessengerConfig.Builder#handlerThreads(int)}. */
    HANDLER_THREADS,
    /** {@link MessengerConfig.Builder#idleStrategy(IdleStrategy)}. */
    IDLE_STRATEGY,
    /** {@link MessengerConfig.Builder#closeTimeout(java.time.Duration)}. */
    CLOSE_TIMEOUT,
    /** {@link MessengerConfig.Builder#socketBufferBytes(int)}. */
    SOCKET_BUFFER_BYTES,
    /** {@link MessengerConfig.Builder#heartbeatInterval(java.time.Duration)}. */
    HEARTBEAT_INTERVAL,
    /** {@link MessengerConfig.Builder#authenticationKey(int, byte[])}; the key is the key id. */
    AUTHENTICATION_KEY,
    /** {@link MessengerConfig.Builder#sendKeyId(int)}. */
    SEND_KEY_ID,
    /** {@link MessengerConfig.Builder#peerClientId(String, int)}; the key is the peer's name. */
    PEER_CLIENT_ID,
    /** {@link MessengerConfig.Builder#pathMaxRetransmissions(int)}. */
    PATH_MAX_RETRANSMISSIONS,
    /** {@link MessengerConfig.Builder#reorderingWindow(java.time.Duration)}. */
    REORDERING_WINDOW,
    /** {@link MessengerConfig.Builder#ackMode(AckMode)}. */
    ACK_MODE,
    /** {@link MessengerConfig.Builder#maxReplySize(int)}. */
    MAX_REPLY_SIZE,
    /** {@link MessengerConfig.Builder#replyCacheBytes(long)}. */
    REPLY_CACHE_BYTES,
    /** {@link MessengerConfig.Builder#replyTimeout(java.time.Duration)}. */
    REPLY_TIMEOUT,
    /** {@link MessengerConfig.Builder#peerResolutionInterval(java.time.Duration)}. */
    PEER_RESOLUTION_INTERVAL,
    /** {@link MessengerConfig.Builder#maxMessageSize(int)}. */
    MAX_MESSAGE_SIZE,
    /** {@link MessengerConfig.Builder#maxPendingBytes(long)}. */
    MAX_PENDING_BYTES,
    /** {@link MessengerConfig.Builder#reassemblyBytes(long)}. */
    REASSEMBLY_BYTES;

    private final String builderMethod;

    MessengerSetting() {
        StringBuilder camelCase = new StringBuilder();
        boolean upper = false;
        for (char c : name().toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                camelCase.append(upper ? c : Character.toLowerCase(c));
                upper = false;
            }
        }
        this.builderMethod = camelCase.toString();
    }

    /** Name of the {@link MessengerConfig.Builder} method that sets it, e.g. {@code maxRetries}. */
    public String builderMethod() {
        return builderMethod;
    }

    /** The {@linkplain #builderMethod() builder method's name}, as the core's messages use it. */
    @Override
    public String toString() {
        return builderMethod;
    }
}
