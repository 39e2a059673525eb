package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.service.Http.HttpError;
import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

/**
 * Shopify's webhooks to the app: the checks a delivery must pass and each topic's effect on the
 * tables. The effect is its own static function because the {@link WebhookQueue} worker applies the
 * same one in queued mode.
 */
final class WebhookApi {
    private final ServiceConfig cfg;
    private final Metrics metrics;
    private final AntiPatterns patterns;
    private final WebhookQueue queue;

    /** {@code queue} null: immediate mode. */
    WebhookApi(ServiceConfig cfg, Metrics metrics, AntiPatterns patterns, WebhookQueue queue) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.patterns = patterns;
        this.queue = queue;
    }

    /**
     * POST /webhooks/{topic}. Checks come in the order Shopify's library makes them: the HMAC
     * first (nothing is stored, or even parsed, without it), then topic, content type, headers
     * and body. Immediate mode writes the event and its effect in one transaction; queued mode
     * only persists the event and a worker applies the effect. Either way a delivery whose
     * X-Shopify-Webhook-Id or X-Shopify-Event-Id is already stored is a duplicate: acknowledged
     * with 200, applied no second time.
     */
    Response webhook(Request r, Db db, String topic) throws SQLException {
        metrics.webhooksReceived.increment();
        if (!Webhooks.verify(r.body(), r.header("X-Shopify-Hmac-Sha256"), cfg.appSecret()))
            throw rejected(401, "HMAC signature does not match the body");
        if (!Webhooks.TOPICS.contains(topic)) throw rejected(404, "unknown webhook topic");
        String ct = r.header("Content-Type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).startsWith("application/json"))
            throw rejected(415, "webhook Content-Type must be application/json");
        String id = r.header("X-Shopify-Webhook-Id");
        if (id == null || id.isBlank() || id.length() > 200)
            throw rejected(400, "missing or oversized X-Shopify-Webhook-Id header");
        // the event the webhook is about: the same event may come under another webhook id
        String eventId = r.header("X-Shopify-Event-Id");
        if (eventId != null && (eventId.isBlank() || eventId.length() > 200))
            throw rejected(400, "blank or oversized X-Shopify-Event-Id header");
        String shop = r.header("X-Shopify-Shop-Domain");
        if (!Webhooks.validShop(shop)) throw rejected(400, "X-Shopify-Shop-Domain must be a *.myshopify.com domain");
        JsonNode payload;
        try {
            payload = ReferenceService.JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw rejected(400, "webhook body is not valid JSON");
        }
        if (payload == null || !payload.isObject()) throw rejected(400, "webhook body must be a JSON object");
        if ((topic.equals("orders/create") || topic.equals("orders/paid")) && !isDecimal(payload.path("total_price").asText("0")))
            throw rejected(400, "total_price must be a decimal number");
        String json = new String(r.body(), StandardCharsets.UTF_8);
        boolean stored;
        if (queue != null) {
            stored = queue.enqueue(db, id, eventId, shop, topic, json);
        } else {
            stored = db.tx(c -> {
                if (!storeProcessed(c, id, eventId, shop, topic, json)) return false; // a retry, or an event already stored
                applyEffect(c, topic, shop, payload);
                return true;
            });
            if (stored) metrics.webhooksProcessed.increment();
        }
        if (stored) metrics.webhooksStored.increment();
        else metrics.webhooksDuplicate.increment();
        return Response.json(200, Map.of("ok", true, "duplicate", !stored));
    }

    private HttpError rejected(int status, String message) {
        metrics.webhooksRejected.increment();
        return new HttpError(status, message);
    }

    private void applyEffect(Connection c, String topic, String shop, JsonNode payload) throws SQLException {
        applyEffect(patterns, c, topic, shop, payload);
    }

    /**
     * Immediate mode's insert of a delivery, already marked processed (also {@link SqlMix}'s); false
     * when its webhook id or event id is stored already. No conflict target: a stored webhook id (a
     * retry) or a stored event id (the same event under another webhook id) both make it a duplicate.
     */
    static boolean storeProcessed(Connection c, String id, String eventId, String shop, String topic, String json) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO "WebhookEvent"(id, "eventId", shop, topic, payload, "processedAt")
                VALUES (?, ?, ?, ?, ?::jsonb, now()) ON CONFLICT DO NOTHING""")) {
            p.setString(1, id);
            p.setString(2, eventId);
            p.setString(3, shop);
            p.setString(4, topic);
            p.setString(5, json);
            return p.executeUpdate() > 0;
        }
    }

    /** A webhook's effect, inside the transaction that marks it processed (immediate or queued). */
    static void applyEffect(AntiPatterns patterns, Connection c, String topic, String shop, JsonNode payload) throws SQLException {
        effectStatements(c, topic, shop, payload);
        // tx-external-call: tag the order through the Admin API before committing
        if (topic.equals("orders/create") || topic.equals("orders/paid")) patterns.externalCallInTransaction();
    }

    /** The effect's statements alone, without an anti-pattern's external call (also {@link SqlMix}'s). */
    static void effectStatements(Connection c, String topic, String shop, JsonNode payload) throws SQLException {
        switch (topic) {
            case "orders/create", "orders/paid" -> {
                try (PreparedStatement p = c.prepareStatement("""
                        INSERT INTO "CartAnalytics"(shop, "eventType", "productId", "cartValue") VALUES (?, 'order', ?, ?)""")) {
                    p.setString(1, shop);
                    p.setString(2, payload.path("line_items").path(0).path("product_id").asText(null));
                    p.setBigDecimal(3, CartUpliftApi.decimal(payload.path("total_price").asText("0")));
                    p.executeUpdate();
                }
            }
            case "products/update" -> {
                try (PreparedStatement p = c.prepareStatement("""
                        UPDATE "Bundle" SET active = active WHERE shop = ? AND ? = ANY("productIds")""")) {
                    p.setString(1, shop);
                    p.setString(2, payload.path("id").asText(""));
                    p.executeUpdate();
                }
            }
            case "app/uninstalled", "shop/redact" -> InstallApi.deleteShop(c, shop);
            case "shop/update" -> {
                try (PreparedStatement p = c.prepareStatement("""
                        UPDATE "Settings" SET "updatedAt" = now() WHERE shop = ?""")) {
                    p.setString(1, shop);
                    p.executeUpdate();
                }
            }
            default -> {
                // GDPR customers/data_request and customers/redact: the stored event is the record
                // of having received them (the app keeps no customer data to send or erase)
            }
        }
    }

    private static boolean isDecimal(String s) { return CartUpliftApi.money(s) != null; }
}
