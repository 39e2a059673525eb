package io.storecap.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Store naming shared by the seeder and the load generator, and fast seeding of N stores.
 * Seeding runs server-side with generate_series, so 2000 stores with their history take about a
 * second instead of tens of thousands of round trips.
 */
public final class Stores {
    private Stores() {}

    /** The shop domain of store number {@code i} (1-based). */
    public static String domain(int i) { return String.format(Locale.ROOT, "store-%05d.myshopify.com", i); }

    /**
     * What a seeding did.
     *
     * @param stores      stores present afterwards
     * @param seeded      stores added by this call
     * @param historyRows analytics rows added by this call
     * @param millis      how long it took (wall time, including ANALYZE)
     */
    public record SeedResult(int stores, int seeded, long historyRows, long millis) {}

    /**
     * Seeds stores 1..n that are not there yet: two session rows each (online and offline, as
     * Shopify's Prisma session storage keeps), settings, three bundles, and {@code historyPerStore}
     * analytics events each over the last 30 days.
     *
     * @return the number of stores present afterwards
     */
    public static int seed(Connection c, int n, int historyPerStore) throws SQLException {
        return seed(c, n, historyPerStore, 0).stores();
    }

    /**
     * Seeds stores 1..n with store sizes spread as the load generator spreads traffic: store i gets
     * analytics history proportional to i^-zipfExponent (a few big stores, many small), scaled so the
     * mean over the n stores is {@code meanHistoryPerStore}, at least one row each. Exponent 0 gives
     * every store the same history. Everything is generated server-side in five statements, so 2000
     * stores take about a second.
     */
    public static SeedResult seed(Connection c, int n, int meanHistoryPerStore, double zipfExponent) throws SQLException {
        if (n < 0) throw new IllegalArgumentException("store count must be >= 0, was " + n);
        if (meanHistoryPerStore < 0) throw new IllegalArgumentException("history per store must be >= 0, was " + meanHistoryPerStore);
        if (zipfExponent < 0 || zipfExponent > 4) throw new IllegalArgumentException("zipf exponent must be 0..4, was " + zipfExponent);
        long t0 = System.nanoTime();
        double harmonic = 0;
        for (int i = 1; i <= n; i++) harmonic += Math.pow(i, -zipfExponent);
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        long rows = 0;
        int have;
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(74202)");
            try (var rs = s.executeQuery("SELECT count(*) FROM \"Settings\" WHERE shop LIKE 'store-%'")) {
                rs.next();
                have = rs.getInt(1);
            }
            if (have < n) {
                try (PreparedStatement p = c.prepareStatement("""
                        INSERT INTO "Settings"(shop, plan, "mlStatus")
                        SELECT format('store-%s.myshopify.com', lpad(i::text, 5, '0')),
                               (ARRAY['free','starter','growth','pro'])[1 + i % 4],
                               (ARRAY['ready','training','pending'])[1 + i % 3]
                        FROM generate_series(?, ?) i ON CONFLICT DO NOTHING""")) {
                    p.setInt(1, have + 1);
                    p.setInt(2, n);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("""
                        INSERT INTO "Session"(id, shop, "isOnline", scope, "accessToken", "userId", expires)
                        SELECT CASE WHEN online THEN format('online_%s_%s', shop, i) ELSE 'offline_' || shop END,
                               shop, online, 'read_products,write_products', md5(shop || online::text),
                               CASE WHEN online THEN i END, CASE WHEN online THEN now() + interval '1 day' END
                        FROM (SELECT i, format('store-%s.myshopify.com', lpad(i::text, 5, '0')) AS shop
                              FROM generate_series(?, ?) i) s, (VALUES (true), (false)) o(online)
                        ON CONFLICT DO NOTHING""")) {
                    p.setInt(1, have + 1);
                    p.setInt(2, n);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("""
                        INSERT INTO "Bundle"(shop, name, "productIds", discount)
                        SELECT format('store-%s.myshopify.com', lpad(i::text, 5, '0')), 'Bundle ' || b,
                               ARRAY['p' || (b * 3), 'p' || (b * 3 + 1), 'p' || (b * 3 + 2)], 5 + b * 5
                        FROM generate_series(?, ?) i, generate_series(1, 3) b""")) {
                    p.setInt(1, have + 1);
                    p.setInt(2, n);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("""
                        INSERT INTO "CartAnalytics"(shop, "eventType", "productId", "cartValue", "createdAt")
                        SELECT format('store-%s.myshopify.com', lpad(i::text, 5, '0')),
                               (ARRAY['view','add_to_cart','add_to_cart','order','view','recommendation_click'])[1 + (i + e) % 6],
                               'p' || ((i * 7 + e) % 40), ((i + e) % 200)::numeric,
                               now() - (e % 30) * interval '1 day' - (e % 24) * interval '1 hour'
                        FROM generate_series(?, ?) i,
                             LATERAL generate_series(1, CASE WHEN ? = 0 THEN 0
                                 ELSE greatest(1, round(? * power(i, -?::float8) / ?)::int) END) e""")) {
                    p.setInt(1, have + 1);
                    p.setInt(2, n);
                    p.setInt(3, meanHistoryPerStore);
                    p.setDouble(4, (double) meanHistoryPerStore * n);
                    p.setDouble(5, zipfExponent);
                    p.setDouble(6, harmonic);
                    rows = p.executeUpdate();
                }
                s.execute("ANALYZE");
            }
            c.commit();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return new SeedResult(Math.max(have, n), Math.max(0, n - have), rows, ms);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
