package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queued consumer as Inngest runs it on Vercel ({@code --webhook-consumer=functions}): each step
 * a function invocation, so its connections live in function instances (cold started, counted in
 * /metrics, reclaimed with their connections after the idle TTL) and the consumer opens no pool of
 * its own; and in queued mode too, one event under two webhook ids is applied once.
 */
class WebhookFunctionsIT {
    static LocalPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = Support.seededPostgres(40, 5, 5);
    }

    @AfterAll
    static void stop() {
        if (pg != null) pg.close();
    }

    static ReferenceService functions(String... extra) throws Exception {
        String[] args = new String[extra.length + 4];
        args[0] = "--webhook-mode=queued";
        args[1] = "--webhook-consumer=functions";
        args[2] = "--webhook-workers=2";
        args[3] = "--webhook-poll-ms=50";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return ReferenceService.start(Support.config(pg.handle(), args));
    }

    static ReferenceService outage() throws Exception {
        return ReferenceService.start(Support.config(pg.handle(), "--webhook-mode=queued", "--webhook-workers=0"));
    }

    static void order(ReferenceService svc, String id, String shop) {
        String body = "{\"id\":1,\"total_price\":\"12.50\",\"line_items\":[{\"product_id\":\"p1\"}]}";
        var r = Support.send(svc, "POST", "/webhooks/orders/create", body, "Content-Type", "application/json",
                "X-Shopify-Webhook-Id", id, "X-Shopify-Event-Id", "e-" + id, "X-Shopify-Shop-Domain", shop,
                "X-Shopify-Hmac-Sha256", Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), Support.SECRET));
        assertEquals(200, r.statusCode(), () -> "webhook " + id + " answered " + r.statusCode() + ": " + r.body());
    }

    static long orders(String shop) {
        return Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\" WHERE \"eventType\" = 'order' AND shop = ?", shop);
    }

    static long pending(String prefix) {
        return Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE \"processedAt\" IS NULL AND id LIKE ?", prefix + "%");
    }

    /** The app role's backends with this application_name (seen from a superuser connection). */
    static long backends(String applicationName) {
        try (Connection c = pg.adminConnection(); PreparedStatement p = c.prepareStatement("""
                SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND backend_type = 'client backend' AND application_name = ?""")) {
            p.setString(1, pg.handle().appUser());
            p.setString(2, applicationName);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theFunctionsConsumerHoldsItsConnectionsInFunctionInstances() throws Exception {
        String shop = Stores.domain(3);
        String prefix = "fn-" + UUID.randomUUID() + "-";
        long before = orders(shop);
        int n = 30;
        try (ReferenceService down = outage()) { // acknowledged while no consumer runs
            for (int i = 0; i < n; i++) order(down, prefix + i, shop);
        }
        assertEquals(n, pending(prefix));
        AtomicLong maxWarm = new AtomicLong(), maxOpen = new AtomicLong(), maxServiceBackends = new AtomicLong();
        AtomicLong workerBackends = new AtomicLong(), workerPool = new AtomicLong();
        // nothing but the consumer uses the service: no request is sent to it while it drains
        try (ReferenceService up = functions("--idle-ttl-ms=3000", "--cold-start-ms=100")) {
            Support.await(() -> {
                JsonNode m = Support.metrics(up);
                maxWarm.accumulateAndGet(m.path("warmInstances").asLong(), Math::max);
                maxOpen.accumulateAndGet(m.path("openConnections").asLong(), Math::max);
                workerPool.accumulateAndGet(m.path("workerConnections").asLong(), Math::max);
                maxServiceBackends.accumulateAndGet(backends("storecap-fn"), Math::max);
                workerBackends.accumulateAndGet(backends("storecap-webhook-worker"), Math::max);
                return pending(prefix) == 0;
            }, 30_000, "the functions consumer drains the queue");
            Support.await(() -> Support.metrics(up).path("webhooks").path("queueDepth").asLong() == 0, 5_000, "depth drains");
            JsonNode m = Support.metrics(up);
            assertTrue(m.path("requests").isEmpty(), "no HTTP request was served: " + m.path("requests"));
            assertTrue(m.path("coldStarts").asLong() >= 1, "the consumer's steps cold-started function instances: " + m);
            assertTrue(maxWarm.get() >= 1, "the instance count rose while the queue drained: " + m);
            assertTrue(maxOpen.get() >= 1 && maxServiceBackends.get() >= 1,
                    "the steps' connections were the instances' (" + maxOpen + " open, " + maxServiceBackends + " backends)");
            assertEquals(0, workerPool.get(), "the consumer has no pool of its own");
            assertEquals(0, workerBackends.get(), "no consumer-pool connection was ever open on Postgres");
            assertTrue(m.path("webhooks").path("processed").asLong() >= n, m.toString());
            // the idle TTL reclaims the consumer's instances, and their connections with them
            Support.await(() -> {
                JsonNode x = Support.metrics(up);
                return x.path("warmInstances").asLong() == 0 && x.path("openConnections").asLong() == 0;
            }, 20_000, "the consumer's instances reclaimed after the idle TTL");
            assertTrue(Support.metrics(up).path("instancesReclaimed").asLong() >= 1);
            Support.await(() -> backends("storecap-fn") == 0, 5_000, "their connections closed on Postgres");
        }
        assertEquals(before + n, orders(shop), "each order applied once");
    }

    @Test
    void queuedModeAppliesAnEventUnderTwoWebhookIdsOnce() throws Exception {
        String shop = Stores.domain(4);
        String event = "ev-" + UUID.randomUUID();
        String body = "{\"id\":9,\"total_price\":\"15.00\",\"line_items\":[{\"product_id\":\"" + event + "\"}]}";
        String hmac = Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), Support.SECRET);
        long before = orders(shop);
        try (ReferenceService svc = functions()) {
            for (String id : new String[]{event + "-a", event + "-b", event + "-a"}) {
                var r = Support.send(svc, "POST", "/webhooks/orders/create", body, "Content-Type", "application/json",
                        "X-Shopify-Webhook-Id", id, "X-Shopify-Event-Id", event, "X-Shopify-Shop-Domain", shop, "X-Shopify-Hmac-Sha256", hmac);
                assertEquals(200, r.statusCode(), "every delivery is acknowledged: " + r.body());
            }
            JsonNode w = Support.metrics(svc).path("webhooks");
            assertEquals(1, w.path("stored").asLong(), w.toString());
            assertEquals(2, w.path("duplicate").asLong(), "a second webhook id and a retry: " + w);
            Support.await(() -> pending(event) == 0, 20_000, "the event processed");
        }
        assertEquals(1, Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE \"eventId\" = ?", event));
        assertEquals(before + 1, orders(shop), "the event's effect applied once");
    }
}
