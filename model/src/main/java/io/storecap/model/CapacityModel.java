package io.storecap.model;

import io.storecap.model.fit.Crossings;
import io.storecap.model.fit.Curve;
import io.storecap.model.knee.KneeFit;
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
 * Turns run results into a knee (or a lower bound), an interval and a verdict per claim. Pure: no
 * I/O, no clock.
 *
 * <h2>Which run answers a claim</h2>
 * The claim's baseline run ({@link RunRoles}: run id == claim id, no anti-pattern switched on); of
 * several, the one that finished last. Variant runs with an anti-pattern never give a verdict. A
 * run whose route or max_connections differs from the claim's is not evidence for it
 * (INCONCLUSIVE, with the mismatch named).
 *
 * <h2>Judging levels</h2>
 * Each level is judged by {@link LevelJudge}: it holds (every constraint held over at least 299
 * requests), fails (a constraint bound), is insufficient (too few requests to say), or is the test
 * machine's limit. Levels are ordered by the load they really carried ({@link
 * LevelResult#effectiveStores()}); the lowest machine-limited level cuts the data: nothing above
 * it says anything about the tier.
 *
 * <h2>The measurement</h2>
 * <ul>
 * <li>Holding and failing levels below the cut both exist: the knee is fitted on them by
 * {@link io.storecap.model.knee.KneeFit} (probit in log-load, profile-likelihood interval), kind
 * {@link MeasuredKind#KNEE}, binding the constraint of the failing levels; {@code replicates} is
 * the smaller number of levels measured at either end of the knee's bracket.</li>
 * <li>Only failures: the knee lies below the lowest failing load (no point, no lower end).</li>
 * <li>Only holding levels: capacity is at least the highest of them, kind
 * {@link MeasuredKind#MACHINE_LIMITED} when the machine cut the search (the saturated resource
 * named), else {@link MeasuredKind#LOWER_BOUND}. A connection fit's extrapolated crossing is given
 * beside it, as an extrapolation, never as the measurement.</li>
 * </ul>
 * Verdicts follow from the kind and interval by {@link VerdictRules}.
 */
public final class CapacityModel {
    private CapacityModel() {}

    public static final String BINDING_CONNECTIONS = "connections";
    public static final String BINDING_REFUSALS = "refusals";
    public static final String BINDING_ERRORS = "errors";
    public static final String BINDING_P95 = "p95";
    public static final String BINDING_POOLER_CLIENTS = "pooler-clients";
    public static final String BINDING_WEBHOOK_DELAY = "webhook-delay";
    public static final String BINDING_POOL_TIMEOUT = "pool-timeout";
    public static final String BINDING_STAIR_TOP = "stair-top";
    public static final String BINDING_SEARCH_TOP = "search-top";
    public static final String BINDING_INSUFFICIENT = "insufficient";
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
        List<KneeFit.Observation> obs = st.observations();
        KneeFit.Knee knee = KneeFit.fit(obs);
        if (knee != null) return Measured.knee(knee.point(), knee.low(), knee.high(), st.kneeBinding(knee.point()),
                st.replicates(knee.point(), st.search));
        if (st.firstBad != null) // failures only: the knee lies below the lowest failing load
            return new Measured(null, 0.0, st.firstBad.effectiveStores(), st.badReason, false, false, null, MeasuredKind.KNEE, 0, null);
        if (st.holding().isEmpty())
            return Measured.unknown(st.cut != null ? BINDING_TEST_MACHINE : st.levelCount == 0 ? BINDING_NO_RUN : BINDING_INSUFFICIENT);
        double bound = st.holding().stream().mapToDouble(LevelResult::effectiveStores).max().orElseThrow();
        return Measured.lowerBound(bound, st.cut != null ? BINDING_TEST_MACHINE : BINDING_SEARCH_TOP, st.cutReason,
                cross == null ? null : cross.point());
    }

    /** The verdict rules ({@link VerdictRules}). */
    public static Verdict verdict(Measured m, ClaimedRange claimed) { return VerdictRules.of(m, claimed); }

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
        RunResult.Search search = run.search();
        if (search == null)
            a.add(String.format(Locale.ROOT, "stair %s stores, %s s per level (first %s s left out of connection statistics)",
                    c.levels(), Reasons.num(c.levelSeconds()), Reasons.num(c.settleSeconds())));
        else {
            double window = run.levels().stream().mapToDouble(l -> (l.endEpochMs() - l.startEpochMs()) / 1000.0 / l.timeScale()).max().orElse(0);
            a.add(String.format(Locale.ROOT, "knee search of %d levels (seed %s): %s", run.levels().size(), run.seed(), search.why()));
            a.add(String.format(Locale.ROOT, "time scale %s to %s: every emulated duration k times its production value and every rate 1/k;"
                            + " latencies and rates here are production-equivalent; a level observes at most %s production seconds"
                            + " (the peak concurrency of longer periods is higher)",
                    Reasons.num(search.timeScaleMin()), Reasons.num(search.timeScaleMax()), Reasons.num(window)));
        }
        run.profile().forEach((k, v) -> {
            if (v instanceof Number || v instanceof String || v instanceof Boolean) a.add("profile " + k + " = " + v);
        });
        // run.json carries the profile as TrafficProfile writes it (perStorePerHour); older fixtures wrote perStoreHourly
        Object perStore = run.profile().containsKey("perStorePerHour") ? run.profile().get("perStorePerHour") : run.profile().get("perStoreHourly");
        if (perStore instanceof Map<?, ?> map && !map.isEmpty()) a.add("per-store rates per hour: " + map);
        return a;
    }

    /** The levels of one run, judged and ordered by the load they carried. */
    static final class Stair {
        /** Holding and insufficient levels below the first failure and the cut: what fits and calibrations use. */
        final List<LevelResult> good = new ArrayList<>();
        /** Every level below the cut with its judgement. */
        final List<LevelResult> judged = new ArrayList<>();
        final Map<LevelResult, LevelJudge.Judgement> judgements = new java.util.IdentityHashMap<>();
        LevelResult firstBad;
        String badReason;
        LevelResult cut;
        String cutReason;
        int levelCount;
        RunResult.Search search;
        final List<LevelCheck> checks = new ArrayList<>();

        static Stair judge(RunResult run, Tier tier, ModelSettings s) {
            Stair st = new Stair();
            st.search = run.search();
            List<LevelResult> levels = new ArrayList<>(run.levels());
            st.levelCount = levels.size();
            levels.sort(Comparator.comparingDouble(LevelResult::effectiveStores));
            Route route = run.config().route();
            for (LevelResult l : levels) {
                LevelJudge.Judgement j = LevelJudge.judge(l, tier, route, s);
                String status;
                if (st.cut != null) {
                    status = "not-used";
                } else if (j.outcome() == LevelJudge.Outcome.MACHINE) {
                    st.cut = l;
                    st.cutReason = j.why();
                    status = BINDING_TEST_MACHINE;
                } else {
                    st.judged.add(l);
                    st.judgements.put(l, j);
                    if (j.outcome() == LevelJudge.Outcome.FAILS) {
                        if (st.firstBad == null) {
                            st.firstBad = l;
                            st.badReason = j.binding();
                        }
                        status = j.binding();
                    } else {
                        if (st.firstBad == null) st.good.add(l);
                        status = j.outcome() == LevelJudge.Outcome.HOLDS ? "holds" : BINDING_INSUFFICIENT;
                    }
                }
                st.checks.add(new LevelCheck(l.stores(), l.serverConnections().max(), l.requests().p95Ms(),
                        l.requests().errorRate(), l.totalRefusals(), l.injectionRatio(), l.cpuMean(), status,
                        l.effectiveStores(), l.requests().count(), l.timeScale(), l.phase(), j.why()));
            }
            return st;
        }

        /** The levels that held (enough requests, nothing bound), below the cut. */
        List<LevelResult> holding() {
            return judged.stream().filter(l -> judgements.get(l).outcome() == LevelJudge.Outcome.HOLDS).toList();
        }

        /** Pass/fail by load of every level that counts, for the knee fit. */
        List<KneeFit.Observation> observations() {
            List<KneeFit.Observation> out = new ArrayList<>();
            for (LevelResult l : judged) {
                LevelJudge.Judgement j = judgements.get(l);
                if (j.counts() && l.effectiveStores() > 0)
                    out.add(new KneeFit.Observation(l.effectiveStores(), j.outcome() == LevelJudge.Outcome.FAILS));
            }
            return out;
        }

        /** The constraint that bound most often among the failing levels at or above the knee. */
        String kneeBinding(double knee) {
            Map<String, Long> n = judged.stream().filter(l -> judgements.get(l).outcome() == LevelJudge.Outcome.FAILS)
                    .filter(l -> l.effectiveStores() >= knee * 0.9)
                    .collect(Collectors.groupingBy(l -> judgements.get(l).binding(), LinkedHashMap::new, Collectors.counting()));
            return n.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(badReason);
        }

        /**
         * How many times each end of the knee's bracket was measured: the store count of the
         * highest holding level below the knee and of the lowest failing level above it, each
         * counting the levels run at that store count (fresh seeds) that counted; the smaller count.
         */
        int replicates(double knee, RunResult.Search search) {
            // a search names its final bracket; its ends are the store counts it replicated
            if (search != null && search.low() != null && search.high() != null) return (int) Math.min(at(search.low()), at(search.high()));
            var lo = holding().stream().filter(l -> l.effectiveStores() < knee).max(Comparator.comparingDouble(LevelResult::effectiveStores));
            var hi = judged.stream().filter(l -> judgements.get(l).outcome() == LevelJudge.Outcome.FAILS)
                    .filter(l -> l.effectiveStores() > knee).min(Comparator.comparingDouble(LevelResult::effectiveStores));
            if (lo.isEmpty() || hi.isEmpty()) return 0;
            return (int) Math.min(at(lo.get().stores()), at(hi.get().stores()));
        }

        private long at(int stores) {
            return judged.stream().filter(l -> judgements.get(l).counts()).filter(l -> l.stores() == stores).count();
        }

        /** Highest load of the good levels (0 when none). */
        double topTested() { return good.isEmpty() ? 0 : good.get(good.size() - 1).effectiveStores(); }

        double[] xs() { return good.stream().mapToDouble(LevelResult::effectiveStores).toArray(); }

        double[] ys() { return good.stream().mapToDouble(l -> l.serverConnections().max()).toArray(); }
    }
}
