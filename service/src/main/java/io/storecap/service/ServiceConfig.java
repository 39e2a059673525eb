package io.storecap.service;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the reference service runs. Parsed from {@code --key=value} arguments, falling back to
 * {@code STORECAP_KEY} environment variables, then to the defaults below. Validation lives here,
 * with messages that name the setting and the fix.
 *
 * @param port               HTTP port on 127.0.0.1 (0 = any free port; the chosen one is printed)
 * @param jdbcUrl            where the app connects: Postgres itself (direct) or PgBouncer (pooled)
 * @param dbUser             the app's ordinary, non-superuser role
 * @param dbPassword         its password (never logged)
 * @param mode               serverless (emulated function instances) or server (one shared pool)
 * @param connectionLimit    connections per function instance (Prisma's connection_limit, plan: 5)
 * @param poolTimeoutMs      how long a query waits for a free connection (Prisma's pool_timeout: 10 s)
 * @param idleTtlMs          idle function instance lifetime before it is reclaimed with its connections
 * @param coldStartMs        delay a new function instance adds to the request that starts it
 * @param instanceConcurrency requests one instance serves at once (1 = classic, more = Fluid compute)
 * @param maxInstances       cap on live function instances (Vercel's concurrency limit)
 * @param serverPoolSize     the shared HikariCP pool size in server mode
 * @param appSecret          Shopify app secret: the HMAC key of webhooks (never logged)
 * @param adminToken         token the super-admin dashboard requires (never logged)
 * @param dashboard          paginated (50 a page) or all (every store at once, N+1 queries in parallel)
 * @param maxBodyBytes       larger request bodies are refused with 413
 * @param functionMs         the function's own work per request outside the database (auth, rendering)
 * @param dbLatencyMs        network round trip added to each statement (function to database)
 */
public record ServiceConfig(int port, String jdbcUrl, String dbUser, String dbPassword, String mode,
                            int connectionLimit, long poolTimeoutMs, long idleTtlMs, long coldStartMs,
                            int instanceConcurrency, int maxInstances, int serverPoolSize,
                            String appSecret, String adminToken, String dashboard, int maxBodyBytes,
                            double functionMs, double dbLatencyMs) {

    private static final Set<String> KEYS = Set.of("port", "jdbc-url", "db-user", "db-password", "mode",
            "connection-limit", "pool-timeout-ms", "idle-ttl-ms", "cold-start-ms", "instance-concurrency",
            "max-instances", "server-pool-size", "app-secret", "admin-token", "dashboard", "max-body-bytes",
            "function-ms", "db-latency-ms");

    public ServiceConfig {
        Objects.requireNonNull(jdbcUrl, "--jdbc-url is required (e.g. jdbc:postgresql://127.0.0.1:5432/storecap)");
        if (!jdbcUrl.startsWith("jdbc:postgresql:"))
            throw new IllegalArgumentException("--jdbc-url must start with jdbc:postgresql:, was " + jdbcUrl);
        Objects.requireNonNull(dbUser, "--db-user is required (the app's non-superuser role)");
        if (!mode.equals("serverless") && !mode.equals("server"))
            throw new IllegalArgumentException("--mode must be serverless or server, was " + mode);
        if (!dashboard.equals("paginated") && !dashboard.equals("all"))
            throw new IllegalArgumentException("--dashboard must be paginated or all, was " + dashboard);
        positive("connection-limit", connectionLimit);
        positive("pool-timeout-ms", poolTimeoutMs);
        positive("idle-ttl-ms", idleTtlMs);
        positive("instance-concurrency", instanceConcurrency);
        positive("max-instances", maxInstances);
        positive("server-pool-size", serverPoolSize);
        positive("max-body-bytes", maxBodyBytes);
        if (functionMs < 0 || functionMs > 60_000) throw new IllegalArgumentException("--function-ms must be 0..60000, was " + functionMs);
        if (dbLatencyMs < 0 || dbLatencyMs > 10_000) throw new IllegalArgumentException("--db-latency-ms must be 0..10000, was " + dbLatencyMs);
        if (coldStartMs < 0) throw new IllegalArgumentException("--cold-start-ms must be >= 0, was " + coldStartMs);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535, was " + port);
        if (appSecret == null || appSecret.length() < 8)
            throw new IllegalArgumentException("--app-secret is required (at least 8 characters): it signs webhooks");
        if (adminToken == null || adminToken.length() < 8)
            throw new IllegalArgumentException("--admin-token is required (at least 8 characters): it guards the dashboard");
    }

    private static void positive(String key, long v) {
        if (v <= 0) throw new IllegalArgumentException("--" + key + " must be > 0, was " + v);
    }

    /** Parses {@code --key=value} arguments; environment variables STORECAP_KEY fill the gaps. */
    public static ServiceConfig parse(String[] args, Map<String, String> env) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String key : KEYS) {
            String e = env.get("STORECAP_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (e != null) v.put(key, e);
        }
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("="))
                throw new IllegalArgumentException("argument '" + a + "' is not of the form --key=value");
            String key = a.substring(2, a.indexOf('='));
            if (!KEYS.contains(key))
                throw new IllegalArgumentException("unknown setting --" + key + "; known: " + String.join(", ", new java.util.TreeSet<>(KEYS)));
            v.put(key, a.substring(a.indexOf('=') + 1));
        }
        return new ServiceConfig(
                integer(v, "port", 0), v.get("jdbc-url"), v.get("db-user"), v.getOrDefault("db-password", ""),
                v.getOrDefault("mode", "serverless"), integer(v, "connection-limit", 5),
                integer(v, "pool-timeout-ms", 10_000), integer(v, "idle-ttl-ms", 10_000),
                integer(v, "cold-start-ms", 250), integer(v, "instance-concurrency", 1),
                integer(v, "max-instances", 2000), integer(v, "server-pool-size", 10),
                v.get("app-secret"), v.get("admin-token"), v.getOrDefault("dashboard", "paginated"),
                integer(v, "max-body-bytes", 1 << 20), decimal(v, "function-ms", 0), decimal(v, "db-latency-ms", 0));
    }

    private static double decimal(Map<String, String> v, String key, double dflt) {
        String s = v.get(key);
        if (s == null || s.isBlank()) return dflt;
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number, was '" + s + "'");
        }
    }

    private static int integer(Map<String, String> v, String key, int dflt) {
        String s = v.get(key);
        if (s == null || s.isBlank()) return dflt;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, was '" + s + "'");
        }
    }

    /** The settings as they may be shown: secrets masked. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("jdbcUrl", jdbcUrl);
        m.put("dbUser", dbUser);
        m.put("connectionLimit", connectionLimit);
        m.put("poolTimeoutMs", poolTimeoutMs);
        m.put("idleTtlMs", idleTtlMs);
        m.put("coldStartMs", coldStartMs);
        m.put("instanceConcurrency", instanceConcurrency);
        m.put("maxInstances", maxInstances);
        m.put("serverPoolSize", serverPoolSize);
        m.put("dashboard", dashboard);
        m.put("functionMs", functionMs);
        m.put("dbLatencyMs", dbLatencyMs);
        return m;
    }

    @Override
    public String toString() { return "ServiceConfig" + describe(); }
}
