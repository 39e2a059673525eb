package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The connections one dashboard load holds at once, as /metrics counts them for the checklist: the
 * seed's all-at-once load fans out over its instance's whole pool, a page holds one.
 */
class DashboardConnectionsIT {
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(60, 40, 5);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static JsonNode loadTwice(String view) throws Exception {
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--connection-limit=4", "--db-latency-ms=5"))) {
            for (int i = 0; i < 2; i++)
                assertEquals(200, Support.get(svc, "/superadmin/dashboard?view=" + view, "X-Admin-Token", Support.ADMIN).statusCode());
            return Support.metrics(svc).path("dashboardConnections");
        }
    }

    @Test
    void allAtOnceHoldsTheWholePoolAPageHoldsOne() throws Exception {
        assertEquals(2, loadTwice("all").path("4").asLong(), "40 stores' queries at once on a pool of 4: 4 held, both loads");
        JsonNode page = loadTwice("paginated");
        assertEquals(2, page.path("1").asLong(), "one query on one connection: " + page);
        assertEquals(1, page.size(), page.toString());
    }
}
