package io.storecap.service;

import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;
import io.storecap.service.ServiceConfig.Pattern;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The super-admin dashboard (X-Admin-Token): a row of 30-day stats per store, paginated in SQL
 * (the plan's after) or loaded all at once (the seed's before), as JSON or CSV, optionally through
 * the Redis cache. Unlike the merchant's endpoints it reads every store, not one shop.
 */
final class DashboardApi {
    private final ServiceConfig cfg;
    private final Metrics metrics;
    private final AntiPatterns patterns;
    private final DashboardCache cache;

    /** {@code cache} null: every load reaches Postgres. */
    DashboardApi(ServiceConfig cfg, Metrics metrics, AntiPatterns patterns, DashboardCache cache) {
        this.cfg = cfg;
        this.metrics = metrics;
        this.patterns = patterns;
        this.cache = cache;
    }

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
        CartUpliftApi.requireAdmin(r.header("X-Admin-Token"), cfg.adminToken());
        DashboardQuery q = DashboardQuery.parse(r.query(), cfg.dashboard());
        String contentType = q.csv() ? "text/csv; charset=utf-8" : "application/json";
        String key = cache == null ? null : q.cacheKey();
        if (cache != null) {
            byte[] hit = cache.get(key);
            if (hit != null) {
                metrics.dashboardLoad(0);
                return new Response(200, contentType, hit);
            }
        }
        Response resp = q.all() || patterns.is(Pattern.DEFAULT_LIMIT_FANOUT) ? dashboardAtOnce(db, q) : dashboardPage(db, q);
        if (cache != null && resp.status() == 200) cache.put(key, resp.body());
        metrics.dashboardLoad(db.peakConnections());
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
}
