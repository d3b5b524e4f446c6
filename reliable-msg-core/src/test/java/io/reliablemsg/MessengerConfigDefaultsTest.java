package io.reliablemsg;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code MessengerConfig.DEFAULT_*} constants are the only defaults, and the builder starts from them. */
class MessengerConfigDefaultsTest {

    @Test
    void aConfigWithOnlyAClientIdHasEveryDefaultConstantAsItsValue() throws Exception {
        MessengerConfig config = MessengerConfig.builder().clientId(1).build();
        Map<String, Object> defaults = defaultsByGetter();
        assertThat(defaults).hasSize(33);
        Map<String, Object> actual = new LinkedHashMap<>();
        for (String getter : defaults.keySet()) {
            actual.put(getter, MessengerConfig.class.getMethod(getter).invoke(config));
        }
        assertThat(actual).isEqualTo(defaults);
    }

    @Test
    void everyGetterWithoutADefaultConstantIsRequiredEmptyByDefaultOrDerived() {
        Map<String, Object> defaults = defaultsByGetter();
        String[] withoutConstant = Arrays.stream(MessengerConfig.class.getDeclaredMethods())
                .filter(method -> Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                        && method.getParameterCount() == 0)
                .map(Method::getName).filter(name -> !defaults.containsKey(name)).sorted().toArray(String[]::new);
        assertThat(withoutConstant).containsExactly("authenticated", "authenticationKeys", "clientId",
                "duplicateHoldTime", "effectiveReorderingWindow", "maxPayloadSize", "peerAddresses", "peerClientIds", "peers", "sendKeyId");
    }

    /** {@code DEFAULT_MAX_RETRIES = 10} as {@code maxRetries -> 10}; a constant that names no getter fails the test. */
    private static Map<String, Object> defaultsByGetter() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (Field field : MessengerConfig.class.getFields()) {
            if (field.getName().startsWith("DEFAULT_")) {
                String getter = camelCase(field.getName().substring("DEFAULT_".length()));
                assertThat(MessengerConfig.class.getDeclaredMethods()).as(field.getName() + " names a getter")
                        .anySatisfy(method -> assertThat(method.getName()).isEqualTo(getter));
                defaults.put(getter, read(field));
            }
        }
        return defaults;
    }

    private static String camelCase(String constantName) {
        StringBuilder name = new StringBuilder();
        for (String word : constantName.toLowerCase().split("_")) {
            name.append(name.length() == 0 ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }

    private static Object read(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
