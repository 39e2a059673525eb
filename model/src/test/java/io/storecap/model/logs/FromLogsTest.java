package io.storecap.model.logs;

import io.storecap.model.TrafficProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * profile from-logs on logs made from a known profile ({@link LogGenerator}): every rate within 10 %,
 * the true Zipf exponent inside the fitted interval, the profile readable by study --profile.
 */
class FromLogsTest {
    static final Path CONFIG = Files.isDirectory(Path.of("..", "config")) ? Path.of("..", "config") : Path.of("config");
    static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    static Path dir;
    static LogGenerator.Truth truth;
    static FromLogs.Result result;

    @BeforeAll
    static void generateAndEstimate() throws IOException {
        truth = LogGenerator.reference();
        LogGenerator.write(truth, dir, 20241128L);
        result = FromLogs.run(options(List.of(dir.resolve("vercel.ndjson")), List.of(), List.of(dir.resolve("webhooks.csv")), null), NOW);
    }

    static FromLogs.Options options(List<Path> vercel, List<Path> requests, List<Path> webhooks, Integer stores) {
        return new FromLogs.Options(vercel, requests, webhooks, CONFIG.resolve("log-rules.yaml"), CONFIG.resolve("profile.yaml"), stores, null);
    }

    @Test
    void recoversEveryRateWithinTenPercent() {
        TrafficProfile p = result.profile();
        truth.perStore().forEach((kind, rate) -> {
            TrafficProfile.Rate got = p.perStorePerHour().get(kind);
            assertNotNull(got, kind);
            assertWithin(rate.baseline(), got.baseline(), 0.10, kind + " baseline");
            assertWithin(rate.peak(), got.peak(), 0.10, kind + " peak");
            assertTrue(got.reason().startsWith("From the logs: "), got.reason());
        });
        TrafficProfile.Rate dash = p.globalPerHour().get("dashboard");
        assertWithin(truth.dashboard().baseline(), dash.baseline(), 0.10, "dashboard baseline");
        assertWithin(truth.dashboard().peak(), dash.peak(), 0.10, "dashboard peak");
    }

    @Test
    void theTrueZipfExponentIsInsideTheFittedInterval() {
        ZipfFit z = result.estimate().zipf();
        assertNotNull(z);
        assertTrue(z.covers(truth.zipf()), "true " + truth.zipf() + " in [" + z.low() + ", " + z.high() + "], fitted " + z.exponent());
        assertEquals(truth.stores(), z.stores());
        assertEquals(truth.zipf(), result.profile().storeSizes().zipfExponent(), 0.05);
        assertTrue(z.dispersion() < 2, "Zipf with Poisson noise scatters as Poisson: " + z.dispersion());
    }

    @Test
    void countsWholeHoursOnlyAndEachRequestOnce() {
        TrafficEstimate e = result.estimate();
        assertEquals(2, e.windows().size());
        TrafficEstimate.Window requests = e.windows().get(0);
        assertEquals(LogGenerator.START.toEpochMilli(), requests.fromMs(), "the partly covered 23:00 hour before is left out");
        assertEquals(truth.days() * 24, requests.wholeHours());
        assertEquals(List.of("cart-event", "recommendations", "admin-session", "dashboard"), requests.kinds());
        assertEquals(List.of("webhook"), e.windows().get(1).kinds());
        assertEquals(truth.stores(), e.stores());
        LogReader.Outcome vercel = result.sources().get(0);
        assertTrue(vercel.skipped() > vercel.records() / 20, "console lines of a request already counted and the build line are skipped: " + vercel.skipped());
        assertEquals(19, Instant.ofEpochMilli(e.busiestHour().startMs()).atZone(java.time.ZoneOffset.UTC).getHour());
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("webhook requests in the request logs are left out")), e.notes().toString());
        assertEquals("GET /favicon.ico", e.unclassified().get(0).path());
        assertEquals(e.unclassifiedRequests(), e.unclassified().get(0).requests());
    }

    @Test
    void theMinutePeakOfPoissonArrivalsIsWhatPoissonAloneGives() {
        TrafficEstimate.MinutePeak m = result.estimate().minutePeak();
        assertNotNull(m);
        assertWithin(m.poissonAlone(), m.ratio(), 0.10, "busiest minute over mean minute, no burst in the logs");
        assertEquals(result.estimate().busiestHour().requests() / 60.0, m.meanPerMinute(), 1e-9);
    }

    @Test
    void topicSharesAreTheDeliveriesOfTopicsTheServiceHandles() {
        Map<String, Double> topics = result.profile().webhookTopics();
        assertEquals(List.of("orders/create", "orders/paid", "products/update"), List.copyOf(topics.keySet()));
        assertWithin(0.4 / 0.9, topics.get("orders/create"), 0.05, "orders/create share");
        assertWithin(0.2 / 0.9, topics.get("products/update"), 0.10, "products/update share");
        assertTrue(result.yaml().contains("app_subscriptions/update"), "the unhandled topic is named in the provenance");
    }

    @Test
    void theWrittenProfileRoundTripsAndKeepsWhatLogsCannotGive() throws IOException {
        TrafficProfile base = TrafficProfile.load(CONFIG.resolve("profile.yaml"));
        Path written = dir.resolve("written.yaml");
        Files.writeString(written, result.yaml());
        TrafficProfile again = TrafficProfile.load(written);
        assertEquals(result.profile(), again);
        assertEquals(base.shopify(), again.shopify());
        assertEquals(base.bursts(), again.bursts());
        assertEquals(base.bfcmMultiplier(), again.bfcmMultiplier());
        assertEquals("peak", again.phase());
        assertEquals("from-logs 2024-11-28 to 2024-11-29", again.name());
        assertTrue(result.yaml().contains("provenance:"), result.yaml());
        assertTrue(result.yaml().contains("file: " + dir.resolve("vercel.ndjson")), "the provenance names the files");
    }

    @Test
    void aKindTheLogsLackIsKeptFromTheBaseAndSaysSo() {
        FromLogs.Result r = FromLogs.run(options(List.of(), List.of(), List.of(dir.resolve("webhooks.csv")), null), NOW);
        TrafficProfile base = TrafficProfile.load(CONFIG.resolve("profile.yaml"));
        TrafficProfile.Rate cart = r.profile().perStorePerHour().get("cart-event");
        assertEquals(base.perStorePerHour().get("cart-event").peak(), cart.peak());
        assertTrue(cart.reason().startsWith("Not in the logs"), cart.reason());
        assertWithin(10, r.profile().perStorePerHour().get("webhook").peak(), 0.10, "webhook peak from the deliveries alone");
    }

    static void assertWithin(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(actual - expected) <= tolerance * expected,
                what + ": expected " + expected + " within " + Math.round(tolerance * 100) + " %, got " + actual);
    }
}
