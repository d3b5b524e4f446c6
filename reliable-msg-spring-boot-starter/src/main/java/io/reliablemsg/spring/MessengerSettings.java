package io.reliablemsg.spring;

import io.reliablemsg.InvalidSettingException;
import io.reliablemsg.MessengerConfig;
import io.reliablemsg.MessengerSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.util.unit.DataSize;
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
     * @throws InvalidReliableMsgPropertiesException naming the first bad property, with the further ones
     *         suppressed and all of them in its problems
     */
    static MessengerConfig toConfig(ReliableMsgProperties properties) {
        Applied applied = apply(properties);
        if (!applied.rejections().isEmpty()) {
            throw new InvalidReliableMsgPropertiesException(applied.rejections().stream()
                    .map(rejection -> new InvalidReliableMsgPropertiesException.Problem(
                            rejection.property().fullName(), rejection.reason()))
                    .toList());
        }
        return applied.config();
    }

    /** The properties applied to a builder: the configuration, or null when anything was rejected. */
    private record Applied(MessengerConfig config, List<Rejection> rejections) {
    }

    /** One rejected property and why, in the core's words. */
    private record Rejection(SettingProperty property, String reason) {
    }

    /**
     * Passes each property that is set to the builder, in the manner of Boot's own {@code KafkaProperties}:
     * {@link PropertyMapper} skips nulls, so an unset property leaves the core's default in place.
     */
    private static Applied apply(ReliableMsgProperties properties) {
        MessengerConfig.Builder builder = MessengerConfig.builder();
        Rejections rejections = new Rejections();
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getClientId).to(builder::clientId);
        map.from(properties::getBindAddress).to(rejections.guard(builder::bindAddress));
        map.from(properties::getPort).to(rejections.guard(builder::port));
        properties.getPeers().forEach((name, address) -> rejections.attempt(() -> builder.peer(name, address)));
        map.from(properties::getInterval).to(rejections.guard(builder::interval));
        map.from(properties::getMaxRetries).to(rejections.guard(builder::maxRetries));
        map.from(properties::getMaxUserBufferLength).to(rejections.guard(builder::maxUserBufferLength));
        map.from(properties::getMaxStoredMessages).to(rejections.guard(builder::maxStoredMessages));
        map.from(properties::getMaxDatagramSize).to(rejections.guard(builder::maxDatagramSize));
        map.from(properties::getBundleSize).to(rejections.guard(builder::bundleSize));
        map.from(properties::getClockSkewAllowance).to(rejections.guard(builder::clockSkewAllowance));
        map.from(properties::getMaxRetransmitsPerPeerPerScan)
                .to(rejections.guard(builder::maxRetransmitsPerPeerPerScan));
        map.from(properties::getDuplicateWindow).to(rejections.guard(builder::duplicateWindow));
        map.from(properties::getMaxSenderIncarnationsPerPeer)
                .to(rejections.guard(builder::maxSenderIncarnationsPerPeer));
        map.from(properties::getAcceptUnknownPeers).to(builder::acceptUnknownPeers);
        map.from(properties::getMaxUnknownPeers).to(rejections.guard(builder::maxUnknownPeers));
        map.from(properties::getDeliveryQueueCapacity).to(rejections.guard(builder::deliveryQueueCapacity));
        map.from(properties::getHandlerThreads).to(rejections.guard(builder::handlerThreads));
        map.from(properties::getIdleStrategy).to(rejections.guard(builder::idleStrategy));
        map.from(properties::getCloseTimeout).to(rejections.guard(builder::closeTimeout));
        map.from(properties::getHeartbeatInterval).to(rejections.guard(builder::heartbeatInterval));
        map.from(properties::getPeerResolutionInterval).to(rejections.guard(builder::peerResolutionInterval));
        map.from(properties::getPathMaxRetransmissions).to(rejections.guard(builder::pathMaxRetransmissions));
        map.from(properties::getReturnToPrimary).to(builder::returnToPrimary);
        map.from(properties::getFastRetransmit).to(builder::fastRetransmit);
        map.from(properties::getReorderingWindow).to(rejections.guard(builder::reorderingWindow));
        map.from(properties::getAckMode).to(rejections.guard(builder::ackMode));
        map.from(properties::getMaxReplySize).as(MessengerSettings::bytes).to(rejections.guard(builder::maxReplySize));
        map.from(properties::getReplyCacheSize).as(DataSize::toBytes).to(rejections.guard(builder::replyCacheBytes));
        map.from(properties::getReplyTimeout).to(rejections.guard(builder::replyTimeout));
        map.from(properties::getMaxMessageSize).as(MessengerSettings::bytes).to(rejections.guard(builder::maxMessageSize));
        map.from(properties::getMaxPendingSize).as(DataSize::toBytes).to(rejections.guard(builder::maxPendingBytes));
        map.from(properties::getReassemblySize).as(DataSize::toBytes).to(rejections.guard(builder::reassemblyBytes));
        map.from(properties::getSocketBufferSize).as(MessengerSettings::bytes)
                .to(rejections.guard(builder::socketBufferBytes));
        properties.getSecurity().getKeys().forEach((id, value) -> {
            byte[] secret = rejections.decodeKey(id, value);
            if (secret != null) {
                rejections.attempt(() -> builder.authenticationKey(id, secret));
            }
        });
        map.from(properties.getSecurity()::getSendKeyId).to(builder::sendKeyId);
        properties.getPeerClientIds().forEach((name, clientId) -> {
            if (clientId == null) {
                rejections.add(SettingProperty.of(MessengerSetting.PEER_CLIENT_ID, Optional.of(name)),
                        "must be a client id but was empty");
            } else {
                rejections.attempt(() -> builder.peerClientId(name, clientId));
            }
        });
        // The settings that depend on each other are checked by build(), all at once.
        MessengerConfig config = rejections.attempt(builder::build);
        checkHighWaterMark(properties, rejections);
        return new Applied(rejections.list.isEmpty() ? config : null, List.copyOf(rejections.list));
    }

    /**
     * The starter's own rule: a high-water mark the chain can reach. Checked against an accepted capacity
     * only, so a bad {@code max-stored-messages} is reported under that property alone.
     */
    private static void checkHighWaterMark(ReliableMsgProperties properties, Rejections rejections) {
        if (rejections.rejected(MessengerSetting.MAX_STORED_MESSAGES)) {
            return;
        }
        int capacity = properties.effectiveMaxStoredMessages();
        int highWaterMark = properties.effectiveHighWaterMark();
        if (highWaterMark < 1 || highWaterMark > capacity) {
            rejections.add(SettingProperty.HEALTH_HIGH_WATER_MARK,
                    "must be in [1, max-stored-messages (" + capacity + ")] but was " + highWaterMark);
        }
    }

    /** Bytes as an int for the core, which rejects anything below its minimum; beyond 2 GiB is capped. */
    private static int bytes(DataSize size) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, size.toBytes()));
    }

    /** Collects the core's rejections, and the starter's own, instead of stopping at the first. */
    private static final class Rejections {
        private final List<Rejection> list = new ArrayList<>();

        /** {@code setter}, recording the core's rejection of a value instead of throwing it. */
        <T> Consumer<T> guard(Consumer<T> setter) {
            return value -> attempt(() -> {
                setter.accept(value);
                return value;
            });
        }

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

        /** The key's bytes, or null when they cannot be read (recorded; the message never shows the value). */
        byte[] decodeKey(int id, String value) {
            try {
                return KeyMaterial.decode(value);
            } catch (IllegalArgumentException e) {
                add(SettingProperty.of(MessengerSetting.AUTHENTICATION_KEY, Optional.of(Integer.toString(id))),
                        e.getMessage());
                return null;
            }
        }

        void add(SettingProperty property, String reason) {
            list.add(new Rejection(property, reason));
        }

        boolean rejected(MessengerSetting setting) {
            SettingProperty property = SettingProperty.of(setting, Optional.empty());
            return list.stream().anyMatch(rejection -> rejection.property().equals(property));
        }

        private void add(InvalidSettingException e) {
            add(SettingProperty.of(e.setting(), e.key()), e.reason());
        }
    }
}
