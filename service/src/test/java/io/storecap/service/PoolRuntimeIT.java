package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connection pools and connects as the runtime really has them (issue 13), on real Postgres:
 * Prisma 7's pg Pool (its size, its idle timer frozen with the instance, attachDatabasePool), the
 * cost of opening a connection through Neon's proxy, and a scaled-to-zero compute waking.
 */
class PoolRuntimeIT {
    static final int STORES = 30;
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(60, STORES, 5);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    @BeforeEach
    void nothingLeftFromBefore() {
        Support.await(() -> backends() == 0, 10_000, "no service connection left from an earlier test");
    }

    static long backends() { return Support.appBackends(pg, "%"); }

    static long metric(ReferenceService svc, String name) { return Support.metrics(svc).path(name).asLong(); }

    static int recommend(ReferenceService svc, int store) {
        return Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(store)).statusCode();
    }

    /** Backends left after one all-at-once dashboard load (N+1 queries in parallel) on a fresh service. */
    static long fanOutBackends(String... settings) throws Exception {
        Support.await(() -> backends() == 0, 10_000, "no service connection left");
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), settings))) {
            var page = Support.get(svc, "/superadmin/dashboard?view=all", "X-Admin-Token", Support.ADMIN);
            assertEquals(200, page.statusCode(), page.body());
            assertEquals(STORES, Support.json(page).path("stores").size());
            assertEquals(1, metric(svc, "warmInstances"), "one instance served it");
            return backends();
        }
    }

    @Test
    void prisma7FansOutOnTenConnectionsWhateverTheConnectionLimitSays() throws Exception {
        assertEquals(2, fanOutBackends("--connection-limit=2", "--db-latency-ms=5"), "Prisma 6: connection_limit bounds the fan-out");
        assertEquals(10, fanOutBackends("--pool=prisma7", "--connection-limit=2", "--db-latency-ms=5"),
                "Prisma 7's pg Pool ignores connection_limit=2: max 10");
        assertEquals(10, fanOutBackends("--pool=prisma7", "--connection-limit=20", "--db-latency-ms=5"),
                "and connection_limit=20 does not raise it");
    }

    static void setScale(ReferenceService svc, double k) {
        var resp = Support.send(svc, "POST", "/internal/time-scale?k=" + k, null, "X-Admin-Token", Support.ADMIN);
        assertEquals(200, resp.statusCode(), resp.body());
    }

    /** k = 0.05: pg's 10 s idle timeout is 500 ms, the 60 s TTL of the test config 3 s. */
    static final double K = 0.05;
    static final long IDLE_MS = Math.round(PgPool.IDLE_TIMEOUT_MS * K);

    @Test
    void attachDatabasePoolClosesIdleConnectionsAfterTheIdleTimeout() throws Exception {
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--pool=prisma7", "--attach-database-pool=on"))) {
            setScale(svc, K);
            long sent = System.currentTimeMillis();
            assertEquals(200, recommend(svc, 1));
            Support.await(() -> backends() == 0, 5_000, "the idle connection closed by the pool's idle timer");
            assertTrue(System.currentTimeMillis() - sent >= IDLE_MS, "not before the idle timeout");
            JsonNode m = Support.metrics(svc);
            assertEquals(0, m.path("instancesReclaimed").asLong(), "the instance was not reclaimed: its pool closed it: " + m);
            assertEquals(1, m.path("warmInstances").asLong(), m.toString());
            assertEquals(0, m.path("openConnections").asLong(), m.toString());
        }
    }

    @Test
    void withoutAttachTheFrozenInstanceKeepsItsIdleConnectionUntilReclaim() throws Exception {
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--pool=prisma7"))) {
            setScale(svc, K);
            assertEquals(200, recommend(svc, 1));
            long answered = System.currentTimeMillis();
            AtomicLong lastSeenOpen = new AtomicLong();
            Support.await(() -> {
                if (backends() == 1) lastSeenOpen.set(System.currentTimeMillis());
                return metric(svc, "instancesReclaimed") == 1;
            }, 10_000, "the instance reclaimed after its TTL");
            assertTrue(lastSeenOpen.get() - answered > 2 * IDLE_MS,
                    "the connection was still open well past the idle timeout: the timer does not run while frozen ("
                            + (lastSeenOpen.get() - answered) + " ms after the answer)");
            Support.await(() -> backends() == 0, 5_000, "closed with the instance");
        }
    }

    @Test
    void connectRttsAddTheirRoundTripsToAColdRequest() throws Exception {
        int rtts = 8;
        double latency = 40;
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--connect-rtts=" + rtts, "--db-latency-ms=" + latency))) {
            long t0 = System.nanoTime();
            assertEquals(200, recommend(svc, 1));
            double ms = (System.nanoTime() - t0) / 1e6;
            // the connect's round trips, then the loader's three statements, each a round trip
            assertTrue(ms >= (rtts + 3) * latency, "a cold request pays " + rtts + " x " + latency + " ms to connect: took " + ms + " ms");
        }
    }

    /** Sends {@code n} requests at once; returns the longest latency in ms. */
    static double burst(ReferenceService svc, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Double>> all = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                int store = 1 + i;
                all.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    long t0 = System.nanoTime();
                    assertEquals(200, recommend(svc, store));
                    return (System.nanoTime() - t0) / 1e6;
                }, pool));
            }
            go.countDown();
            double max = 0;
            for (CompletableFuture<Double> f : all) max = Math.max(max, f.get());
            return max;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aComputeWakesWhenTheServiceHoldsNoConnectionAndOnlyThen() throws Exception {
        long wake = 400;
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--compute-wake-ms=" + wake,
                "--idle-ttl-ms=600", "--function-ms=150"))) {
            double first = burst(svc, 3);
            assertEquals(1, metric(svc, "computeWakes"), "three cold connects from nothing: one compute, one wake");
            assertTrue(first >= wake, "they waited for it: " + first + " ms");
            assertTrue(metric(svc, "coldStarts") >= 2, "on several instances");
            Support.await(() -> metric(svc, "openConnections") == 0 && backends() == 0, 5_000, "every instance reclaimed");
            long t0 = System.nanoTime();
            assertEquals(200, recommend(svc, 4));
            assertTrue((System.nanoTime() - t0) / 1e6 >= wake, "from nothing again: the compute wakes again");
            assertEquals(2, metric(svc, "computeWakes"));
            long cold = metric(svc, "coldStarts");
            burst(svc, 2); // the warm instance takes one, a new instance connects while its connection is held
            assertTrue(metric(svc, "coldStarts") > cold, "a new instance connected");
            assertEquals(2, metric(svc, "computeWakes"), "while a connection is held the compute is awake: no wake");
        }
    }
}
