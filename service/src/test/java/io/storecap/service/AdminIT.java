package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The merchant admin of an embedded app on a real Postgres: session tokens, settings, bundles, analytics. */
class AdminIT {
    static LocalPostgres pg;
    static ReferenceService svc;
    static final String SHOP = Stores.domain(1);
    static final String OTHER = Stores.domain(2);

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(30, 3, 90);
        svc = ReferenceService.start(Support.config(pg.handle()));
    }

    @AfterAll
    static void stop() {
        if (svc != null) svc.close();
        if (pg != null) pg.close();
    }

    static HttpResponse<String> as(String shop, String method, String path, String body) {
        return Support.send(svc, method, path, body, "Authorization", Support.bearer(shop), "Content-Type", "application/json");
    }

    @Test
    void everyAdminEndpointRequiresAValidSessionToken() {
        Instant now = Instant.now();
        String expired = SessionTokens.sign(SHOP, Support.SECRET, Duration.ofMinutes(1), SessionTokens.DEFAULT_AUDIENCE, "1", now.minusSeconds(3600));
        String future = SessionTokens.sign(SHOP, Support.SECRET, Duration.ofMinutes(1), SessionTokens.DEFAULT_AUDIENCE, "1", now.plusSeconds(600));
        String forged = SessionTokens.sign(SHOP, "not-the-app-secret", Duration.ofMinutes(1));
        String otherApp = SessionTokens.sign(SHOP, Support.SECRET, Duration.ofMinutes(1), "another-app", "1", now);
        String valid = SessionTokens.sign(SHOP, Support.SECRET, Duration.ofMinutes(1));
        String[] parts = valid.split("\\.");
        String algNone = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + parts[1] + ".";
        for (String path : new String[]{"/admin/settings", "/admin/bundles", "/admin/analytics"}) {
            assertEquals(401, Support.get(svc, path).statusCode(), path + " without a token");
            for (String bad : new String[]{"garbage", expired, future, forged, otherApp, algNone, parts[0] + "." + parts[1] + ".AAAA"})
                assertEquals(401, Support.get(svc, path, "Authorization", "Bearer " + bad).statusCode(), path + " with " + bad);
            assertEquals(401, Support.get(svc, path, "Authorization", "Basic " + valid).statusCode());
            assertEquals(200, Support.get(svc, path, "Authorization", "Bearer " + valid).statusCode(), path);
        }
        JsonNode session = Support.json(Support.get(svc, "/admin/session", "Authorization", "Bearer " + valid));
        assertEquals("offline_" + SHOP, session.path("id").asText(), "the session row of the token's shop");
        assertEquals(401, Support.get(svc, "/admin/session", "Authorization", "Bearer " + forged).statusCode());
        assertEquals(200, Support.get(svc, "/admin/session?shop=" + OTHER).statusCode(), "the older ?shop= form still answers");
        assertEquals(401, Support.get(svc, "/admin/session?shop=" + Stores.domain(99)).statusCode(), "no session row: reinstall");
    }

    @Test
    void settingsAreReadAndWrittenWithValidation() {
        JsonNode s = Support.json(as(OTHER, "GET", "/admin/settings", null));
        assertEquals(OTHER, s.path("shop").asText());
        HttpResponse<String> w = as(OTHER, "POST", "/admin/settings", "{\"recommendationCount\":7,\"freeShippingThreshold\":\"75.5\"}");
        assertEquals(200, w.statusCode(), w.body());
        JsonNode after = Support.json(as(OTHER, "GET", "/admin/settings", null));
        assertEquals(7, after.path("recommendationCount").asInt());
        assertEquals(0, after.path("freeShippingThreshold").decimalValue().compareTo(new java.math.BigDecimal("75.5")));
        assertEquals(s.path("enabled").asBoolean(), after.path("enabled").asBoolean(), "fields not given are kept");
        for (String bad : new String[]{"{\"recommendationCount\":99}", "{\"recommendationCount\":\"7\"}", "{\"enabled\":\"yes\"}",
                "{\"freeShippingThreshold\":-1}", "{}", "{not json", "[]"})
            assertEquals(400, as(OTHER, "POST", "/admin/settings", bad).statusCode(), bad);
        assertEquals(415, Support.send(svc, "POST", "/admin/settings", "{\"enabled\":true}", "Authorization", Support.bearer(OTHER),
                "Content-Type", "text/plain").statusCode());
        assertEquals(404, as(Stores.domain(77), "GET", "/admin/settings", null).statusCode(), "a token for a shop that is not installed");
        assertEquals(7, Support.scalar(pg.handle(), "SELECT \"recommendationCount\" FROM \"Settings\" WHERE shop = ?", OTHER));
    }

    @Test
    void bundlesCrudIsScopedToTheTokensShop() {
        String shop = Stores.domain(3);
        int seeded = Support.json(as(shop, "GET", "/admin/bundles", null)).path("bundles").size();
        HttpResponse<String> created = as(shop, "POST", "/admin/bundles", "{\"name\":\"Summer\",\"productIds\":[\"p1\",\"p2\"],\"discount\":15}");
        assertEquals(201, created.statusCode(), created.body());
        long id = Support.json(created).path("id").asLong();
        assertEquals(seeded + 1, Support.json(as(shop, "GET", "/admin/bundles", null)).path("bundles").size());
        HttpResponse<String> updated = as(shop, "PUT", "/admin/bundles/" + id, "{\"name\":\"Summer sale\",\"active\":false}");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals("Summer sale", Support.json(updated).path("name").asText());
        assertEquals(2, Support.json(updated).path("productIds").size(), "fields not given are kept");
        // another merchant cannot see, change or delete it
        assertEquals(404, as(SHOP, "PUT", "/admin/bundles/" + id, "{\"name\":\"mine now\"}").statusCode());
        assertEquals(404, as(SHOP, "DELETE", "/admin/bundles/" + id, null).statusCode());
        assertEquals(0, Support.scalar(pg.handle(), "SELECT count(*) FROM \"Bundle\" WHERE id = ? AND name = 'mine now'", id));
        for (String bad : new String[]{"{\"name\":\"x\"}", "{\"productIds\":[\"p1\"]}", "{\"name\":\"x\",\"productIds\":[]}",
                "{\"name\":\"x\",\"productIds\":[\"p1\"],\"discount\":101}", "{\"name\":\"\",\"productIds\":[\"p1\"]}"})
            assertEquals(400, as(shop, "POST", "/admin/bundles", bad).statusCode(), bad);
        assertEquals(400, as(shop, "DELETE", "/admin/bundles/abc", null).statusCode());
        assertEquals(400, as(shop, "DELETE", "/admin/bundles/1%20OR%201=1", null).statusCode());
        assertEquals(200, as(shop, "DELETE", "/admin/bundles/" + id, null).statusCode());
        assertEquals(404, as(shop, "DELETE", "/admin/bundles/" + id, null).statusCode(), "gone");
        assertEquals(seeded, Support.json(as(shop, "GET", "/admin/bundles", null)).path("bundles").size());
    }

    @Test
    void analyticsAggregatesPerDayOverAValidatedCappedRange() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonNode dflt = Support.json(as(SHOP, "GET", "/admin/analytics", null));
        assertEquals(30, dflt.path("days").size(), "default: the last 30 days");
        LocalDate from = today.minusDays(6);
        JsonNode week = Support.json(as(SHOP, "GET", "/admin/analytics?from=" + from + "&to=" + today, null));
        assertEquals(7, week.path("days").size());
        assertEquals(from.toString(), week.path("days").get(0).path("date").asText());
        long views = 0;
        for (JsonNode d : dflt.path("days")) views += d.path("views").asLong();
        // the same window in SQL, with the same day boundaries (the service's session time zone is the JVM's, as here)
        long expected = Support.scalar(pg.handle(), """
                SELECT count(*) FROM "CartAnalytics" WHERE shop = ? AND "eventType" = 'view'
                AND "createdAt" >= ?::date AND "createdAt" < ?::date + 1""", SHOP, today.minusDays(29), today);
        assertEquals(expected, views, "per-day views add up to the range's views");
        assertTrue(views > 0, "the seeded history is in range");
        JsonNode years = Support.json(as(SHOP, "GET", "/admin/analytics?from=2020-01-01&to=" + today, null));
        assertTrue(years.path("capped").asBoolean());
        assertEquals(CartUpliftApi.MAX_ANALYTICS_DAYS, years.path("days").size(), "a long range is cut to the cap");
        for (String bad : new String[]{"from=2026-13-01", "from=yesterday", "to=2026-01-01&from=2026-02-01", "from=1900-01-01",
                "from=2026-01-01%27%20OR%201=1", "to=" + "9".repeat(40)})
            assertEquals(400, as(SHOP, "GET", "/admin/analytics?" + bad, null).statusCode(), bad);
    }
}
