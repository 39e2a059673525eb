package io.storecap.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything that decides what one run measures: the tier and route, how the service holds
 * connections, and the stair of store counts. Written into run.json so a run can be re-modelled
 * and its numbers traced back to the settings that produced them.
 *
 * @param id              run configuration id, usually the claim id ("free-direct")
 * @param tier            the tier this run emulates (max_connections, reserved slots, pooler)
 * @param route           direct to Postgres, or through PgBouncer
 * @param mode            "serverless" (emulated function instances) or "server" (one shared pool)
 * @param connectionLimit connections per function instance (Prisma's connection_limit)
 * @param idleTtlSeconds  how long an idle function instance (and its connections) lives
 * @param coldStartMs     the delay of starting a new function instance
 * @param levels          the stair: store counts, in the order they are run
 * @param levelSeconds    how long each level's arrival rate is held
 * @param settleSeconds   the first part of each level left out of connection statistics
 * @param provider        who provided Postgres and PgBouncer ("local", "containers", "external")
 * @param functionMs      the function's own work per request outside the database
 * @param dbLatencyMs     network round trip added to each statement (function to database)
 * @param serviceOptions  any further service settings the run used (webhook mode, dashboard, cache,
 *                        anti-pattern, ...), as the service's {@code --key=value} settings
 */
public record RunConfig(String id, Tier tier, Route route, String mode, int connectionLimit,
                        double idleTtlSeconds, int coldStartMs, List<Integer> levels,
                        double levelSeconds, double settleSeconds, String provider, double functionMs,
                        double dbLatencyMs, java.util.Map<String, String> serviceOptions) {
    public RunConfig {
        Objects.requireNonNull(id, "run id");
        Objects.requireNonNull(tier, "run " + id + ": tier");
        Objects.requireNonNull(route, "run " + id + ": route");
        if (!"serverless".equals(mode) && !"server".equals(mode))
            throw new IllegalArgumentException("run " + id + ": mode must be serverless or server, was " + mode);
        if (connectionLimit < 1) throw new IllegalArgumentException("run " + id + ": connectionLimit must be >= 1");
        if (levels == null || levels.isEmpty()) throw new IllegalArgumentException("run " + id + ": levels is empty");
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i) < 1) throw new IllegalArgumentException("run " + id + ": level " + levels.get(i) + " < 1");
            if (i > 0 && levels.get(i) <= levels.get(i - 1))
                throw new IllegalArgumentException("run " + id + ": levels must increase, got " + levels);
        }
        levels = List.copyOf(levels);
        if (levelSeconds <= 0) throw new IllegalArgumentException("run " + id + ": levelSeconds must be > 0");
        if (settleSeconds < 0 || settleSeconds >= levelSeconds)
            throw new IllegalArgumentException("run " + id + ": settleSeconds must be in [0, levelSeconds)");
        if (provider == null) provider = "local";
        if (functionMs < 0 || dbLatencyMs < 0)
            throw new IllegalArgumentException("run " + id + ": functionMs and dbLatencyMs must be >= 0");
        serviceOptions = serviceOptions == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(serviceOptions));
    }

    /** A run with emulated function work and network delay and no further service settings. */
    public RunConfig(String id, Tier tier, Route route, String mode, int connectionLimit, double idleTtlSeconds,
                     int coldStartMs, List<Integer> levels, double levelSeconds, double settleSeconds, String provider,
                     double functionMs, double dbLatencyMs) {
        this(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds, settleSeconds,
                provider, functionMs, dbLatencyMs, java.util.Map.of());
    }

    /** The same run on another provider ("local", "containers", "auto", ...). */
    public RunConfig withProvider(String p) {
        return new RunConfig(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds,
                settleSeconds, p, functionMs, dbLatencyMs, serviceOptions);
    }

    /** The same run with one more service setting. */
    public RunConfig withServiceOption(String key, String value) {
        java.util.Map<String, String> m = new java.util.TreeMap<>(serviceOptions);
        m.put(key, value);
        return new RunConfig(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds,
                settleSeconds, provider, functionMs, dbLatencyMs, m);
    }

    /** A run with no emulated function work or network delay (the database on loopback as it is). */
    public RunConfig(String id, Tier tier, Route route, String mode, int connectionLimit, double idleTtlSeconds,
                     int coldStartMs, List<Integer> levels, double levelSeconds, double settleSeconds, String provider) {
        this(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds, settleSeconds,
                provider, 0, 0, java.util.Map.of());
    }
}
