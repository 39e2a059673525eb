package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The app's own SQL, one request at a time, without HTTP or the serverless emulation: what the
 * compute knee drives through PgBouncer to find the load at which Postgres' CPU (or PgBouncer's one
 * thread) saturates. Each request runs the statements its handler runs, by calling the handler's
 * own static parts ({@link StorefrontApi#recommendationsOn}, {@link StorefrontApi#insertCartEvent},
 * {@link MerchantAdminApi#sessionOn}, {@link WebhookApi#storeProcessed} with
 * {@link WebhookApi#effectStatements}), so the mix cannot drift from the service.
 * <p>
 * Kinds are drawn in proportion to the profile's per-store rates, stores by the profile's Zipf
 * sizes over the seeded stores, webhook topics by the profile's shares. Webhooks run as immediate
 * mode stores them (one transaction: the event and its effect); queued mode spreads the same work
 * over an insert and the consumer's claim and update. The super-admin dashboard is global, not per
 * store, and is left out.
 */
public final class SqlMix {
    /** The per-store request kinds the mix knows, as the profile names them. */
    public static final List<String> KINDS = List.of("cart-event", "recommendations", "webhook", "admin-session");
    private static final List<String> CART_TYPES = List.of("view", "add_to_cart", "add_to_cart", "checkout", "recommendation_click");

    private final String[] kinds;
    private final double[] kindCdf;
    private final String[] topics;
    private final double[] topicCdf;
    private final double[] storeCdf;

    /**
     * @param perStoreRates kind -> requests per store per hour (only the proportions matter); kinds
     *                      outside {@link #KINDS} are refused
     * @param webhookTopics topic -> share
     * @param stores        stores seeded (store 1..stores)
     * @param zipfExponent  store i gets traffic in proportion to i^-exponent
     */
    public SqlMix(Map<String, Double> perStoreRates, Map<String, Double> webhookTopics, int stores, double zipfExponent) {
        if (stores < 1) throw new IllegalArgumentException("the SQL mix needs at least one seeded store, was " + stores);
        Map<String, Double> rates = new LinkedHashMap<>();
        perStoreRates.forEach((k, v) -> {
            if (!KINDS.contains(k)) throw new IllegalArgumentException("the SQL mix has no request kind '" + k + "'; it knows " + KINDS);
            if (v != null && v > 0) rates.put(k, v);
        });
        if (rates.isEmpty()) throw new IllegalArgumentException("the SQL mix needs a positive rate for at least one of " + KINDS);
        kinds = rates.keySet().toArray(String[]::new);
        kindCdf = cdf(rates.values().stream().mapToDouble(Double::doubleValue).toArray());
        Map<String, Double> t = new LinkedHashMap<>();
        webhookTopics.forEach((k, v) -> { if (v != null && v > 0 && Webhooks.TOPICS.contains(k)) t.put(k, v); });
        if (t.isEmpty()) t.put("orders/create", 1.0);
        topics = t.keySet().toArray(String[]::new);
        topicCdf = cdf(t.values().stream().mapToDouble(Double::doubleValue).toArray());
        double[] w = new double[stores];
        for (int i = 0; i < stores; i++) w[i] = Math.pow(i + 1, -zipfExponent);
        storeCdf = cdf(w);
    }

    private static double[] cdf(double[] weights) {
        double[] c = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) c[i] = sum += weights[i];
        for (int i = 0; i < c.length; i++) c[i] /= sum;
        c[c.length - 1] = 1;
        return c;
    }

    private static int pick(double[] cdf, double u) {
        int lo = 0, hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < u) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The share of each kind in the mix. */
    public Map<String, Double> shares() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kinds.length; i++) m.put(kinds[i], kindCdf[i] - (i == 0 ? 0 : kindCdf[i - 1]));
        return m;
    }

    /**
     * Runs one request of a kind drawn from the mix, for a store drawn by size, on {@code c} (in
     * autocommit mode, as the service's connections are); returns the round trips it made.
     */
    public int runOne(Connection c, SplittableRandom rnd) throws SQLException {
        String kind = kinds[pick(kindCdf, rnd.nextDouble())];
        String shop = Stores.domain(1 + pick(storeCdf, rnd.nextDouble()));
        return run(kind, c, shop, rnd);
    }

    /** One request of {@code kind} for {@code shop}; the round trips it made. */
    public int run(String kind, Connection c, String shop, SplittableRandom rnd) throws SQLException {
        switch (kind) {
            case "cart-event" -> {
                StorefrontApi.insertCartEvent(c, shop, CART_TYPES.get(rnd.nextInt(CART_TYPES.size())), "p" + rnd.nextInt(40),
                        BigDecimal.valueOf(rnd.nextInt(20_000), 2));
                return 1;
            }
            case "recommendations" -> {
                StorefrontApi.recommendationsOn(c, shop);
                return 3;
            }
            case "admin-session" -> {
                MerchantAdminApi.sessionOn(c, shop);
                return 1;
            }
            case "webhook" -> {
                return webhook(c, shop, topics[pick(topicCdf, rnd.nextDouble())], rnd);
            }
            default -> throw new IllegalArgumentException("the SQL mix has no request kind '" + kind + "'; it knows " + KINDS);
        }
    }

    /** Immediate mode's transaction: the event, marked processed, and its effect; BEGIN rides on the insert, COMMIT is a round trip. */
    private static int webhook(Connection c, String shop, String topic, SplittableRandom rnd) throws SQLException {
        ObjectNode payload = ReferenceService.JSON.createObjectNode();
        String product = "p" + rnd.nextInt(40);
        payload.put("id", product);
        payload.put("total_price", String.format(Locale.ROOT, "%d.%02d", rnd.nextInt(300), rnd.nextInt(100)));
        payload.putArray("line_items").addObject().put("product_id", product);
        String id = UUID.randomUUID().toString();
        return Db.inTransaction(c, x -> {
            boolean stored = WebhookApi.storeProcessed(x, id, "evt-" + id, shop, topic, payload.toString());
            if (stored) WebhookApi.effectStatements(x, topic, shop, (JsonNode) payload);
            return stored ? 3 : 2;
        });
    }

    /** The trivial statement the pooler's own ceiling is measured with: one round trip Postgres answers at once. */
    public static int trivial(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        return 1;
    }
}
