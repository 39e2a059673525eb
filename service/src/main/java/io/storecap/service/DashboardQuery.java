package io.storecap.service;

import io.storecap.service.Http.HttpError;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The super-admin dashboard's parameters, validated in one place. Every value that reaches SQL is
 * either bound as a parameter (filters, search, paging) or chosen from a whitelist (sort column
 * and direction), so no parameter can change the statement; a bad value is a 400 naming the
 * parameter, never a 500.
 *
 * @param view       paginated (a page of {@code pageSize}) or all (every store, the seed's N+1 loop)
 * @param page       1-based page; past the last page the page is empty and the total still given
 * @param pageSize   stores a page, 50 by default, capped at {@link #MAX_PAGE_SIZE}
 * @param sort       the column sorted on
 * @param descending sort direction
 * @param plan       only stores on this plan (null = all)
 * @param mlStatus   only stores with this ML status (null = all)
 * @param minRevenue only stores with at least this 30-day revenue (null = all)
 * @param search     substring of the shop domain (null = all); LIKE wildcards in it match literally
 * @param csv        CSV export instead of JSON
 */
record DashboardQuery(String view, long page, int pageSize, Sort sort, boolean descending, String plan,
                      String mlStatus, BigDecimal minRevenue, String search, boolean csv) {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    static final long MAX_PAGE = 1_000_000_000L;

    /** Sortable columns: the API name and the SQL expression over the dashboard rows. */
    enum Sort {
        SHOP("shop", "shop COLLATE \"C\"", false),
        PLAN("plan", "plan COLLATE \"C\"", false),
        ML_STATUS("mlStatus", "\"mlStatus\" COLLATE \"C\"", false),
        REVENUE("revenue", "revenue", true),
        ORDERS("orders", "orders", true),
        CONVERSION_RATE("conversionRate", "\"conversionRate\"", true),
        CTR("ctr", "ctr", true);

        final String param;
        final String sql;
        /** Needs every store's analytics aggregated before a page can be cut. */
        final boolean aggregate;

        Sort(String param, String sql, boolean aggregate) {
            this.param = param;
            this.sql = sql;
            this.aggregate = aggregate;
        }

        static Sort parse(String s) {
            for (Sort x : values()) if (x.param.equals(s)) return x;
            throw new HttpError(400, "parameter 'sort' must be one of " + names());
        }

        static List<String> names() { return java.util.Arrays.stream(values()).map(x -> x.param).toList(); }
    }

    /** Parses the query string; {@code defaultView} is the service's --dashboard setting. */
    static DashboardQuery parse(Map<String, String> q, String defaultView) {
        String view = text(q, "view", 10);
        if (view == null) view = defaultView;
        if (!view.equals("paginated") && !view.equals("all"))
            throw new HttpError(400, "parameter 'view' must be paginated or all");
        long page = whole(q, "page", 1);
        if (page < 1 || page > MAX_PAGE) throw new HttpError(400, "parameter 'page' must be 1.." + MAX_PAGE);
        long size = whole(q, "pageSize", DEFAULT_PAGE_SIZE);
        if (size < 1) throw new HttpError(400, "parameter 'pageSize' must be >= 1 (at most " + MAX_PAGE_SIZE + " are served)");
        String sortText = text(q, "sort", 40);
        Sort sort = sortText == null ? Sort.SHOP : Sort.parse(sortText);
        String dir = text(q, "dir", 10);
        boolean desc;
        if (dir == null) desc = sort.aggregate; // numbers biggest first, names A to Z
        else if (dir.equalsIgnoreCase("asc")) desc = false;
        else if (dir.equalsIgnoreCase("desc")) desc = true;
        else throw new HttpError(400, "parameter 'dir' must be asc or desc");
        BigDecimal minRevenue = null;
        String mr = text(q, "minRevenue", 40);
        if (mr != null) {
            minRevenue = CartUpliftApi.money(mr);
            if (minRevenue == null) throw new HttpError(400, "parameter 'minRevenue' must be a decimal number of at most "
                    + CartUpliftApi.MAX_MONEY.toPlainString());
        }
        String format = text(q, "format", 10);
        if (format != null && !format.equals("json") && !format.equals("csv"))
            throw new HttpError(400, "parameter 'format' must be json or csv");
        String search = text(q, "q", 100);
        if (search == null) search = text(q, "search", 100);
        return new DashboardQuery(view, page, (int) Math.min(size, MAX_PAGE_SIZE), sort, desc, text(q, "plan", 40),
                text(q, "mlStatus", 40), minRevenue, search == null ? null : search.toLowerCase(Locale.ROOT),
                "csv".equals(format));
    }

    private static String text(Map<String, String> q, String name, int maxLength) {
        String v = q.get(name);
        if (v == null || v.isBlank()) return null;
        if (v.length() > maxLength) throw new HttpError(400, "parameter '" + name + "' is longer than " + maxLength + " characters");
        return v.trim();
    }

    private static long whole(Map<String, String> q, String name, long dflt) {
        String v = q.get(name);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "parameter '" + name + "' must be a whole number");
        }
    }

    boolean all() { return view.equals("all"); }

    long offset() { return (page - 1) * pageSize; }

    /** Whether a page can be cut from the Settings table before aggregating (cheap), or not. */
    boolean needsAggregateFirst() { return sort.aggregate || minRevenue != null; }

    /** The search as a LIKE pattern: its own %, _ and \ escaped, so they match literally. */
    String likePattern() {
        return search == null ? null
                : "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** A cache key covering every parameter that changes the answer. */
    String cacheKey() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("view", view);
        if (!all()) {
            k.put("page", page);
            k.put("pageSize", pageSize);
        }
        k.put("sort", sort.param);
        k.put("dir", descending ? "desc" : "asc");
        k.put("plan", plan);
        k.put("mlStatus", mlStatus);
        k.put("minRevenue", minRevenue == null ? null : minRevenue.stripTrailingZeros().toPlainString());
        k.put("q", search);
        k.put("format", csv ? "csv" : "json");
        StringBuilder sb = new StringBuilder("storecap:dashboard:v1");
        // values are length-prefixed, so no value can imitate another parameter
        k.forEach((name, v) -> {
            String s = v == null ? "" : v.toString();
            sb.append('|').append(name).append('=').append(v == null ? -1 : s.length()).append(':').append(s);
        });
        return sb.toString();
    }
}
