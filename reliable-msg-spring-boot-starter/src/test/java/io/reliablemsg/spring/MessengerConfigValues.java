package io.reliablemsg.spring;

import io.reliablemsg.MessengerConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every public getter of a {@link MessengerConfig} by name, found by reflection so that a setting added to
 * the core is compared too without anyone remembering to add it. Byte arrays (keys) become hex text, so
 * that two maps compare by content.
 */
final class MessengerConfigValues {
    private MessengerConfigValues() {
    }

    static Map<String, Object> of(MessengerConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        Arrays.stream(MessengerConfig.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers()))
                .filter(method -> method.getParameterCount() == 0 && method.getReturnType() != void.class)
                .sorted(Comparator.comparing(Method::getName))
                .forEach(getter -> values.put(getter.getName(), comparable(invoke(getter, config))));
        return values;
    }

    private static Object invoke(Method getter, MessengerConfig config) {
        try {
            return getter.invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError(getter.getName(), e);
        }
    }

    private static Object comparable(Object value) {
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, entry) -> copy.put(key, comparable(entry)));
            return copy;
        }
        return value;
    }
}
