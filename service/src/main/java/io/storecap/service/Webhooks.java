package io.storecap.service;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/** Shopify webhook rules: topics, the HMAC signature, the shop domain. */
public final class Webhooks {
    private Webhooks() {}

    public static final Set<String> TOPICS = Set.of(
            "orders/create", "orders/paid", "products/update", "app/uninstalled", "shop/update",
            "customers/data_request", "customers/redact", "shop/redact");

    private static final Pattern SHOP = Pattern.compile("[a-z0-9][a-z0-9-]{0,60}\\.myshopify\\.com");

    /** base64(HMAC-SHA256(secret, raw body)): the X-Shopify-Hmac-Sha256 header Shopify sends. */
    public static String sign(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Constant-time comparison, so a forger learns nothing from response timing. */
    public static boolean verify(byte[] body, String header, String secret) {
        if (header == null || header.isBlank()) return false;
        byte[] expected = sign(body, secret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean validShop(String shop) { return shop != null && SHOP.matcher(shop).matches(); }
}
