package io.storecap.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
 * @param appSecret          Shopify app secret: the HMAC key of webhooks and of session tokens (never logged)
 * @param adminToken         token the super-admin dashboard requires (never logged)
 * @param dashboard          paginated (50 a page) or all (every store at once, N+1 queries in parallel)
 * @param maxBodyBytes       larger request bodies are refused with 413
 * @param functionMs         the function's own work per request outside the database (auth, rendering)
 * @param dbLatencyMs        network round trip added to each statement (function to database)
 * @param apiKey             the app's API key (client id): the {@code aud} a session token must carry
 * @param webhooks           how webhooks are processed: at once, or queued for a worker pool
 * @param cache              the super-admin dashboard's optional Redis cache
 * @param indexes            whether the plan's indexes exist (off drops them, so their effect is measured)
 * @param keepAlive          on: an instance keeps its idle connections until it is reclaimed; off: its
 *                           pool is emptied after each response (every request connects anew). Not
 *                           Vercel's attachDatabasePool, which closes connections an idle timeout after
 *                           their last use: that is {@code --attach-database-pool} (see {@link RuntimeSettings})
 * @param preparedStatements on: pgjdbc's server-side prepared statements; off: {@code prepareThreshold=0}
 *                           is appended to the URL, as Prisma's {@code pgbouncer=true} does
 * @param antiPattern        the connection anti-pattern to reproduce, and its knobs
 * @param runtime            how the runtime treats connections: dispatch, zombie hold, Prisma 6 or 7
 *                           pool, attachDatabasePool, connect cost, compute wake, deploys (issue 13)
 * @param accelerate         Prisma Accelerate in place of the instances' own connections ({@link AccelerateSettings})
 */
public record ServiceConfig(int port, String jdbcUrl, String dbUser, String dbPassword, String mode,
                            int connectionLimit, long poolTimeoutMs, long idleTtlMs, long coldStartMs,
                            int instanceConcurrency, int maxInstances, int serverPoolSize,
                            String appSecret, String adminToken, String dashboard, int maxBodyBytes,
                            double functionMs, double dbLatencyMs, String apiKey,
                            WebhookSettings webhooks, CacheSettings cache, boolean indexes, boolean keepAlive,
                            boolean preparedStatements, AntiPattern antiPattern, RuntimeSettings runtime,
                            AccelerateSettings accelerate) {

    private static final Set<String> KEYS = union(union(RuntimeSettings.KEYS, AccelerateSettings.KEYS.toArray(String[]::new)), "port", "jdbc-url", "db-user", "db-password", "mode",
            "connection-limit", "pool-timeout-ms", "idle-ttl-ms", "cold-start-ms", "instance-concurrency",
            "max-instances", "server-pool-size", "app-secret", "admin-token", "dashboard", "max-body-bytes",
            "function-ms", "db-latency-ms", "api-key",
            "webhook-mode", "webhook-workers", "webhook-poll-ms", "webhook-max-attempts", "webhook-consumer",
            "redis-url", "dashboard-cache", "dashboard-cache-ttl-s",
            "indexes", "keep-alive", "prepared-statements",
            "pattern", "vcpus", "external-call-ms", "leak-every", "leak-ms");

    private static Set<String> union(Set<String> a, String... b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(List.of(b));
        return Set.copyOf(all);
    }

    /**
     * Webhook processing.
     *
     * @param mode        immediate (the effect is written in the request) or queued (the request only
     *                    persists the event, a worker pool applies it: the plan's Inngest option)
     * @param workers     queued mode: worker threads, each with at most one connection of the
     *                    consumer's own pool (0 = nothing processes: a consumer outage; entries wait)
     * @param pollMs      queued mode: how often an idle worker looks for entries other processes (or a
     *                    previous run) left; new entries in this process wake a worker at once
     * @param maxAttempts queued mode: failed attempts after which an entry is set aside (dead-lettered)
     * @param consumer    queued mode, where the consumer runs ({@code --webhook-consumer}): {@code workers}
     *                    (default) = long-lived threads with their own pool; {@code functions} = each
     *                    queue step a function invocation through the runtime's instances, as Inngest
     *                    calls the app on Vercel (connections in instances, idle TTL, instance count);
     *                    {@code workers} is then its concurrency
     */
    public record WebhookSettings(String mode, int workers, long pollMs, int maxAttempts, String consumer) {
        /** The worker-pool consumer. */
        public WebhookSettings(String mode, int workers, long pollMs, int maxAttempts) {
            this(mode, workers, pollMs, maxAttempts, "workers");
        }

        public WebhookSettings {
            if (!"workers".equals(consumer) && !"functions".equals(consumer))
                throw new IllegalArgumentException("--webhook-consumer must be workers or functions, was " + consumer);
            if (!mode.equals("immediate") && !mode.equals("queued"))
                throw new IllegalArgumentException("--webhook-mode must be immediate or queued, was " + mode);
            if (workers < 0 || workers > 64)
                throw new IllegalArgumentException("--webhook-workers must be 0..64, was " + workers);
            positive("webhook-poll-ms", pollMs);
            positive("webhook-max-attempts", maxAttempts);
        }

        public boolean queued() { return mode.equals("queued"); }

        /** The consumer's steps run as function invocations (Inngest on Vercel). */
        public boolean functions() { return consumer.equals("functions"); }
    }

    /**
     * The dashboard cache.
     *
     * @param redisUrl   redis://host:port (null when there is no Redis)
     * @param enabled    whether dashboard responses are cached
     * @param ttlSeconds how long a cached response is served (the plan: 5 minutes)
     */
    public record CacheSettings(String redisUrl, boolean enabled, int ttlSeconds) {
        public CacheSettings {
            if (redisUrl != null && !redisUrl.startsWith("redis://"))
                throw new IllegalArgumentException("--redis-url must look like redis://127.0.0.1:6379, was " + mask(redisUrl));
            if (enabled && redisUrl == null)
                throw new IllegalArgumentException("--dashboard-cache=on needs --redis-url=redis://HOST:PORT");
            positive("dashboard-cache-ttl-s", ttlSeconds);
        }
    }

    /** The connection anti-patterns of issue 9; see {@link AntiPatterns} for the code each emulates. */
    public enum Pattern {
        NONE, CLIENT_PER_REQUEST, DEFAULT_LIMIT_FANOUT, TX_EXTERNAL_CALL, IDLE_IN_TX_LEAK;

        public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        static Pattern parse(String s) {
            for (Pattern p : values()) if (p.id().equals(s)) return p;
            throw new IllegalArgumentException("--pattern must be one of none, client-per-request, default-limit-fanout,"
                    + " tx-external-call, idle-in-tx-leak; was " + s);
        }
    }

    /**
     * An anti-pattern and its knobs.
     *
     * @param pattern        which one (NONE = the plan's code)
     * @param vcpus          the function's vCPUs, for Prisma's default connection_limit = 2 x vCPUs + 1.
     *                       Prisma 6 counts physical CPUs (quaint: {@code num_cpus::get_physical() * 2 + 1};
     *                       Prisma docs, "Connection pool"), and a Vercel function has few (1 vCPU on the
     *                       standard size, 2 on performance), so the real default is 3 to 5. The default
     *                       here stays 4 (9 connections) so earlier studies are unchanged; runtime presets
     *                       set it
     * @param externalCallMs tx-external-call: the Shopify Admin API call made inside the transaction
     * @param leakEvery      idle-in-tx-leak: every N-th database request takes the error path
     * @param leakMs         idle-in-tx-leak: how long the leaked connection stays idle in transaction
     */
    public record AntiPattern(Pattern pattern, int vcpus, long externalCallMs, int leakEvery, long leakMs) {
        public AntiPattern {
            Objects.requireNonNull(pattern, "--pattern");
            if (vcpus < 1 || vcpus > 64) throw new IllegalArgumentException("--vcpus must be 1..64, was " + vcpus);
            if (externalCallMs < 0 || externalCallMs > 60_000)
                throw new IllegalArgumentException("--external-call-ms must be 0..60000, was " + externalCallMs);
            positive("leak-every", leakEvery);
            if (leakMs < 0 || leakMs > 600_000) throw new IllegalArgumentException("--leak-ms must be 0..600000, was " + leakMs);
        }

        public boolean is(Pattern p) { return pattern == p; }

        /** Prisma's default pool size when no connection_limit is given: num_cpus x 2 + 1. */
        public int prismaDefaultLimit() { return 2 * vcpus + 1; }
    }

    public ServiceConfig {
        Objects.requireNonNull(jdbcUrl, "--jdbc-url is required (e.g. jdbc:postgresql://127.0.0.1:5432/storecap)");
        if (!jdbcUrl.startsWith("jdbc:postgresql:"))
            throw new IllegalArgumentException("--jdbc-url must start with jdbc:postgresql:, was " + mask(jdbcUrl));
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
        if (apiKey == null || apiKey.isBlank()) throw new IllegalArgumentException("--api-key must not be empty");
        Objects.requireNonNull(webhooks, "webhooks");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(antiPattern, "antiPattern");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(accelerate, "accelerate");
        if (accelerate.enabled() && !mode.equals("serverless"))
            throw new IllegalArgumentException("--accelerate=on replaces the function instances' own connections with Accelerate's pool;"
                    + " it needs --mode=serverless (in --mode=server the shared pool already is the app's only pool)");
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
                throw new IllegalArgumentException("argument '" + (a.startsWith("--") ? a : "?") + "' is not of the form --key=value");
            String key = a.substring(2, a.indexOf('='));
            if (!KEYS.contains(key))
                throw new IllegalArgumentException("unknown setting --" + key + "; known: " + String.join(", ", new TreeSet<>(KEYS)));
            v.put(key, a.substring(a.indexOf('=') + 1));
        }
        String redisUrl = v.get("redis-url");
        if (redisUrl != null && redisUrl.isBlank()) redisUrl = null;
        return new ServiceConfig(
                integer(v, "port", 0), v.get("jdbc-url"), v.get("db-user"), v.getOrDefault("db-password", ""),
                v.getOrDefault("mode", "serverless"), integer(v, "connection-limit", 5),
                integer(v, "pool-timeout-ms", 10_000), integer(v, "idle-ttl-ms", 10_000),
                integer(v, "cold-start-ms", 250), integer(v, "instance-concurrency", 1),
                integer(v, "max-instances", 2000), integer(v, "server-pool-size", 10),
                v.get("app-secret"), v.get("admin-token"), v.getOrDefault("dashboard", "paginated"),
                integer(v, "max-body-bytes", 1 << 20), decimal(v, "function-ms", 0), decimal(v, "db-latency-ms", 0),
                v.getOrDefault("api-key", SessionTokens.DEFAULT_AUDIENCE),
                new WebhookSettings(v.getOrDefault("webhook-mode", "immediate"), integer(v, "webhook-workers", 2),
                        integer(v, "webhook-poll-ms", 250), integer(v, "webhook-max-attempts", 5),
                        v.getOrDefault("webhook-consumer", "workers")),
                new CacheSettings(redisUrl, onOff(v, "dashboard-cache", false), integer(v, "dashboard-cache-ttl-s", 300)),
                onOff(v, "indexes", true), onOff(v, "keep-alive", true), onOff(v, "prepared-statements", true),
                new AntiPattern(Pattern.parse(v.getOrDefault("pattern", "none")), integer(v, "vcpus", 4),
                        integer(v, "external-call-ms", 300), integer(v, "leak-every", 50), integer(v, "leak-ms", 30_000)),
                RuntimeSettings.parse(v), AccelerateSettings.parse(v));
    }

    static boolean onOff(Map<String, String> v, String key, boolean dflt) {
        String s = v.get(key);
        if (s == null || s.isBlank()) return dflt;
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("--" + key + " must be on or off, was '" + s + "'");
        };
    }

    static double decimal(Map<String, String> v, String key, double dflt) {
        String s = v.get(key);
        if (s == null || s.isBlank()) return dflt;
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a number, was '" + s + "'");
        }
    }

    static int integer(Map<String, String> v, String key, int dflt) {
        String s = v.get(key);
        if (s == null || s.isBlank()) return dflt;
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " must be a whole number, was '" + s + "'");
        }
    }

    /**
     * The connection limit each pool of a function instance gets: the configured one, or Prisma's
     * default (2 x vCPUs + 1) under the default-limit-fanout anti-pattern, where the URL carries none;
     * with {@code --pool=prisma7} pg's max (10), as Prisma 7 ignores connection_limit.
     */
    public int effectiveConnectionLimit() {
        return runtime.effectiveLimit(antiPattern.is(Pattern.DEFAULT_LIMIT_FANOUT) ? antiPattern.prismaDefaultLimit() : connectionLimit);
    }

    /** The URL the app connects with: {@code prepareThreshold=0} appended when prepared statements are off. */
    public String effectiveJdbcUrl() {
        if (preparedStatements || jdbcUrl.contains("prepareThreshold=")) return jdbcUrl;
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "prepareThreshold=0";
    }

    private static final java.util.regex.Pattern URL_SECRET = java.util.regex.Pattern.compile(
            "(?i)(password=)[^&]*|(redis://[^:/@]*:)[^@]*(@)");

    /** A URL with any password in it replaced by ***, so it can be shown. */
    static String mask(String url) {
        if (url == null) return null;
        return URL_SECRET.matcher(url).replaceAll(m -> m.group(1) != null
                ? m.group(1) + "***" : java.util.regex.Matcher.quoteReplacement(m.group(2)) + "***@");
    }

    /** The settings as they may be shown: secrets left out, passwords in URLs masked. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("jdbcUrl", mask(effectiveJdbcUrl()));
        m.put("dbUser", dbUser);
        m.put("connectionLimit", effectiveConnectionLimit());
        m.put("poolTimeoutMs", poolTimeoutMs);
        m.put("idleTtlMs", idleTtlMs);
        m.put("coldStartMs", coldStartMs);
        m.put("instanceConcurrency", instanceConcurrency);
        m.put("maxInstances", maxInstances);
        m.put("serverPoolSize", serverPoolSize);
        m.put("dashboard", dashboard);
        m.put("functionMs", functionMs);
        m.put("dbLatencyMs", dbLatencyMs);
        m.put("webhookMode", webhooks.mode());
        m.put("webhookWorkers", webhooks.workers());
        m.put("webhookConsumer", webhooks.consumer());
        m.put("dashboardCache", cache.enabled() ? "on" : "off");
        m.put("redisUrl", mask(cache.redisUrl()));
        m.put("indexes", indexes ? "on" : "off");
        m.put("keepAlive", keepAlive ? "on" : "off");
        m.put("preparedStatements", preparedStatements ? "on" : "off");
        m.put("pattern", antiPattern.pattern().id());
        if (!antiPattern.is(Pattern.NONE)) {
            m.put("vcpus", antiPattern.vcpus());
            m.put("externalCallMs", antiPattern.externalCallMs());
            m.put("leakEvery", antiPattern.leakEvery());
            m.put("leakMs", antiPattern.leakMs());
        }
        m.putAll(runtime.describe());
        m.putAll(accelerate.describe());
        return m;
    }

    @Override
    public String toString() { return "ServiceConfig" + describe(); }
}
