package io.storecap.model.serverless;

import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.ServiceMode;
import io.storecap.model.Tier;
import io.storecap.model.verdict.Stair;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The mechanistic model's parameters measured from one serverless run, its what-ifs at settings the
 * run did not use, and the sensitivity of the threshold to the traffic assumptions.
 * <p>
 * Calibration, on the run's good levels ({@link Stair#goodLevels}): when every level carries the
 * instances' own measurements, the parameters are read from them ({@link MeasuredParameters}: busy
 * time, cold starts, connections per instance apart from the workers' floor, the profile's per-store
 * rate) and their uncertainty is the bootstrap over levels ({@link ParameterBootstrap}), which every
 * threshold, what-if and sensitivity row then carries. Run files without those measurements fall
 * back to the fit below, marked {@code measured = false}:
 * <ul>
 * <li>per-store rate r: least squares through the origin of achieved rate against stores,
 * r = sum(s lambda) / sum(s^2);</li>
 * <li>connections per instance m = sum(mean connections) / sum(mean warm instances);</li>
 * <li>connection-seconds per request h = sum(mean active connections) / sum(lambda) (Little's law);</li>
 * <li>function time S: the value whose predicted mean warm instances at the run's TTL best match the
 * measured ones, least squares in log (each level counts by its relative error), by Brent's method
 * over S in [1 ms, 120 s]; predicted warm instances grow with S, so the minimum is unique.</li>
 * </ul>
 *
 * @param runId                  the run
 * @param configurationId        its configuration (claim) id
 * @param route                  direct or pooled
 * @param parameters             the calibrated parameters (TTL and connection_limit as the run used)
 * @param levelsUsed             good levels used
 * @param minStores              smallest store count used
 * @param maxStores              largest store count used
 * @param rmsLogErrorWarm        root-mean-square of ln(predicted / measured) warm instances: the fit quality
 * @param whatIfs                the model at settings the run did not use
 * @param sensitivity            stores the tier holds against each traffic assumption
 * @param measured               true when the parameters were read from the instances' own measurements;
 *                               false when fitted (a run file from before they were recorded)
 * @param achievedOverProfile    the achieved arrival rate over the profile's at the levels used (a check
 *                               on the per-store rate the model takes from the profile); null when fitted
 * @param parameterIntervals     each parameter with its 95 % bootstrap interval
 * @param bootstrap              the draws every interval comes from (not written to JSON)
 * @param levelSeconds           production seconds a level near the top of the loads used lasted (the median): how much of the
 *                               idle TTL the run could observe
 * @param rampSeconds            production seconds of the ramp before each level of a knee search, from
 *                               an empty pool (the median; {@code LevelPlanner}: max(2 s / k, 4 x cold
 *                               start)); 0 for a fixed stair
 */
public record ServerlessCalibration(String runId, String configurationId, Route route, ServerlessParameters parameters,
                                    int levelsUsed, int minStores, int maxStores, double rmsLogErrorWarm,
                                    List<WhatIf> whatIfs, List<SensitivityRow> sensitivity, boolean measured,
                                    Double achievedOverProfile, List<ParameterInterval> parameterIntervals,
                                    @com.fasterxml.jackson.annotation.JsonIgnore ParameterBootstrap bootstrap, double levelSeconds,
                                    double rampSeconds) {

    public ServerlessCalibration {
        // the draws are not written to JSON: read back, a calibration keeps its point (and its intervals above)
        if (bootstrap == null && parameters != null) bootstrap = ParameterBootstrap.pointOnly(parameters);
    }

    /** A parameter with its bootstrap interval, for the report. */
    public record ParameterInterval(String name, double value, double low, double high, String unit) {}

    /** A p95 wait for a pool connection above this is a pool limit: a fifth of the 500 ms p95 SLO. */
    public static final double POOL_WAIT_BUDGET_MS = 100;
    /** Peaks for production what-ifs are taken over a busy hour. */
    public static final double PRODUCTION_WINDOW_SECONDS = 3600;
    /** Largest store count the threshold search looks at. */
    public static final int MAX_STORES = 100_000;

    /**
     * @param scenario       what was changed, in words
     * @param stores         store count
     * @param rateMultiplier per-store rate relative to the run's
     * @param idleTtlSeconds idle TTL
     * @param connectionLimit connection_limit
     * @param prediction     the model there
     * @param extrapolated   true when any setting lies outside what the run measured
     * @param extrapolation  how far, per setting
     * @param peakConnectionsLow  2.5 % bootstrap quantile of the 95 % peak connections
     * @param peakConnectionsHigh 97.5 % bootstrap quantile of the same
     */
    public record WhatIf(String scenario, int stores, double rateMultiplier, double idleTtlSeconds, int connectionLimit,
                         ServerlessPrediction prediction, boolean extrapolated, List<String> extrapolation,
                         double peakConnectionsLow, double peakConnectionsHigh) {}

    /**
     * @param variable      "rateMultiplier", "idleTtlSeconds" or "connectionLimit"
     * @param value         its value
     * @param storesAtLimit stores the run's tier holds on this route then (peak hour, 95 %); null when
     *                      the model's search found no limit up to {@link #MAX_STORES} (censored, see beyondSearch)
     * @param extrapolated  true when the value lies outside what the run measured
     * @param beyondSearch  true when the tier holds more than {@link #MAX_STORES}: "> 100,000", never the ceiling as a value
     * @param low           2.5 % bootstrap quantile of the threshold; null when censored or unknown
     * @param high          97.5 % bootstrap quantile; null when beyond the search or unknown
     */
    public record SensitivityRow(String variable, double value, Integer storesAtLimit, boolean extrapolated, boolean beyondSearch,
                                 Integer low, Integer high) {
        /** The threshold for plotting: the search's ceiling when beyond it (charts mark such points). */
        public int storesOrCeiling() { return storesAtLimit == null ? MAX_STORES : storesAtLimit; }
    }

    /** Calibrates on a serverless run; null when the run is not serverless or has fewer than 2 good levels with warm instances. */
    public static ServerlessCalibration calibrate(RunResult run, ModelSettings settings) {
        return calibrate(run, settings, List.of());
    }

    /**
     * As above, jointly with sibling runs of the same app and runtime ({@link #sameApp}): their
     * measured levels join the run's, so busy time, cold start, connections per instance and the floor
     * rest on every level the study measured of that app, and the bootstrap draws across all of them.
     * The run's own tier, route and idle TTL stay the calibration's.
     */
    public static ServerlessCalibration calibrate(RunResult run, ModelSettings settings, List<RunResult> siblings) {
        ServerlessCalibration partial = parametersOnly(run, settings, siblings);
        if (partial == null) return null;
        ServerlessParameters p = partial.parameters();
        int maxStores = partial.maxStores();
        Tier tier = run.config().tier();
        List<WhatIf> whatIfs = List.of(
                partial.whatIf("production: 10-minute idle TTL at the largest measured stores", maxStores, 1, 600, p.connectionLimit(), tier),
                partial.whatIf("production: 5000 stores, 10-minute idle TTL", 5000, 1, 600, p.connectionLimit(), tier),
                partial.whatIf("5000 stores, twice the per-store peak rate, 10-minute idle TTL", 5000, 2, 600, p.connectionLimit(), tier));
        return new ServerlessCalibration(run.runId(), run.config().id(), run.config().route(), p, partial.levelsUsed(),
                partial.minStores(), maxStores, partial.rmsLogErrorWarm(), whatIfs, partial.sensitivity(tier), partial.measured(),
                partial.achievedOverProfile(), partial.parameterIntervals(), partial.bootstrap(), partial.levelSeconds(), partial.rampSeconds());
    }

    /** The calibration alone, without what-ifs and sensitivity (fast: for interactive what-ifs); null as {@link #calibrate}. */
    public static ServerlessCalibration parametersOnly(RunResult run, ModelSettings settings) {
        return parametersOnly(run, settings, List.of());
    }

    /**
     * Whether two runs measured the same app under the same runtime: serverless, same route,
     * connection_limit, cold start, function settings and service options (runtime, dispatch, pool,
     * patterns). Tiers may differ: busy time and connections per instance are the app's, not the tier's.
     */
    public static boolean sameApp(RunResult a, RunResult b) {
        var x = a.config();
        var y = b.config();
        return x.mode() == ServiceMode.SERVERLESS && y.mode() == ServiceMode.SERVERLESS && x.route() == y.route()
                && x.connectionLimit() == y.connectionLimit() && x.coldStartMs() == y.coldStartMs()
                && x.functionMs() == y.functionMs() && x.dbLatencyMs() == y.dbLatencyMs()
                && java.util.Objects.equals(x.runtime(), y.runtime()) && x.serviceOptions().equals(y.serviceOptions());
    }

    /** The calibration alone, jointly with sibling runs whose levels carry instance measurements. */
    public static ServerlessCalibration parametersOnly(RunResult run, ModelSettings settings, List<RunResult> siblings) {
        if (run.config().mode() != ServiceMode.SERVERLESS) return null;
        List<LevelResult> levels = new ArrayList<>();
        for (LevelResult l : Stair.goodLevels(run, settings))
            if (l.warmInstances().mean() > 0 && l.achievedRps() > 0) levels.add(l);
        if (levels.size() < 2) return null;
        if (MeasuredParameters.canRead(levels))
            for (RunResult sib : siblings) {
                if (sib == run || sib.runId().equals(run.runId()) || !sameApp(run, sib)) continue;
                for (LevelResult l : Stair.goodLevels(sib, settings))
                    if (l.warmInstances().mean() > 0 && l.achievedRps() > 0 && l.observed() != null && l.observed().served() > 0) levels.add(l);
            }
        levels.sort(java.util.Comparator.comparingInt(LevelResult::stores));
        double ttl = run.config().idleTtlSeconds();
        Route route = run.config().route();
        int limit = run.config().connectionLimit();
        Dispatch dispatch = Dispatch.of(run.config().serviceOptions());
        boolean measured = MeasuredParameters.canRead(levels);
        Double profileRate = profileRate(run);
        ParameterBootstrap boot = measured
                ? ParameterBootstrap.of(levels, ls -> MeasuredParameters.read(ls, profileRate, ttl, limit, route, dispatch, true))
                : ParameterBootstrap.pointOnly(fit(levels, ttl, limit, route));
        ServerlessParameters p = boot.point();
        double rms = 0;
        for (LevelResult l : levels) {
            double pred = measured ? predictedWarm(p, l) : ServerlessModel.meanWarmInstances(l.achievedRps(), p.functionSeconds(), ttl);
            rms += sq(Math.log(Math.max(1e-9, pred) / l.warmInstances().mean()));
        }
        rms = Math.sqrt(rms / levels.size());
        Double ratio = null;
        if (measured) {
            double achieved = 0, expected = 0;
            for (LevelResult l : levels) { achieved += l.achievedRps(); expected += l.stores() * p.requestsPerStorePerSecond(); }
            ratio = achieved / expected;
        }
        int minStores = levels.get(0).stores(), maxStores = levels.get(levels.size() - 1).stores();
        return new ServerlessCalibration(run.runId(), run.config().id(), route, p,
                levels.size(), minStores, maxStores, rms, List.of(), List.of(), measured, ratio, intervals(boot), boot,
                medianSeconds(nearTop(levels)), run.search() == null ? 0 : medianRamp(nearTop(levels), run.config().coldStartMs() / 1000.0));
    }

    /** The levels in the top half of the loads used: the conditions near the knee (a search's time scale grows with load). */
    private static List<LevelResult> nearTop(List<LevelResult> levels) {
        int top = levels.stream().mapToInt(LevelResult::stores).max().orElse(0);
        return levels.stream().filter(l -> l.stores() >= top / 2).toList();
    }

    /** The search's settle ramp before each level, production seconds: max(2 s emulated, 4 cold starts). */
    private static double medianRamp(List<LevelResult> levels, double coldStartSeconds) {
        double[] v = levels.stream().mapToDouble(l -> Math.max(2 / l.timeScale(), 4 * coldStartSeconds)).sorted().toArray();
        return v.length == 0 ? 0 : v[(v.length - 1) / 2];
    }

    private static double medianSeconds(List<LevelResult> levels) {
        double[] v = levels.stream().mapToDouble(l -> Math.max(0, l.endEpochMs() - l.startEpochMs()) / 1000.0 / l.timeScale()).sorted().toArray();
        return v.length == 0 ? 0 : v[(v.length - 1) / 2];
    }

    /** The model's warm instances for a level as it ran: its achieved rate over its own duration. */
    static double predictedWarm(ServerlessParameters p, LevelResult l) {
        double seconds = Math.max(0, l.endEpochMs() - l.startEpochMs()) / 1000.0 / l.timeScale();
        return InstanceDynamics.meanWarm(l.achievedRps(), p, seconds);
    }

    /** The profile's requests per store per second (the slope of its total rate on stores); null without a profile. */
    static Double profileRate(RunResult run) {
        io.storecap.model.TrafficProfile p = run.profile();
        if (p == null || p.perStorePerHour() == null) return null;
        String phase = p.phase() == null ? "peak" : p.phase();
        double r = p.perStorePerHour().values().stream().mapToDouble(x -> x.at(phase)).sum() / 3600;
        return r > 0 ? r : null;
    }

    private static List<ParameterInterval> intervals(ParameterBootstrap b) {
        List<ParameterInterval> out = new ArrayList<>();
        add(out, b, "functionSeconds", ServerlessParameters::functionSeconds, "s");
        add(out, b, "coldStartSeconds", ServerlessParameters::coldStartSeconds, "s");
        add(out, b, "connectionsPerInstance", ServerlessParameters::connectionsPerInstance, "");
        add(out, b, "floorConnections", ServerlessParameters::floorConnections, "");
        add(out, b, "connectionSecondsPerRequest", ServerlessParameters::connectionSecondsPerRequest, "s");
        return out;
    }

    private static void add(List<ParameterInterval> out, ParameterBootstrap b, String name,
                            java.util.function.ToDoubleFunction<ServerlessParameters> f, String unit) {
        ParameterBootstrap.Estimate e = b.estimate(f);
        out.add(new ParameterInterval(name, e.value(), e.low(), e.high(), unit));
    }

    /** Fits the parameters to levels measured at a known TTL and connection_limit (direct route). */
    public static ServerlessParameters fit(List<LevelResult> levels, double ttl, int connectionLimit) {
        return fit(levels, ttl, connectionLimit, Route.DIRECT);
    }

    /**
     * Fits the parameters to levels measured at a known TTL and connection_limit. The connections an
     * instance holds are the app's own: Postgres backends on the direct route, PgBouncer client
     * connections on the pooled route (where the server side is PgBouncer's pool, not the instances').
     */
    public static ServerlessParameters fit(List<LevelResult> levels, double ttl, int connectionLimit, Route route) {
        return fit(levels, ttl, connectionLimit, route, true);
    }

    /**
     * As {@link #fit(List, double, int, Route)}; with {@code capAtLimit} false the connections per
     * instance are not capped at connection_limit, for anti-patterns that open more than one pool per
     * instance (a new client per request) or leak connections.
     */
    public static ServerlessParameters fit(List<LevelResult> levels, double ttl, int connectionLimit, Route route, boolean capAtLimit) {
        if (levels.isEmpty()) throw new IllegalArgumentException("calibration needs at least one level with warm instances");
        double sxy = 0, sxx = 0, conn = 0, warm = 0, active = 0, rate = 0;
        for (LevelResult l : levels) {
            sxy += l.stores() * l.achievedRps();
            sxx += (double) l.stores() * l.stores();
            conn += route == Route.POOLED && l.poolerClients().samples() > 0 ? l.poolerClients().mean() : l.serverConnections().mean();
            warm += l.warmInstances().mean();
            active += l.serverActive().mean();
            rate += l.achievedRps();
        }
        double r = sxy / sxx;
        double m = Math.max(1e-9, conn / warm);
        if (capAtLimit) m = Math.min(connectionLimit, m);
        double h = active / rate;
        UnivariateObjectiveFunction f = new UnivariateObjectiveFunction(u -> {
            double s = Math.exp(u), err = 0;
            for (LevelResult l : levels)
                err += sq(Math.log(ServerlessModel.meanWarmInstances(l.achievedRps(), s, ttl) / l.warmInstances().mean()));
            return err;
        });
        double u = new BrentOptimizer(1e-10, 1e-12).optimize(new MaxEval(500), f, GoalType.MINIMIZE,
                new SearchInterval(Math.log(1e-3), Math.log(120))).getPoint();
        return new ServerlessParameters(r, Math.exp(u), m, h, ttl, connectionLimit);
    }

    /** The model at settings of choice, with what it extrapolates named. */
    public WhatIf whatIf(String scenario, int stores, double rateMultiplier, double idleTtlSeconds, int connectionLimit, Tier tier) {
        ServerlessParameters q = parameters.withRateMultiplier(rateMultiplier).withIdleTtlSeconds(idleTtlSeconds)
                .withConnectionLimit(connectionLimit);
        int pool = route == Route.POOLED ? tier.poolerPoolSize() : 0;
        ServerlessPrediction x = ServerlessModel.predict(q, stores, PRODUCTION_WINDOW_SECONDS, pool);
        List<String> notes = extrapolation(stores * rateMultiplier, idleTtlSeconds, connectionLimit);
        ParameterBootstrap.Estimate peak = (bootstrap == null ? ParameterBootstrap.pointOnly(parameters) : bootstrap).map(b -> b.withRateMultiplier(rateMultiplier).withIdleTtlSeconds(idleTtlSeconds)
                .withConnectionLimit(connectionLimit)).estimate(b -> ServerlessModel.predict(b, stores, PRODUCTION_WINDOW_SECONDS, pool).peakConnectionsP95());
        return new WhatIf(scenario, stores, rateMultiplier, idleTtlSeconds, connectionLimit, x, !notes.isEmpty(), notes,
                Math.min(peak.low(), x.peakConnectionsP95()), Math.max(peak.high(), x.peakConnectionsP95()));
    }

    private List<String> extrapolation(double effectiveStores, double ttl, int limit) {
        List<String> notes = new ArrayList<>();
        if (effectiveStores > maxStores * 1.0001)
            notes.add(String.format(Locale.ROOT, "load of %.0f stores is %.1fx the largest measured (%d)", effectiveStores,
                    effectiveStores / maxStores, maxStores));
        if (effectiveStores < minStores * 0.9999)
            notes.add(String.format(Locale.ROOT, "load of %.0f stores is below the smallest measured (%d)", effectiveStores, minStores));
        if (Math.abs(ttl - parameters.idleTtlSeconds()) > 1e-9)
            notes.add(String.format(Locale.ROOT, "idle TTL %.0f s was not measured (the run used %.0f s)", ttl, parameters.idleTtlSeconds()));
        if (levelSeconds > 0 && levelSeconds < ttl)
            notes.add(String.format(Locale.ROOT, "its levels lasted %.0f production seconds, %.0fx shorter than the %.0f s idle TTL:"
                    + " no idle instance was reclaimed within a level (see ./storecap validate for TTLs measured in steady state)",
                    levelSeconds, ttl / levelSeconds, ttl));
        if (limit > parameters.connectionLimit())
            notes.add("connection_limit " + limit + " is above the run's " + parameters.connectionLimit()
                    + "; connections per instance are assumed to stay at " + fmt(parameters.connectionsPerInstance()));
        return notes;
    }

    /** Stores the tier holds against per-store rate, idle TTL and connection_limit (one at a time), each with its interval. */
    public List<SensitivityRow> sensitivity(Tier tier) {
        List<SensitivityRow> rows = new ArrayList<>();
        for (double m : new double[]{0.5, 1, 2, 4})
            rows.add(row(tier, "rateMultiplier", m, q -> q.withRateMultiplier(m),
                    !extrapolation(maxStores * m, parameters.idleTtlSeconds(), parameters.connectionLimit()).isEmpty()));
        for (double ttl : new double[]{parameters.idleTtlSeconds(), 60, 300, 600, 900}) {
            if (ttl != parameters.idleTtlSeconds() && rows.stream().anyMatch(r -> r.variable().equals("idleTtlSeconds") && r.value() == ttl)) continue;
            rows.add(row(tier, "idleTtlSeconds", ttl, q -> q.withIdleTtlSeconds(ttl), Math.abs(ttl - parameters.idleTtlSeconds()) > 1e-9));
        }
        for (int l : new int[]{1, 2, 3, 5, 10})
            rows.add(row(tier, "connectionLimit", l, q -> q.withConnectionLimit(l), l > parameters.connectionLimit()));
        return rows;
    }

    /**
     * The store count a tier holds on this run's route in production (a busy hour's 95 % peak), with
     * the settings changed by {@code change} on the calibrated parameters and on every bootstrap draw.
     * The one model number the verdict, the tier table and the explanations all quote.
     */
    public ModelThreshold threshold(Tier tier, java.util.function.UnaryOperator<ServerlessParameters> change) {
        int limit = route == Route.POOLED ? tier.poolerMaxClientConn() : tier.usableConnections();
        int pool = route == Route.POOLED ? tier.poolerPoolSize() : 0;
        ParameterBootstrap b = (bootstrap == null ? ParameterBootstrap.pointOnly(parameters) : bootstrap).map(change);
        return ModelThreshold.of(b, limit, pool, PRODUCTION_WINDOW_SECONDS, POOL_WAIT_BUDGET_MS, MAX_STORES);
    }

    private SensitivityRow row(Tier tier, String variable, double value, java.util.function.UnaryOperator<ServerlessParameters> change,
                               boolean extrapolated) {
        ModelThreshold t = threshold(tier, change);
        return new SensitivityRow(variable, value, t.stores(), extrapolated || t.beyondSearch() || t.stores() > maxStores,
                t.beyondSearch(), t.low(), t.high());
    }

    private static double sq(double v) { return v * v; }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.2f", v); }
}
