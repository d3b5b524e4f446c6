package io.reliablemsg.spring;

import io.reliablemsg.MessengerConfig;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.validation.Errors;

/**
 * Turns {@link ReliableMsgProperties} into a {@link MessengerConfig}. The range rules stay in the core's
 * builder (one place); this class only attributes each rejection to the property that caused it.
 */
final class MessengerSettings {
    /** One rejected property: its name relative to the prefix (a bean property path) and the reason. */
    @FunctionalInterface
    private interface Problems {
        void reject(String field, String propertyName, String reason);
    }

    private MessengerSettings() {
    }

    /**
     * Reports every bad property to {@code errors}, so all of them show at start-up, not only the first.
     * A missing client id is not reported here but by {@link #toConfig}: an application that defines its
     * own {@code ReliableMessenger} bean needs no {@code client-id} property.
     */
    static void validate(ReliableMsgProperties properties, Errors errors) {
        apply(properties, false, (field, name, reason) -> {
            if (field.startsWith("security")) {
                errors.reject("invalid", reason(name, reason)); // an object error: no "rejected value" = no secret
            } else {
                errors.rejectValue(field, "invalid", reason(name, reason));
            }
        });
    }

    /** Builds the configuration, or throws for the first bad property. */
    static MessengerConfig toConfig(ReliableMsgProperties properties) {
        MessengerConfig.Builder builder = apply(properties, true, (field, name, reason) -> {
            throw new IllegalArgumentException(reason(name, reason));
        });
        return builder.build();
    }

    private static String reason(String propertyName, String reason) {
        return ReliableMsgProperties.PREFIX + "." + propertyName + ": " + reason;
    }

    private static MessengerConfig.Builder apply(ReliableMsgProperties p, boolean requireClientId, Problems problems) {
        MessengerConfig.Builder b = MessengerConfig.builder();
        if (p.getClientId() == null) {
            if (requireClientId) {
                problems.reject("clientId", "client-id", "must be set: a 32-bit number unique among the processes "
                        + "that exchange messages (there is no safe default: a fixed or derived one could collide)");
            }
        } else {
            b.clientId(p.getClientId());
        }
        set(problems, "bindAddress", "bind-address", p.getBindAddress() == null || p.getBindAddress().isBlank()
                ? () -> { throw new IllegalArgumentException("must not be blank"); }
                : () -> b.bindAddress(p.getBindAddress()));
        set(problems, "port", "port", () -> b.port(p.getPort()));
        for (Map.Entry<String, String> peer : p.getPeers().entrySet()) {
            set(problems, "peers", "peers." + peer.getKey(), () -> b.peer(peer.getKey(), peer.getValue()));
        }
        set(problems, "interval", "interval", () -> b.interval(p.getInterval()));
        set(problems, "maxRetries", "max-retries", () -> b.maxRetries(p.getMaxRetries()));
        set(problems, "maxUserBufferLength", "max-user-buffer-length",
                () -> b.maxUserBufferLength(p.getMaxUserBufferLength()));
        set(problems, "maxStoredMessages", "max-stored-messages", () -> b.maxStoredMessages(p.getMaxStoredMessages()));
        set(problems, "maxDatagramSize", "max-datagram-size", () -> b.maxDatagramSize(p.getMaxDatagramSize()));
        set(problems, "bundleSize", "bundle-size", () -> b.bundleSize(p.getBundleSize()));
        set(problems, "clockSkewAllowance", "clock-skew-allowance",
                () -> b.clockSkewAllowance(p.getClockSkewAllowance()));
        set(problems, "maxRetransmitsPerPeerPerScan", "max-retransmits-per-peer-per-scan",
                () -> b.maxRetransmitsPerPeerPerScan(p.getMaxRetransmitsPerPeerPerScan()));
        set(problems, "duplicateWindow", "duplicate-window", () -> b.duplicateWindow(p.getDuplicateWindow()));
        set(problems, "maxSenderIncarnationsPerPeer", "max-sender-incarnations-per-peer",
                () -> b.maxSenderIncarnationsPerPeer(p.getMaxSenderIncarnationsPerPeer()));
        b.acceptUnknownPeers(p.isAcceptUnknownPeers());
        set(problems, "maxUnknownPeers", "max-unknown-peers", () -> b.maxUnknownPeers(p.getMaxUnknownPeers()));
        set(problems, "deliveryQueueCapacity", "delivery-queue-capacity",
                () -> b.deliveryQueueCapacity(p.getDeliveryQueueCapacity()));
        set(problems, "closeTimeout", "close-timeout", () -> b.closeTimeout(p.getCloseTimeout()));
        set(problems, "heartbeatInterval", "heartbeat-interval", () -> b.heartbeatInterval(p.getHeartbeatInterval()));
        set(problems, "socketBufferSize", "socket-buffer-size", () -> b.socketBufferBytes(socketBufferBytes(p)));
        for (Map.Entry<Integer, String> key : p.getSecurity().getKeys().entrySet()) {
            set(problems, "security.keys", "security.keys." + key.getKey(),
                    () -> b.authenticationKey(key.getKey(), KeyMaterial.decode(key.getValue())));
        }
        if (p.getSecurity().getSendKeyId() != null) {
            b.sendKeyId(p.getSecurity().getSendKeyId());
        }
        for (Map.Entry<String, Integer> pinned : p.getPeerClientIds().entrySet()) {
            b.peerClientId(pinned.getKey(), pinned.getValue());
        }
        int highWaterMark = p.effectiveHighWaterMark();
        if (highWaterMark < 1 || highWaterMark > p.getMaxStoredMessages()) {
            problems.reject("health.highWaterMark", "health.high-water-mark", "must be in [1, max-stored-messages ("
                    + p.getMaxStoredMessages() + ")] but was " + highWaterMark);
        }
        // Settings that depend on each other (bundle-size <= max-datagram-size, send key among the keys,
        // pinned client ids of configured peers) are checked by build(); its message names the setting.
        if (p.getClientId() != null) {
            try {
                b.build();
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                String field = message.startsWith("security.") ? "security"
                        : message.startsWith("peers.") ? "peerClientIds" : "bundleSize";
                problems.reject(field, message.substring(0, Math.max(0, message.indexOf(' '))), message
                        .substring(message.indexOf(' ') + 1));
            }
        }
        return b;
    }

    private static int socketBufferBytes(ReliableMsgProperties p) {
        long bytes = p.getSocketBufferSize() == null ? -1 : p.getSocketBufferSize().toBytes();
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    private static void set(Problems problems, String field, String propertyName, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            problems.reject(field, propertyName, e.getMessage());
        }
    }
}
