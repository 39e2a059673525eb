package io.storecap.model.logs;

import io.storecap.model.TrafficProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The estimate's definitions, on requests CSVs small enough to count by hand. */
class TrafficEstimateTest {
    @TempDir
    Path dir;

    static final String HEADER = "timestamp,method,path,status,shop";

    /** Requests at 10:00 + minute offsets of 2024-11-28, as CSV rows. */
    static List<String> rows(String method, String path, String shop, int... minutesAfterTen) {
        List<String> out = new ArrayList<>();
        for (int m : minutesAfterTen)
            out.add(Instant.parse("2024-11-28T10:00:00Z").plusSeconds(m * 60L) + "," + method + "," + path + ",200," + shop);
        return out;
    }

    Path csv(List<String> rows) throws IOException {
        List<String> all = new ArrayList<>(List.of(HEADER));
        all.addAll(rows);
        return Files.write(dir.resolve("requests.csv"), all);
    }

    /**
     * 09:50 (a partly covered hour), then 10:00-13:00 whole: cart-event 6, 12 and 3 requests an hour
     * from stores a, b, c; one dashboard poll at 11:30; the last request at 12:58.
     */
    List<String> handCounted() {
        List<String> r = new ArrayList<>();
        r.addAll(rows("POST", "/proxy/events", "a.myshopify.com", -10, -5)); // 09:50, 09:55: the 09:00 hour is left out
        r.addAll(rows("POST", "/proxy/events", "a.myshopify.com", 1, 5, 9, 20));
        r.addAll(rows("POST", "/proxy/events", "b.myshopify.com", 30, 40));
        r.addAll(rows("POST", "/proxy/events", "a.myshopify.com", 60, 61, 62, 63, 64, 65, 66));
        r.addAll(rows("POST", "/proxy/events", "b.myshopify.com", 70, 71, 72));
        r.addAll(rows("POST", "/proxy/events", "c.myshopify.com", 80, 100));
        r.addAll(rows("GET", "/superadmin/dashboard?page=1", "", 90));
        r.addAll(rows("POST", "/proxy/events", "A.myshopify.com", 125)); // the same store as a
        r.addAll(rows("POST", "/proxy/events", "c.myshopify.com", 130, 178));
        r.addAll(rows("GET", "/admin/settings", "a.myshopify.com", 131));
        return r;
    }

    @Test
    void baselineIsTheMedianWholeHourPeakTheBusiestPerStore() throws IOException {
        FromLogs.Result r = FromLogs.run(FromLogsTest.options(List.of(), List.of(csv(handCounted())), List.of(), null), FromLogsTest.NOW);
        TrafficEstimate e = r.estimate();
        assertEquals(3, e.stores());
        TrafficEstimate.KindRate cart = e.rate("cart-event");
        assertEquals(21, cart.requests(), "6 + 12 + 3 in whole hours; the two at 09:5x are not");
        assertEquals(6 / 3.0, cart.baseline(), 1e-12);
        assertEquals(12 / 3.0, cart.peak(), 1e-12);
        assertEquals(Instant.parse("2024-11-28T11:00:00Z").toEpochMilli(), cart.peakHourMs());
        assertEquals(3, cart.window().wholeHours());
        TrafficEstimate.KindRate dash = e.rate("dashboard");
        assertFalse(dash.perStore());
        assertEquals(0, dash.baseline(), "median of 0, 1, 0 polls an hour");
        assertEquals(1, dash.peak());
        assertEquals(new TrafficEstimate.BusiestHour(Instant.parse("2024-11-28T11:00:00Z").toEpochMilli(), 13), e.busiestHour());
        assertEquals(13 / 60.0, e.minutePeak().meanPerMinute(), 1e-12);
        assertEquals(1 / (13 / 60.0), e.minutePeak().ratio(), 1e-9, "one request a minute at most");
        assertEquals(1, e.unclassifiedRequests());
        assertEquals(List.of(new TrafficEstimate.PathCount("GET /admin/settings", 1)), e.unclassified());
        TrafficProfile p = r.profile();
        assertEquals(2, p.perStorePerHour().get("cart-event").baseline());
        assertEquals(4, p.perStorePerHour().get("cart-event").peak());
        assertTrue(p.perStorePerHour().get("cart-event").reason().contains("21 requests by rule 1 (POST /proxy/events) in "), p.perStorePerHour().get("cart-event").reason());
        assertTrue(p.perStorePerHour().get("cart-event").reason().contains("over 3 whole hours from 2024-11-28T10:00Z to 2024-11-28T13:00Z, 3 stores."));
        assertTrue(p.perStorePerHour().get("webhook").reason().startsWith("Not in the logs"), "no webhooks in these logs");
    }

    @Test
    void aGivenStoreCountDividesTheRatesAndCountsSilentStoresInTheFit() throws IOException {
        Path f = csv(handCounted());
        TrafficEstimate e = FromLogs.run(FromLogsTest.options(List.of(), List.of(f), List.of(), 5), FromLogsTest.NOW).estimate();
        assertEquals(5, e.stores());
        assertEquals(3, e.storesSeen());
        assertEquals(6 / 5.0, e.rate("cart-event").baseline(), 1e-12);
        assertEquals(5, e.zipf().stores());
        assertTrue(e.notes().stream().anyMatch(n -> n.startsWith("2 of the 5 stores given (--stores) sent nothing")), e.notes().toString());
        String fewer = assertThrows(IllegalArgumentException.class,
                () -> FromLogs.run(FromLogsTest.options(List.of(), List.of(f), List.of(), 2), FromLogsTest.NOW)).getMessage();
        assertEquals("--stores 2 is fewer than the 3 stores the logs name; give the number of stores the logs cover (at least 3)", fewer);
    }

    @Test
    void logsWithoutAWholeHourOrWithoutStoresAreRefusedWithTheFix() throws IOException {
        Path short_ = csv(rows("POST", "/proxy/events", "a.myshopify.com", 10, 20, 50));
        String m = assertThrows(IllegalArgumentException.class,
                () -> FromLogs.run(FromLogsTest.options(List.of(), List.of(short_), List.of(), null), FromLogsTest.NOW)).getMessage();
        assertTrue(m.contains("the request logs run from 2024-11-28T10:10:00Z to 2024-11-28T10:50:00Z, which holds no whole clock hour"), m);
        Path anonymous = csv(rows("POST", "/proxy/events", "", 1, 30, 59));
        String n = assertThrows(IllegalArgumentException.class,
                () -> FromLogs.run(FromLogsTest.options(List.of(), List.of(anonymous), List.of(), null), FromLogsTest.NOW)).getMessage();
        assertTrue(n.startsWith("no request names its store"), n);
        assertTrue(n.endsWith("pass --stores N, the number of stores the logs cover"), n);
        assertEquals(3 / 4.0, FromLogs.run(FromLogsTest.options(List.of(), List.of(anonymous), List.of(), 4), FromLogsTest.NOW)
                .estimate().rate("cart-event").peak(), 1e-12, "with --stores the rates can be told");
    }

    @Test
    void aBaseWithOnlyItsRatesGivesAProfileThatParses() throws IOException {
        Path base = Files.writeString(dir.resolve("base.yaml"), "perStorePerHour:\n  webhook: {baseline: 3, peak: 10, reason: the plan}\n");
        FromLogs.Result r = FromLogs.run(new FromLogs.Options(List.of(), List.of(csv(handCounted())), List.of(),
                FromLogsTest.CONFIG.resolve("log-rules.yaml"), base, null, "mine"), FromLogsTest.NOW);
        TrafficProfile p = TrafficProfile.parse(r.yaml(), "written");
        assertEquals("mine", p.name());
        assertEquals(List.of("webhook", "cart-event"), List.copyOf(p.perStorePerHour().keySet()), "the base's kinds first, then the logs'");
        assertEquals(Map.of("orders/create", 1.0), p.webhookTopics(), "the parser's default, as for the base");
        assertFalse(r.yaml().contains("shopify:"));
    }

    @Test
    void logsNoRuleMatchesAreRefusedWithTheirPaths() throws IOException {
        Path f = csv(rows("GET", "/apps/upsell/offers?shop=a.myshopify.com", "a.myshopify.com", 1, 30, 59));
        String m = assertThrows(IllegalArgumentException.class,
                () -> FromLogs.run(FromLogsTest.options(List.of(), List.of(f), List.of(), null), FromLogsTest.NOW)).getMessage();
        assertTrue(m.startsWith("none of the 3 requests in " + f + " matches a rule of "), m);
        assertTrue(m.endsWith("the busiest paths: GET /apps/upsell/offers (3). Copy the rules file, put in your app's paths and pass it with --rules"), m);
    }

    @Test
    void aBurstShowsInThePeakToMeanRatioByMinute() throws IOException {
        Random rnd = new Random(7);
        List<String> r = new ArrayList<>();
        // 10:00-11:00: 300 requests a minute, and 600 more in minute 30; 11:00-12:00: 100 a minute
        for (int minute = 0; minute < 120; minute++) {
            int n = minute < 60 ? 300 + (minute == 30 ? 600 : 0) : 100;
            for (int i = 0; i < n; i++)
                r.add(Instant.parse("2024-11-28T10:00:00Z").plusMillis(minute * 60_000L + rnd.nextInt(60_000)) + ",GET,/proxy/recommendations,200,s"
                        + rnd.nextInt(20) + ".myshopify.com");
        }
        TrafficEstimate e = FromLogs.run(FromLogsTest.options(List.of(), List.of(csv(r)), List.of(), null), FromLogsTest.NOW).estimate();
        assertEquals(Instant.parse("2024-11-28T10:00:00Z").toEpochMilli(), e.busiestHour().startMs());
        assertEquals(Instant.parse("2024-11-28T10:30:00Z").toEpochMilli(), e.minutePeak().minuteMs());
        assertEquals(900 / (18_600 / 60.0), e.minutePeak().ratio(), 1e-9);
        assertTrue(e.minutePeak().poissonAlone() < 1.2, "Poisson minutes at 310 a minute vary by a few per cent: " + e.minutePeak().poissonAlone());
    }
}
