package io.storecap.service;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session tokens: what the load generator signs the service accepts; nothing else is. */
class SessionTokensTest {
    static final String SECRET = "app-secret-xyz";
    static final String AUD = SessionTokens.DEFAULT_AUDIENCE;

    @Test
    void signedTokenVerifies() throws Exception {
        String shop = Stores.domain(42);
        String t = SessionTokens.sign(shop, SECRET, Duration.ofMinutes(1));
        SessionTokens.Claims c = SessionTokens.verify(t, SECRET, AUD, Instant.now());
        assertEquals(shop, c.shop());
        assertEquals("1", c.userId());
        assertEquals(3, t.split("\\.").length);
    }

    @Test
    void everyBadTokenIsRejectedWithAReason() {
        Instant now = Instant.now();
        String shop = Stores.domain(1);
        String good = SessionTokens.sign(shop, SECRET, Duration.ofMinutes(1), AUD, "7", now);
        assertReject("expired", SessionTokens.sign(shop, SECRET, Duration.ofSeconds(10), AUD, "7", now.minusSeconds(60)), now);
        assertReject("not valid yet", SessionTokens.sign(shop, SECRET, Duration.ofMinutes(5), AUD, "7", now.plusSeconds(60)), now);
        assertReject("signature does not match", SessionTokens.sign(shop, "other-secret", Duration.ofMinutes(1), AUD, "7", now), now);
        assertReject("another app", SessionTokens.sign(shop, SECRET, Duration.ofMinutes(1), "other-app", "7", now), now);
        String[] p = good.split("\\.");
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        assertReject("HS256", none + "." + p[1] + ".", now);
        String tampered = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(p[1])).replace(shop, Stores.domain(2)).getBytes());
        assertReject("signature does not match", p[0] + "." + tampered + "." + p[2], now);
        assertReject("not a JWT", "abc", now);
        assertReject("missing", null, now);
        // within the tolerated clock skew
        assertTrue(assertDoesNotThrow(SessionTokens.sign(shop, SECRET, Duration.ofSeconds(1), AUD, "7", now.minusSeconds(4)), now));
    }

    static boolean assertDoesNotThrow(String token, Instant now) {
        try {
            SessionTokens.verify(token, SECRET, AUD, now);
            return true;
        } catch (SessionTokens.InvalidToken e) {
            throw new AssertionError(e.getMessage());
        }
    }

    static void assertReject(String reason, String token, Instant now) {
        SessionTokens.InvalidToken e = assertThrows(SessionTokens.InvalidToken.class, () -> SessionTokens.verify(token, SECRET, AUD, now));
        assertTrue(e.getMessage().contains(reason), reason + " / " + e.getMessage());
    }

    /** Random strings, and random strings shaped like JWTs, are refused with InvalidToken, never anything else. */
    @Property(tries = 300, seed = "7")
    void randomTokensAreRefusedCleanly(@ForAll @StringLength(max = 300) String a, @ForAll @StringLength(max = 80) String b) {
        for (String t : new String[]{a, a + "." + b + "." + a, b + ".." + b,
                java.util.Base64.getUrlEncoder().encodeToString(a.getBytes()) + "." + java.util.Base64.getUrlEncoder().encodeToString(b.getBytes()) + ".x"}) {
            assertThrows(SessionTokens.InvalidToken.class, () -> SessionTokens.verify(t, SECRET, AUD, Instant.now()), t);
        }
    }
}
