package io.storecap.model;

import java.util.Map;

/**
 * One step of the stair: what was asked, what was achieved, what the database saw.
 *
 * @param stores           store count of this level
 * @param startEpochMs     first request of the level
 * @param endEpochMs       last request of the level
 * @param targetRps        arrival rate the profile asks for at this store count
 * @param achievedRps      arrival rate the injector reached (requests started / duration)
 * @param requests         all requests of the level
 * @param byKind           per request kind (recommendations, cart-event, webhook, ...)
 * @param serverConnections client backends of the app role in pg_stat_activity (after settling)
 * @param serverActive     of those, the ones in state 'active' or 'idle in transaction'
 * @param poolerClients    PgBouncer client connections (cl_active + cl_waiting), 0 on the direct route
 * @param poolerWaiting    PgBouncer clients waiting for a server connection
 * @param warmInstances    emulated function instances alive (serverless mode)
 * @param refusals         failures by cause during this level (e.g. "too_many_clients", "pool_timeout")
 * @param coldStarts       function instances started during this level
 * @param cpuMean          machine CPU use, 0..1, mean over the level until its first connection refusal
 *                         (refused connections cost Postgres a backend each: CPU they burn is the
 *                         failure's effect, not a machine limit)
 * @param cpuMax           machine CPU use, 0..1, highest sample of the level
 * @param webhookDelayP99Ms queued webhooks received in this level: 99th percentile of the time from
 *                         acknowledgement to processing, in ms; null when webhooks are processed at once
 * @param webhookDelayMaxMs the same, the slowest one; null when not queued
 * @param timeScale        the level's time scale k: every emulated duration was k times its
 *                         production value and every rate 1/k times; latencies, delays and rates
 *                         in this record are production-equivalent (already divided back); 0 in
 *                         run files written before time scaling = 1
 * @param seed             the seed of the level's arrivals and store choices; null when not seeded
 * @param phase            the knee search's step that ran it: "ramp", "down", "bisect",
 *                         "replicate"; "stair" for a fixed stair
 * @param cpuCores         CPU of the processes behind the level, in cores (e.g. "pgbouncer" 0.4);
 *                         empty when not measured
 * @param observed         the function instances' own measurements (busy time, cold starts, their
 *                         connections apart from the floor); null for a server-mode level or a run
 *                         file written before they were measured
 */
public record LevelResult(int stores, long startEpochMs, long endEpochMs, double targetRps, double achievedRps,
                          RequestStats requests, Map<String, RequestStats> byKind,
                          ConnectionStats serverConnections, ConnectionStats serverActive,
                          ConnectionStats poolerClients, ConnectionStats poolerWaiting,
                          ConnectionStats warmInstances, Map<String, Long> refusals, long coldStarts,
                          double cpuMean, double cpuMax, Double webhookDelayP99Ms, Double webhookDelayMaxMs,
                          double timeScale, Long seed, String phase, Map<String, Double> cpuCores,
                          InstanceObservation observed) {
    public LevelResult {
        byKind = byKind == null ? Map.of() : Map.copyOf(byKind);
        refusals = refusals == null ? Map.of() : Map.copyOf(refusals);
        cpuCores = cpuCores == null ? Map.of() : Map.copyOf(cpuCores);
        if (timeScale <= 0) timeScale = 1;
        if (phase == null) phase = "stair";
    }

    /** A level without the instances' own measurements. */
    public LevelResult(int stores, long startEpochMs, long endEpochMs, double targetRps, double achievedRps,
                       RequestStats requests, Map<String, RequestStats> byKind,
                       ConnectionStats serverConnections, ConnectionStats serverActive,
                       ConnectionStats poolerClients, ConnectionStats poolerWaiting,
                       ConnectionStats warmInstances, Map<String, Long> refusals, long coldStarts,
                       double cpuMean, double cpuMax, Double webhookDelayP99Ms, Double webhookDelayMaxMs,
                       double timeScale, Long seed, String phase, Map<String, Double> cpuCores) {
        this(stores, startEpochMs, endEpochMs, targetRps, achievedRps, requests, byKind, serverConnections, serverActive,
                poolerClients, poolerWaiting, warmInstances, refusals, coldStarts, cpuMean, cpuMax, webhookDelayP99Ms,
                webhookDelayMaxMs, timeScale, seed, phase, cpuCores, null);
    }

    /** A stair level (time scale 1, no seed) with queued-webhook measurements. */
    public LevelResult(int stores, long startEpochMs, long endEpochMs, double targetRps, double achievedRps,
                       RequestStats requests, Map<String, RequestStats> byKind,
                       ConnectionStats serverConnections, ConnectionStats serverActive,
                       ConnectionStats poolerClients, ConnectionStats poolerWaiting,
                       ConnectionStats warmInstances, Map<String, Long> refusals, long coldStarts,
                       double cpuMean, double cpuMax, Double webhookDelayP99Ms, Double webhookDelayMaxMs) {
        this(stores, startEpochMs, endEpochMs, targetRps, achievedRps, requests, byKind, serverConnections, serverActive,
                poolerClients, poolerWaiting, warmInstances, refusals, coldStarts, cpuMean, cpuMax, webhookDelayP99Ms,
                webhookDelayMaxMs, 1, null, "stair", Map.of());
    }

    /** A level without queued-webhook measurements. */
    public LevelResult(int stores, long startEpochMs, long endEpochMs, double targetRps, double achievedRps,
                       RequestStats requests, Map<String, RequestStats> byKind,
                       ConnectionStats serverConnections, ConnectionStats serverActive,
                       ConnectionStats poolerClients, ConnectionStats poolerWaiting,
                       ConnectionStats warmInstances, Map<String, Long> refusals, long coldStarts,
                       double cpuMean, double cpuMax) {
        this(stores, startEpochMs, endEpochMs, targetRps, achievedRps, requests, byKind, serverConnections, serverActive,
                poolerClients, poolerWaiting, warmInstances, refusals, coldStarts, cpuMean, cpuMax, null, null);
    }

    /** The same level with other instance measurements. */
    public LevelResult withObserved(InstanceObservation o) {
        return new LevelResult(stores, startEpochMs, endEpochMs, targetRps, achievedRps, requests, byKind, serverConnections, serverActive,
                poolerClients, poolerWaiting, warmInstances, refusals, coldStarts, cpuMean, cpuMax, webhookDelayP99Ms, webhookDelayMaxMs,
                timeScale, seed, phase, cpuCores, o);
    }

    /**
     * The same level with what its target did not show left empty rather than zero: function
     * instances (a deployment's are not visible) and the pooler's clients (a pooler without a
     * console). Empty statistics have no samples, and the report says "unknown".
     */
    public LevelResult unseen(boolean instances, boolean pooler) {
        return new LevelResult(stores, startEpochMs, endEpochMs, targetRps, achievedRps, requests, byKind, serverConnections, serverActive,
                pooler ? ConnectionStats.EMPTY : poolerClients, pooler ? ConnectionStats.EMPTY : poolerWaiting,
                instances ? ConnectionStats.EMPTY : warmInstances, refusals, coldStarts, cpuMean, cpuMax, webhookDelayP99Ms,
                webhookDelayMaxMs, timeScale, seed, phase, cpuCores);
    }

    /**
     * Requests refused a connection: Postgres' "too many clients" (53300) and pool waits beyond
     * pool_timeout. Other failures (a database error, the emulator's own instance cap, a pooler that
     * is down during a fault) are not the tier's connection limit: they count in the error rate.
     */
    public long connectionRefusals() {
        return connectionRefusals(refusals);
    }

    /** The connection refusals (53300 and pool timeouts) among failures counted by cause, as the service reports them. */
    public static long connectionRefusals(Map<String, Long> byCause) {
        return byCause.getOrDefault("too_many_clients", 0L) + byCause.getOrDefault("pool_timeout", 0L);
    }

    public long totalRefusals() { return refusals.values().stream().mapToLong(Long::longValue).sum(); }

    /** Achieved over target arrival rate; below ~0.95 the injector (the test machine) fell behind. */
    public double injectionRatio() { return targetRps <= 0 ? 1 : achievedRps / targetRps; }

    /**
     * The load the level really carried, in stores: its label scaled by achieved over target
     * arrivals. Every fit, chart and knee uses this, not the label. Over fewer than 299 expected
     * arrivals (a scout, or a level stopped early once it had clearly failed) the achieved count is
     * mostly Poisson noise (+-6 % at 299), so the label stands.
     */
    public double effectiveStores() {
        double seconds = Math.max(0, endEpochMs - startEpochMs) / 1000.0 / timeScale;
        if (targetRps * seconds < MIN_REQUESTS_TO_HOLD) return stores;
        return stores * Math.min(1.5, injectionRatio());
    }

    /**
     * Whether the injector fell behind by more than chance explains: the ratio is below
     * {@code minRatio} and the shortfall exceeds three standard deviations of a Poisson count with
     * the expected mean. Open-model arrivals are random, so a level expecting 3 requests that got 1
     * is noise, while one expecting 3000 that got 2700 is a saturated load generator.
     */
    public boolean injectorBehind(double minRatio) {
        // rates are production-equivalent: the injector sent 1/timeScale of them per emulated second
        double seconds = Math.max(0, endEpochMs - startEpochMs) / 1000.0 / timeScale;
        double expected = targetRps * seconds;
        double shortfall = expected - achievedRps * seconds;
        return injectionRatio() < minRatio && shortfall > 3 * Math.sqrt(Math.max(expected, 1));
    }

    /**
     * Requests a level needs before it can be said to hold: with 0 failures in 299 the error rate's
     * one-sided 95 % upper bound is 1 % ({@link Binomial#requestsToBound}).
     */
    public static final int MIN_REQUESTS_TO_HOLD = (int) Binomial.requestsToBound(0.01, 0.95);

    /** Fewer requests than this and a p95 is just the slowest one or two: not judged against the SLO. */
    public static final int MIN_REQUESTS_FOR_P95 = 20;
}
