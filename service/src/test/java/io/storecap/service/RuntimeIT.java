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
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instance lifetimes as the runtime really has them (issue 13), on real Postgres: zombie
 * connections of reclaimed instances, deploys (on demand and periodic), and dispatch order.
 * What Postgres holds is read from pg_stat_activity.
 */
class RuntimeIT {
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(40, 10, 5);
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

    static void recommend(ReferenceService svc, int store) {
        assertEquals(200, Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(store)).statusCode());
    }

    static long metric(ReferenceService svc, String name) { return Support.metrics(svc).path(name).asLong(); }

    @Test
    void aZombieHoldsItsBackendSlotForTheHoldAfterReclaimThenFreesIt() throws Exception {
        long ttl = 300, hold = 1500;
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--idle-ttl-ms=" + ttl, "--zombie-hold-ms=" + hold))) {
            long sent = System.currentTimeMillis();
            recommend(svc, 1);
            assertEquals(1, backends(), "the instance's connection");
            Support.await(() -> metric(svc, "instancesReclaimed") == 1, 5_000, "the idle instance reclaimed after its TTL");
            JsonNode m = Support.metrics(svc);
            assertEquals(0, m.path("openConnections").asLong(), "no live instance holds it: " + m);
            assertEquals(1, m.path("zombieConnections").asLong(), "a zombie does: " + m);
            assertEquals(1, backends(), "Postgres still gives the reclaimed instance's backend its slot");
            Support.await(() -> backends() == 0, 5_000, "the zombie closed after the hold");
            long gone = System.currentTimeMillis();
            assertTrue(gone - sent >= ttl + hold, "open for at least TTL + hold: " + (gone - sent) + " ms");
            assertEquals(0, metric(svc, "zombieConnections"));
        }
    }

    @Test
    void aDeployRetiresEveryInstanceAndTheOldConnectionsLingerForTheHold() throws Exception {
        long hold = 1500;
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--zombie-hold-ms=" + hold, "--function-ms=300"))) {
            recommend(svc, 1);
            assertEquals(401, Support.send(svc, "POST", "/internal/deploy", null).statusCode(), "a deploy needs the admin token");
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(
                    () -> Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(2)).statusCode());
            Support.await(() -> metric(svc, "busyInstances") == 1, 5_000, "a request in flight on the old instance");
            long deployed = System.currentTimeMillis();
            var resp = Support.send(svc, "POST", "/internal/deploy", null, "X-Admin-Token", Support.ADMIN);
            assertEquals(200, resp.statusCode(), resp.body());
            assertEquals(0, metric(svc, "warmInstances"), "every instance retired at once");
            assertEquals(1, metric(svc, "deploys"));
            assertEquals(200, inFlight.get(), "the in-flight request finished on its old instance");
            Support.await(() -> metric(svc, "zombieConnections") == 1, 5_000, "the old instance's connection held as a zombie");
            long coldBefore = metric(svc, "coldStarts");
            recommend(svc, 3);
            assertEquals(coldBefore + 1, metric(svc, "coldStarts"), "the next request cold starts a new instance");
            assertEquals(2, backends(), "the new instance's connection and the old one's, lingering");
            Support.await(() -> backends() == 1, 5_000, "the old connection gone after the hold");
            assertTrue(System.currentTimeMillis() - deployed >= hold, "it lingered at least the hold");
            JsonNode m = Support.metrics(svc);
            assertEquals(1, m.path("openConnections").asLong(), m.toString());
            assertEquals(0, m.path("zombieConnections").asLong(), m.toString());
        }
    }

    @Test
    void periodicDeploysRetireTheInstancesOnATimer() throws Exception {
        // 3600 an hour = one a second
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--deploys-per-hour=3600"))) {
            recommend(svc, 1);
            Support.await(() -> metric(svc, "deploys") >= 1 && metric(svc, "warmInstances") == 0, 5_000,
                    "a periodic deploy retired the warm instance");
            Support.await(() -> backends() == 0, 5_000, "and closed its connection (no zombie hold)");
        }
    }

    /**
     * Warms four instances at once (their cold starts overlap), then sends sequential requests until
     * {@code done} holds for the ms they have run; returns those ms.
     */
    static long sequentialLoadUntil(ReferenceService svc, LongPredicate done, long timeoutMs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> burst = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                int store = 1 + i;
                burst.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(store)).statusCode();
                }, pool));
            }
            go.countDown();
            for (CompletableFuture<Integer> f : burst) assertEquals(200, f.get());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, metric(svc, "coldStarts"), "the burst warmed four instances");
        long start = System.currentTimeMillis();
        int i = 0;
        while (!done.test(System.currentTimeMillis() - start)) {
            assertTrue(System.currentTimeMillis() - start < timeoutMs, "timed out driving sequential load");
            recommend(svc, 1 + i++ % 10); // each waits for the previous answer: one request at a time
        }
        return System.currentTimeMillis() - start;
    }

    @Test
    void lruKeepsMoreInstancesWarmThanMruUnderTheSameSequentialLoad() throws Exception {
        String[] common = {"--cold-start-ms=500", "--idle-ttl-ms=1000"};
        long mruMs;
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), with(common, "--dispatch=mru")))) {
            mruMs = sequentialLoadUntil(svc, ms -> metric(svc, "instancesReclaimed") == 3, 15_000);
            assertEquals(1, metric(svc, "warmInstances"), "mru: one instance takes every request, the others idle out");
        }
        long lruDuration = Math.max(mruMs, 2_500);
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), with(common, "--dispatch=lru")))) {
            sequentialLoadUntil(svc, ms -> ms >= lruDuration, 30_000);
            JsonNode m = Support.metrics(svc);
            assertEquals(4, m.path("warmInstances").asLong(), "lru: the same load keeps all four warm: " + m);
            assertEquals(0, m.path("instancesReclaimed").asLong(), m.toString());
            assertEquals(4, m.path("openConnections").asLong(), "with a connection each: " + m);
        }
    }

    static String[] with(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
