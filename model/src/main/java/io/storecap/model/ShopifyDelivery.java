package io.storecap.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The profile's {@code shopify} block: how Shopify delivers webhooks, and how a run applies it.
 * <p>
 * Production, with sources:
 * <ul>
 *   <li>a delivery attempt must connect within 1 s and be answered within 5 s in all, else it failed
 *       (shopify.dev, "Webhook best practices": "a five-second timeout for the entire request ...
 *       the connection in less than one second");</li>
 *   <li>since 2024-09-10 a failed delivery is retried 8 times over 4 hours with exponential backoff
 *       (shopify.dev changelog, "Updates to webhook retry mechanism"; before, 19 retries over
 *       48 hours). Shopify does not publish the intervals: doubling from 56.5 s makes the eight waits
 *       add up to 4 h (56.5 s x (2^8 - 1) = 14,407 s);</li>
 *   <li>a retry keeps the webhook id (X-Shopify-Webhook-Id) and the event id
 *       (X-Shopify-Event-Id); the same event may also come again under another webhook id (one per
 *       subscription), and X-Shopify-Event-Id is what identifies it (shopify.dev, "Ignore duplicate
 *       webhooks").</li>
 * </ul>
 * A run cannot wait 4 hours (times k): it divides every wait by {@code retryCompression} and then
 * stretches it by the level's time scale k like every duration; the per-attempt timeout is stretched
 * by k only. The connect timeout is applied unscaled (Gatling's {@code socket.connectTimeout}, see
 * simulations' gatling.conf): a loopback connect is real, not emulated, so k does not stretch it.
 */
public final class ShopifyDelivery {
    private ShopifyDelivery() {}

    /** Shopify's per-attempt total timeout, seconds. */
    public static final double TIMEOUT_SECONDS = 5;
    /** Shopify's connect timeout, seconds. */
    public static final double CONNECT_TIMEOUT_SECONDS = 1;
    /** Attempts per webhook since 2024-09: the first and 8 retries. */
    public static final int MAX_ATTEMPTS = 9;
    /** The first retry's wait: doubling from it, 8 waits add up to 4 h. */
    public static final double FIRST_BACKOFF_SECONDS = 56.5;
    public static final double BACKOFF_MULTIPLIER = 2;
    /** The default compression of the derived schedule: 4 h into 30 s production-equivalent, the longest quick-study level. */
    public static final double RETRY_COMPRESSION = 480;

    static final Set<String> FIELDS = Set.of("timeoutSeconds", "maxAttempts", "backoffMs", "connectTimeoutSeconds",
            "firstBackoffSeconds", "backoffMultiplier", "retryCompression", "eventRedeliveryShare", "reasons");

    /**
     * Parses the block (already checked against the schema). The schedule is either Shopify's shape
     * ({@code firstBackoffSeconds} and {@code backoffMultiplier}, one wait per retry, compressed by
     * {@code retryCompression}, default {@value #RETRY_COMPRESSION}) or an explicit {@code backoffMs}
     * list, which is taken as already compressed (retryCompression 1 unless given).
     */
    static TrafficProfile.Shopify parse(JsonNode sh, String source) {
        TrafficProfile.allowOnly(sh, source, "shopify.", FIELDS);
        double timeout = value(sh, "timeoutSeconds", TIMEOUT_SECONDS, source);
        double connect = value(sh, "connectTimeoutSeconds", CONNECT_TIMEOUT_SECONDS, source);
        int attempts = (int) value(sh, "maxAttempts", MAX_ATTEMPTS, source);
        if (attempts < 1 || attempts > 20) throw new IllegalArgumentException(source + ": shopify.maxAttempts must be 1..20, was " + attempts);
        if (timeout <= 0) throw new IllegalArgumentException(source + ": shopify.timeoutSeconds must be > 0");
        if (connect <= 0) throw new IllegalArgumentException(source + ": shopify.connectTimeoutSeconds must be > 0");
        boolean explicit = sh.has("backoffMs");
        if (explicit && (sh.has("firstBackoffSeconds") || sh.has("backoffMultiplier")))
            throw new IllegalArgumentException(source + ": shopify: give either backoffMs (explicit waits) or"
                    + " firstBackoffSeconds and backoffMultiplier (Shopify's exponential schedule), not both");
        List<Long> backoff = new ArrayList<>();
        if (explicit) {
            for (JsonNode b : sh.path("backoffMs")) backoff.add((long) TrafficProfile.number(b, source, "shopify.backoffMs[]"));
            if (backoff.isEmpty()) backoff.add(1000L);
        } else {
            backoff.addAll(exponential(value(sh, "firstBackoffSeconds", FIRST_BACKOFF_SECONDS, source),
                    value(sh, "backoffMultiplier", BACKOFF_MULTIPLIER, source), attempts - 1, source));
        }
        double compression = value(sh, "retryCompression", explicit ? 1 : RETRY_COMPRESSION, source);
        if (compression < 1) throw new IllegalArgumentException(source + ": shopify.retryCompression must be >= 1 (1 = Shopify's real schedule), was " + compression);
        double share = value(sh, "eventRedeliveryShare", 0, source);
        if (share > 1) throw new IllegalArgumentException(source + ": shopify.eventRedeliveryShare must be 0..1, was " + share);
        Map<String, String> reasons = new LinkedHashMap<>();
        JsonNode r = sh.path("reasons");
        for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("reasons") || !FIELDS.contains(e.getKey()))
                throw new IllegalArgumentException(source + ": shopify.reasons." + e.getKey() + " names no field of shopify");
            String text = e.getValue().asText("");
            if (text.isBlank()) throw new IllegalArgumentException(source + ": shopify.reasons." + e.getKey() + " is blank: every default needs its reason");
            reasons.put(e.getKey(), text.strip());
        }
        return new TrafficProfile.Shopify(timeout, attempts, List.copyOf(backoff), connect, compression, share,
                java.util.Collections.unmodifiableMap(reasons));
    }

    /** {@code retries} waits, the first {@code firstSeconds}, each the one before times {@code multiplier}, in ms. */
    public static List<Long> exponential(double firstSeconds, double multiplier, int retries, String source) {
        if (multiplier < 1) throw new IllegalArgumentException(source + ": shopify.backoffMultiplier must be >= 1, was " + multiplier);
        List<Long> out = new ArrayList<>();
        double wait = firstSeconds * 1000;
        for (int i = 0; i < retries; i++) {
            out.add(Math.round(wait));
            wait *= multiplier;
        }
        return out;
    }

    private static double value(JsonNode sh, String field, double dflt, String source) {
        return sh.has(field) ? TrafficProfile.number(sh.get(field), source, "shopify." + field) : dflt;
    }
}
