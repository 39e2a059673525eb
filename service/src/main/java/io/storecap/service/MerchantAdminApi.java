package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.service.Http.HttpError;
import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;

import java.math.BigDecimal;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merchant's embedded admin (Authorization: Bearer &lt;session token&gt;): session, settings,
 * bundles and analytics, each confined to the shop the token speaks for. The bundle rows are read
 * here for the storefront too, so both answer with a bundle in the same shape.
 */
final class MerchantAdminApi {
    /** The longest merchant analytics range served; longer ones are cut to the last this many days. */
    static final int MAX_ANALYTICS_DAYS = 366;
    private static final String BUNDLES_SQL = """
            SELECT id, name, "productIds", discount, active FROM "Bundle" WHERE shop = ? AND active ORDER BY id""";

    private final ServiceConfig cfg;
    private final AntiPatterns patterns;

    MerchantAdminApi(ServiceConfig cfg, AntiPatterns patterns) {
        this.cfg = cfg;
        this.patterns = patterns;
    }

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
        String shop = r.header("Authorization") != null ? authenticate(r) : CartUpliftApi.shop(r);
        return db.run(c -> sessionOn(c, shop));
    }

    /** The offline session lookup's one statement (also {@link SqlMix}'s). */
    static Response sessionOn(Connection c, String shop) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                SELECT id, scope, "isOnline", expires FROM "Session" WHERE id = ?""")) {
            p.setString(1, "offline_" + shop);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) throw new HttpError(401, "no offline session for " + shop + ": reinstall the app");
                return Response.json(200, Map.of("id", rs.getString(1), "scope", rs.getString(2),
                        "isOnline", rs.getBoolean(3), "shop", shop));
            }
        }
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
        JsonNode body = CartUpliftApi.jsonBody(r);
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

    /** The shop's bundles, all of them or (for the storefront) the active ones, by id. */
    static List<Map<String, Object>> bundles(Connection c, String shop, boolean activeOnly) throws SQLException {
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
        BundleInput in = BundleInput.parse(CartUpliftApi.jsonBody(r), false);
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
        BundleInput in = BundleInput.parse(CartUpliftApi.jsonBody(r), true);
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
        v = n != null && (n.isNumber() || n.isTextual()) ? CartUpliftApi.money(n.asText()) : null;
        if (v == null || v.compareTo(min) < 0 || v.compareTo(max) > 0)
            throw new HttpError(400, "field '" + name + "' must be a number " + min + ".." + max);
        return v;
    }
}
