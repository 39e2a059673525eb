package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPgBouncer;
import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serverless switches on real Postgres and PgBouncer: Fluid concurrency, keep-alive, indexes, prepared statements. */
class ModesIT {
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(40, 40, 10);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    /** One request to warm an instance, then n at once; returns the cold starts the n caused. */
    static long coldStartsForBurst(ReferenceService svc, int n) throws Exception {
        assertEquals(200, Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(1)).statusCode());
        long before = Support.metrics(svc).path("coldStarts").asLong();
        CountDownLatch go = new CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String shop = Stores.domain(1 + i);
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return Support.get(svc, "/proxy/recommendations?shop=" + shop).statusCode();
            }, pool));
        }
        go.countDown();
        try {
            for (CompletableFuture<Integer> f : all) assertEquals(200, f.get());
        } finally {
            pool.shutdownNow();
        }
        return Support.metrics(svc).path("coldStarts").asLong() - before;
    }

    @Test
    void fluidServesConcurrentRequestsWithFewerInstancesThanClassic() throws Exception {
        int n = 8;
        long classic, fluid;
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--function-ms=300", "--instance-concurrency=1"))) {
            classic = coldStartsForBurst(svc, n);
        }
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--function-ms=300", "--instance-concurrency=" + n))) {
            fluid = coldStartsForBurst(svc, n);
            assertEquals(1, Support.metrics(svc).path("warmInstances").asLong(), "Fluid: the warm instance served them all");
        }
        assertTrue(classic >= n / 2, "classic: overlapping requests need their own instances: " + classic);
        assertEquals(0, fluid, "Fluid: " + n + " concurrent requests on the one warm instance");
    }

    @Test
    void keepAliveOffEmptiesThePoolAfterEachResponse() throws Exception {
        for (boolean keep : new boolean[]{true, false}) {
            try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--keep-alive=" + (keep ? "on" : "off")))) {
                for (int i = 0; i < 3; i++) assertEquals(200, Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(2)).statusCode());
                JsonNode m = Support.metrics(svc);
                if (keep) {
                    assertEquals(1, m.path("openConnections").asLong(), "on: the instance keeps its connection: " + m);
                    assertEquals(1, m.path("connectionsOpened").asLong(), "and reuses it: " + m);
                } else {
                    assertEquals(0, m.path("openConnections").asLong(), "off: emptied after each response: " + m);
                    assertEquals(3, m.path("connectionsOpened").asLong(), "so each request connects anew: " + m);
                }
            }
        }
    }

    static long planIndexes() {
        return Support.scalar(pg.handle(), "SELECT count(*) FROM pg_indexes WHERE indexname = ANY(?)",
                (Object) Schema.INDEX_NAMES.toArray(String[]::new));
    }

    @Test
    void indexesSwitchDropsAndCreatesThePlansIndexes() throws Exception {
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--indexes=off"))) {
            assertEquals(0, planIndexes(), "off: the plan's indexes are gone, even if the harness created them");
            assertEquals(200, Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(3)).statusCode());
        }
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--indexes=on"))) {
            assertEquals(Schema.INDEX_NAMES.size(), planIndexes(), "on: all of them");
        }
    }

    /**
     * PgBouncer 1.18 in transaction mode cannot keep server-side prepared statements: two clients
     * sharing its one server connection collide on pgjdbc's statement names. Off (prepareThreshold=0,
     * Prisma's pgbouncer=true) works.
     */
    @Test
    void preparedStatementsOffWorksThroughPgBouncerInTransactionMode() throws Exception {
        try (LocalPgBouncer bouncer = LocalPgBouncer.in(pg.handle()).withPoolSize(1).withPreparedStatements(false).start()) {
            String raw = "jdbc:postgresql://127.0.0.1:" + bouncer.handle().port() + "/" + bouncer.handle().database();
            int on = 0, off = 0;
            try (ReferenceService svc = ReferenceService.start(Support.config(raw, pg.handle(), "--prepared-statements=on",
                    "--connection-limit=3", "--db-latency-ms=1"))) {
                for (int i = 0; i < 4; i++)
                    if (Support.get(svc, "/superadmin/dashboard?view=all", "X-Admin-Token", Support.ADMIN).statusCode() != 200) on++;
            }
            try (ReferenceService svc = ReferenceService.start(Support.config(raw, pg.handle(), "--prepared-statements=off",
                    "--connection-limit=3", "--db-latency-ms=1"))) {
                for (int i = 0; i < 4; i++)
                    if (Support.get(svc, "/superadmin/dashboard?view=all", "X-Admin-Token", Support.ADMIN).statusCode() != 200) off++;
            }
            assertTrue(on > 0, "on: named prepared statements break behind a transaction pooler");
            assertEquals(0, off, "off: every load succeeds");
        }
    }
}
