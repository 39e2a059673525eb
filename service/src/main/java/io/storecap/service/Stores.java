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
     * Seeds stores 1..n that are not there yet: two session rows each (online and offline, as
     * Shopify's Prisma session storage keeps), settings, three bundles, and {@code historyPerStore}
     * analytics events over the last 30 days.
     *
     * @return the number of stores present afterwards
     */
    public static int seed(Connection c, int n, int historyPerStore) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(74202)");
            int have;
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
                               (ARRAY['view','add_to_cart','add_to_cart','order'])[1 + (i + e) % 4],
                               'p' || ((i * 7 + e) % 40), ((i + e) % 200)::numeric,
                               now() - (e % 30) * interval '1 day' - (e % 24) * interval '1 hour'
                        FROM generate_series(?, ?) i, generate_series(1, ?) e""")) {
                    p.setInt(1, have + 1);
                    p.setInt(2, n);
                    p.setInt(3, historyPerStore);
                    p.executeUpdate();
                }
                s.execute("ANALYZE");
            }
            c.commit();
            return Math.max(have, n);
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
