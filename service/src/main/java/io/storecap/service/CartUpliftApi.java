package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.service.Http.HttpError;
import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Cart Uplift endpoints, each a function of (request, database). The SQL is what the Remix
 * app's Prisma calls issue, so the connection hold times are those of the real app.
 */
final class CartUpliftApi {
    static final int PAGE_SIZE = 50;

    private final ServiceConfig cfg;
    private final Metrics metrics;

    CartUpliftApi(ServiceConfig cfg, Metrics metrics) {
        this.cfg = cfg;
        this.metrics = metrics;
    }

    // ---- Shopify webhooks ----------------------------------------------------------------

    Response webhook(Request r, Db db, String topic) throws SQLException {
        metrics.webhooksReceived.increment();
        if (!Webhooks.verify(r.body(), r.header("X-Shopify-Hmac-Sha256"), cfg.appSecret())) {
            metrics.webhooksRejected.increment();
            throw new HttpError(401, "HMAC signature does not match the body");
        }
        if (!Webhooks.TOPICS.contains(topic)) {
            metrics.webhooksRejected.increment();
            throw new HttpError(404, "unknown webhook topic '" + topic + "'");
        }
        String id = r.header("X-Shopify-Webhook-Id");
        if (id == null || id.isBlank() || id.length() > 200) {
            metrics.webhooksRejected.increment();
            throw new HttpError(400, "missing or oversized X-Shopify-Webhook-Id header");
        }
        String shop = r.header("X-Shopify-Shop-Domain");
        if (!Webhooks.validShop(shop)) {
            metrics.webhooksRejected.increment();
            throw new HttpError(400, "X-Shopify-Shop-Domain must be a *.myshopify.com domain");
        }
        JsonNode payload;
        try {
            payload = ReferenceService.JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            metrics.webhooksRejected.increment();
            throw new HttpError(400, "webhook body is not valid JSON");
        }
        if (payload == null || !payload.isObject()) {
            metrics.webhooksRejected.increment();
            throw new HttpError(400, "webhook body must be a JSON object");
        }
        String json = new String(r.body(), StandardCharsets.UTF_8);
        boolean stored = db.tx(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "WebhookEvent"(id, shop, topic, payload, "processedAt")
                    VALUES (?, ?, ?, ?::jsonb, now()) ON CONFLICT (id) DO NOTHING""")) {
                p.setString(1, id);
                p.setString(2, shop);
                p.setString(3, topic);
                p.setString(4, json);
                if (p.executeUpdate() == 0) return false; // a retry of a webhook already stored
            }
            applyEffect(c, topic, shop, payload);
            return true;
        });
        if (stored) metrics.webhooksStored.increment();
        else metrics.webhooksDuplicate.increment();
        return Response.json(200, Map.of("ok", true, "duplicate", !stored));
    }

    private void applyEffect(java.sql.Connection c, String topic, String shop, JsonNode payload) throws SQLException {
        switch (topic) {
            case "orders/create", "orders/paid" -> {
                try (PreparedStatement p = c.prepareStatement("""
                        INSERT INTO "CartAnalytics"(shop, "eventType", "productId", "cartValue") VALUES (?, 'order', ?, ?)""")) {
                    p.setString(1, shop);
                    p.setString(2, payload.path("line_items").path(0).path("product_id").asText(null));
                    p.setBigDecimal(3, decimal(payload.path("total_price").asText("0")));
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
            case "app/uninstalled", "shop/redact" -> deleteShop(c, shop);
            case "shop/update" -> {
                try (PreparedStatement p = c.prepareStatement("""
                        UPDATE "Settings" SET "updatedAt" = now() WHERE shop = ?""")) {
                    p.setString(1, shop);
                    p.executeUpdate();
                }
            }
            default -> {
                // GDPR data requests: the stored event is the record of having received them
            }
        }
    }

    private static BigDecimal decimal(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            throw new HttpError(400, "total_price must be a decimal number");
        }
    }

    private static void deleteShop(java.sql.Connection c, String shop) throws SQLException {
        for (String table : List.of("\"Session\"", "\"Settings\"", "\"Bundle\"")) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE shop = ?")) {
                p.setString(1, shop);
                p.executeUpdate();
            }
        }
    }

    // ---- Storefront (app proxy) -----------------------------------------------------------

    Response recommendations(Request r, Db db) throws SQLException {
        String shop = shop(r);
        return db.run(c -> {
            Map<String, Object> out = new LinkedHashMap<>();
            int count;
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT enabled, "recommendationCount", "freeShippingThreshold" FROM "Settings" WHERE shop = ?""")) {
                p.setString(1, shop);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new HttpError(404, "shop not installed");
                    if (!rs.getBoolean(1)) return Response.json(200, Map.of("enabled", false, "products", List.of()));
                    count = rs.getInt(2);
                    out.put("freeShippingThreshold", rs.getBigDecimal(3));
                }
            }
            List<Map<String, Object>> bundles = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT id, name, "productIds", discount FROM "Bundle" WHERE shop = ? AND active ORDER BY id""")) {
                p.setString(1, shop);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Array a = rs.getArray(3);
                        bundles.add(Map.of("id", rs.getLong(1), "name", rs.getString(2),
                                "productIds", List.of((String[]) a.getArray()), "discount", rs.getBigDecimal(4)));
                    }
                }
            }
            List<String> products = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT "productId" FROM "CartAnalytics"
                    WHERE shop = ? AND "eventType" = 'add_to_cart' AND "createdAt" > now() - interval '30 days'
                    GROUP BY "productId" ORDER BY count(*) DESC, "productId" LIMIT ?""")) {
                p.setString(1, shop);
                p.setInt(2, count);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) products.add(rs.getString(1));
                }
            }
            out.put("enabled", true);
            out.put("products", products);
            out.put("bundles", bundles);
            return Response.json(200, out);
        });
    }

    Response cartEvent(Request r, Db db) throws SQLException {
        JsonNode body = jsonBody(r);
        String shop = body.path("shop").asText(null);
        if (!Webhooks.validShop(shop)) throw new HttpError(400, "field 'shop' must be a *.myshopify.com domain");
        String type = body.path("type").asText("");
        if (!List.of("view", "add_to_cart", "remove_from_cart", "checkout", "recommendation_click").contains(type))
            throw new HttpError(400, "field 'type' must be one of view, add_to_cart, remove_from_cart, checkout, recommendation_click");
        BigDecimal value = decimal(body.path("cartValue").asText("0"));
        db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "CartAnalytics"(shop, "eventType", "productId", "cartValue") VALUES (?, ?, ?, ?)""")) {
                p.setString(1, shop);
                p.setString(2, type);
                p.setString(3, body.path("productId").asText(null));
                p.setBigDecimal(4, value);
                return p.executeUpdate();
            }
        });
        return Response.json(201, Map.of("ok", true));
    }

    // ---- Merchant admin --------------------------------------------------------------------

    Response session(Request r, Db db) throws SQLException {
        String shop = shop(r);
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT id, scope, "isOnline", expires FROM "Session" WHERE id = ?""")) {
                p.setString(1, "offline_" + shop);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new HttpError(401, "no offline session for " + shop + ": reinstall the app");
                    return Response.json(200, Map.of("id", rs.getString(1), "scope", rs.getString(2), "isOnline", rs.getBoolean(3)));
                }
            }
        });
    }

    Response install(Request r, Db db) throws SQLException {
        String shop = shop(r);
        db.tx(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "Session"(id, shop, "isOnline", scope, "accessToken") VALUES (?, ?, ?, 'read_products', md5(?))
                    ON CONFLICT (id) DO UPDATE SET "accessToken" = excluded."accessToken\"""")) {
                for (boolean online : new boolean[]{false, true}) {
                    p.setString(1, (online ? "online_" : "offline_") + shop);
                    p.setString(2, shop);
                    p.setBoolean(3, online);
                    p.setString(4, shop + online);
                    p.addBatch();
                }
                p.executeBatch();
            }
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "Settings"(shop) VALUES (?) ON CONFLICT DO NOTHING""")) {
                p.setString(1, shop);
                p.executeUpdate();
            }
            return null;
        });
        return Response.json(200, Map.of("ok", true, "shop", shop));
    }

    Response uninstall(Request r, Db db) throws SQLException {
        String shop = shop(r);
        db.tx(c -> {
            deleteShop(c, shop);
            return null;
        });
        return Response.json(200, Map.of("ok", true, "shop", shop));
    }

    // ---- Super-admin dashboard ---------------------------------------------------------------

    private static final String STORE_ROW = """
            SELECT s.shop, s.plan, s."mlStatus",
                   coalesce(sum(a."cartValue") FILTER (WHERE a."eventType" = 'order'), 0) AS revenue,
                   count(a.id) FILTER (WHERE a."eventType" = 'order') AS orders,
                   count(a.id) FILTER (WHERE a."eventType" = 'view') AS views
            FROM "Settings" s LEFT JOIN "CartAnalytics" a
              ON a.shop = s.shop AND a."createdAt" > now() - interval '30 days'
            """;

    Response dashboard(Request r, Db db) throws SQLException {
        requireAdmin(r);
        if (cfg.dashboard().equals("all") || "all".equals(r.param("view"))) return dashboardAll(db);
        int page = r.intParam("page", 1, 1, 1_000_000);
        return db.run(c -> {
            long total;
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM \"Settings\"");
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(STORE_ROW + """
                    WHERE s.shop IN (SELECT shop FROM "Settings" ORDER BY shop LIMIT ? OFFSET ?)
                    GROUP BY s.shop, s.plan, s."mlStatus" ORDER BY s.shop""")) {
                p.setInt(1, PAGE_SIZE);
                p.setLong(2, (long) (page - 1) * PAGE_SIZE);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) rows.add(storeRow(rs));
                }
            }
            return Response.json(200, Map.of("page", page, "pageSize", PAGE_SIZE, "total", total, "stores", rows));
        });
    }

    /** The seed's before: list the stores, then one query per store, all at once (Promise.all). */
    private Response dashboardAll(Db db) throws SQLException {
        List<String> shops = db.run(c -> {
            List<String> s = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT shop FROM \"Settings\" ORDER BY shop");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) s.add(rs.getString(1));
            }
            return s;
        });
        List<Db.Work<Map<String, Object>>> works = new ArrayList<>();
        for (String shop : shops) {
            works.add(c -> {
                try (PreparedStatement p = c.prepareStatement(STORE_ROW + """
                        WHERE s.shop = ? GROUP BY s.shop, s.plan, s."mlStatus\"""")) {
                    p.setString(1, shop);
                    try (ResultSet rs = p.executeQuery()) {
                        return rs.next() ? storeRow(rs) : Map.of();
                    }
                }
            });
        }
        List<Map<String, Object>> rows = db.parallel(works);
        return Response.json(200, Map.of("total", rows.size(), "stores", rows));
    }

    private static Map<String, Object> storeRow(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shop", rs.getString(1));
        m.put("plan", rs.getString(2));
        m.put("mlStatus", rs.getString(3));
        m.put("revenue", rs.getBigDecimal(4));
        long orders = rs.getLong(5);
        long views = rs.getLong(6);
        m.put("orders", orders);
        m.put("conversionRate", views == 0 ? 0.0 : (double) orders / views);
        return m;
    }

    // ---- Health ------------------------------------------------------------------------------

    Response dbHealth(Request r, Db db) throws SQLException {
        return db.run(c -> {
            Map<String, Object> byState = new LinkedHashMap<>();
            long total = 0;
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity
                    WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 1""");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    byState.put(rs.getString(1), rs.getLong(2));
                    total += rs.getLong(2);
                }
            }
            long max;
            try (PreparedStatement p = c.prepareStatement("SELECT current_setting('max_connections')::int");
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                max = rs.getLong(1);
            }
            return Response.json(200, Map.of("connections", total, "byState", byState, "maxConnections", max));
        });
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static String shop(Request r) {
        String shop = r.requireParam("shop");
        if (!Webhooks.validShop(shop)) throw new HttpError(400, "parameter 'shop' must be a *.myshopify.com domain");
        return shop;
    }

    private void requireAdmin(Request r) {
        String token = r.header("X-Admin-Token");
        if (token == null || token.isBlank()) throw new HttpError(401, "X-Admin-Token header required");
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), cfg.adminToken().getBytes(StandardCharsets.UTF_8)))
            throw new HttpError(403, "admin token not accepted");
    }

    private static JsonNode jsonBody(Request r) {
        String ct = r.header("Content-Type");
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))
            throw new HttpError(415, "Content-Type must be application/json");
        try {
            JsonNode n = ReferenceService.JSON.readTree(r.body());
            if (n == null || !n.isObject()) throw new HttpError(400, "body must be a JSON object");
            return n;
        } catch (java.io.IOException e) {
            throw new HttpError(400, "body is not valid JSON");
        }
    }
}
