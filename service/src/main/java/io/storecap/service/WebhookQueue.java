package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queued webhook mode, the plan's Inngest option: the request only persists the event (one short
 * insert, deduplicated on the webhook id) and answers 200; this consumer applies the effects.
 * The queue is the "WebhookEvent" table itself: an entry is pending while "processedAt" is NULL,
 * so it survives a restart and is resumed by the next start. A bounded pool of workers claims
 * entries one at a time with {@code FOR UPDATE SKIP LOCKED} (several workers, or several service
 * processes, never take the same entry), applies the effect and sets "processedAt" in the same
 * transaction, so an effect is applied exactly once. The consumer has its own small connection
 * pool (one connection per worker), which Postgres counts as app connections, as it would count an
 * Inngest function's. A failing entry is retried up to {@code maxAttempts} times, then set aside
 * with its last error (dead-lettered) instead of blocking the queue.
 */
final class WebhookQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookQueue.class);

    /** Applies a webhook's effect inside the claiming transaction. */
    @FunctionalInterface
    interface Effect {
        void apply(Connection c, String topic, String shop, JsonNode payload) throws SQLException;
    }

    private final ServiceConfig.WebhookSettings settings;
    private final Metrics metrics;
    private final Effect effect;
    private final LazyPool pool;
    private final Db db;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong depth = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    WebhookQueue(ServiceConfig cfg, Properties appProps, Metrics metrics, TimeScale scale, ExecutorService fanOut, Effect effect) throws SQLException {
        this.settings = cfg.webhooks();
        this.metrics = metrics;
        this.effect = effect;
        Properties props = new Properties();
        props.putAll(appProps);
        props.setProperty("ApplicationName", "storecap-webhook-worker");
        this.pool = new LazyPool(cfg.effectiveJdbcUrl(), props, Math.max(1, settings.workers()), cfg.poolTimeoutMs(),
                cfg.dbLatencyMs(), scale, metrics);
        this.db = new Db(pool, fanOut);
        depth.set(db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT count(*) FROM "WebhookEvent" WHERE "processedAt" IS NULL AND attempts < ?""")) {
                p.setInt(1, settings.maxAttempts());
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
        if (depth.get() > 0) log.info("resuming {} queued webhooks left by a previous run", depth.get());
        if (settings.workers() == 0) pool.closeIdle(); // a consumer outage holds no connection
        metrics.queueGauges(depth::get, pool::openConnections);
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::work, "webhook-worker-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Persists one event as a pending entry; false when its id is already stored (a Shopify retry). */
    boolean enqueue(Db requestDb, String id, String shop, String topic, String json) throws SQLException {
        boolean stored = requestDb.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "WebhookEvent"(id, shop, topic, payload) VALUES (?, ?, ?, ?::jsonb)
                    ON CONFLICT (id) DO NOTHING""")) {
                p.setString(1, id);
                p.setString(2, shop);
                p.setString(3, topic);
                p.setString(4, json);
                return p.executeUpdate() == 1;
            }
        });
        if (stored) {
            depth.incrementAndGet();
            wake.release();
        }
        return stored;
    }

    long depth() { return Math.max(0, depth.get()); }

    private void work() {
        while (running) {
            boolean did;
            try {
                did = processOne();
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                metrics.webhookWorkerErrors.increment();
                log.warn("webhook worker could not claim an entry (retrying): {}", e.getMessage());
                did = false;
            }
            if (!did) {
                try {
                    wake.tryAcquire(settings.pollMs(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** A claimed entry. */
    private record Entry(String id, String shop, String topic, String payload) {}

    /** Claims and processes the oldest pending entry; false when there is none. */
    private boolean processOne() throws SQLException {
        Entry[] claimed = new Entry[1];
        Double delayMs;
        try {
            delayMs = db.tx(c -> {
                try (PreparedStatement p = c.prepareStatement("""
                        SELECT id, shop, topic, payload::text FROM "WebhookEvent"
                        WHERE "processedAt" IS NULL AND attempts < ?
                        ORDER BY "receivedAt" LIMIT 1 FOR UPDATE SKIP LOCKED""")) {
                    p.setInt(1, settings.maxAttempts());
                    try (ResultSet rs = p.executeQuery()) {
                        if (!rs.next()) return null;
                        claimed[0] = new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                    }
                }
                Entry e = claimed[0];
                JsonNode payload;
                try {
                    payload = ReferenceService.JSON.readTree(e.payload());
                } catch (java.io.IOException ex) {
                    throw new SQLException("stored payload is not JSON", "22P02", ex);
                }
                effect.apply(c, e.topic(), e.shop(), payload);
                try (PreparedStatement p = c.prepareStatement("""
                        UPDATE "WebhookEvent" SET "processedAt" = clock_timestamp(), attempts = attempts + 1
                        WHERE id = ? RETURNING extract(epoch FROM ("processedAt" - "receivedAt")) * 1000""")) {
                    p.setString(1, e.id());
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        return rs.getDouble(1);
                    }
                }
            });
        } catch (SQLException | RuntimeException e) {
            if (claimed[0] == null || !running) throw e;
            recordFailure(claimed[0], e);
            return true;
        }
        if (delayMs == null) return false;
        depth.decrementAndGet();
        metrics.webhooksProcessed.increment();
        metrics.webhookDelay.record(Math.max(0, delayMs));
        return true;
    }

    /** The effect failed and was rolled back: count the attempt; set the entry aside after the last. */
    private void recordFailure(Entry e, Exception cause) {
        metrics.webhookWorkerErrors.increment();
        String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        try {
            int attempts = db.run(c -> {
                try (PreparedStatement p = c.prepareStatement("""
                        UPDATE "WebhookEvent" SET attempts = attempts + 1, "lastError" = left(?, 500)
                        WHERE id = ? AND "processedAt" IS NULL RETURNING attempts""")) {
                    p.setString(1, message);
                    p.setString(2, e.id());
                    try (ResultSet rs = p.executeQuery()) {
                        return rs.next() ? rs.getInt(1) : 0;
                    }
                }
            });
            if (attempts >= settings.maxAttempts()) {
                depth.decrementAndGet();
                metrics.webhooksDeadLettered.increment();
                log.warn("webhook {} ({}) set aside after {} failed attempts: {}", e.id(), e.topic(), attempts, message);
            }
        } catch (SQLException ex) {
            log.warn("could not record the failure of webhook {}: {}", e.id(), ex.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Thread t : workers) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        pool.close();
    }
}
