package io.reliablemsg;

import java.util.Objects;
import java.util.Optional;

/**
 * A value {@link MessengerConfig.Builder} rejects, with the {@linkplain #setting() setting} it was given
 * for, the {@linkplain #key() key} for settings that hold several values (a peer's name, a key id), and
 * the {@linkplain #reason() reason}. The message names the builder method, e.g.
 * {@code maxRetries must be in [0, 254] but was -1} or {@code peer 'billing' must be host:port but was 'x'}.
 *
 * <p>{@link MessengerConfig.Builder#build()} checks all settings that depend on each other at once: it
 * throws the first problem it finds, with every further one attached as a
 * {@linkplain #getSuppressed() suppressed} {@code InvalidSettingException}, so that a caller can report
 * them all. Neither the message nor the reason ever contains the bytes of an authentication key.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final MessengerSetting setting;
    private final String key;
    private final String reason;

    /**
     * A rejection of {@code setting}, for the value under {@code key} (null for settings that hold one
     * value), because of {@code reason} (what was wrong, e.g. {@code must be at least 1 but was 0}).
     */
    public InvalidSettingException(MessengerSetting setting, String key, String reason) {
        super(message(setting, key, reason));
        this.setting = Objects.requireNonNull(setting, "setting");
        this.key = key;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private static String message(MessengerSetting setting, String key, String reason) {
        return key == null ? setting + " " + reason : setting + " '" + key + "' " + reason;
    }

    /** The setting whose value was rejected. */
    public MessengerSetting setting() {
        return setting;
    }

    /** For a setting that holds several values, the one rejected: a peer's name or a key id. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** What was wrong, without the setting's name, e.g. {@code must be in [0, 254] but was -1}. */
    public String reason() {
        return reason;
    }
}
