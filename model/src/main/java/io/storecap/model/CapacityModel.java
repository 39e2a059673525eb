package io.storecap.model;

import io.storecap.model.fit.Crossings;
import io.storecap.model.fit.Curve;
import io.storecap.model.serverless.ServerlessCalibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns run results into a threshold, an interval and a verdict per claim. Pure: no I/O, no clock.
 *
 * <h2>Which run answers a claim</h2>
 * The claim's baseline run ({@link RunRoles}: run id == claim id, no anti-pattern switched on); of
 * several, the one that finished last. Variant runs with an anti-pattern never give a verdict. A run whose route or max_connections differs from the claim's is not evidence
 * for it (INCONCLUSIVE, with the mismatch named).
 *
 * <h2>Judging levels</h2>
 * In stair order: a level is the <b>test machine's</b> limit when the injector reached less than
 * {@link ModelSettings#minInjectionRatio()} of its target arrival rate, or when the machine's mean CPU
 * over the level reached {@link ModelSettings#cpuSaturation()}. The data is cut there: that level and
 * every later one say nothing about the tier. Of the levels before the cut, the first that breaks a
 * tier constraint is the <b>first bad level</b>, checked in this order: refusals ({@code
 * totalRefusals() > 0}), pooler clients above max_client_conn, error rate above
 * {@link ModelSettings#maxErrorRate()}, p95 above {@link ModelSettings#p95SloMs()}, queued webhooks'
 * p99 delay above {@link ModelSettings#maxWebhookDelayMs()} (only when webhooks were queued). The
 * levels before it are <b>good</b>.
 *
 * <h2>The connection fit</h2>
 * Peak server connections ({@code serverConnections().max()}) of the good levels against stores,
 * linear and power-law candidates chosen by AIC ({@link FitSelection}), with 95 % prediction bands.
 * With U = max_connections - reserved, the connection threshold's interval is: low = where the upper
 * prediction band reaches U (Issue 2's conservative threshold), point = where the curve reaches U,
 * high = where the lower band reaches U (none: unbounded). Crossings are sought up to
 * {@link ModelSettings#searchFactor()} x the top level.
 *
 * <h2>The threshold</h2>
 * <ul>
 * <li>A first bad level exists: the capacity lies between the last good level and it; that is the
 * interval and its constraint binds. The point is the last good level (the largest store count
 * shown to hold), except for refusals, where the connection curve's crossing, clamped into the
 * interval, locates it (refusals are the connection limit showing).</li>
 * <li>Else, when the connection fit's low end lies within the tested levels: the connection
 * interval, binding "connections" (extrapolated when the point lies beyond the top level).</li>
 * <li>Else nothing bound within the stair: capacity is at least the top good level (lowerBound,
 * binding "stair-top", or "test-machine" when the cut ended the stair), and the fit's extrapolated
 * crossing, if any, is given as {@link Measured#extrapolatedEstimate()}.</li>
 * </ul>
 *
 * <h2>Verdicts</h2> With the interval [low, high] (high = infinity when unbounded), point = threshold,
 * and the claim [min, max] (max = infinity for "min+"), checked in this order:
 * <ol>
 * <li>OPTIMISTIC when high &lt; min: even the interval's top is below the claim.</li>
 * <li>CONSERVATIVE when max is finite and low &gt; max (a lower bound above max counts).</li>
 * <li>CONFIRMED when the interval overlaps the claim and the point lies in it; for an open-ended
 * claim, when low &ge; min.</li>
 * <li>INCONCLUSIVE otherwise, and whenever there is no run or no usable level.</li>
 * </ol>
 */
public final class CapacityModel {
    private CapacityModel() {}

    public static final String BINDING_CONNECTIONS = "connections";
    public static final String BINDING_REFUSALS = "refusals";
    public static final String BINDING_ERRORS = "errors";
    public static final String BINDING_P95 = "p95";
    public static final String BINDING_POOLER_CLIENTS = "pooler-clients";
    public static final String BINDING_WEBHOOK_DELAY = "webhook-delay";
    public static final String BINDING_STAIR_TOP = "stair-top";
    public static final String BINDING_TEST_MACHINE = "test-machine";
    public static final String BINDING_NO_RUN = "no-run";

    /**
     * Evaluates every claim (in the given order) against the runs. A claim's verdict comes from its
     * baseline run only ({@link RunRoles}: run id == claim id, no anti-pattern); its variant runs
     * ({@code <claimId>~<pattern>}) feed the explanation ({@link io.storecap.model.explain.Explanations}).
     */
    public static StudyModel evaluate(List<Claim> claims, Map<String, Tier> tiers, List<RunResult> runs, ModelSettings settings) {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(tiers, "tiers");
        Objects.requireNonNull(settings, "settings");
        runs = runs == null ? List.of() : runs;
        List<String> notes = new ArrayList<>();
        Map<String, RunResult> latest = RunRoles.baselines(runs);
        for (String id : latest.keySet()) {
            if (claims.stream().noneMatch(c -> c.id().equals(id)))
                notes.add("run " + latest.get(id).runId() + " (configuration '" + id + "') matches no claim; it is not used for a verdict");
        }
        Map<String, Long> counts = runs.stream().filter(RunRoles::isBaseline)
                .collect(Collectors.groupingBy(RunRoles::claimId, LinkedHashMap::new, Collectors.counting()));
        counts.forEach((id, n) -> {
            if (n > 1) notes.add(n + " runs of '" + id + "'; the latest (" + latest.get(id).runId() + ") is used");
        });
        List<ClaimResult> results = new ArrayList<>();
        List<ValidationRow> validation = new ArrayList<>();
        for (Claim c : claims) {
            Tier tier = tiers.get(c.tier());
            if (tier == null)
                throw new IllegalArgumentException("claim '" + c.id() + "' names tier '" + c.tier() + "', which is not in the tiers ("
                        + String.join(", ", tiers.keySet()) + ")");
            RunResult run = latest.get(c.id());
            results.add(evaluateClaim(c, tier, run, settings));
            if (run != null) validation.addAll(Validation.holdOut(c.id(), run, settings));
        }
        List<TierCapacity> capacities = TierCapacities.of(results, latest, tiers, settings);
        List<ServerlessCalibration> serverless = new ArrayList<>();
        Map<String, ServerlessCalibration> byRun = new LinkedHashMap<>();
        for (RunResult r : RunRoles.latest(runs)) {
            ServerlessCalibration c = ServerlessCalibration.calibrate(r, settings);
            if (c != null) { serverless.add(c); byRun.put(r.runId(), c); }
        }
        List<io.storecap.model.explain.ClaimExplanation> explanations =
                io.storecap.model.explain.Explanations.explain(claims, tiers, results, runs, byRun, settings);
        return new StudyModel(results, notes, validation, capacities, serverless, explanations);
    }

    /** Evaluates one claim against its run ({@code run} may be null: no run, INCONCLUSIVE). */
    public static ClaimResult evaluateClaim(Claim claim, Tier tier, RunResult run, ModelSettings s) {
        int usable = tier.usableConnections();
        if (run == null) {
            return new ClaimResult(claim.id(), tier.id(), claim.route(), claim.claimed(), claim.text(), usable,
                    Measured.unknown(BINDING_NO_RUN), Verdict.INCONCLUSIVE,
                    "No run measured this configuration, so the claim of " + claim.claimed().text()
                            + " stores is untested; run the study for '" + claim.id() + "'.",
                    null, null, null, List.of(), List.of(), null);
        }
        List<String> assumptions = assumptions(run);
        String mismatch = mismatch(claim, tier, run);
        if (mismatch != null) {
            return new ClaimResult(claim.id(), tier.id(), claim.route(), claim.claimed(), claim.text(), usable,
                    Measured.unknown(BINDING_NO_RUN), Verdict.INCONCLUSIVE,
                    "Run " + run.runId() + " does not measure this claim: " + mismatch + ".",
                    run.runId(), null, null, List.of(), assumptions, null);
        }
        Stair stair = Stair.judge(run, tier, s);
        FitSelection fits = stair.good.size() >= LinearFit.MIN_POINTS ? FitSelection.of(stair.xs(), stair.ys()) : null;
        Measured m = threshold(stair, fits, connectionLimit(tier, claim.route()), s);
        Verdict v = verdict(m, claim.claimed());
        String reason = Reasons.sentence(claim, tier, m, v, stair, fits, s);
        Double costPerStore = m.threshold() != null && m.threshold() > 0 ? tier.monthlyCostUsd() / m.threshold() : null;
        return new ClaimResult(claim.id(), tier.id(), claim.route(), claim.claimed(), claim.text(), usable, m, v, reason,
                run.runId(), fits == null ? null : fits.linear(), fits, stair.checks, assumptions, costPerStore);
    }

    /**
     * The server-connection count the fit is compared with. Direct: max_connections - reserved. Pooled:
     * PgBouncer never opens more than its pool size, so server connections saturate there and
     * requests start to queue; the pool size (at most the usable connections) is the limit.
     */
    public static int connectionLimit(Tier tier, Route route) {
        return route == Route.POOLED ? Math.min(tier.usableConnections(), tier.poolerPoolSize()) : tier.usableConnections();
    }

    /**
     * The levels of a run that held every tier limit, before any failing or test-machine level, in
     * store order: the levels a model may be calibrated on.
     */
    public static List<LevelResult> goodLevels(RunResult run, ModelSettings s) {
        return List.copyOf(Stair.judge(run, run.config().tier(), s).good);
    }

    /** The interval where a curve reaches {@code limit}: [upper band, curve, lower band] crossings. */
    public record LimitCrossing(double low, double point, Double high) {}

    /** Where a fitted curve reaches the limit; null when even the curve never reaches it in the search range. */
    public static LimitCrossing crossing(Curve c, double limit, double searchTo) {
        double from = c.domainStart();
        double point = Crossings.first(c::predict, limit, from, searchTo);
        if (Double.isNaN(point)) return null;
        double low = Crossings.first(c::upperPrediction, limit, from, searchTo);
        double high = Crossings.first(c::lowerPrediction, limit, from, searchTo);
        return new LimitCrossing(Double.isNaN(low) ? point : Math.min(low, point), point, Double.isNaN(high) ? null : Math.max(high, point));
    }

    static Measured threshold(Stair st, FitSelection fits, int usable, ModelSettings s) {
        double top = st.topTested();
        LimitCrossing cross = fits == null || top <= 0 ? null : crossing(fits.curve(), usable, top * s.searchFactor());
        if (st.firstBad != null) {
            double lastGood = st.good.isEmpty() ? 0 : st.good.get(st.good.size() - 1).stores();
            double bad = st.firstBad.stores();
            Double point = st.good.isEmpty() ? null : lastGood;
            if (BINDING_REFUSALS.equals(st.badReason) && cross != null)
                point = Math.max(lastGood, Math.min(bad, cross.point()));
            return new Measured(point, lastGood, bad, st.badReason, false, false, null);
        }
        if (st.good.isEmpty())
            return Measured.unknown(st.cut != null ? BINDING_TEST_MACHINE : BINDING_NO_RUN);
        if (cross != null && cross.low() <= top)
            return new Measured(cross.point(), cross.low(), cross.high(), BINDING_CONNECTIONS, false, cross.point() > top, null);
        return new Measured(top, top, null, st.cut != null ? BINDING_TEST_MACHINE : BINDING_STAIR_TOP, true, false,
                cross == null ? null : cross.point());
    }

    /** The verdict rules of the class comment. */
    public static Verdict verdict(Measured m, ClaimedRange claimed) {
        if (m == null || m.low() == null) return Verdict.INCONCLUSIVE;
        double low = m.low(), high = m.highOrInfinity();
        double max = claimed.max() == null ? Double.POSITIVE_INFINITY : claimed.max();
        if (high < claimed.min()) return Verdict.OPTIMISTIC;
        if (claimed.max() != null && low > max) return Verdict.CONSERVATIVE;
        if (m.threshold() == null) return Verdict.INCONCLUSIVE;
        boolean overlaps = low <= max && high >= claimed.min();
        if (claimed.openEnded()) return low >= claimed.min() ? Verdict.CONFIRMED : Verdict.INCONCLUSIVE;
        double p = m.threshold();
        return overlaps && p >= claimed.min() && p <= max ? Verdict.CONFIRMED : Verdict.INCONCLUSIVE;
    }

    private static String mismatch(Claim c, Tier tier, RunResult run) {
        if (run.config().route() != c.route())
            return "it went " + run.config().route().id() + " but the claim is about the " + c.route().id() + " route";
        Tier rt = run.config().tier();
        if (rt.maxConnections() != tier.maxConnections() || rt.reserved() != tier.reserved())
            return "it ran with max_connections " + rt.maxConnections() + " (" + rt.reserved() + " reserved) but tier '"
                    + tier.id() + "' has " + tier.maxConnections() + " (" + tier.reserved() + " reserved)";
        return null;
    }

    static List<String> assumptions(RunResult run) {
        RunConfig c = run.config();
        List<String> a = new ArrayList<>();
        a.add(String.format(Locale.ROOT, "%s mode, %s route, connection_limit %d, idle TTL %s s, cold start %d ms",
                c.mode(), c.route().id(), c.connectionLimit(), Reasons.num(c.idleTtlSeconds()), c.coldStartMs()));
        a.add(String.format(Locale.ROOT, "stair %s stores, %s s per level (first %s s left out of connection statistics)",
                c.levels(), Reasons.num(c.levelSeconds()), Reasons.num(c.settleSeconds())));
        run.profile().forEach((k, v) -> {
            if (v instanceof Number || v instanceof String || v instanceof Boolean) a.add("profile " + k + " = " + v);
        });
        Object perStore = run.profile().get("perStoreHourly");
        if (perStore instanceof Map<?, ?> map && !map.isEmpty()) a.add("per-store rates per hour: " + map);
        return a;
    }

    /** The levels of one run, judged. */
    static final class Stair {
        final List<LevelResult> good = new ArrayList<>();
        LevelResult firstBad;
        String badReason;
        LevelResult cut;
        String cutReason;
        final List<LevelCheck> checks = new ArrayList<>();

        static Stair judge(RunResult run, Tier tier, ModelSettings s) {
            Stair st = new Stair();
            List<LevelResult> levels = new ArrayList<>(run.levels());
            levels.sort(Comparator.comparingInt(LevelResult::stores));
            for (LevelResult l : levels) {
                String status;
                if (st.cut != null || st.firstBad != null) {
                    status = "not-used";
                } else if (machineLimit(l, s) != null) {
                    st.cut = l;
                    st.cutReason = machineLimit(l, s);
                    status = BINDING_TEST_MACHINE;
                } else {
                    String bad = tierLimit(l, tier, s);
                    if (bad != null) {
                        st.firstBad = l;
                        st.badReason = bad;
                        status = bad;
                    } else {
                        st.good.add(l);
                        status = "ok";
                    }
                }
                st.checks.add(new LevelCheck(l.stores(), l.serverConnections().max(), l.requests().p95Ms(),
                        l.requests().errorRate(), l.totalRefusals(), l.injectionRatio(), l.cpuMean(), status));
            }
            return st;
        }

        /** Why this level is the test machine's limit, or null. */
        static String machineLimit(LevelResult l, ModelSettings s) {
            if (l.injectorBehind(s.minInjectionRatio()))
                return String.format(Locale.ROOT, "the load generator reached only %.0f %% of the target arrival rate",
                        100 * l.injectionRatio());
            if (l.cpuMean() >= s.cpuSaturation())
                return String.format(Locale.ROOT, "the machine's CPU averaged %.0f %% over the level", 100 * l.cpuMean());
            long capped = l.refusals().getOrDefault("instance_limit", 0L);
            if (capped > 0)
                return capped + " requests hit the emulator's own cap on function instances (raise --max-instances)";
            return null;
        }

        static String tierLimit(LevelResult l, Tier tier, ModelSettings s) {
            if (l.connectionRefusals() > 0) return BINDING_REFUSALS;
            if (l.poolerClients().max() > tier.poolerMaxClientConn()) return BINDING_POOLER_CLIENTS;
            if (l.requests().errorRate() > s.maxErrorRate()) return BINDING_ERRORS;
            if (l.requests().count() >= LevelResult.MIN_REQUESTS_FOR_P95 && l.requests().p95Ms() > s.p95SloMs()) return BINDING_P95;
            if (l.webhookDelayP99Ms() != null && l.webhookDelayP99Ms() > s.maxWebhookDelayMs()) return BINDING_WEBHOOK_DELAY;
            return null;
        }

        /** Highest store count of the good levels (0 when none). */
        double topTested() { return good.isEmpty() ? 0 : good.get(good.size() - 1).stores(); }

        double[] xs() { return good.stream().mapToDouble(LevelResult::stores).toArray(); }

        double[] ys() { return good.stream().mapToDouble(l -> l.serverConnections().max()).toArray(); }
    }
}
