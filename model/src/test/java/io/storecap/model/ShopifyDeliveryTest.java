package io.storecap.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profile's Shopify delivery: the real schedule in the default profile, and how a run applies it. */
class ShopifyDeliveryTest {
    static TrafficProfile.Shopify defaults() {
        Path f = Path.of("..", "config", "profile.yaml");
        if (!Files.exists(f)) f = Path.of("config", "profile.yaml");
        return TrafficProfile.load(f).shopify();
    }

    static TrafficProfile.Shopify parse(String shopify) {
        return TrafficProfile.parse("perStorePerHour:\n  webhook: {baseline: 1, peak: 2, reason: x}\nshopify: " + shopify + "\n", "p.yaml").shopify();
    }

    @Test
    void theDefaultProfileDescribesShopifysDeliverySince2024() {
        TrafficProfile.Shopify s = defaults();
        assertEquals(5, s.timeoutSeconds(), "5 s for the entire request");
        assertEquals(1, s.connectTimeoutSeconds(), "1 s to connect");
        assertEquals(9, s.maxAttempts(), "the first attempt and 8 retries");
        List<Long> b = s.backoffMs();
        assertEquals(8, b.size(), "one wait per retry: " + b);
        assertEquals(56_500, b.get(0));
        for (int i = 1; i < b.size(); i++) assertEquals(2 * b.get(i - 1), b.get(i), 1, "each wait doubles the one before: " + b);
        assertEquals(4 * 3600_000.0, s.retryWindowMs(), 0.01 * 4 * 3600_000, "the 8 waits add up to ~4 hours");
        for (String field : List.of("timeoutSeconds", "connectTimeoutSeconds", "maxAttempts", "firstBackoffSeconds",
                "backoffMultiplier", "retryCompression", "eventRedeliveryShare"))
            assertTrue(s.reasons().getOrDefault(field, "").length() > 20, "a reason for " + field + ": " + s.reasons());
        assertTrue(s.reasons().get("maxAttempts").contains("shopify.dev/changelog"), "the source of the retries");
        assertTrue(s.reasons().get("timeoutSeconds").contains("shopify.dev"), "the source of the timeouts");
        assertTrue(s.eventRedeliveryShare() > 0 && s.eventRedeliveryShare() <= 0.05, "a small share redelivered under a new id");
    }

    @Test
    void aRunCompressesTheScheduleByItsFactorAndStretchesItByTheTimeScale() {
        TrafficProfile.Shopify s = defaults();
        assertEquals(480, s.compression());
        assertEquals(Math.round(56_500 / 480.0), s.runBackoffMs(1, 1), "the first retry's wait, compressed");
        assertEquals(Math.round(56_500 / 480.0 * 2.5), s.runBackoffMs(1, 2.5), "and stretched by k");
        assertEquals(Math.round(7_232_000 / 480.0 * 0.25), s.runBackoffMs(8, 0.25), "the last wait at k = 0.25");
        long run = 0;
        for (int r = 1; r < s.maxAttempts(); r++) run += s.runBackoffMs(r, 1);
        assertEquals(s.retryWindowMs() / 480.0, run, 8, "4 h compressed 480-fold: 30 s");
        assertEquals(run * 3 + 9 * 5_000 * 3, s.deliveryHorizonMs(3), 8 * 3, "every wait and every timeout, at k = 3");
        assertEquals(2 * s.runBackoffMs(3, 1), s.runBackoffMs(4, 1), 1, "the doubling survives the compression");
    }

    @Test
    void anExplicitListIsUsedAsGivenAndTheSettingsAreChecked() {
        TrafficProfile.Shopify legacy = parse("{timeoutSeconds: 5, maxAttempts: 3, backoffMs: [200, 400]}");
        assertEquals(1, legacy.compression(), "an explicit list is already compressed");
        assertEquals(400, legacy.runBackoffMs(2, 1));
        assertEquals(400, legacy.runBackoffMs(5, 1), "the last value repeats");
        TrafficProfile.Shopify real = parse("{retryCompression: 1}");
        assertEquals(14_407_500, real.retryWindowMs(), "Shopify's schedule by default, uncompressed when asked");
        assertEquals(480, parse("{maxAttempts: 9}").compression(), "the exponential schedule is compressed by default");
        String both = assertThrows(IllegalArgumentException.class, () -> parse("{backoffMs: [1], firstBackoffSeconds: 2}")).getMessage();
        assertTrue(both.contains("not both"), both);
        String low = assertThrows(IllegalArgumentException.class, () -> parse("{retryCompression: 0.5}")).getMessage();
        assertTrue(low.startsWith("p.yaml: shopify.retryCompression") && low.contains("1 or more"), low);
        String reason = assertThrows(IllegalArgumentException.class, () -> parse("{reasons: {retries: x}}")).getMessage();
        assertTrue(reason.contains("retries"), reason);
        String share = assertThrows(IllegalArgumentException.class, () -> parse("{eventRedeliveryShare: 2}")).getMessage();
        assertTrue(share.contains("eventRedeliveryShare"), share);
    }

    @Test
    void aRunJsonWrittenBeforeTheScheduleExistedStillReads() throws Exception {
        TrafficProfile.Shopify old = Json.JSON.readValue("{\"timeoutSeconds\":5.0,\"maxAttempts\":4,\"backoffMs\":[500,1000,2000]}",
                TrafficProfile.Shopify.class);
        assertEquals(1, old.compression());
        assertEquals(500, old.runBackoffMs(1, 1));
        TrafficProfile.Shopify now = defaults();
        assertEquals(now, Json.JSON.readValue(Json.JSON.writeValueAsString(now), TrafficProfile.Shopify.class), "run.json round trip");
    }
}
