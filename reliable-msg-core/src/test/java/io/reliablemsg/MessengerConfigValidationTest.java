package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every check of {@link MessengerConfig.Builder} throws an {@link InvalidSettingException} naming its setting. */
class MessengerConfigValidationTest {
    private static final byte[] SECRET = "0123456789abcdef".getBytes();

    /** One rejected value: what the builder is given, and the setting, key and message expected. */
    record Case(Consumer<MessengerConfig.Builder> configure, MessengerSetting setting, String key, String message) {
    }

    static List<Named<Case>> cases() {
        return List.of(
                reject("no client id", b -> { }, MessengerSetting.CLIENT_ID, null, "clientId must be set: a 32-bit "
                        + "number unique among the processes that exchange messages (there is no safe default: a "
                        + "fixed or derived one could collide)"),
                reject("blank bind address", b -> b.bindAddress(" "), MessengerSetting.BIND_ADDRESS, null,
                        "bindAddress must not be blank"),
                reject("null bind address", b -> b.bindAddress(null), MessengerSetting.BIND_ADDRESS, null,
                        "bindAddress must not be blank"),
                reject("negative port", b -> b.port(-1), MessengerSetting.PORT, null,
                        "port must be in [0, 65535] but was -1"),
                reject("port above 65535", b -> b.port(65536), MessengerSetting.PORT, null,
                        "port must be in [0, 65535] but was 65536"),
                reject("blank peer name", b -> b.peer(" ", "host", 1), MessengerSetting.PEER, " ",
                        "peer ' ' must have a name that is not blank"),
                reject("blank peer host", b -> b.peer("billing", " ", 1), MessengerSetting.PEER, "billing",
                        "peer 'billing' must have a host that is not blank"),
                reject("peer port 0", b -> b.peer("billing", "host", 0), MessengerSetting.PEER, "billing",
                        "peer 'billing' must have a port in [1, 65535] but was 0"),
                reject("peer without a port", b -> b.peer("billing", "nohost"), MessengerSetting.PEER, "billing",
                        "peer 'billing' must be host:port but was 'nohost'"),
                reject("peer port above 65535", b -> b.peer("billing", "host:99999"), MessengerSetting.PEER,
                        "billing", "peer 'billing' must be host:port but was 'host:99999' (port must be in [1, 65535])"),
                reject("IPv6 peer without brackets", b -> b.peer("billing", "::1:80"), MessengerSetting.PEER,
                        "billing", "peer 'billing' must be host:port but was '::1:80' (write IPv6 addresses as "
                                + "[addr]:port)"),
                reject("zero interval", b -> b.interval(Duration.ZERO), MessengerSetting.INTERVAL, null,
                        "interval must be at least 1 ms but was PT0S"),
                reject("null interval", b -> b.interval(null), MessengerSetting.INTERVAL, null,
                        "interval must be at least 1 ms but was null"),
                reject("negative max retries", b -> b.maxRetries(-1), MessengerSetting.MAX_RETRIES, null,
                        "maxRetries must be in [0, 254] but was -1"),
                reject("255 max retries", b -> b.maxRetries(255), MessengerSetting.MAX_RETRIES, null,
                        "maxRetries must be in [0, 254] but was 255"),
                reject("user buffer above 64 KiB", b -> b.maxUserBufferLength(65537),
                        MessengerSetting.MAX_USER_BUFFER_LENGTH, null, "maxUserBufferLength must be in [0, 65536] but "
                                + "was 65537"),
                reject("no stored messages", b -> b.maxStoredMessages(0), MessengerSetting.MAX_STORED_MESSAGES, null,
                        "maxStoredMessages must be in [1, 67108864] but was 0"),
                reject("datagram below 128 bytes", b -> b.maxDatagramSize(127), MessengerSetting.MAX_DATAGRAM_SIZE,
                        null, "maxDatagramSize must be 0 (the path's) or in [128, 65507] but was 127"),
                reject("bundle too small for an ack", b -> b.bundleSize(91), MessengerSetting.BUNDLE_SIZE, null,
                        "bundleSize must be 0 or in [92, 65507] but was 91"),
                reject("negative bundle size", b -> b.bundleSize(-1), MessengerSetting.BUNDLE_SIZE, null,
                        "bundleSize must be 0 or in [92, 65507] but was -1"),
                reject("bundle above the largest datagram", b -> b.clientId(1).maxDatagramSize(1500).bundleSize(1501),
                        MessengerSetting.BUNDLE_SIZE, null, "bundleSize must not exceed maxDatagramSize (1500) but was "
                                + "1501"),
                reject("negative clock skew allowance", b -> b.clockSkewAllowance(Duration.ofMillis(-1)),
                        MessengerSetting.CLOCK_SKEW_ALLOWANCE, null, "clockSkewAllowance must not be negative but was "
                                + "PT-0.001S"),
                reject("no retransmit budget", b -> b.maxRetransmitsPerPeerPerScan(0),
                        MessengerSetting.MAX_RETRANSMITS_PER_PEER_PER_SCAN, null, "maxRetransmitsPerPeerPerScan must "
                                + "be at least 1 but was 0"),
                reject("duplicate window not a power of two", b -> b.duplicateWindow(100),
                        MessengerSetting.DUPLICATE_WINDOW, null, "duplicateWindow must be a power of two in [64, "
                                + "67108864] but was 100"),
                reject("no sender incarnations", b -> b.maxSenderIncarnationsPerPeer(0),
                        MessengerSetting.MAX_SENDER_INCARNATIONS_PER_PEER, null, "maxSenderIncarnationsPerPeer must be "
                                + "in [1, 64] but was 0"),
                reject("no unknown peers tracked", b -> b.maxUnknownPeers(0), MessengerSetting.MAX_UNKNOWN_PEERS, null,
                        "maxUnknownPeers must be in [1, 65536] but was 0"),
                reject("no delivery queue", b -> b.deliveryQueueCapacity(0), MessengerSetting.DELIVERY_QUEUE_CAPACITY,
                        null, "deliveryQueueCapacity must be at least 1 but was 0"),
                reject("no handler thread", b -> b.handlerThreads(0), MessengerSetting.HANDLER_THREADS, null,
                        "handlerThreads must be in [1, 1024] but was 0"),
                reject("too many handler threads", b -> b.handlerThreads(1025), MessengerSetting.HANDLER_THREADS, null,
                        "handlerThreads must be in [1, 1024] but was 1025"),
                reject("handler threads with inline callbacks", b -> b.clientId(1).handlerThreads(2).inlineCallbacks(true),
                        MessengerSetting.HANDLER_THREADS, null,
                        "handlerThreads must be 1 with inlineCallbacks (handlers then run on the I/O loop) but was 2"),
                reject("no idle strategy", b -> b.idleStrategy(null), MessengerSetting.IDLE_STRATEGY, null,
                        "idleStrategy must be PARK, YIELD or SPIN but was null"),
                reject("negative close timeout", b -> b.closeTimeout(Duration.ofSeconds(-1)),
                        MessengerSetting.CLOSE_TIMEOUT, null, "closeTimeout must not be negative but was PT-1S"),
                reject("heartbeat below 1 ms", b -> b.heartbeatInterval(Duration.ofNanos(10)),
                        MessengerSetting.HEARTBEAT_INTERVAL, null, "heartbeatInterval must be zero (off) or at least "
                                + "1 ms but was PT0.00000001S"),
                reject("peer resolution below 100 ms", b -> b.peerResolutionInterval(Duration.ofMillis(99)),
                        MessengerSetting.PEER_RESOLUTION_INTERVAL, null, "peerResolutionInterval must be zero (off) or "
                                + "at least 100 ms but was PT0.099S"),
                reject("negative peer resolution interval", b -> b.peerResolutionInterval(Duration.ofSeconds(-1)),
                        MessengerSetting.PEER_RESOLUTION_INTERVAL, null, "peerResolutionInterval must be zero (off) "
                                + "or at least 100 ms but was PT-1S"),
                reject("socket buffer below 4096 bytes", b -> b.socketBufferBytes(4095),
                        MessengerSetting.SOCKET_BUFFER_BYTES, null, "socketBufferBytes must be at least 4096 but was "
                                + "4095"),
                reject("key id above 255", b -> b.authenticationKey(256, SECRET), MessengerSetting.AUTHENTICATION_KEY,
                        "256", "authenticationKey '256' must have an id in [0, 255]"),
                reject("key shorter than 16 bytes", b -> b.authenticationKey(1, Arrays.copyOf(SECRET, 15)),
                        MessengerSetting.AUTHENTICATION_KEY, "1", "authenticationKey '1' must be at least 16 bytes "
                                + "(128 bits) long"),
                reject("send key id that is no key", b -> b.clientId(1).authenticationKey(1, SECRET).sendKeyId(3),
                        MessengerSetting.SEND_KEY_ID, null, "sendKeyId must be one of the configured key ids [1] but "
                                + "was 3"),
                reject("pinned client id of an unknown peer", b -> b.clientId(1).peerClientId("ghost", 5),
                        MessengerSetting.PEER_CLIENT_ID, "ghost", "peerClientId 'ghost' names a peer that is not "
                                + "configured"),
                reject("pinned client id without a peer name", b -> b.peerClientId(null, 5),
                        MessengerSetting.PEER_CLIENT_ID, null, "peerClientId must name a peer"),
                reject("the same peer address twice", b -> b.peer("billing", "10.1.0.2:7000,10.1.0.2:7000"),
                        MessengerSetting.PEER, "billing", "peer 'billing' must not list address 10.1.0.2:7000 twice"),
                reject("an empty element in a peer's addresses", b -> b.peer("billing", "10.1.0.2:7000,,10.2.0.2:7000"),
                        MessengerSetting.PEER, "billing", "peer 'billing' must not have an empty address (in "
                                + "10.1.0.2:7000,,10.2.0.2:7000)"),
                reject("a trailing comma after a peer's addresses", b -> b.peer("billing", "10.1.0.2:7000,"),
                        MessengerSetting.PEER, "billing", "peer 'billing' must not have an empty address (in "
                                + "10.1.0.2:7000,)"),
                reject("nine addresses for one peer", b -> b.peer("billing", "a:1,a:2,a:3,a:4,a:5,a:6,a:7,a:8,a:9"),
                        MessengerSetting.PEER, "billing", "peer 'billing' must have at most 8 addresses but has 9"),
                reject("a negative reordering window", b -> b.reorderingWindow(Duration.ofMillis(-1)),
                        MessengerSetting.REORDERING_WINDOW, null, "reorderingWindow must be zero or more but was PT-0.001S"),
                reject("path max retransmissions 0", b -> b.pathMaxRetransmissions(0),
                        MessengerSetting.PATH_MAX_RETRANSMISSIONS, null, "pathMaxRetransmissions must be in [1, 254] "
                                + "but was 0"),
                reject("a second path never tried before a message fails", b -> b.clientId(1).maxRetries(2)
                                .pathMaxRetransmissions(2).peer("billing", "10.1.0.2:7000", "10.2.0.2:7000"),
                        MessengerSetting.PATH_MAX_RETRANSMISSIONS, null, "pathMaxRetransmissions must be below "
                                + "maxRetries (2) when peer 'billing' has several addresses, or its messages fail before "
                                + "another path is tried; was 2"),
                reject("no ack mode", b -> b.ackMode(null), MessengerSetting.ACK_MODE, null,
                        "ackMode must be ON_RECEIPT or AFTER_HANDLER but was null"),
                reject("negative reply size", b -> b.maxReplySize(-1), MessengerSetting.MAX_REPLY_SIZE, null,
                        "maxReplySize must be in [0, 65415] but was -1"),
                reject("reply larger than a datagram holds", b -> b.maxReplySize(65_416), MessengerSetting.MAX_REPLY_SIZE,
                        null, "maxReplySize must be in [0, 65415] but was 65416"),
                reject("reply cache under 1 KiB", b -> b.replyCacheBytes(1023), MessengerSetting.REPLY_CACHE_BYTES, null,
                        "replyCacheBytes must be at least 1024 but was 1023"),
                reject("zero reply timeout", b -> b.replyTimeout(Duration.ZERO), MessengerSetting.REPLY_TIMEOUT, null,
                        "replyTimeout must be at least 1 ms but was PT0S"),
                reject("empty largest message", b -> b.maxMessageSize(0), MessengerSetting.MAX_MESSAGE_SIZE, null,
                        "maxMessageSize must be in [1, 268435456] but was 0"),
                reject("largest message above 256 MiB", b -> b.maxMessageSize((256 << 20) + 1),
                        MessengerSetting.MAX_MESSAGE_SIZE, null, "maxMessageSize must be in [1, 268435456] but was "
                                + "268435457"),
                reject("no pending bytes", b -> b.maxPendingBytes(0), MessengerSetting.MAX_PENDING_BYTES, null,
                        "maxPendingBytes must be at least 1 but was 0"),
                reject("pending bytes below the largest message", b -> b.clientId(1).maxMessageSize(2000)
                        .maxPendingBytes(1999), MessengerSetting.MAX_PENDING_BYTES, null,
                        "maxPendingBytes must be at least maxMessageSize (2000) but was 1999"),
                reject("no reassembly bytes", b -> b.reassemblyBytes(0), MessengerSetting.REASSEMBLY_BYTES, null,
                        "reassemblyBytes must be at least 1 but was 0"),
                reject("reassembly bytes below the largest message", b -> b.clientId(1).maxMessageSize(2000)
                        .reassemblyBytes(1999), MessengerSetting.REASSEMBLY_BYTES, null,
                        "reassemblyBytes must be at least maxMessageSize (2000) but was 1999"));
    }

    private static Named<Case> reject(String description, Consumer<MessengerConfig.Builder> configure,
                                      MessengerSetting setting, String key, String message) {
        return Named.of(description, new Case(configure, setting, key, message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCheckThrowsAnInvalidSettingExceptionNamingItsSetting(Case rejected) {
        MessengerConfig.Builder builder = MessengerConfig.builder();
        InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, () -> {
            rejected.configure().accept(builder);
            builder.build();
        });
        assertThat(e).as("an InvalidSettingException").isNotNull().hasMessage(rejected.message());
        assertThat(e.setting()).isEqualTo(rejected.setting());
        assertThat(e.key()).isEqualTo(java.util.Optional.ofNullable(rejected.key()));
        assertThat(rejected.setting() + (rejected.key() == null ? "" : " '" + rejected.key() + "'") + " "
                + e.reason()).isEqualTo(rejected.message());
        assertThat(e.getSuppressed()).isEmpty();
    }

    @Test
    void aPeerMayHaveUpToEightAddressesInPreferenceOrderGivenEitherWay() {
        MessengerConfig listed = MessengerConfig.builder().clientId(1)
                .peer("billing", "10.1.0.2:7000", "10.2.0.2:7000").build();
        MessengerConfig joined = MessengerConfig.builder().clientId(1)
                .peer("billing", " 10.1.0.2:7000 , 10.2.0.2:7000").build();
        assertThat(listed.peerAddresses()).isEqualTo(joined.peerAddresses());
        assertThat(listed.peerAddresses().get("billing")).extracting(a -> a.getHostString() + ":" + a.getPort())
                .containsExactly("10.1.0.2:7000", "10.2.0.2:7000");
        assertThat(listed.peers().get("billing").getHostString()).as("the primary").isEqualTo("10.1.0.2");
        assertThat(MessengerConfig.builder().clientId(1).peer("p", "a:1,a:2,a:3,a:4,a:5,a:6,a:7,a:8").build()
                .peerAddresses().get("p")).hasSize(8);
        assertThat(MessengerConfig.builder().clientId(1).maxRetries(2).pathMaxRetransmissions(2)
                .peer("single", "10.1.0.2:7000").build().peerAddresses().get("single")).as("one path: no rule")
                .hasSize(1);
    }

    @Test
    void everySettingHasACheckAboveSoNoneIsLeftUntested() {
        Set<MessengerSetting> tested = cases().stream().map(named -> named.getPayload().setting())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(MessengerSetting.class)));
        assertThat(tested).containsExactlyInAnyOrder(MessengerSetting.values());
    }

    @Test
    void everySettingNamesAPublicBuilderMethod() {
        Set<String> builderMethods = Arrays.stream(MessengerConfig.Builder.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers())).map(Method::getName)
                .collect(Collectors.toSet());
        for (MessengerSetting setting : MessengerSetting.values()) {
            assertThat(builderMethods).as(setting.name()).contains(setting.builderMethod());
            assertThat(setting).hasToString(setting.builderMethod());
        }
        assertThat(MessengerSetting.MAX_RETRANSMITS_PER_PEER_PER_SCAN.builderMethod())
                .isEqualTo("maxRetransmitsPerPeerPerScan");
    }

    @Test
    void buildReportsEverySettingThatConflictsWithAnotherAtOnce() {
        MessengerConfig.Builder builder = MessengerConfig.builder().maxDatagramSize(1500).bundleSize(1501)
                .authenticationKey(1, SECRET).sendKeyId(2).peer("b", "host", 1).peerClientId("ghost", 5)
                .peerClientId("b", 6).peerClientId("phantom", 7);

        InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class, builder::build);

        assertThat(e.setting()).isEqualTo(MessengerSetting.CLIENT_ID);
        assertThat(e.getSuppressed()).hasOnlyElementsOfType(InvalidSettingException.class)
                .extracting(Throwable::getMessage).containsExactly(
                        "bundleSize must not exceed maxDatagramSize (1500) but was 1501",
                        "sendKeyId must be one of the configured key ids [1] but was 2",
                        "peerClientId 'ghost' names a peer that is not configured",
                        "peerClientId 'phantom' names a peer that is not configured");
    }

    @Test
    void isAnIllegalArgumentExceptionSoCallersThatCatchThatStillDo() {
        assertThatThrownBy(() -> MessengerConfig.builder().maxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void neverShowsTheKeyBytes() {
        byte[] shortKey = "SHORT-SECRET".getBytes();
        InvalidSettingException e = catchThrowableOfType(InvalidSettingException.class,
                () -> MessengerConfig.builder().authenticationKey(7, shortKey));
        assertThat(e).hasMessageNotContaining("SHORT-SECRET")
                .hasMessageNotContaining(java.util.HexFormat.of().formatHex(shortKey))
                .hasMessageNotContaining(Arrays.toString(shortKey));
    }

    @Test
    void parseHostAndPortStillNamesTheGivenSetting() {
        assertThatThrownBy(() -> MessengerConfig.parseHostAndPort("--peer", "nohost"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--peer must be host:port but was 'nohost'");
        assertThat(MessengerConfig.parseHostAndPort("--peer", "[::1]:7001").getHostString()).isEqualTo("::1");
    }
}
