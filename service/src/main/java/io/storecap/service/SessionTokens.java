package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * Shopify session tokens, as App Bridge sends them to an embedded app's backend:
 * {@code Authorization: Bearer <JWT>}, HS256-signed with the app secret, with claims
 * {@code iss} (https://SHOP/admin), {@code dest} (https://SHOP), {@code aud} (the app's API key),
 * {@code sub} (the staff user), {@code exp}, {@code nbf}, {@code iat}, {@code jti}, {@code sid}.
 * The load generator signs with {@link #sign(String, String, Duration)}; the service verifies
 * with {@link #verify}, which accepts only HS256 (never {@code alg: none}), compares signatures in
 * constant time and allows {@link #CLOCK_SKEW} of clock difference, as Shopify's library does.
 */
public final class SessionTokens {
    private SessionTokens() {}

    /** The API key (aud) the reference service expects unless {@code --api-key} says otherwise. */
    public static final String DEFAULT_AUDIENCE = "storecap-cart-uplift";
    /** Tolerated clock difference between the browser that got the token and the server. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    /** What a valid token says. */
    public record Claims(String shop, String userId, Instant expires) {}

    /** A token for the shop's staff user 1, valid for {@code ttl} from now, for the default audience. */
    public static String sign(String shop, String appSecret, Duration ttl) {
        return sign(shop, appSecret, ttl, DEFAULT_AUDIENCE, "1", Instant.now());
    }

    /** A token with every claim chosen (tests sign expired or not-yet-valid tokens with it). */
    public static String sign(String shop, String appSecret, Duration ttl, String audience, String userId, Instant now) {
        if (!Webhooks.validShop(shop)) throw new IllegalArgumentException("shop must be a *.myshopify.com domain, was " + shop);
        Objects.requireNonNull(appSecret, "appSecret");
        Objects.requireNonNull(ttl, "ttl");
        ObjectNode c = JSON.createObjectNode();
        c.put("iss", "https://" + shop + "/admin");
        c.put("dest", "https://" + shop);
        c.put("aud", audience);
        c.put("sub", userId);
        c.put("exp", now.plus(ttl).getEpochSecond());
        c.put("nbf", now.getEpochSecond());
        c.put("iat", now.getEpochSecond());
        c.put("jti", UUID.randomUUID().toString());
        c.put("sid", UUID.nameUUIDFromBytes((shop + userId).getBytes(StandardCharsets.UTF_8)).toString());
        String signingInput = HEADER + "." + B64.encodeToString(c.toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64.encodeToString(hmac(signingInput, appSecret));
    }

    /** A token that cannot be accepted; the message is safe to show the caller. */
    static final class InvalidToken extends Exception {
        InvalidToken(String message) { super(message); }
    }

    /** Checks signature, algorithm, audience, time window and shop; returns the claims. */
    static Claims verify(String token, String appSecret, String audience, Instant now) throws InvalidToken {
        if (token == null || token.length() > 4096) throw new InvalidToken("session token missing or too long");
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) throw new InvalidToken("session token is not a JWT");
        JsonNode header = json(parts[0]);
        if (!"HS256".equals(header.path("alg").asText())) throw new InvalidToken("session token must be signed with HS256");
        byte[] expected = hmac(parts[0] + "." + parts[1], appSecret);
        byte[] given;
        try {
            given = B64D.decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("session token signature is not base64url");
        }
        if (!MessageDigest.isEqual(expected, given)) throw new InvalidToken("session token signature does not match");
        JsonNode c = json(parts[1]);
        if (!audience.equals(c.path("aud").asText(null))) throw new InvalidToken("session token is for another app (aud)");
        if (!c.path("exp").canConvertToLong() || !c.path("nbf").canConvertToLong())
            throw new InvalidToken("session token needs numeric exp and nbf");
        long t = now.getEpochSecond();
        if (t > c.path("exp").asLong() + CLOCK_SKEW.getSeconds()) throw new InvalidToken("session token expired");
        if (t < c.path("nbf").asLong() - CLOCK_SKEW.getSeconds()) throw new InvalidToken("session token not valid yet");
        String dest = c.path("dest").asText("");
        if (!dest.startsWith("https://")) throw new InvalidToken("session token dest must be https://SHOP");
        String shop = dest.substring("https://".length());
        if (!Webhooks.validShop(shop)) throw new InvalidToken("session token dest is not a *.myshopify.com shop");
        String iss = c.path("iss").asText("");
        if (!iss.equals(dest) && !iss.equals(dest + "/admin")) throw new InvalidToken("session token iss and dest differ");
        return new Claims(shop, c.path("sub").asText(null), Instant.ofEpochSecond(c.path("exp").asLong()));
    }

    private static JsonNode json(String part) throws InvalidToken {
        try {
            JsonNode n = JSON.readTree(B64D.decode(part));
            if (n == null || !n.isObject()) throw new InvalidToken("session token part is not a JSON object");
            return n;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new InvalidToken("session token part is not base64url JSON");
        }
    }

    private static byte[] hmac(String input, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
