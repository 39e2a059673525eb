package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPostgres;
import io.storecap.environment.LocalRedis;
import io.storecap.environment.Sample;
import io.storecap.environment.TelemetrySampler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The super-admin dashboard on a real Postgres and a real Redis: paging with a total, sort,
 * filters and search, hostile parameters, CSV, all-at-once versus paginated as Postgres sees them,
 * and the cache (a cached load does not reach Postgres; Redis down is served from Postgres).
 */
class DashboardIT {
    static final int STORES = 120;
    static LocalPostgres pg;
    static LocalRedis redis;
    static ReferenceService svc;
    static long analyticsRows;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.create().withMaxConnections(40).start();
        redis = LocalRedis.create().start();
        try (Connection c = Support.app(pg.handle())) {
            Schema.create(c, true);
            Stores.seed(c, STORES, 20, 1.0);
        }
        analyticsRows = Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\"");
        svc = ReferenceService.start(Support.config(pg.handle()));
    }

    @AfterAll
    static void stop() {
        if (svc != null) svc.close();
        if (redis != null) redis.close();
        if (pg != null) pg.close();
    }

    static HttpResponse<String> dash(ReferenceService s, String query) {
        return Support.get(s, "/superadmin/dashboard" + (query.isEmpty() ? "" : "?" + query), "X-Admin-Token", Support.ADMIN);
    }

    static JsonNode ok(ReferenceService s, String query) {
        HttpResponse<String> r = dash(s, query);
        assertEquals(200, r.statusCode(), query + ": " + r.body());
        return Support.json(r);
    }

    static List<String> shops(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.path("stores").forEach(n -> out.add(n.path("shop").asText()));
        return out;
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    @Test
    void adminTokenIsRequired() {
        assertEquals(401, Support.get(svc, "/superadmin/dashboard").statusCode());
        assertEquals(403, Support.get(svc, "/superadmin/dashboard", "X-Admin-Token", "wrong-token-123").statusCode());
    }

    @Test
    void paginatedReturnsFiftyAndATotal() {
        JsonNode p1 = ok(svc, "page=1");
        assertEquals(50, p1.path("stores").size());
        assertEquals(STORES, p1.path("total").asLong());
        assertEquals(3, p1.path("pages").asLong());
        assertEquals(Stores.domain(1), shops(p1).get(0));
        JsonNode p3 = ok(svc, "page=3");
        assertEquals(STORES - 100, p3.path("stores").size());
        Set<String> seen = new HashSet<>(shops(p1));
        seen.addAll(shops(ok(svc, "page=2")));
        seen.addAll(shops(p3));
        assertEquals(STORES, seen.size(), "the pages cover every store once");
        JsonNode beyond = ok(svc, "page=99");
        assertEquals(0, beyond.path("stores").size(), "a page past the end is empty");
        assertEquals(STORES, beyond.path("total").asLong(), "and still gives the total");
        JsonNode huge = ok(svc, "pageSize=100000");
        assertEquals(DashboardQuery.MAX_PAGE_SIZE, huge.path("pageSize").asInt(), "huge page sizes are capped");
        assertEquals(STORES, huge.path("stores").size());
        assertEquals(1, ok(svc, "pageSize=1&page=120").path("stores").size());
        for (String bad : new String[]{"page=0", "page=-1", "page=abc", "page=1.5", "page=99999999999999999999", "pageSize=0",
                "pageSize=ten", "minRevenue=lots", "sort=revenue%20desc", "dir=sideways", "view=everything", "format=xml"})
            assertEquals(400, dash(svc, bad).statusCode(), bad);
    }

    @Test
    void sortFilterAndSearchAgreeWithTheDatabase() throws Exception {
        JsonNode byRevenue = ok(svc, "sort=revenue&dir=desc");
        BigDecimal prev = null;
        for (JsonNode n : byRevenue.path("stores")) {
            BigDecimal r = n.path("revenue").decimalValue();
            if (prev != null) assertTrue(prev.compareTo(r) >= 0, "revenue descending");
            prev = r;
        }
        // the seed's few big stores (Zipf history) lead
        assertEquals(Stores.domain(1), shops(byRevenue).get(0));
        // all-at-once (the N+1 loop) and paginated agree on the same question
        JsonNode all = ok(svc, "view=all&sort=revenue&dir=desc");
        assertEquals(STORES, all.path("stores").size());
        assertEquals(shops(byRevenue), shops(all).subList(0, 50));
        assertEquals(shops(ok(svc, "sort=ctr&dir=asc&page=2")), shops(ok(svc, "view=all&sort=ctr&dir=asc")).subList(50, 100));
        assertEquals(shops(ok(svc, "sort=plan&pageSize=200")), shops(ok(svc, "view=all&sort=plan")));

        JsonNode pro = ok(svc, "plan=pro&pageSize=200");
        assertEquals(Support.scalar(pg.handle(), "SELECT count(*) FROM \"Settings\" WHERE plan = 'pro'"), pro.path("total").asLong());
        pro.path("stores").forEach(n -> assertEquals("pro", n.path("plan").asText()));
        JsonNode ready = ok(svc, "mlStatus=ready&plan=free&pageSize=200");
        assertEquals(Support.scalar(pg.handle(), "SELECT count(*) FROM \"Settings\" WHERE plan = 'free' AND \"mlStatus\" = 'ready'"),
                ready.path("total").asLong());
        BigDecimal min = byRevenue.path("stores").get(9).path("revenue").decimalValue();
        JsonNode rich = ok(svc, "minRevenue=" + min.toPlainString() + "&pageSize=200");
        assertTrue(rich.path("total").asLong() >= 10);
        rich.path("stores").forEach(n -> assertTrue(n.path("revenue").decimalValue().compareTo(min) >= 0));
        assertEquals(rich.path("total").asLong(), ok(svc, "view=all&minRevenue=" + min.toPlainString()).path("total").asLong());

        JsonNode search = ok(svc, "q=store-0001");
        assertEquals(List.of(Stores.domain(10), Stores.domain(11), Stores.domain(12), Stores.domain(13), Stores.domain(14),
                Stores.domain(15), Stores.domain(16), Stores.domain(17), Stores.domain(18), Stores.domain(19)), shops(search));
        assertEquals(10, ok(svc, "q=STORE-0001").path("total").asLong(), "search ignores case");
        assertEquals(0, ok(svc, "q=" + enc("%")).path("total").asLong(), "% matches itself, not everything");
        assertEquals(0, ok(svc, "q=" + enc("_")).path("total").asLong(), "_ matches itself, not any character");
        assertEquals(0, ok(svc, "q=" + enc("store\\")).path("total").asLong());
    }

    @Test
    void sqlInjectionAttemptsHaveNoEffect() {
        long settings = Support.scalar(pg.handle(), "SELECT count(*) FROM \"Settings\"");
        String[] rejected = {"sort=" + enc("shop; DROP TABLE \"Settings\"; --"), "sort=" + enc("(SELECT 1)"),
                "sort=" + enc("revenue DESC, (SELECT pg_sleep(5))"), "dir=" + enc("asc; DELETE FROM \"Settings\""),
                "minRevenue=" + enc("0 OR 1=1"), "page=" + enc("1; DROP TABLE \"Bundle\""), "pageSize=" + enc("50 UNION SELECT 1")};
        for (String q : rejected) assertEquals(400, dash(svc, q).statusCode(), q);
        String[] bound = {"plan=" + enc("free' OR '1'='1"), "mlStatus=" + enc("ready'; DROP TABLE \"Settings\"; --"),
                "q=" + enc("' OR 1=1 --"), "q=" + enc("%' OR shop LIKE '%"), "q=" + enc("'); DELETE FROM \"CartAnalytics\"; --")};
        for (String q : bound) {
            assertEquals(0, ok(svc, q).path("total").asLong(), q + " is a value, matched literally");
            assertEquals(0, ok(svc, "view=all&" + q).path("total").asLong(), q);
        }
        assertEquals(settings, Support.scalar(pg.handle(), "SELECT count(*) FROM \"Settings\""), "tables intact");
        assertEquals(analyticsRows, Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\""));
        assertEquals(STORES * 3, Support.scalar(pg.handle(), "SELECT count(*) FROM \"Bundle\""));
    }

    /** A seeded random barrage of dashboard parameters: never a 5xx. */
    @Test
    void randomParametersNeverGive5xx() {
        Random rnd = new Random(42);
        String[] names = {"page", "pageSize", "sort", "dir", "plan", "mlStatus", "minRevenue", "q", "view", "format"};
        String[] values = {"1", "0", "-5", "999999", "abc", "revenue", "desc", "asc", "all", "csv", "'", "%", "_", "\\", "1e9",
                "NaN", "-0.0", "999999999999999999999", "ctr", "shop", "pro", "', 1); --", "\u00e9\u00e8", "  "};
        for (int i = 0; i < 150; i++) {
            StringBuilder q = new StringBuilder();
            for (int k = rnd.nextInt(5); k > 0; k--)
                q.append(names[rnd.nextInt(names.length)]).append('=').append(enc(values[rnd.nextInt(values.length)])).append('&');
            HttpResponse<String> r = dash(svc, q.toString());
            assertTrue(r.statusCode() == 200 || r.statusCode() == 400, "seed 42 #" + i + " " + q + " -> " + r.statusCode() + " " + r.body());
        }
    }

    @Test
    void csvExportIsQuoted() {
        HttpResponse<String> r = dash(svc, "format=csv&sort=shop");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        String[] lines = r.body().split("\r\n");
        assertEquals("shop,plan,mlStatus,revenue,orders,views,conversionRate,ctr", lines[0]);
        assertEquals(51, lines.length, "header and a page of 50");
        assertTrue(lines[1].startsWith(Stores.domain(1) + ","));
        assertEquals(STORES + 1, dash(svc, "view=all&format=csv").body().split("\r\n").length);
    }

    @Test
    void allAtOnceHoldsSeveralConnectionsOfOneInstanceWhilePaginatedHoldsOne() throws Exception {
        long[] held = new long[2];
        String[] views = {"view=paginated", "view=all"}; // paginated first: what it leaves behind is one connection
        for (int v = 0; v < 2; v++) {
            try (ReferenceService one = ReferenceService.start(Support.config(pg.handle(), "--db-latency-ms=2", "--connection-limit=5"));
                 TelemetrySampler sampler = TelemetrySampler.of(pg.handle()).withPeriodMs(10).start()) {
                // connections of services closed before end asynchronously: wait until Postgres sees only the open services'
                Support.await(() -> sampler.sample().appBackends() == openConnections(svc) + openConnections(one), 10_000,
                        "connections of services closed before have ended");
                int baseline = sampler.sample().appBackends(); // the other services' idle connections
                ok(one, views[v]);
                Support.awaitNextSample(sampler);
                JsonNode m = Support.metrics(one);
                assertEquals(1, m.path("warmInstances").asLong(), "one request, one instance: " + m);
                held[v] = sampler.samples().stream().mapToInt(Sample::appBackends).max().orElse(0) - baseline;
                assertEquals(v == 0 ? 1 : 5, m.path("openConnections").asLong(),
                        views[v] + ": an instance opens a further connection only while the others are busy: " + m);
            }
        }
        assertEquals(1, held[0], "paginated: Postgres sees one connection of the instance");
        assertTrue(held[1] > 1, "all-at-once: Postgres sees several connections of the one instance at once: " + held[1]);
    }

    @Test
    void aCachedLoadDoesNotReachPostgresAndRedisDownIsServedFromPostgres() throws Exception {
        try (ReferenceService cached = ReferenceService.start(Support.config(pg.handle(), "--dashboard-cache=on",
                "--redis-url=" + redis.url()))) {
            String first = ok(cached, "sort=revenue&page=2").toString();
            assertEquals(1, Support.metrics(cached).path("dashboardCache").path("misses").asLong());
            long borrowed = Support.metrics(cached).path("connectionsBorrowed").asLong();
            List<String> activityBefore = activity();
            String second = ok(cached, "sort=revenue&page=2").toString();
            assertEquals(first, second, "the same answer");
            JsonNode m = Support.metrics(cached);
            assertEquals(1, m.path("dashboardCache").path("hits").asLong(), m.toString());
            assertEquals(borrowed, m.path("connectionsBorrowed").asLong(), "no connection was borrowed for the cached load");
            assertEquals(activityBefore, activity(), "no app backend of Postgres ran anything (pg_stat_activity unchanged)");
            // every parameter is part of the key
            assertNotEquals(second, ok(cached, "sort=revenue&page=3").toString());
            assertEquals(200, dash(cached, "sort=revenue&page=2&format=csv").statusCode());
            ok(cached, "sort=revenue&page=2&plan=pro");
            assertEquals(4, Support.metrics(cached).path("dashboardCache").path("misses").asLong());

            redis.stop();
            try {
                for (int i = 0; i < 3; i++) assertEquals(first, ok(cached, "sort=revenue&page=2").toString(), "Redis down: served from Postgres");
                JsonNode down = Support.metrics(cached).path("dashboardCache");
                assertTrue(down.path("errors").asLong() >= 1, down.toString());
                assertEquals(3, down.path("errors").asLong() + down.path("bypassed").asLong(), "each load counted: " + down);
            } finally {
                redis.start();
            }
        }
    }

    /** The connections a service's instances hold open, as it reports them. */
    static long openConnections(ReferenceService s) { return Support.metrics(s).path("openConnections").asLong(); }

    /** Each app backend's pid and last state change: any statement it ran would change it. */
    static List<String> activity() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.adminConnection(); PreparedStatement p = c.prepareStatement("""
                SELECT pid, state_change FROM pg_stat_activity WHERE usename = ? ORDER BY pid""")) {
            p.setString(1, pg.handle().appUser());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(rs.getInt(1) + "@" + rs.getTimestamp(2));
            }
        }
        return out;
    }
}
