package io.reliablemsg.spring;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code byte[]} as is, {@code String} as UTF-8, anything else as JSON through a Jackson 3
 * {@link ObjectMapper} (the application's, so its modules and settings apply).
 */
public final class JacksonPayloadConverter implements PayloadConverter {
    private final PayloadConverter basic = PayloadConverter.basic();
    private final ObjectMapper mapper;

    /** A converter writing and reading JSON with {@code mapper}. */
    public JacksonPayloadConverter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public byte[] toPayload(Object value) {
        if (value instanceof byte[] || value instanceof String) {
            return basic.toPayload(value);
        }
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JacksonException e) {
            throw new PayloadConversionException("cannot write " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    @Override
    public <T> T fromPayload(byte[] payload, Class<T> type) {
        if (type == byte[].class || type == String.class) {
            return basic.fromPayload(payload, type);
        }
        try {
            return mapper.readValue(payload, type);
        } catch (JacksonException e) {
            throw new PayloadConversionException("cannot read a " + payload.length + "-byte payload as "
                    + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
