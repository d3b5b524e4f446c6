package io.reliablemsg.spring;

import java.nio.charset.StandardCharsets;

/**
 * Turns objects into message payloads and back, for {@link ReliableMessageTemplate} and for
 * {@link ReliableMessageListener} methods whose parameter is neither {@code byte[]} nor
 * {@code InboundMessage}. The starter's default: {@code byte[]} as is, {@code String} as UTF-8, anything
 * else as JSON through the application's Jackson 3 {@code ObjectMapper} when Jackson is present.
 * Define a bean of this type to replace it.
 */
public interface PayloadConverter {
    /**
     * The payload bytes of {@code value}.
     *
     * @throws PayloadConversionException when it cannot be written
     */
    byte[] toPayload(Object value);

    /**
     * {@code payload} read as a {@code type}.
     *
     * @throws PayloadConversionException when it cannot be read as one
     */
    <T> T fromPayload(byte[] payload, Class<T> type);

    /** {@code byte[]} and {@code String} (UTF-8) only: what the starter uses without Jackson. */
    static PayloadConverter basic() {
        return new PayloadConverter() {
            @Override
            public byte[] toPayload(Object value) {
                if (value instanceof byte[] bytes) {
                    return bytes;
                }
                if (value instanceof String text) {
                    return text.getBytes(StandardCharsets.UTF_8);
                }
                throw new PayloadConversionException("no converter writes " + (value == null ? "null"
                        : value.getClass().getName()) + ": add Jackson (spring-boot-starter-json) or define a "
                        + "PayloadConverter bean");
            }

            @Override
            public <T> T fromPayload(byte[] payload, Class<T> type) {
                if (type == byte[].class) {
                    return type.cast(payload);
                }
                if (type == String.class) {
                    return type.cast(new String(payload, StandardCharsets.UTF_8));
                }
                throw new PayloadConversionException("no converter reads " + type.getName()
                        + ": add Jackson (spring-boot-starter-json) or define a PayloadConverter bean");
            }
        };
    }
}
