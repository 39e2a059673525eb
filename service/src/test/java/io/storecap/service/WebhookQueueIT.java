package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Queued webhook mode on a real Postgres: acknowledged at once, all processed by the worker pool
 * with their delay recorded, exactly once; unprocessed entries survive a restart; a poisoned entry
 * is set aside without blocking the others.
 */
class WebhookQueueIT {
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(40, 5, 5);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static ReferenceService queued(int workers, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--webhook-mode=queued", "--webhook-workers=" + workers, "--webhook-poll-ms=50"));
        args.addAll(List.of(extra));
        return ReferenceService.start(Support.config(pg.handle(), args.toArray(String[]::new)));
    }

    /** Sends an order webhook; returns its status, or fails with the service's answer (the 503's cause). */
    static int order(ReferenceService svc, String id, String shop) {
        String body = "{\"id\":1,\"total_price\":\"12.50\",\"line_items\":[{\"product_id\":\"p1\"}]}";
        var r = Support.send(svc, "POST", "/webhooks/orders/create", body, "Content-Type", "application/json",
                "X-Shopify-Webhook-Id", id, "X-Shopify-Shop-Domain", shop,
                "X-Shopify-Hmac-Sha256", Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), Support.SECRET));
        assertEquals(200, r.statusCode(), () -> "webhook " + id + " answered " + r.statusCode() + ": " + r.body());
        return r.statusCode();
    }

    static long orders(String shop) {
        return Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\" WHERE \"eventType\" = 'order' AND shop = ?", shop);
    }

    static long pending(String prefix) {
        return Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE \"processedAt\" IS NULL AND id LIKE ?", prefix + "%");
    }

    @Test
    void queuedWebhooksAreAllProcessedOnceWithTheirDelayRecorded() throws Exception {
        String shop = Stores.domain(1);
        String prefix = "q-" + UUID.randomUUID() + "-";
        long before = orders(shop);
        int n = 60;
        // a fixed number of senders: each concurrent request is a function instance with its own
        // connection, and supplyAsync without an executor starts a thread per task on a 2-CPU machine,
        // so all 60 could overlap and exceed max_connections 40 (CI saw a 503 that way)
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try (ReferenceService svc = queued(2)) {
            List<CompletableFuture<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = prefix + i;
                sent.add(CompletableFuture.supplyAsync(() -> order(svc, id, shop), senders));
            }
            for (int i = 0; i < 10; i++) assertEquals(200, order(svc, prefix + i, shop), "a retry is acknowledged");
            for (CompletableFuture<Integer> f : sent) assertEquals(200, f.get());
            Support.await(() -> Support.metrics(svc).path("webhooks").path("processed").asLong() >= n, 20_000, "all processed");
            JsonNode w = Support.metrics(svc).path("webhooks");
            assertEquals(n, w.path("stored").asLong(), w.toString());
            assertEquals(10, w.path("duplicate").asLong(), w.toString());
            assertEquals(n, w.path("processed").asLong(), "each processed exactly once: " + w);
            assertEquals(0, w.path("queueDepth").asLong(), w.toString());
            assertEquals(n, w.path("delayCount").asLong(), w.toString());
            double p50 = w.path("delayP50Ms").asDouble(), p99 = w.path("delayP99Ms").asDouble(), max = w.path("delayMaxMs").asDouble();
            assertTrue(p50 > 0 && p50 <= p99 && p99 <= max, "delays recorded and ordered: " + w);
            assertTrue(Support.metrics(svc).path("workerConnections").asLong() <= 2, "the consumer's pool is bounded by its workers");
        } finally {
            senders.shutdownNow();
        }
        assertEquals(before + n, orders(shop), "each order's effect applied once");
        assertEquals(0, pending(prefix));
        assertEquals(n, Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE id LIKE ? AND \"processedAt\" >= \"receivedAt\"",
                prefix + "%"), "receivedAt is the acknowledgement, processedAt the effect, after it");
    }

    @Test
    void unprocessedEntriesSurviveARestartAndAreResumed() throws Exception {
        String shop = Stores.domain(2);
        String prefix = "r-" + UUID.randomUUID() + "-";
        long before = orders(shop);
        try (ReferenceService down = queued(0)) { // a consumer outage: acknowledged, not processed
            for (int i = 0; i < 20; i++) assertEquals(200, order(down, prefix + i, shop));
            assertEquals(20, Support.metrics(down).path("webhooks").path("queueDepth").asLong());
        }
        assertEquals(20, pending(prefix), "acknowledged entries are durable");
        assertEquals(before, orders(shop), "and not applied yet");
        try (ReferenceService up = queued(2)) {
            Support.await(() -> pending(prefix) == 0, 20_000, "the restarted service resumes the queue");
            Support.await(() -> Support.metrics(up).path("webhooks").path("queueDepth").asLong() == 0, 5_000, "depth drains");
            assertTrue(Support.metrics(up).path("webhooks").path("processed").asLong() >= 20);
        }
        assertEquals(before + 20, orders(shop), "each resumed order applied once");
    }

    @Test
    void aPoisonedEntryIsSetAsideWithoutBlockingTheQueue() throws Exception {
        String bad = "poison-" + UUID.randomUUID();
        try (Connection c = Support.app(pg.handle()); var p = c.prepareStatement(
                "INSERT INTO \"WebhookEvent\"(id, shop, topic, payload) VALUES (?, ?, 'orders/create', '{\"total_price\":\"abc\"}')")) {
            p.setString(1, bad);
            p.setString(2, Stores.domain(4));
            p.executeUpdate();
        }
        String good = "good-" + UUID.randomUUID();
        try (ReferenceService svc = queued(1, "--webhook-max-attempts=2")) {
            assertEquals(200, order(svc, good, Stores.domain(4)));
            Support.await(() -> Support.metrics(svc).path("webhooks").path("deadLettered").asLong() == 1, 20_000, "the poisoned entry set aside");
            Support.await(() -> pending("good-") == 0, 20_000, "the good entry processed");
        }
        try {
            assertEquals(2, Support.scalar(pg.handle(), "SELECT attempts FROM \"WebhookEvent\" WHERE id = ?", bad));
            assertEquals(1, Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE id = ? AND \"processedAt\" IS NULL AND \"lastError\" IS NOT NULL", bad));
        } finally {
            // the other tests count the queue: leave no pending entry behind
            Support.scalar(pg.handle(), "WITH d AS (DELETE FROM \"WebhookEvent\" WHERE id = ? RETURNING 1) SELECT count(*) FROM d", bad);
        }
    }
}
