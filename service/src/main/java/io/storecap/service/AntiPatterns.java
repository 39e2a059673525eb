package io.storecap.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection anti-patterns by which real serverless + Prisma apps exhaust Postgres (issue 9),
 * reproduced on switch ({@code --pattern}) so a study can say which one makes a claim true:
 *
 * <ul>
 * <li><b>client-per-request</b> — the handler builds its own client:
 * <pre>{@code export async function loader() { const prisma = new PrismaClient(); ... }  // no $disconnect()}</pre>
 * Each request gets a new pool (up to connection_limit connections) instead of the module-scope
 * singleton ({@code globalThis.prisma ??= new PrismaClient()}). Nothing closes it, so its
 * connections stay open until the function instance is reclaimed: connections grow with requests
 * per instance, not with instances. Emulated in {@link InstancePool#newRequestClient}.</li>
 * <li><b>default-limit-fanout</b> — the URL has no {@code connection_limit}, so Prisma sizes the
 * pool at {@code num_cpus x 2 + 1} ({@code --vcpus}), and loaders fan out:
 * <pre>{@code const [settings, bundles, top] = await Promise.all([prisma.settings.findUnique(..),
 *     prisma.bundle.findMany(..), prisma.cartAnalytics.groupBy(..)]);}</pre>
 * Recommendations run their three queries at once, and the dashboard loads every store at once
 * (the N+1 Promise.all) whatever view was asked for, slicing the page in memory, so one request
 * holds several connections of its instance.</li>
 * <li><b>tx-external-call</b> — an interactive transaction waits on the Shopify Admin API:
 * <pre>{@code await prisma.$transaction(async (tx) => { await tx.settings.update(..);
 *     await admin.graphql(METAFIELDS_SET, ..); });  // the connection is held for the API call}</pre>
 * Order webhooks and settings writes hold their transaction open for {@code --external-call-ms}
 * (300 ms, a typical Admin API round trip), seen in pg_stat_activity as "idle in transaction".</li>
 * <li><b>idle-in-tx-leak</b> — an error path that forgets to end a transaction:
 * <pre>{@code const client = await pool.connect(); await client.query('BEGIN'); await client.query(..);
 *     if (!ok) return json({error}); // no ROLLBACK, no release(): the connection sits idle in transaction}</pre>
 * Every {@code --leak-every}-th database request (50) takes it: a connection of its pool is left
 * idle in transaction for {@code --leak-ms} (30 s, until a timeout such as
 * idle_in_transaction_session_timeout or the function's maxDuration ends it), then rolled back and
 * returned. The request itself still answers (the error was swallowed), on the pool's other
 * connections.</li>
 * </ul>
 */
final class AntiPatterns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AntiPatterns.class);

    private final ServiceConfig.AntiPattern cfg;
    private final Metrics metrics;
    private final AtomicLong requests = new AtomicLong();
    private final ScheduledExecutorService timer;
    private final Set<Leak> leaks = ConcurrentHashMap.newKeySet();

    private record Leak(ConnectionSource source, Connection connection) {}

    private final TimeScale scale;

    AntiPatterns(ServiceConfig.AntiPattern cfg, Metrics metrics, TimeScale scale) {
        this.cfg = cfg;
        this.scale = scale;
        this.metrics = metrics;
        this.timer = cfg.is(ServiceConfig.Pattern.IDLE_IN_TX_LEAK) ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leak-timer");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    boolean is(ServiceConfig.Pattern p) { return cfg.is(p); }

    /** tx-external-call: the Admin API call made while the transaction (and its connection) is held. */
    void externalCallInTransaction() throws SQLException {
        if (!cfg.is(ServiceConfig.Pattern.TX_EXTERNAL_CALL) || cfg.externalCallMs() == 0) return;
        metrics.externalCallsInTx.increment();
        try {
            Thread.sleep(scale.ms(cfg.externalCallMs()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted during the external call", "57014", e);
        }
    }

    /**
     * idle-in-tx-leak: on every leakEvery-th request, leaves one connection of the request's pool
     * idle in transaction. A pool with no connection to spare (pool timeout, refusal) means the
     * error path found nothing to leak: the request goes on as usual.
     */
    void maybeLeak(ConnectionSource source) {
        if (timer == null || requests.incrementAndGet() % cfg.leakEvery() != 0) return;
        Connection c;
        try {
            c = source.borrow();
        } catch (SQLException e) {
            return;
        }
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SELECT count(*) FROM \"Settings\""); // BEGIN is sent with it: the backend is now in a transaction
        } catch (SQLException e) {
            source.giveBack(c, true);
            return;
        }
        Leak leak = new Leak(source, c);
        leaks.add(leak);
        metrics.leakedConnections.increment();
        metrics.leakedNow.incrementAndGet();
        timer.schedule(() -> end(leak), scale.ms(cfg.leakMs()), TimeUnit.MILLISECONDS);
    }

    private void end(Leak leak) {
        if (!leaks.remove(leak)) return;
        boolean broken = false;
        try {
            leak.connection().rollback();
            leak.connection().setAutoCommit(true);
        } catch (SQLException e) {
            broken = true;
        }
        leak.source().giveBack(leak.connection(), broken);
        metrics.leakedNow.decrementAndGet();
    }

    @Override
    public void close() {
        if (timer == null) return;
        timer.shutdownNow();
        for (Leak l : leaks.toArray(new Leak[0])) end(l);
        if (!leaks.isEmpty()) log.warn("{} leaked connections could not be ended", leaks.size());
    }
}
