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
 * @param mode            serverless (emulated function instances) or server (one shared pool)
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
 *                        anti-pattern, runtime behaviour, ...), as the service's {@code --key=value} settings
 * @param runtime         the runtime preset it ran under (config/runtimes.yaml); null for the study's
 *                        own settings (runs before runtimes existed)
 */
public record RunConfig(String id, Tier tier, Route route, ServiceMode mode, int connectionLimit,
                        double idleTtlSeconds, int coldStartMs, List<Integer> levels,
                        double levelSeconds, double settleSeconds, String provider, double functionMs,
                        double dbLatencyMs, java.util.Map<String, String> serviceOptions, String runtime) {
    public RunConfig {
        Objects.requireNonNull(id, "run id");
        Objects.requireNonNull(tier, "run " + id + ": tier");
        Objects.requireNonNull(route, "run " + id + ": route");
        Objects.requireNonNull(mode, "run " + id + ": mode (serverless or server)");
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

    /** A run under the study's own settings (no runtime preset named). */
    public RunConfig(String id, Tier tier, Route route, ServiceMode mode, int connectionLimit, double idleTtlSeconds,
                     int coldStartMs, List<Integer> levels, double levelSeconds, double settleSeconds, String provider,
                     double functionMs, double dbLatencyMs, java.util.Map<String, String> serviceOptions) {
        this(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds, settleSeconds,
                provider, functionMs, dbLatencyMs, serviceOptions, null);
    }

    /** A run with emulated function work and network delay and no further service settings. */
    public RunConfig(String id, Tier tier, Route route, ServiceMode mode, int connectionLimit, double idleTtlSeconds,
                     int coldStartMs, List<Integer> levels, double levelSeconds, double settleSeconds, String provider,
                     double functionMs, double dbLatencyMs) {
        this(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds, settleSeconds,
                provider, functionMs, dbLatencyMs, java.util.Map.of());
    }

    /** The provider (and runtime) of a run against a deployment someone runs ({@code study --target}). */
    public static final String EXTERNAL = "external";

    /**
     * Whether this run loaded a deployment someone runs: its runtime is the deployment's own, not
     * emulated; the emulation's fields (connection limit, idle TTL, cold start) describe nothing there.
     */
    public boolean againstDeployment() { return EXTERNAL.equals(provider) && EXTERNAL.equals(runtime); }

    /** The same run on another provider ("local", "containers", "auto", ...). */
    public RunConfig withProvider(String p) {
        return new RunConfig(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds,
                settleSeconds, p, functionMs, dbLatencyMs, serviceOptions, runtime);
    }

    /** The same run with one more service setting. */
    public RunConfig withServiceOption(String key, String value) {
        java.util.Map<String, String> m = new java.util.TreeMap<>(serviceOptions);
        m.put(key, value);
        return new RunConfig(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds,
                settleSeconds, provider, functionMs, dbLatencyMs, m, runtime);
    }

    /** A run with no emulated function work or network delay (the database on loopback as it is). */
    public RunConfig(String id, Tier tier, Route route, ServiceMode mode, int connectionLimit, double idleTtlSeconds,
                     int coldStartMs, List<Integer> levels, double levelSeconds, double settleSeconds, String provider) {
        this(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds, settleSeconds,
                provider, 0, 0, java.util.Map.of());
    }

    /** A builder for a run of {@code id} on {@code tier} and {@code route}; everything else as a serverless default. */
    public static Builder builder(String id, Tier tier, Route route) { return new Builder(id, tier, route); }

    /** A builder holding this run's settings, to change a few. */
    public Builder toBuilder() {
        return new Builder(id, tier, route).mode(mode).connectionLimit(connectionLimit).idleTtlSeconds(idleTtlSeconds)
                .coldStartMs(coldStartMs).levels(levels).levelSeconds(levelSeconds).settleSeconds(settleSeconds).provider(provider)
                .functionMs(functionMs).dbLatencyMs(dbLatencyMs).serviceOptions(serviceOptions).runtime(runtime);
    }

    /** Builds a {@link RunConfig}; {@link #build()} validates as the record does. */
    public static final class Builder {
        private String id;
        private Tier tier;
        private Route route;
        private ServiceMode mode = ServiceMode.SERVERLESS;
        private int connectionLimit = 5;
        private double idleTtlSeconds = 300;
        private int coldStartMs = 250;
        private List<Integer> levels = List.of();
        private double levelSeconds = 60;
        private double settleSeconds;
        private String provider = "local";
        private double functionMs;
        private double dbLatencyMs;
        private java.util.Map<String, String> serviceOptions = java.util.Map.of();
        private String runtime;

        private Builder(String id, Tier tier, Route route) {
            this.id = id;
            this.tier = tier;
            this.route = route;
        }

        public Builder id(String v) { id = v; return this; }
        public Builder tier(Tier v) { tier = v; return this; }
        public Builder route(Route v) { route = v; return this; }
        public Builder mode(ServiceMode v) { mode = v; return this; }
        public Builder connectionLimit(int v) { connectionLimit = v; return this; }
        public Builder idleTtlSeconds(double v) { idleTtlSeconds = v; return this; }
        public Builder coldStartMs(int v) { coldStartMs = v; return this; }
        public Builder levels(List<Integer> v) { levels = v; return this; }
        public Builder levelSeconds(double v) { levelSeconds = v; return this; }
        public Builder settleSeconds(double v) { settleSeconds = v; return this; }
        public Builder provider(String v) { provider = v; return this; }
        public Builder functionMs(double v) { functionMs = v; return this; }
        public Builder dbLatencyMs(double v) { dbLatencyMs = v; return this; }
        public Builder serviceOptions(java.util.Map<String, String> v) { serviceOptions = v; return this; }
        public Builder runtime(String v) { runtime = v; return this; }

        public RunConfig build() {
            return new RunConfig(id, tier, route, mode, connectionLimit, idleTtlSeconds, coldStartMs, levels, levelSeconds,
                    settleSeconds, provider, functionMs, dbLatencyMs, serviceOptions, runtime);
        }
    }
}
