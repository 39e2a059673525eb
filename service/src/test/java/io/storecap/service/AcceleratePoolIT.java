package io.storecap.service;

import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prisma Accelerate emulation on real Postgres: one pool of a fixed size shared by every function
 * instance, an HTTP round trip per query, and Accelerate's documented limits (query timeout, for the
 * wait and the statement; interactive transaction timeout; response size) failing with its codes.
 * Durations are only bounded from below (a sleep takes at least its time), never from above.
 */
class AcceleratePoolIT {
    static final int STORES = 20;
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(60, STORES, 5);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static long backends(String applicationName) {
        try (Connection c = pg.adminConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name = ?")) {
            p.setString(1, applicationName);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A pool with the given limits, its statements 0 ms from Postgres, at time scale 1. */
    static AcceleratePool pool(Metrics metrics, int connections, double hopMs, long queryTimeoutMs, long txTimeoutMs, long responseBytes) {
        AccelerateSettings s = new AccelerateSettings(true, AccelerateSettings.Plan.STARTER, connections, hopMs, queryTimeoutMs,
                txTimeoutMs, responseBytes);
        Properties props = new Properties();
        props.setProperty("user", pg.handle().appUser());
        props.setProperty("password", pg.handle().appPassword());
        return new AcceleratePool(s, pg.handle().appJdbcUrl(), props, 0, new TimeScale(), metrics);
    }

    static void select1(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            rs.next();
        }
    }

    @Test
    void theServiceHoldsNoMoreConnectionsThanAcceleratesPoolWhateverTheInstances() throws Exception {
        int requests = 12;
        try (ReferenceService svc = ReferenceService.start(Support.config(pg.handle(), "--accelerate=on", "--accelerate-connections=3",
                "--db-latency-ms=60", "--function-ms=20"))) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong peak = new AtomicLong(), fnPeak = new AtomicLong();
            Thread watch = new Thread(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(backends(AcceleratePool.APPLICATION_NAME), Math::max);
                    fnPeak.accumulateAndGet(backends(InstancePool.FUNCTION_APPLICATION_NAME), Math::max);
                }
            });
            watch.start();
            ExecutorService threads = Executors.newFixedThreadPool(requests);
            try {
                List<CompletableFuture<Integer>> all = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    int store = 1 + i % STORES;
                    all.add(CompletableFuture.supplyAsync(() -> Support.get(svc, "/proxy/recommendations?shop=" + Stores.domain(store)).statusCode(), threads));
                }
                for (CompletableFuture<Integer> f : all) assertEquals(200, f.get());
            } finally {
                done.set(true);
                watch.join();
                threads.shutdownNow();
            }
            var m = Support.metrics(svc);
            assertTrue(m.path("warmInstances").asLong() >= 2, "several instances served the burst: " + m);
            assertEquals(3, peak.get(), "Accelerate's pool opened its 3 connections and no more");
            assertEquals(0, fnPeak.get(), "the instances hold no connection of their own");
            assertTrue(m.path("accelerateQueries").asLong() >= requests, m.toString());
            assertEquals(3, m.path("openConnections").asLong(), "the pool keeps its connections: " + m);
        }
        Support.await(() -> backends(AcceleratePool.APPLICATION_NAME) == 0, 5_000, "the pool closed with the service");
    }

    @Test
    void everyQueryPaysOneHttpRoundTripAndOnlyTheLaterOnesWhileHoldingTheConnection() throws Exception {
        Metrics metrics = new Metrics();
        double hop = 150;
        try (AcceleratePool p = pool(metrics, 2, hop, 10_000, 15_000, 1 << 20)) {
            long t0 = System.nanoTime();
            Connection c = p.borrow();
            long held = System.nanoTime();
            select1(c);
            select1(c);
            select1(c);
            long released = System.nanoTime();
            p.giveBack(c, false);
            double total = (System.nanoTime() - t0) / 1e6, hold = (released - held) / 1e6;
            assertEquals(3, metrics.accelerateQueries.sum());
            assertEquals(3, metrics.accelerateHops.sum(), "one round trip per query");
            assertTrue(total >= 3 * hop, "three queries, three round trips of " + hop + " ms: took " + total + " ms");
            assertTrue(hold >= 2 * hop, "the second and third were sent while the connection was held: " + hold + " ms");
            assertEquals(1, backends(AcceleratePool.APPLICATION_NAME), "one connection opened, kept in the pool");
        }
        Support.await(() -> backends(AcceleratePool.APPLICATION_NAME) == 0, 5_000, "closed with the pool");
    }

    @Test
    void aWaitForAPooledConnectionPastTheQueryTimeoutFailsWithP6004() throws Exception {
        long timeout = 300;
        try (AcceleratePool p = pool(new Metrics(), 1, 0, timeout, 15_000, 1 << 20)) {
            Connection held = p.borrow();
            long t0 = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, p::borrow, "the only connection is lent: the next query waits");
            assertTrue((System.nanoTime() - t0) / 1e6 >= timeout, "it waited the query timeout first");
            assertEquals("P6004", e.getSQLState(), e.getMessage());
            assertEquals(Failure.ACCELERATE_TIMEOUT, Failure.classify(e));
            p.giveBack(held, false);
            Connection again = p.borrow();
            select1(again);
            p.giveBack(again, false);
        }
    }

    @Test
    void aStatementPastTheQueryTimeoutFailsWithP6004AndTheConnectionStaysUsable() throws Exception {
        try (AcceleratePool p = pool(new Metrics(), 1, 0, 300, 15_000, 1 << 20)) {
            Connection c = p.borrow();
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT pg_sleep(2)");
                }
            });
            assertEquals("P6004", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("query timeout of 300 ms"), e.getMessage());
            p.giveBack(c, false);
            Connection next = p.borrow();
            select1(next);
            p.giveBack(next, false);
            assertEquals(1, backends(AcceleratePool.APPLICATION_NAME), "the same connection, cancelled statement and all");
        }
    }

    @Test
    void anInteractiveTransactionPastItsTimeoutFailsWithP6004() throws Exception {
        try (AcceleratePool p = pool(new Metrics(), 1, 0, 10_000, 300, 1 << 20)) {
            Connection c = p.borrow();
            c.setAutoCommit(false);
            select1(c);
            Thread.sleep(400);
            SQLException e = assertThrows(SQLException.class, () -> select1(c));
            assertEquals("P6004", e.getSQLState());
            assertTrue(e.getMessage().contains("interactive transaction"), e.getMessage());
            c.rollback();
            c.setAutoCommit(true);
            select1(c); // out of the transaction, no timeout applies
            p.giveBack(c, false);
        }
    }

    @Test
    void aResultPastTheResponseLimitFailsWithP6009() throws Exception {
        try (AcceleratePool p = pool(new Metrics(), 1, 0, 10_000, 15_000, 1000)) {
            Connection c = p.borrow();
            int[] rows = {0};
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT repeat('x', 100) FROM generate_series(1, 5)")) {
                while (rs.next()) rows[0]++;
            }
            assertEquals(5, rows[0], "about 500 bytes: within the limit");
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT repeat('x', 100) FROM generate_series(1, 50)")) {
                    while (rs.next()) rows[0]++;
                }
            });
            assertEquals("P6009", e.getSQLState(), e.getMessage());
            assertEquals(Failure.ACCELERATE_RESPONSE_SIZE, Failure.classify(e));
            assertTrue(rows[0] < 5 + 50, "the rows past the limit were not delivered");
            p.giveBack(c, false);
        }
    }
}
