package io.reliablemsg.spring;

import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.validation.Errors;

/**
 * Turns {@link ReliableMsgProperties} into a {@link MessengerConfig}. The rules stay in the core's
 * builder (one place); this class only reports each of the core's {@link InvalidSettingException}s under
 * the property that caused it ({@link SettingProperty}), without reading the exception's message.
 */
final class MessengerSettings {
    private MessengerSettings() {
    }

    /**
     * Reports every bad property to {@code errors}, so all of them show at start-up, not only the first.
     * A missing client id is not reported here but by {@link #toConfig}: an application that defines its
     * own {@code ReliableMessenger} bean needs no {@code client-id} property.
     */
    static void validate(ReliableMsgProperties properties, Errors errors) {
        for (Rejection rejection : apply(properties).rejections()) {
            SettingProperty property = rejection.property();
            if (property.equals(SettingProperty.CLIENT_ID)) {
                continue;
            }
            String message = property.describe(rejection.reason());
            if (property.secret()) {
                errors.reject("invalid", message); // an object error: no "rejected value" = no secret
            } else {
                errors.rejectValue(property.field(), "invalid", message);
            }
        }
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException naming the first bad property, with the further ones suppressed
     */
    static MessengerConfig toConfig(ReliableMsgProperties properties) {
        Applied applied = apply(properties);
        if (!applied.rejections().isEmpty()) {
            List<IllegalArgumentException> problems = applied.rejections().stream()
                    .map(rejection -> new IllegalArgumentException(rejection.property().describe(rejection.reason())))
                    .toList();
            problems.subList(1, problems.size()).forEach(problems.get(0)::addSuppressed);
            throw problems.get(0);
        }
        return applied.config();
    }

    /** The properties applied to a builder: the configuration, or null when anything was rejected. */
    private record Applied(MessengerConfig config, List<Rejection> rejections) {
    }

    /** One rejected property and why, in the core's words. */
    private record Rejection(SettingProperty property, String reason) {
    }

    private static Applied apply(ReliableMsgProperties p) {
        MessengerConfig.Builder b = MessengerConfig.builder();
        Rejections rejections = new Rejections();
        if (p.getClientId() != null) {
            b.clientId(p.getClientId());
        }
        rejections.attempt(() -> b.bindAddress(p.getBindAddress()));
        rejections.attempt(() -> b.port(p.getPort()));
        for (Map.Entry<String, String> peer : p.getPeers().entrySet()) {
            rejections.attempt(() -> b.peer(peer.getKey(), peer.getValue()));
        }
        rejections.attempt(() -> b.interval(p.getInterval()));
        rejections.attempt(() -> b.maxRetries(p.getMaxRetries()));
        rejections.attempt(() -> b.maxUserBufferLength(p.getMaxUserBufferLength()));
        boolean capacityAccepted = rejections.attempt(() -> b.maxStoredMessages(p.getMaxStoredMessages())) != null;
        rejections.attempt(() -> b.maxDatagramSize(p.getMaxDatagramSize()));
        rejections.attempt(() -> b.bundleSize(p.getBundleSize()));
        rejections.attempt(() -> b.clockSkewAllowance(p.getClockSkewAllowance()));
        rejections.attempt(() -> b.maxRetransmitsPerPeerPerScan(p.getMaxRetransmitsPerPeerPerScan()));
        rejections.attempt(() -> b.duplicateWindow(p.getDuplicateWindow()));
        rejections.attempt(() -> b.maxSenderIncarnationsPerPeer(p.getMaxSenderIncarnationsPerPeer()));
        b.acceptUnknownPeers(p.isAcceptUnknownPeers());
        rejections.attempt(() -> b.maxUnknownPeers(p.getMaxUnknownPeers()));
        rejections.attempt(() -> b.deliveryQueueCapacity(p.getDeliveryQueueCapacity()));
        rejections.attempt(() -> b.closeTimeout(p.getCloseTimeout()));
        rejections.attempt(() -> b.heartbeatInterval(p.getHeartbeatInterval()));
        rejections.attempt(() -> b.socketBufferBytes(socketBufferBytes(p)));
        for (Map.Entry<Integer, String> key : p.getSecurity().getKeys().entrySet()) {
            byte[] secret;
            try {
                secret = KeyMaterial.decode(key.getValue());
            } catch (IllegalArgumentException e) {
                rejections.add(new Rejection(SettingProperty.of(MessengerSetting.AUTHENTICATION_KEY,
                        Optional.of(key.getKey().toString())), e.getMessage()));
                continue;
            }
            rejections.attempt(() -> b.authenticationKey(key.getKey(), secret));
        }
        if (p.getSecurity().getSendKeyId() != null) {
            b.sendKeyId(p.getSecurity().getSendKeyId());
        }
        for (Map.Entry<String, Integer> pinned : p.getPeerClientIds().entrySet()) {
            rejections.attempt(() -> b.peerClientId(pinned.getKey(), pinned.getValue()));
        }
        int highWaterMark = p.effectiveHighWaterMark();
        // Checked against an accepted capacity only: a bad max-stored-messages is that property's fault alone.
        if (capacityAccepted && (highWaterMark < 1 || highWaterMark > p.getMaxStoredMessages())) {
            rejections.add(new Rejection(SettingProperty.HEALTH_HIGH_WATER_MARK, "must be in [1, max-stored-messages ("
                    + p.getMaxStoredMessages() + ")] but was " + highWaterMark));
        }
        // The settings that depend on each other are checked by build(), all at once.
        MessengerConfig config = rejections.attempt(b::build);
        return new Applied(rejections.list.isEmpty() ? config : null, List.copyOf(rejections.list));
    }

    private static int socketBufferBytes(ReliableMsgProperties p) {
        long bytes = p.getSocketBufferSize() == null ? -1 : p.getSocketBufferSize().toBytes();
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** Collects the core's rejections, and the starter's own, instead of stopping at the first. */
    private static final class Rejections {
        private final List<Rejection> list = new ArrayList<>();

        /** The step's result, or null when the core rejected a value (recorded, with any suppressed ones). */
        <T> T attempt(Supplier<T> step) {
            try {
                return step.get();
            } catch (InvalidSettingException e) {
                add(e);
                for (Throwable further : e.getSuppressed()) {
                    if (further instanceof InvalidSettingException invalid) {
                        add(invalid);
                    }
                }
                return null;
            }
        }

        void add(Rejection rejection) {
            list.add(rejection);
        }

        private void add(InvalidSettingException e) {
            list.add(new Rejection(SettingProperty.of(e.setting(), e.key()), e.reason()));
        }
    }
}
