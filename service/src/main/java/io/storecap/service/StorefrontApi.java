package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.service.Http.HttpError;
import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;
import io.storecap.service.ServiceConfig.Pattern;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storefront's calls through the app proxy: the cart drawer's recommendations and the cart
 * events behind the merchant's analytics. They carry no session token (the shop is named in the
 * request), and the recommendations loader is where the default-limit-fanout pattern is emulated.
 */
final class StorefrontApi {
    private static final String SETTINGS_SQL = """
            SELECT enabled, "recommendationCount", "freeShippingThreshold" FROM "Settings" WHERE shop = ?""";
    private static final String TOP_PRODUCTS_SQL = """
            SELECT "productId" FROM "CartAnalytics"
            WHERE shop = ? AND "eventType" = 'add_to_cart' AND "createdAt" > now() - interval '30 days'
            GROUP BY "productId" ORDER BY count(*) DESC, "productId" LIMIT ?""";

    private final Metrics metrics;
    private final AntiPatterns patterns;

    StorefrontApi(Metrics metrics, AntiPatterns patterns) {
        this.metrics = metrics;
        this.patterns = patterns;
    }

    /** A store's settings as the storefront needs them; null when the shop is not installed. */
    private record StoreSettings(boolean enabled, int count, BigDecimal freeShippingThreshold) {}

    Response recommendations(Request r, Db db) throws SQLException {
        String shop = CartUpliftApi.shop(r);
        if (patterns.is(Pattern.DEFAULT_LIMIT_FANOUT)) return recommendationsFannedOut(db, shop);
        return db.run(c -> recommendationsOn(c, shop));
    }

    /** The recommendations loader's queries on one connection, in order (also {@link SqlMix}'s). */
    static Response recommendationsOn(Connection c, String shop) throws SQLException {
        StoreSettings s = settings(c, shop);
        if (s == null) throw new HttpError(404, "shop not installed");
        if (!s.enabled()) return Response.json(200, Map.of("enabled", false, "products", List.of()));
        return recommendationsResponse(s, MerchantAdminApi.bundles(c, shop, true), topProducts(c, shop, s.count()));
    }

    /** default-limit-fanout: the loader's three queries at once (Promise.all), on three connections. */
    private Response recommendationsFannedOut(Db db, String shop) throws SQLException {
        List<Db.Work<Object>> works = List.of(
                c -> settings(c, shop),
                c -> MerchantAdminApi.bundles(c, shop, true),
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
        JsonNode body = CartUpliftApi.jsonBody(r);
        String shop = body.path("shop").asText(null);
        if (!Webhooks.validShop(shop)) throw new HttpError(400, "field 'shop' must be a *.myshopify.com domain");
        String type = body.path("type").asText("");
        if (!List.of("view", "add_to_cart", "remove_from_cart", "checkout", "recommendation_click").contains(type))
            throw new HttpError(400, "field 'type' must be one of view, add_to_cart, remove_from_cart, checkout, recommendation_click");
        BigDecimal value = CartUpliftApi.decimal(body.path("cartValue").asText("0"));
        db.run(c -> insertCartEvent(c, shop, type, body.path("productId").asText(null), value));
        return Response.json(201, Map.of("ok", true));
    }

    /** A cart event's one statement (also {@link SqlMix}'s). */
    static int insertCartEvent(Connection c, String shop, String type, String productId, BigDecimal value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO "CartAnalytics"(shop, "eventType", "productId", "cartValue") VALUES (?, ?, ?, ?)""")) {
            p.setString(1, shop);
            p.setString(2, type);
            p.setString(3, productId);
            p.setBigDecimal(4, value);
            return p.executeUpdate();
        }
    }
}
