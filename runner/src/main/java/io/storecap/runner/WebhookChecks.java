package io.storecap.runner;

import io.storecap.environment.DatabaseEnvironment;
import io.storecap.model.Reconciliation;
import io.storecap.model.RunConfig;
import io.storecap.simulations.WebhookLedger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * What a run checks about webhooks in its own database (as the superuser): the reconciliation of
 * what Shopify sent with what was stored and applied, the queue's drain, and queued webhooks'
 * delays. Split from {@link RunHarness}, which starts and stops the parts.
 */
public final class WebhookChecks {
    private final DatabaseEnvironment env;
    private final RunConfig config;

    WebhookChecks(DatabaseEnvironment env, RunConfig config) {
        this.env = env;
        this.config = config;
    }

    /**
     * Events sent / acknowledged by the app / stored / duplicated / lost, from the ledger, the
     * WebhookEvent table and the effects in CartAnalytics, by Shopify's event id (X-Shopify-Event-Id,
     * stored as "eventId"): an event may have been delivered under two webhook ids, and each order
     * event's line item carries its event id, so its effect row can be found. The run ends after
     * the last scheduled retry of every delivery (the simulation's hard stop allows for it), so what
     * the ledger says was acknowledged is final; deliveries a stop cut short are never acknowledged
     * and counted in webhooks.json ({@code inFlightAtEnd}).
     * <ul>
     *   <li>lost = acknowledged events not stored, plus stored but never processed (a queued webhook
     *       dead-lettered or still waiting after the drain), plus processed order events whose
     *       effect row is missing;</li>
     *   <li>duplicated = rows beyond one per logical event (the payload id: an event stored again
     *       under its second webhook id counts here), plus order effects applied more than once.</li>
     * </ul>
     */
    public Reconciliation reconcile(WebhookLedger ledger) {
        Set<String> acked = ledger.acknowledged();
        try (Connection c = env.adminConnection()) {
            long stored;
            long duplicated;
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT count(*), count(*) - count(DISTINCT payload->>'id') FROM "WebhookEvent" WHERE id LIKE ?""")) {
                p.setString(1, ledger.prefix() + "-%");
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    stored = rs.getLong(1);
                    duplicated = rs.getLong(2);
                }
            }
            long lost;
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT count(*) FROM unnest(?::text[]) a(id)
                    WHERE NOT EXISTS (SELECT 1 FROM "WebhookEvent" w WHERE w."eventId" = a.id)""")) {
                p.setArray(1, c.createArrayOf("text", acked.toArray()));
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    lost = rs.getLong(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT count(*) FILTER (WHERE "processedAt" IS NULL) FROM "WebhookEvent" WHERE id LIKE ?""")) {
                p.setString(1, ledger.prefix() + "-%");
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    lost += rs.getLong(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT count(*) FILTER (WHERE n = 0), coalesce(sum(n - 1) FILTER (WHERE n > 1), 0)
                    FROM (SELECT w.id, count(a.id) AS n FROM "WebhookEvent" w
                          LEFT JOIN "CartAnalytics" a ON a."eventType" = 'order' AND a."productId" = w."eventId"
                          WHERE w.id LIKE ? AND w.topic IN ('orders/create', 'orders/paid') AND w."processedAt" IS NOT NULL
                          GROUP BY w.id) e""")) {
                p.setString(1, ledger.prefix() + "-%");
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    lost += rs.getLong(1);
                    duplicated += rs.getLong(2);
                }
            }
            return new Reconciliation(ledger.sent(), acked.size(), stored, duplicated, lost);
        } catch (SQLException e) {
            throw new IllegalStateException("webhook reconciliation failed: " + e.getMessage(), e);
        }
    }


    /**
     * Waits until every stored webhook of this run has been processed, at most {@code timeoutMs}:
     * queued webhooks acknowledged at the end of the stair are still being worked off.
     *
     * @return the number still unprocessed when it stopped waiting
     */
    public long awaitWebhooksProcessed(String prefix, long timeoutMs) {
        return awaitNone("SELECT count(*) FROM \"WebhookEvent\" WHERE id LIKE ? AND \"processedAt\" IS NULL", prefix + "-%", timeoutMs);
    }

    /**
     * Waits until the webhook queue holds nothing unprocessed (any run's; dead-lettered entries,
     * set aside after the service's webhook-max-attempts, excepted), at most {@code timeoutMs}: a
     * level must not inherit the backlog of the one before it.
     *
     * @return the number still unprocessed when it stopped waiting
     */
    public long awaitQueueDrained(long timeoutMs) {
        int maxAttempts = Integer.parseInt(config.serviceOptions().getOrDefault("webhook-max-attempts", "5"));
        return awaitNone("SELECT count(*) FROM \"WebhookEvent\" WHERE \"processedAt\" IS NULL AND attempts < ?::int",
                String.valueOf(maxAttempts), timeoutMs);
    }

    /** Polls a count query with one parameter until it is 0 or the time is up; returns the last count. */
    private long awaitNone(String sql, String param, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long left = -1;
        try (Connection c = env.adminConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, param);
            while (true) {
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    left = rs.getLong(1);
                }
                if (left == 0 || System.currentTimeMillis() > deadline) return left;
                Thread.sleep(200);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the webhook queue: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return left;
        }
    }

    /**
     * Queued webhook delay (acknowledged to processed) of the webhooks received in [from, to):
     * {p99, max} in ms, or null when none were received then.
     */
    public double[] webhookDelay(String prefix, long fromEpochMs, long toEpochMs) {
        try (Connection c = env.adminConnection();
             PreparedStatement p = c.prepareStatement("""
                     SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY d), max(d), count(*)
                     FROM (SELECT extract(epoch FROM (coalesce("processedAt", now()) - "receivedAt")) * 1000 AS d
                           FROM "WebhookEvent" WHERE id LIKE ? AND "receivedAt" >= to_timestamp(? / 1000.0)
                           AND "receivedAt" < to_timestamp(? / 1000.0)) x""")) {
            p.setString(1, prefix + "-%");
            p.setLong(2, fromEpochMs);
            p.setLong(3, toEpochMs);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(3) == 0 ? null : new double[]{rs.getDouble(1), rs.getDouble(2)};
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot measure webhook delays: " + e.getMessage(), e);
        }
    }
}
