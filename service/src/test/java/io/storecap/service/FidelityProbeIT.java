package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code POST /internal/fidelity}, which ./storecap fidelity drives: N queries at once inside one
 * function instance, through its pool; guarded by the admin token; serverless mode only.
 */
class FidelityProbeIT {
    static LocalPostgres pg;

    @BeforeAll
    static void start() {
        pg = LocalPostgres.create().withMaxConnections(40).start();
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static String fidelity(String query) { return "/internal/fidelity" + query; }

    @Test
    void aFanOutOf20UsesThePrisma7PoolsTenConnectionsInOneInstance() throws Exception {
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--pool=prisma7", "--connection-limit=5",
                "--max-instances=1", "--instance-concurrency=64"))) {
            assertEquals(401, Support.send(svc, "POST", fidelity("?queries=2"), null).statusCode(), "needs the admin token");
            assertEquals(400, Support.send(svc, "POST", fidelity("?queries=0"), null, "X-Admin-Token", Support.ADMIN).statusCode());
            assertEquals(400, Support.send(svc, "POST", fidelity("?sleep-ms=x"), null, "X-Admin-Token", Support.ADMIN).statusCode());
            var r = Support.send(svc, "POST", fidelity("?queries=20&sleep-ms=50"), null, "X-Admin-Token", Support.ADMIN);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode body = Support.json(r);
            assertEquals(20, body.path("queries").asInt(), body.toString());
            assertEquals(10, body.path("poolLimit").asInt(), "pg.Pool's max, whatever connection_limit says: " + body);
            JsonNode m = Support.metrics(svc);
            assertEquals(10, m.path("openConnections").asLong(), "the instance keeps its 10 connections: " + m);
            assertEquals(1, m.path("coldStarts").asLong(), "one instance: " + m);
        }
    }

    @Test
    void serverModeHasNoInstanceToProbe() throws Exception {
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--mode=server"))) {
            assertEquals(409, Support.send(svc, "POST", fidelity("?queries=1"), null, "X-Admin-Token", Support.ADMIN).statusCode());
        }
    }
}
