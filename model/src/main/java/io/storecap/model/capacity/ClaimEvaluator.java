package io.storecap.model.capacity;

import io.storecap.model.Binding;
import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.LevelResult;
import io.storecap.model.Measured;
import io.storecap.model.MeasuredKind;
import io.storecap.model.ModelSettings;
import io.storecap.model.Numbers;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TrafficProfile;
import io.storecap.model.Verdict;
import io.storecap.model.fit.Crossings;
import io.storecap.model.fit.Curve;
import io.storecap.model.fit.FitSelection;
import io.storecap.model.fit.LinearFit;
import io.storecap.model.knee.KneeFit;
import io.storecap.model.verdict.Stair;
import io.storecap.model.verdict.VerdictRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
public final class ClaimEvaluator {
    private ClaimEvaluator() {}

    /** Evaluates one claim against its run ({@code run} may be null: no run, INCONCLUSIVE). */
    public static ClaimResult evaluateClaim(Claim claim, Tier tier, RunResult run, ModelSettings s) {
        int usable = tier.usableConnections();
        if (run == null) {
            return new ClaimResult(claim.id(), tier.id(), claim.route(), claim.claimed(), claim.text(), usable,
                    Measured.unknown(Binding.NO_RUN), Verdict.INCONCLUSIVE,
                    "No run measured this configuration, so the claim of " + claim.claimed().text()
                            + " stores is untested; run the study for '" + claim.id() + "'.",
                    null, null, null, List.of(), List.of(), null);
        }
        List<String> assumptions = assumptions(run);
        String mismatch = mismatch(claim, tier, run);
        if (mismatch != null) {
            return new ClaimResult(claim.id(), tier.id(), claim.route(), claim.claimed(), claim.text(), usable,
                    Measured.unknown(Binding.NO_RUN), Verdict.INCONCLUSIVE,
                    "Run " + run.runId() + " does not measure this claim: " + mismatch + ".",
                    run.runId(), null, null, List.of(), assumptions, null);
        }
        Stair stair = Stair.judge(run, tier, s);
        FitSelection fits = stair.good().size() >= LinearFit.MIN_POINTS ? FitSelection.ofCounts(stair.xs(), stair.ys()) : null;
        Measured m = threshold(stair, fits, connectionLimit(tier, claim.route()), s);
        Verdict v = verdict(m, claim.claimed());
        String reason = Reasons.sentence(claim, tier, m, v, stair, fits, s);
        Double costPerStore = m.threshold() != null && m.threshold() > 0 ? tier.monthlyCostUsd() / m.threshold() : null;
        return new ClaimResult(claim.id(), tier.id(), claim.route(), claim.claimed(), claim.text(), usable, m, v, reason,
                run.runId(), fits == null ? null : fits.linear(), fits, stair.checks(), assumptions, costPerStore);
    }

    /**
     * The server-connection count the fit is compared with. Direct: max_connections - reserved. Pooled:
     * PgBouncer never opens more than its pool size, so server connections saturate there and
     * requests start to queue; the pool size (at most the usable connections) is the limit.
     */
    public static int connectionLimit(Tier tier, Route route) {
        return route == Route.POOLED ? Math.min(tier.usableConnections(), tier.poolerPoolSize()) : tier.usableConnections();
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
                st.replicates(knee.point()));
        if (st.firstBad() != null) // failures only: the knee lies below the lowest failing load
            return new Measured(null, 0.0, st.firstBad().effectiveStores(), st.badReason(), false, false, null, MeasuredKind.KNEE, 0, null);
        if (st.holding().isEmpty())
            return Measured.unknown(st.cut() != null ? Binding.TEST_MACHINE : st.levelCount() == 0 ? Binding.NO_RUN : Binding.INSUFFICIENT);
        double bound = st.holding().stream().mapToDouble(LevelResult::effectiveStores).max().orElseThrow();
        return Measured.lowerBound(bound, st.cut() != null ? Binding.TEST_MACHINE : Binding.SEARCH_TOP, st.cutReason(),
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
        boolean deployment = c.againstDeployment();
        if (deployment)
            a.add(String.format(Locale.ROOT, "runtime external: the deployment at %s, %s route; its instances, pools and connection_limit"
                            + " are its own and not visible: warm instances unknown, connections as Postgres' pg_stat_activity shows them",
                    run.environment().getOrDefault("baseUrl", "?"), c.route().id()));
        else
            a.add(String.format(Locale.ROOT, "%s%s mode, %s route, connection_limit %d, idle TTL %s s, cold start %d ms",
                    c.runtime() == null ? "" : "runtime " + c.runtime() + ": ", c.mode(), c.route().id(), c.connectionLimit(),
                    Numbers.num((double) c.idleTtlSeconds()), c.coldStartMs()));
        RunResult.Search search = run.search();
        if (search == null)
            a.add(String.format(Locale.ROOT, "stair %s stores, %s s per level (first %s s left out of connection statistics)",
                    c.levels(), Numbers.num((double) c.levelSeconds()), Numbers.num((double) c.settleSeconds())));
        else {
            double window = run.levels().stream().mapToDouble(l -> (l.endEpochMs() - l.startEpochMs()) / 1000.0 / l.timeScale()).max().orElse(0);
            a.add(String.format(Locale.ROOT, "knee search of %d levels (seed %s): %s", run.levels().size(), run.seed(), search.why()));
            if (deployment)
                a.add(String.format(Locale.ROOT, "time scale 1: a deployment runs at production speed and rates, nothing stretched;"
                        + " a level observes at most %s seconds (the peak concurrency of longer periods is higher)", Numbers.num((double) window)));
            else
                a.add(String.format(Locale.ROOT, "time scale %s to %s: every emulated duration k times its production value and every rate 1/k;"
                                + " latencies and rates here are production-equivalent; a level observes at most %s production seconds"
                                + " (the peak concurrency of longer periods is higher)",
                        Numbers.num((double) search.timeScaleMin()), Numbers.num((double) search.timeScaleMax()), Numbers.num((double) window)));
        }
        TrafficProfile p = run.profile();
        if (p != null) {
            if (p.name() != null) a.add("profile name = " + p.name());
            if (p.phase() != null) a.add("profile phase = " + p.phase());
            if (p.perStorePerHour() != null && !p.perStorePerHour().isEmpty()) {
                List<String> rates = new ArrayList<>();
                p.perStorePerHour().forEach((kind, r) -> rates.add(kind + " " + Numbers.num(r.at(p.phase() == null ? "peak" : p.phase()))));
                a.add("per-store rates per hour at " + (p.phase() == null ? "peak" : p.phase()) + ": " + String.join(", ", rates));
            }
        }
        return a;
    }

}
