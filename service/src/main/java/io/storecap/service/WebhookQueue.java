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
 * transaction, so an effect is applied exactly once. A failing entry is retried up to
 * {@code maxAttempts} times, then set aside with its last error (dead-lettered) instead of blocking
 * the queue.
 * <p>
 * Where the consumer's connections live ({@code --webhook-consumer}):
 * <ul>
 *   <li>{@code workers} (default): long-lived worker threads with the consumer's own small pool (one
 *       connection per worker, kept), as a queue worker on a server would run;</li>
 *   <li>{@code functions}: as Inngest runs it on Vercel. Inngest calls the app's serve endpoint once
 *       per step, so each step (claim, apply, mark processed) is a function invocation through the
 *       runtime's instances ({@link Invoker}): its connections are the instance's pool, follow the
 *       idle TTL, count with the app's instances and cold start with them. Up to {@code workers}
 *       invocations run at once (Inngest's concurrency limit); the dispatchers hold no connection,
 *       and invoke only while entries are known to be pending (Inngest pushes events, it does not
 *       poll the app), so an idle queue lets its instances be reclaimed.</li>
 * </ul>
 */
final class WebhookQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookQueue.class);

    /** Applies a webhook's effect inside the claiming transaction. */
    @FunctionalInterface
    interface Effect {
        void apply(Connection c, String topic, String shop, JsonNode payload) throws SQLException;
    }

    /** One step of the consumer, on the database it is given. */
    @FunctionalInterface
    interface Step<T> {
        T run(Db db) throws SQLException;
    }

    /** Runs a step as a function invocation of the app (the runtime's instances, or its server pool). */
    @FunctionalInterface
    interface Invoker {
        <T> T invoke(Step<T> step) throws Exception;
    }

    private final ServiceConfig.WebhookSettings settings;
    private final Metrics metrics;
    private final Effect effect;
    /** workers: the consumer's own pool; null for functions */
    private final LazyPool pool;
    private final Invoker steps;
    private final boolean functions;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLong depth = new AtomicLong();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    /** {@code invoker}: how the app runs a step as a function invocation (used with {@code --webhook-consumer=functions}). */
    WebhookQueue(ServiceConfig cfg, Properties appProps, Metrics metrics, TimeScale scale, ExecutorService fanOut, Effect effect,
                 Invoker invoker) throws SQLException {
        this.settings = cfg.webhooks();
        this.metrics = metrics;
        this.effect = effect;
        this.functions = settings.functions();
        if (this.functions) {
            this.pool = null;
            this.steps = invoker;
        } else {
            Properties props = new Properties();
            props.putAll(appProps);
            props.setProperty("ApplicationName", "storecap-webhook-worker");
            this.pool = new LazyPool(cfg.effectiveJdbcUrl(), props, Math.max(1, settings.workers()), cfg.poolTimeoutMs(),
                    cfg.dbLatencyMs(), scale, metrics);
            Db own = new Db(pool, fanOut);
            this.steps = new Invoker() {
                @Override
                public <T> T invoke(Step<T> step) throws SQLException { return step.run(own); }
            };
        }
        depth.set(step(this::pending));
        if (depth.get() > 0) log.info("resuming {} queued webhooks left by a previous run", depth.get());
        if (pool != null && settings.workers() == 0) pool.closeIdle(); // a consumer outage holds no connection
        metrics.queueGauges(depth::get, pool == null ? () -> 0 : pool::openConnections);
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = new Thread(this::work, (functions ? "webhook-dispatch-" : "webhook-worker-") + (i + 1));
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    /** Runs a step where the consumer runs them; an invocation's own failure (no instance) becomes an SQLException. */
    private <T> T step(Step<T> step) throws SQLException {
        try {
            return steps.invoke(step);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted", "57014", e);
        } catch (Exception e) {
            throw new SQLException(e.getMessage(), "XX000", e);
        }
    }

    /** Entries waiting to be processed (not dead-lettered). */
    private long pending(Db db) throws SQLException {
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT count(*) FROM "WebhookEvent" WHERE "processedAt" IS NULL AND attempts < ?""")) {
                p.setInt(1, settings.maxAttempts());
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Persists one event as a pending entry; false when its webhook id (a retry) or event id is already stored. */
    boolean enqueue(Db requestDb, String id, String eventId, String shop, String topic, String json) throws SQLException {
        boolean stored = requestDb.run(c -> {
            // no conflict target: a stored webhook id or a stored event id makes it a duplicate
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "WebhookEvent"(id, "eventId", shop, topic, payload) VALUES (?, ?, ?, ?, ?::jsonb)
                    ON CONFLICT DO NOTHING""")) {
                p.setString(1, id);
                p.setString(2, eventId);
                p.setString(3, shop);
                p.setString(4, topic);
                p.setString(5, json);
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
                // functions: an invocation only for known work; workers poll for entries others left
                did = (!functions || depth() > 0) && step(this::processOne);
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

    /** Claims and processes the oldest pending entry; false when there is none (functions: the depth re-counted). */
    private boolean processOne(Db db) throws SQLException {
        long seen = depth.get();
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
            recordFailure(db, claimed[0], e);
            return true;
        }
        if (delayMs == null) {
            // another process may have taken what this one counted: forget it, unless an enqueue came meanwhile
            if (functions && pending(db) == 0) depth.compareAndSet(seen, 0);
            return false;
        }
        depth.decrementAndGet();
        metrics.webhooksProcessed.increment();
        metrics.webhookDelay.record(Math.max(0, delayMs));
        return true;
    }

    /** The effect failed and was rolled back: count the attempt; set the entry aside after the last. */
    private void recordFailure(Db db, Entry e, Exception cause) {
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
        if (pool != null) pool.close();
    }
}
