package io.storecap.environment;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random credentials for the harness's own roles and tokens: unguessable, and recognisable by prefix in a leak scan. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** {@code prefix} followed by {@code bytes} random bytes in hex. */
    public static String token(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
