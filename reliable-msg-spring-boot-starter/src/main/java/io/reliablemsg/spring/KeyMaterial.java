package io.reliablemsg.spring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Decodes an authentication key written in a property: {@code base64:...}, {@code hex:...} or
 * {@code file:/path}. Error messages never repeat the value: it is a secret.
 */
final class KeyMaterial {
    private KeyMaterial() {
    }

    static byte[] decode(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        String text = value.trim();
        try {
            if (text.startsWith("base64:")) {
                return Base64.getDecoder().decode(text.substring(7).trim());
            }
            if (text.startsWith("hex:")) {
                return HexFormat.of().parseHex(text.substring(4).trim());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid " + text.substring(0, text.indexOf(':')) + " (value not shown)");
        }
        if (text.startsWith("file:")) {
            Path path = Path.of(text.substring(5));
            try {
                byte[] bytes = Files.readAllBytes(path);
                int end = bytes.length;
                while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                    end--;
                }
                return Arrays.copyOf(bytes, end);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read key file " + path + ": " + e.getClass().getSimpleName());
            }
        }
        throw new IllegalArgumentException("must start with base64:, hex: or file: (value not shown)");
    }
}
