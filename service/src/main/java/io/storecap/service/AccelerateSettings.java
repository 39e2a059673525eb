package io.storecap.service;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prisma Accelerate in place of the function instances' own database connections (the scaling plan's
 * option B), {@code --accelerate=on}. With Accelerate, Prisma Client sends every query over HTTP to a
 * managed pool in one region, and only that pool holds Postgres connections: a fixed number per
 * region, whatever the number of function instances. The emulation ({@link AcceleratePool}) is that
 * pool, shared by every instance, with Accelerate's documented limits (Prisma docs: Accelerate,
 * "Limitations" and "FAQ: Can I increase my Accelerate query duration and response size limits?";
 * Prisma Postgres, "Connection pooling": the pool sizes when Accelerate runs in front of your own
 * database). Durations are production values, stretched by the service's {@link TimeScale}.
 *
 * @param enabled              {@code --accelerate} (default off)
 * @param plan                 {@code --accelerate-plan}: starter (default), pro or business; sets the
 *                             ceilings of the values below
 * @param connections          {@code --accelerate-connections}: Postgres connections Accelerate's pool
 *                             holds in the app's region (default 10; at most the plan's: Starter 10,
 *                             Pro 100, Business 1000). The emulation serves one region
 * @param hopMs                {@code --accelerate-hop-ms}: one HTTP round trip from a function to
 *                             Accelerate's pool in the same region, paid by every query (default 5 ms:
 *                             a warm HTTPS request within a region; Accelerate publishes no figure, so
 *                             this is an assumption). The pool's own round trip to Postgres is
 *                             {@code --db-latency-ms}, as for a direct connection
 * @param queryTimeoutMs       {@code --accelerate-query-timeout-ms}: a query, its wait for a pooled
 *                             connection included, fails with P6004 after this (default 10 s; at most
 *                             10 / 20 / 60 s by plan)
 * @param transactionTimeoutMs {@code --accelerate-tx-timeout-ms}: an interactive transaction fails with
 *                             P6004 after this (default 15 s; at most 15 / 30 / 90 s by plan)
 * @param responseLimitBytes   {@code --accelerate-response-limit-bytes}: a query whose result is larger
 *                             fails with P6009 (default 5 MB; at most 5 / 10 / 20 MB by plan)
 */
public record AccelerateSettings(boolean enabled, Plan plan, int connections, double hopMs, long queryTimeoutMs,
                                 long transactionTimeoutMs, long responseLimitBytes) {

    static final Set<String> KEYS = Set.of("accelerate", "accelerate-plan", "accelerate-connections", "accelerate-hop-ms",
            "accelerate-query-timeout-ms", "accelerate-tx-timeout-ms", "accelerate-response-limit-bytes");

    static final int DEFAULT_CONNECTIONS = 10;
    static final double DEFAULT_HOP_MS = 5;
    static final long DEFAULT_QUERY_TIMEOUT_MS = 10_000;
    static final long DEFAULT_TX_TIMEOUT_MS = 15_000;
    static final long DEFAULT_RESPONSE_LIMIT_BYTES = 5L * 1024 * 1024;

    /** Accelerate's plans and the most each lets you configure (Prisma docs, as above). */
    public enum Plan {
        STARTER(10, 10_000, 15_000, 5L * 1024 * 1024),
        PRO(100, 20_000, 30_000, 10L * 1024 * 1024),
        BUSINESS(1000, 60_000, 90_000, 20L * 1024 * 1024);

        public final int maxConnections;
        public final long maxQueryTimeoutMs;
        public final long maxTransactionTimeoutMs;
        public final long maxResponseBytes;

        Plan(int maxConnections, long maxQueryTimeoutMs, long maxTransactionTimeoutMs, long maxResponseBytes) {
            this.maxConnections = maxConnections;
            this.maxQueryTimeoutMs = maxQueryTimeoutMs;
            this.maxTransactionTimeoutMs = maxTransactionTimeoutMs;
            this.maxResponseBytes = maxResponseBytes;
        }

        public String id() { return name().toLowerCase(Locale.ROOT); }

        static Plan parse(String s) {
            for (Plan p : values()) if (p.id().equals(s)) return p;
            throw new IllegalArgumentException("--accelerate-plan must be starter, pro or business, was '" + s + "'");
        }
    }

    /** Accelerate off: the functions connect to Postgres themselves. */
    public static final AccelerateSettings OFF = new AccelerateSettings(false, Plan.STARTER, DEFAULT_CONNECTIONS, DEFAULT_HOP_MS,
            DEFAULT_QUERY_TIMEOUT_MS, DEFAULT_TX_TIMEOUT_MS, DEFAULT_RESPONSE_LIMIT_BYTES);

    public AccelerateSettings {
        if (plan == null) throw new IllegalArgumentException("--accelerate-plan must be starter, pro or business");
        if (connections < 1 || connections > plan.maxConnections)
            throw new IllegalArgumentException("--accelerate-connections must be 1.." + plan.maxConnections + " on the " + plan.id()
                    + " plan, was " + connections + (connections > plan.maxConnections ? "; a larger pool needs a larger --accelerate-plan" : ""));
        if (!(hopMs >= 0) || hopMs > 10_000)
            throw new IllegalArgumentException("--accelerate-hop-ms must be 0..10000 (an HTTP round trip within a region, about 5), was " + hopMs);
        within("accelerate-query-timeout-ms", queryTimeoutMs, plan.maxQueryTimeoutMs, plan);
        within("accelerate-tx-timeout-ms", transactionTimeoutMs, plan.maxTransactionTimeoutMs, plan);
        within("accelerate-response-limit-bytes", responseLimitBytes, plan.maxResponseBytes, plan);
    }

    private static void within(String key, long v, long max, Plan plan) {
        if (v < 1 || v > max)
            throw new IllegalArgumentException("--" + key + " must be 1.." + max + " on the " + plan.id() + " plan, was " + v
                    + (v > max ? "; a larger limit needs a larger --accelerate-plan" : ""));
    }

    /** From the parsed {@code --key=value} map of {@link ServiceConfig#parse}. */
    static AccelerateSettings parse(Map<String, String> v) {
        String plan = v.get("accelerate-plan");
        Plan p = plan == null || plan.isBlank() ? Plan.STARTER : Plan.parse(plan.trim().toLowerCase(Locale.ROOT));
        return new AccelerateSettings(ServiceConfig.onOff(v, "accelerate", false), p,
                ServiceConfig.integer(v, "accelerate-connections", DEFAULT_CONNECTIONS),
                ServiceConfig.decimal(v, "accelerate-hop-ms", DEFAULT_HOP_MS),
                ServiceConfig.integer(v, "accelerate-query-timeout-ms", (int) DEFAULT_QUERY_TIMEOUT_MS),
                ServiceConfig.integer(v, "accelerate-tx-timeout-ms", (int) DEFAULT_TX_TIMEOUT_MS),
                ServiceConfig.integer(v, "accelerate-response-limit-bytes", (int) DEFAULT_RESPONSE_LIMIT_BYTES));
    }

    /** For run.json: every setting when on, nothing when off. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!enabled) return m;
        m.put("accelerate", "on");
        m.put("acceleratePlan", plan.id());
        m.put("accelerateConnections", connections);
        m.put("accelerateHopMs", hopMs);
        m.put("accelerateQueryTimeoutMs", queryTimeoutMs);
        m.put("accelerateTxTimeoutMs", transactionTimeoutMs);
        m.put("accelerateResponseLimitBytes", responseLimitBytes);
        return m;
    }
}
