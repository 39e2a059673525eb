package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.service.Http.HttpError;
import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;
import io.storecap.service.ServiceConfig.Pattern;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Cart Uplift endpoints, each a function of (request, database). The SQL is what the Remix
 * app's Prisma calls issue, so the connection hold times are those of the real app.
 */
final class CartUpliftApi {
    static final int PAGE_SIZE = DashboardQuery.DEFAULT_PAGE_SIZE;
    /** The longest merchant analytics range served; longer ones are cut to the last this many days. */
    static final int MAX_ANALYTICS_DAYS = 366;

    private final ServiceConfig cfg;
    private final Metrics metrics;
    private final AntiPatterns patterns;
    private final WebhookQueue queue;
    private final DashboardCache cache;

    CartUpliftApi(ServiceConfig cfg, Metrics metrics, AntiPatterns patterns, WebhookQueue queue, DashboardCache cache) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.patterns = patterns;
        this.queue = queue;
        this.cache = cache;
    }

    // ---- Shopify webhooks ----------------------------------------------------------------

    /**
     * POST /webhooks/{topic}. Checks come in the order Shopify's library makes them: the HMAC
     * first (nothing is stored, or even parsed, without it), then topic, content type, headers
     * and body. Immediate mode writes the event and its effect in one transaction; queued mode
     * only persists the event and a worker applies the effect.
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
            stored = queue.enqueue(db, id, shop, topic, json);
        } else {
            stored = db.tx(c -> {
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

    /** A webhook's effect, inside the transaction that marks it processed (immediate or queued). */
    static void applyEffect(AntiPatterns patterns, Connection c, String topic, String shop, JsonNode payload) throws SQLException {
        switch (topic) {
            case "orders/create", "orders/paid" -> {
                try (PreparedStatement p = c.prepareStatement("""
                        INSERT INTO "CartAnalytics"(shop, "eventType", "productId", "cartValue") VALUES (?, 'order', ?, ?)""")) {
                    p.setString(1, shop);
                    p.setString(2, payload.path("line_items").path(0).path("product_id").asText(null));
                    p.setBigDecimal(3, decimal(payload.path("total_price").asText("0")));
                    p.executeUpdate();
                }
                // tx-external-call: tag the order through the Admin API before committing
                patterns.externalCallInTransaction();
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
                // GDPR customers/data_request and customers/redact: the stored event is the record
                // of having received them (the app keeps no customer data to send or erase)
            }
        }
    }

    /** The largest amount of money accepted anywhere: beyond it (1e999999) Postgres' numeric would overflow. */
    static final BigDecimal MAX_MONEY = new BigDecimal("1000000000000");

    /** An amount of money within +-{@link #MAX_MONEY}, at most 6 decimals (rounded up); null when it is not one. */
    static BigDecimal money(String s) {
        if (s == null || s.length() > 60) return null;
        try {
            BigDecimal v = new BigDecimal(s.trim());
            if (v.abs().compareTo(MAX_MONEY) > 0) return null;
            return v.scale() > 6 ? v.setScale(6, java.math.RoundingMode.CEILING) : v;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static boolean isDecimal(String s) { return money(s) != null; }

    private static BigDecimal decimal(String s) {
        BigDecimal v = money(s);
        if (v == null) throw new HttpError(400, "amounts must be decimal numbers within +-" + MAX_MONEY.toPlainString());
        return v;
    }

    private static void deleteShop(Connection c, String shop) throws SQLException {
        for (String table : List.of("\"Session\"", "\"Settings\"", "\"Bundle\"")) {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE shop = ?")) {
                p.setString(1, shop);
                p.executeUpdate();
            }
        }
    }

    // ---- Storefront (app proxy) -----------------------------------------------------------

    private static final String SETTINGS_SQL = """
            SELECT enabled, "recommendationCount", "freeShippingThreshold" FROM "Settings" WHERE shop = ?""";
    private static final String BUNDLES_SQL = """
            SELECT id, name, "productIds", discount, active FROM "Bundle" WHERE shop = ? AND active ORDER BY id""";
    private static final String TOP_PRODUCTS_SQL = """
            SELECT "productId" FROM "CartAnalytics"
            WHERE shop = ? AND "eventType" = 'add_to_cart' AND "createdAt" > now() - interval '30 days'
            GROUP BY "productId" ORDER BY count(*) DESC, "productId" LIMIT ?""";

    /** A store's settings as the storefront needs them; null when the shop is not installed. */
    private record StoreSettings(boolean enabled, int count, BigDecimal freeShippingThreshold) {}

    Response recommendations(Request r, Db db) throws SQLException {
        String shop = shop(r);
        if (patterns.is(Pattern.DEFAULT_LIMIT_FANOUT)) return recommendationsFannedOut(db, shop);
        return db.run(c -> {
            StoreSettings s = settings(c, shop);
            if (s == null) throw new HttpError(404, "shop not installed");
            if (!s.enabled()) return Response.json(200, Map.of("enabled", false, "products", List.of()));
            return recommendationsResponse(s, bundles(c, shop, true), topProducts(c, shop, s.count()));
        });
    }

    /** default-limit-fanout: the loader's three queries at once (Promise.all), on three connections. */
    private Response recommendationsFannedOut(Db db, String shop) throws SQLException {
        List<Db.Work<Object>> works = List.of(
                c -> settings(c, shop),
                c -> bundles(c, shop, true),
                c -> topProducts(c, shop, -1));
        metrics.fanOutQueries.add(works.size());
        List<Object> parts = db.parallel(works);
        StoreSettings s = (StoreSettings) parts.get(0);
        if (s == null) throw new HttpError(404, "shop not installed");
        if (!s.enabled()) return Response.json(200, Map.of("enabled", false, "products", List.of()));
        @SuppressWarnings("unchecked") List<Map<String, Object>> bundles = (List<Map<String, Object>>) parts.get(1);
        @SuppressWarnings("unchecked") List<String> top = (List<String>) parts.get(2);
        return recommendationsResponse(s, bundles, top.subList(0, Math.min(top.size(), s.count())));
    }

    private static Response recommendationsResponse(StoreSettings s, List<Map<String, Object>> bundles, List<String> products) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("freeShippingThreshold", s.freeShippingThreshold());
        out.put("enabled", true);
        out.put("products", products);
        out.put("bundles", bundles);
        return Response.json(200, out);
    }

    private static StoreSettings settings(Connection c, String shop) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(SETTINGS_SQL)) {
            p.setString(1, shop);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new StoreSettings(rs.getBoolean(1), rs.getInt(2), rs.getBigDecimal(3)) : null;
            }
        }
    }

    private static List<Map<String, Object>> bundles(Connection c, String shop, boolean activeOnly) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(activeOnly ? BUNDLES_SQL : BUNDLES_SQL.replace(" AND active", ""))) {
            p.setString(1, shop);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(bundle(rs));
            }
        }
        return out;
    }

    private static Map<String, Object> bundle(ResultSet rs) throws SQLException {
        Array a = rs.getArray(3);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", rs.getLong(1));
        b.put("name", rs.getString(2));
        b.put("productIds", List.of((String[]) a.getArray()));
        b.put("discount", rs.getBigDecimal(4));
        b.put("active", rs.getBoolean(5));
        return b;
    }

    /** The shop's most added products; {@code limit} -1 = as many as its settings ask for (read in the same query). */
    private static List<String> topProducts(Connection c, String shop, int limit) throws SQLException {
        String sql = limit >= 0 ? TOP_PRODUCTS_SQL
                : TOP_PRODUCTS_SQL.replace("LIMIT ?", "LIMIT (SELECT \"recommendationCount\" FROM \"Settings\" WHERE shop = ?)");
        List<String> products = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, shop);
            if (limit >= 0) p.setInt(2, limit);
            else p.setString(2, shop);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) products.add(rs.getString(1));
            }
        }
        return products;
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

    // ---- Merchant admin (embedded app: Authorization: Bearer <session token>) ---------------

    /** The shop a valid session token speaks for; 401 when it is missing, forged, expired or for another app. */
    private String authenticate(Request r) {
        String h = r.header("Authorization");
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7))
            throw new HttpError(401, "Authorization: Bearer <session token> required");
        try {
            return SessionTokens.verify(h.substring(7).trim(), cfg.appSecret(), cfg.apiKey(), Instant.now()).shop();
        } catch (SessionTokens.InvalidToken e) {
            throw new HttpError(401, e.getMessage());
        }
    }

    /**
     * GET /admin/session: the shop's offline session row, as authenticate.admin loads it. With a
     * session token the shop is the token's; without one the older {@code ?shop=} form is kept for
     * load generators that do not sign tokens.
     */
    Response session(Request r, Db db) throws SQLException {
        String shop = r.header("Authorization") != null ? authenticate(r) : shop(r);
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT id, scope, "isOnline", expires FROM "Session" WHERE id = ?""")) {
                p.setString(1, "offline_" + shop);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new HttpError(401, "no offline session for " + shop + ": reinstall the app");
                    return Response.json(200, Map.of("id", rs.getString(1), "scope", rs.getString(2),
                            "isOnline", rs.getBoolean(3), "shop", shop));
                }
            }
        });
    }

    Response getSettings(Request r, Db db) throws SQLException {
        String shop = authenticate(r);
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT enabled, "recommendationCount", "freeShippingThreshold", plan, "mlStatus", "updatedAt"
                    FROM "Settings" WHERE shop = ?""")) {
                p.setString(1, shop);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new HttpError(404, "shop not installed");
                    return Response.json(200, settingsJson(shop, rs));
                }
            }
        });
    }

    private static Map<String, Object> settingsJson(String shop, ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shop", shop);
        m.put("enabled", rs.getBoolean(1));
        m.put("recommendationCount", rs.getInt(2));
        m.put("freeShippingThreshold", rs.getBigDecimal(3));
        m.put("plan", rs.getString(4));
        m.put("mlStatus", rs.getString(5));
        m.put("updatedAt", rs.getTimestamp(6).toInstant().toString());
        return m;
    }

    /** POST /admin/settings: any of enabled, recommendationCount (1..20), freeShippingThreshold (0..100000). */
    Response postSettings(Request r, Db db) throws SQLException {
        String shop = authenticate(r);
        JsonNode body = jsonBody(r);
        Boolean enabled = null;
        if (body.has("enabled")) {
            if (!body.get("enabled").isBoolean()) throw new HttpError(400, "field 'enabled' must be true or false");
            enabled = body.get("enabled").booleanValue();
        }
        Integer count = body.has("recommendationCount") ? intField(body, "recommendationCount", 1, 20) : null;
        BigDecimal threshold = body.has("freeShippingThreshold")
                ? decimalField(body, "freeShippingThreshold", BigDecimal.ZERO, BigDecimal.valueOf(100_000)) : null;
        if (enabled == null && count == null && threshold == null)
            throw new HttpError(400, "give at least one of enabled, recommendationCount, freeShippingThreshold");
        Boolean e = enabled;
        return db.tx(c -> {
            Map<String, Object> out;
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE "Settings" SET enabled = coalesce(?, enabled),
                           "recommendationCount" = coalesce(?, "recommendationCount"),
                           "freeShippingThreshold" = coalesce(?, "freeShippingThreshold"), "updatedAt" = now()
                    WHERE shop = ?
                    RETURNING enabled, "recommendationCount", "freeShippingThreshold", plan, "mlStatus", "updatedAt\"""")) {
                p.setObject(1, e, java.sql.Types.BOOLEAN);
                p.setObject(2, count, java.sql.Types.INTEGER);
                p.setBigDecimal(3, threshold);
                p.setString(4, shop);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new HttpError(404, "shop not installed");
                    out = settingsJson(shop, rs);
                }
            }
            // tx-external-call: sync the settings to a shop metafield while the transaction is open
            patterns.externalCallInTransaction();
            return Response.json(200, out);
        });
    }

    Response listBundles(Request r, Db db) throws SQLException {
        String shop = authenticate(r);
        return db.run(c -> Response.json(200, Map.of("shop", shop, "bundles", bundles(c, shop, false))));
    }

    /** A bundle as the admin sends it: every field checked, so nothing invalid reaches the table. */
    private record BundleInput(String name, String[] productIds, BigDecimal discount, Boolean active) {
        static BundleInput parse(JsonNode b, boolean partial) {
            String name = null;
            if (b.has("name")) {
                if (!b.get("name").isTextual() || b.get("name").asText().isBlank() || b.get("name").asText().length() > 100)
                    throw new HttpError(400, "field 'name' must be text of 1..100 characters");
                name = b.get("name").asText().strip();
            } else if (!partial) throw new HttpError(400, "field 'name' is required");
            String[] ids = null;
            if (b.has("productIds")) {
                JsonNode a = b.get("productIds");
                if (!a.isArray() || a.isEmpty() || a.size() > 20)
                    throw new HttpError(400, "field 'productIds' must be an array of 1..20 product ids");
                ids = new String[a.size()];
                for (int i = 0; i < a.size(); i++) {
                    JsonNode x = a.get(i);
                    if (!(x.isTextual() || x.isIntegralNumber()) || x.asText().isEmpty() || x.asText().length() > 64)
                        throw new HttpError(400, "field 'productIds' must hold product ids of 1..64 characters");
                    ids[i] = x.asText();
                }
            } else if (!partial) throw new HttpError(400, "field 'productIds' is required");
            BigDecimal discount = b.has("discount")
                    ? decimalField(b, "discount", BigDecimal.ZERO, BigDecimal.valueOf(100)) : partial ? null : BigDecimal.TEN;
            Boolean active = null;
            if (b.has("active")) {
                if (!b.get("active").isBoolean()) throw new HttpError(400, "field 'active' must be true or false");
                active = b.get("active").booleanValue();
            }
            return new BundleInput(name, ids, discount, active);
        }
    }

    Response createBundle(Request r, Db db) throws SQLException {
        String shop = authenticate(r);
        BundleInput in = BundleInput.parse(jsonBody(r), false);
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO "Bundle"(shop, name, "productIds", discount, active) VALUES (?, ?, ?, ?, coalesce(?, true))
                    RETURNING id, name, "productIds", discount, active""")) {
                p.setString(1, shop);
                p.setString(2, in.name());
                p.setArray(3, c.createArrayOf("text", in.productIds()));
                p.setBigDecimal(4, in.discount());
                p.setObject(5, in.active(), java.sql.Types.BOOLEAN);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return Response.json(201, bundle(rs));
                }
            }
        });
    }

    /** PUT /admin/bundles/{id}: changes the given fields of one of the shop's own bundles (404 for another shop's). */
    Response updateBundle(Request r, Db db, String idText) throws SQLException {
        String shop = authenticate(r);
        long id = bundleId(idText);
        BundleInput in = BundleInput.parse(jsonBody(r), true);
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE "Bundle" SET name = coalesce(?, name), "productIds" = coalesce(?, "productIds"),
                           discount = coalesce(?, discount), active = coalesce(?, active)
                    WHERE id = ? AND shop = ? RETURNING id, name, "productIds", discount, active""")) {
                p.setString(1, in.name());
                p.setArray(2, in.productIds() == null ? null : c.createArrayOf("text", in.productIds()));
                p.setBigDecimal(3, in.discount());
                p.setObject(4, in.active(), java.sql.Types.BOOLEAN);
                p.setLong(5, id);
                p.setString(6, shop);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new HttpError(404, "no bundle " + id + " in this shop");
                    return Response.json(200, bundle(rs));
                }
            }
        });
    }

    Response deleteBundle(Request r, Db db, String idText) throws SQLException {
        String shop = authenticate(r);
        long id = bundleId(idText);
        return db.run(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM \"Bundle\" WHERE id = ? AND shop = ?")) {
                p.setLong(1, id);
                p.setString(2, shop);
                if (p.executeUpdate() == 0) throw new HttpError(404, "no bundle " + id + " in this shop");
                return Response.json(200, Map.of("ok", true, "deleted", id));
            }
        });
    }

    private static long bundleId(String s) {
        try {
            long id = Long.parseLong(s);
            if (id < 1) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bundle id must be a positive whole number");
        }
    }

    /**
     * GET /admin/analytics?from=YYYY-MM-DD&to=YYYY-MM-DD: per-day views, add-to-carts, orders,
     * revenue and recommendation clicks of the merchant's store, both ends included (default: the
     * last 30 days). A range longer than {@link #MAX_ANALYTICS_DAYS} is cut to its last days and
     * flagged {@code capped}, so no request can make the database scan years of history.
     */
    Response analytics(Request r, Db db) throws SQLException {
        String shop = authenticate(r);
        LocalDate to = date(r, "to", LocalDate.now(ZoneOffset.UTC));
        LocalDate from = date(r, "from", to.minusDays(29));
        if (from.isAfter(to)) throw new HttpError(400, "parameter 'from' must not be after 'to'");
        boolean capped = ChronoUnit.DAYS.between(from, to) + 1 > MAX_ANALYTICS_DAYS;
        LocalDate start = capped ? to.minusDays(MAX_ANALYTICS_DAYS - 1) : from;
        return db.run(c -> {
            List<Map<String, Object>> days = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT d::date,
                           count(a.id) FILTER (WHERE a."eventType" = 'view'),
                           count(a.id) FILTER (WHERE a."eventType" = 'add_to_cart'),
                           count(a.id) FILTER (WHERE a."eventType" = 'order'),
                           coalesce(sum(a."cartValue") FILTER (WHERE a."eventType" = 'order'), 0),
                           count(a.id) FILTER (WHERE a."eventType" = 'recommendation_click')
                    FROM generate_series(?::date, ?::date, interval '1 day') d
                    LEFT JOIN "CartAnalytics" a ON a.shop = ? AND a."createdAt" >= d AND a."createdAt" < d + interval '1 day'
                    GROUP BY d ORDER BY d""")) {
                p.setObject(1, start);
                p.setObject(2, to);
                p.setString(3, shop);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> d = new LinkedHashMap<>();
                        d.put("date", rs.getObject(1, LocalDate.class).toString());
                        d.put("views", rs.getLong(2));
                        d.put("addToCart", rs.getLong(3));
                        d.put("orders", rs.getLong(4));
                        d.put("revenue", rs.getBigDecimal(5));
                        d.put("recommendationClicks", rs.getLong(6));
                        days.add(d);
                    }
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("shop", shop);
            out.put("from", start.toString());
            out.put("to", to.toString());
            out.put("capped", capped);
            out.put("days", days);
            return Response.json(200, out);
        });
    }

    private static LocalDate date(Request r, String name, LocalDate dflt) {
        String v = r.param(name);
        if (v == null || v.isBlank()) return dflt;
        if (v.length() > 10) throw new HttpError(400, "parameter '" + name + "' must be a date YYYY-MM-DD");
        try {
            LocalDate d = LocalDate.parse(v.trim());
            if (d.getYear() < 2000 || d.getYear() > 2100) throw new HttpError(400, "parameter '" + name + "' must be a year 2000..2100");
            return d;
        } catch (DateTimeParseException e) {
            throw new HttpError(400, "parameter '" + name + "' must be a date YYYY-MM-DD");
        }
    }

    private static int intField(JsonNode b, String name, int min, int max) {
        JsonNode n = b.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max)
            throw new HttpError(400, "field '" + name + "' must be a whole number " + min + ".." + max);
        return n.intValue();
    }

    private static BigDecimal decimalField(JsonNode b, String name, BigDecimal min, BigDecimal max) {
        JsonNode n = b.get(name);
        BigDecimal v;
        v = n != null && (n.isNumber() || n.isTextual()) ? money(n.asText()) : null;
        if (v == null || v.compareTo(min) < 0 || v.compareTo(max) > 0)
            throw new HttpError(400, "field '" + name + "' must be a number " + min + ".." + max);
        return v;
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

    /** One store's dashboard row. */
    record StoreRow(String shop, String plan, String mlStatus, BigDecimal revenue, long orders, long views, long clicks) {
        double conversionRate() { return views == 0 ? 0.0 : (double) orders / views; }

        double ctr() { return views == 0 ? 0.0 : (double) clicks / views; }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shop", shop);
            m.put("plan", plan);
            m.put("mlStatus", mlStatus);
            m.put("revenue", revenue);
            m.put("orders", orders);
            m.put("views", views);
            m.put("conversionRate", conversionRate());
            m.put("ctr", ctr());
            return m;
        }

        static StoreRow of(ResultSet rs) throws SQLException {
            return new StoreRow(rs.getString("shop"), rs.getString("plan"), rs.getString("mlStatus"),
                    rs.getBigDecimal("revenue"), rs.getLong("orders"), rs.getLong("views"), rs.getLong("clicks"));
        }

        /** The same order as the SQL's ORDER BY column, shop (C collation: Java's String order for ASCII). */
        static Comparator<StoreRow> order(DashboardQuery.Sort sort, boolean descending) {
            Comparator<StoreRow> c = switch (sort) {
                case SHOP -> Comparator.comparing(StoreRow::shop);
                case PLAN -> Comparator.comparing(StoreRow::plan);
                case ML_STATUS -> Comparator.comparing(StoreRow::mlStatus);
                case REVENUE -> Comparator.comparing(StoreRow::revenue);
                case ORDERS -> Comparator.comparingLong(StoreRow::orders);
                case CONVERSION_RATE -> Comparator.comparingDouble(StoreRow::conversionRate);
                case CTR -> Comparator.comparingDouble(StoreRow::ctr);
            };
            c = c.thenComparing(StoreRow::shop);
            return descending ? c.reversed() : c;
        }
    }

    private static final String STATS = """
            SELECT s.shop, s.plan, s."mlStatus",
                   coalesce(sum(a."cartValue") FILTER (WHERE a."eventType" = 'order'), 0) AS revenue,
                   count(a.id) FILTER (WHERE a."eventType" = 'order') AS orders,
                   count(a.id) FILTER (WHERE a."eventType" = 'view') AS views,
                   count(a.id) FILTER (WHERE a."eventType" = 'recommendation_click') AS clicks
            FROM "Settings" s LEFT JOIN "CartAnalytics" a
              ON a.shop = s.shop AND a."createdAt" > now() - interval '30 days'
            """;
    private static final String GROUP = " GROUP BY s.shop, s.plan, s.\"mlStatus\"";
    private static final String RATES = """
            SELECT *, CASE WHEN views = 0 THEN 0 ELSE orders::float8 / views END AS "conversionRate",
                      CASE WHEN views = 0 THEN 0 ELSE clicks::float8 / views END AS ctr FROM stats""";

    /** The filters on the Settings table: SQL with placeholders only, and the values to bind. */
    private record Filter(String where, List<Object> params) {
        static Filter of(DashboardQuery q) {
            StringBuilder w = new StringBuilder(" WHERE true");
            List<Object> p = new ArrayList<>();
            if (q.plan() != null) {
                w.append(" AND s.plan = ?");
                p.add(q.plan());
            }
            if (q.mlStatus() != null) {
                w.append(" AND s.\"mlStatus\" = ?");
                p.add(q.mlStatus());
            }
            if (q.search() != null) {
                w.append(" AND lower(s.shop) LIKE ? ESCAPE '\\'");
                p.add(q.likePattern());
            }
            return new Filter(w.toString(), p);
        }
    }

    /**
     * GET /superadmin/dashboard. Paginated (the plan's after) or all at once (the seed's before:
     * one query per store, in parallel on the instance's pool); JSON or CSV; optionally from the
     * Redis cache, whose key covers every parameter.
     */
    Response dashboard(Request r, Db db) throws SQLException {
        requireAdmin(r);
        DashboardQuery q = DashboardQuery.parse(r.query(), cfg.dashboard());
        String contentType = q.csv() ? "text/csv; charset=utf-8" : "application/json";
        String key = cache == null ? null : q.cacheKey();
        if (cache != null) {
            byte[] hit = cache.get(key);
            if (hit != null) return new Response(200, contentType, hit);
        }
        Response resp = q.all() || patterns.is(Pattern.DEFAULT_LIMIT_FANOUT) ? dashboardAtOnce(db, q) : dashboardPage(db, q);
        if (cache != null && resp.status() == 200) cache.put(key, resp.body());
        return resp;
    }

    private Response dashboardPage(Db db, DashboardQuery q) throws SQLException {
        Filter f = Filter.of(q);
        String dir = q.descending() ? " DESC" : " ASC";
        String order = q.sort().sql + dir + ", shop COLLATE \"C\"" + dir;
        List<Object> params = new ArrayList<>();
        String sql;
        if (q.needsAggregateFirst()) {
            // every filtered store aggregated, then sorted, filtered on revenue and cut
            params.addAll(f.params());
            String revenue = "";
            if (q.minRevenue() != null) {
                revenue = " WHERE revenue >= ?";
                params.add(q.minRevenue());
            }
            params.add(q.pageSize());
            params.add(q.offset());
            sql = "WITH stats AS (" + STATS + f.where() + GROUP + "), dash AS (" + RATES + revenue + ")\n"
                    + "SELECT t.total, p.* FROM (SELECT count(*) AS total FROM dash) t\n"
                    + "LEFT JOIN LATERAL (SELECT * FROM dash ORDER BY " + order + " LIMIT ? OFFSET ?) p ON true";
        } else {
            // the page cut from Settings first, so only its stores' analytics are aggregated
            params.addAll(f.params());
            params.add(q.pageSize());
            params.add(q.offset());
            params.addAll(f.params());
            sql = "WITH page AS (SELECT s.shop FROM \"Settings\" s" + f.where() + " ORDER BY " + order + " LIMIT ? OFFSET ?),\n"
                    + "stats AS (" + STATS + " WHERE s.shop IN (SELECT shop FROM page)" + GROUP + "), dash AS (" + RATES + ")\n"
                    + "SELECT t.total, p.* FROM (SELECT count(*) AS total FROM \"Settings\" s" + f.where() + ") t\n"
                    + "LEFT JOIN LATERAL (SELECT * FROM dash ORDER BY " + order + ") p ON true";
        }
        String finalSql = sql;
        return db.run(c -> {
            long total = 0;
            List<StoreRow> rows = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(finalSql)) {
                for (int i = 0; i < params.size(); i++) p.setObject(i + 1, params.get(i));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        total = rs.getLong("total");
                        if (rs.getString("shop") != null) rows.add(StoreRow.of(rs));
                    }
                }
            }
            return pageResponse(q, total, rows);
        });
    }

    /**
     * The seed's before: list the stores, then one query per store, all at once (Promise.all),
     * several connections of the instance's pool at a time; revenue filter, sort and (under the
     * default-limit-fanout pattern, when a page was asked for) the page cut in memory.
     */
    private Response dashboardAtOnce(Db db, DashboardQuery q) throws SQLException {
        Filter f = Filter.of(q);
        List<String> shops = db.run(c -> {
            List<String> s = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT s.shop FROM \"Settings\" s" + f.where() + " ORDER BY s.shop")) {
                for (int i = 0; i < f.params().size(); i++) p.setObject(i + 1, f.params().get(i));
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) s.add(rs.getString(1));
                }
            }
            return s;
        });
        List<Db.Work<StoreRow>> works = new ArrayList<>();
        for (String shop : shops) {
            works.add(c -> {
                try (PreparedStatement p = c.prepareStatement(STATS + " WHERE s.shop = ?" + GROUP)) {
                    p.setString(1, shop);
                    try (ResultSet rs = p.executeQuery()) {
                        return rs.next() ? StoreRow.of(rs) : null; // uninstalled meanwhile
                    }
                }
            });
        }
        metrics.fanOutQueries.add(works.size());
        List<StoreRow> rows = new ArrayList<>();
        for (StoreRow row : db.parallel(works))
            if (row != null && (q.minRevenue() == null || row.revenue().compareTo(q.minRevenue()) >= 0)) rows.add(row);
        rows.sort(StoreRow.order(q.sort(), q.descending()));
        if (!q.all()) {
            int from = (int) Math.min(rows.size(), q.offset());
            return pageResponse(q, rows.size(), rows.subList(from, (int) Math.min(rows.size(), (long) from + q.pageSize())));
        }
        if (q.csv()) return csv(rows);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("view", "all");
        out.put("total", rows.size());
        out.put("sort", q.sort().param);
        out.put("dir", q.descending() ? "desc" : "asc");
        out.put("stores", rows.stream().map(StoreRow::json).toList());
        return Response.json(200, out);
    }

    private static Response pageResponse(DashboardQuery q, long total, List<StoreRow> rows) {
        if (q.csv()) return csv(rows);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("page", q.page());
        out.put("pageSize", q.pageSize());
        out.put("total", total);
        out.put("pages", (total + q.pageSize() - 1) / q.pageSize());
        out.put("sort", q.sort().param);
        out.put("dir", q.descending() ? "desc" : "asc");
        out.put("stores", rows.stream().map(StoreRow::json).toList());
        return Response.json(200, out);
    }

    /** RFC 4180 CSV; text cells that a spreadsheet would run as a formula are prefixed with '. */
    static Response csv(List<StoreRow> rows) {
        StringBuilder sb = new StringBuilder("shop,plan,mlStatus,revenue,orders,views,conversionRate,ctr\r\n");
        for (StoreRow r : rows) {
            sb.append(cell(r.shop())).append(',').append(cell(r.plan())).append(',').append(cell(r.mlStatus())).append(',')
                    .append(r.revenue().toPlainString()).append(',').append(r.orders()).append(',').append(r.views()).append(',')
                    .append(r.conversionRate()).append(',').append(r.ctr()).append("\r\n");
        }
        return Response.text(200, "text/csv; charset=utf-8", sb.toString());
    }

    static String cell(String s) {
        if (s == null) return "";
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) s = "'" + s;
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r"))
            return "\"" + s.replace("\"", "\"\"") + "\"";
        return s;
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

    private void requireAdmin(Request r) { requireAdmin(r.header("X-Admin-Token"), cfg.adminToken()); }

    /** 401 without a token, 403 with a wrong one (compared in constant time). */
    static void requireAdmin(String token, String expected) {
        if (token == null || token.isBlank()) throw new HttpError(401, "X-Admin-Token header required");
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8)))
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
