package io.storecap.model.explain;

import io.storecap.model.Binding;
import io.storecap.model.Claim;
import io.storecap.model.LevelResult;
import io.storecap.model.Measured;
import io.storecap.model.ModelSettings;
import io.storecap.model.Numbers;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.RunRoles;
import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimEvaluator;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.serverless.ServerlessCalibration;
import io.storecap.model.serverless.ServerlessModel;
import io.storecap.model.serverless.ServerlessParameters;
import io.storecap.model.verdict.Stair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * "Why the plan's numbers": for each claim, the measured cost of each anti-pattern (its variant run
 * beside the baseline run) and a search of the calibrated serverless model for the settings under
 * which the threshold falls inside the claimed range.
 *
 * <h2>Measured</h2>
 * The claim's rules ({@link CapacityModel#evaluateClaim}) applied to the variant run give the
 * threshold with the pattern on; the baseline run's gives it without. The gain of removing the
 * pattern is the difference. Peak server connections of both are compared at the largest store count
 * both measured.
 *
 * <h2>Modelled</h2>
 * Parameters come from the baseline run's calibration ({@link ServerlessCalibration}: per-store rate
 * r, function time S, connections per instance m, connection-seconds per request h). A pattern's
 * scenario keeps r (same traffic) and takes S, m and h from its own variant run (m not capped at
 * connection_limit: a client per request opens a pool per request); on the pooled route, server
 * connections the variant holds beyond the baseline's at the same levels bypass the pooler (cron,
 * migrations) and come off the pool's room. For each scenario and setting (idle TTL, connection_limit,
 * hold time) the threshold T(x) at per-store rate multiplier x is the largest store count whose busy-hour
 * 95 % peak connections fit ({@link ServerlessModel#fitsAt}); T falls as x rises, so the multipliers with
 * min &le; T(x) &le; max form one interval, found by bisection on ln x in [0.01, 1000]:
 * rateTo = sup{x : fits(min)}, rateFrom = inf{x : not fits(max + 1)}.
 */
public final class Explanations {
    private Explanations() {}

    /** Idle TTLs searched, seconds: the study's own, then production values up to Vercel's 15 minutes. */
    public static final double[] TTL_GRID = {10, 60, 300, 900};
    /** The production-like TTL the connection_limit and hold-time variations are evaluated at. */
    public static final double PRODUCTION_TTL = 300;
    static final int[] LIMIT_GRID = {1, 2, 10};
    static final double[] HOLD_GRID = {2, 5};
    static final double RATE_MIN = 0.01, RATE_MAX = 1000;
    static final int BISECTIONS = 16;

    /** What each anti-pattern is, in words a founder reads. */
    public static final Map<String, String> PATTERNS = Map.of(
            "client-per-request", "each request opens its own database client",
            "default-limit-fanout", "connection_limit stays at Prisma's default while loaders fan queries out in parallel",
            "tx-external-call", "transactions wait on an outside API call",
            "idle-in-tx-leak", "an error path leaves connections idle in a transaction",
            "cron-beside-pooler", "cron jobs and migrations connect directly beside the pooler");

    public static String describe(String pattern) {
        if (pattern == null) return "as the app is built";
        return PATTERNS.getOrDefault(pattern, "the " + pattern + " pattern is switched on");
    }

    public static List<ClaimExplanation> explain(List<Claim> claims, Map<String, Tier> tiers, List<ClaimResult> results,
                                                 List<RunResult> runs, Map<String, ServerlessCalibration> calibrations,
                                                 ModelSettings s) {
        Map<String, RunResult> baselines = RunRoles.baselines(runs);
        List<ClaimExplanation> out = new ArrayList<>();
        for (Claim c : claims) {
            ClaimResult result = results.stream().filter(r -> r.id().equals(c.id())).findFirst().orElse(null);
            Tier tier = tiers.get(c.tier());
            if (tier == null || result == null) continue;
            out.add(explain(c, tier, result, baselines.get(c.id()), RunRoles.variants(c.id(), runs), calibrations, s));
        }
        return out;
    }

    static ClaimExplanation explain(Claim claim, Tier tier, ClaimResult result, RunResult baseline,
                                    Map<String, RunResult> variants, Map<String, ServerlessCalibration> cals, ModelSettings s) {
        List<String> findings = new ArrayList<>(), notes = new ArrayList<>();
        if (baseline == null) {
            findings.add("No baseline run measured " + claim.id() + ", so there is nothing to explain yet.");
            return new ClaimExplanation(claim.id(), claim.claimed().text(), null, findings, List.of(), List.of(), notes);
        }
        List<PatternEffect> effects = new ArrayList<>();
        for (Map.Entry<String, RunResult> v : variants.entrySet())
            effects.add(effect(claim, tier, result, baseline, v.getKey(), v.getValue(), s));
        // measured first: the patterns that reproduce the claim, then the others
        for (PatternEffect e : effects)
            if (inClaim(claim, e.withPattern().threshold(), e.withPattern().lowerBound()))
                findings.add("Measured: " + e.sentence() + " With the pattern the measured capacity lands in the plan's "
                        + claim.claimed().text() + " stores: this is a way the plan's number comes about.");
        for (PatternEffect e : effects)
            if (!inClaim(claim, e.withPattern().threshold(), e.withPattern().lowerBound())) findings.add("Measured: " + e.sentence());
        if (variants.isEmpty())
            notes.add("No anti-pattern was measured for " + claim.id() + " (no run " + claim.id() + "~<pattern>); only the "
                    + "modelled traffic and settings are searched.");

        List<Condition> conditions = new ArrayList<>();
        ServerlessCalibration base = cals.get(baseline.runId());
        if (base == null) {
            notes.add("The baseline run could not be calibrated (it needs serverless mode and 2 good levels with warm "
                    + "instances), so no setting was searched.");
        } else {
            Map<String, Scenario> scenarios = new LinkedHashMap<>();
            scenarios.put(RunRoles.NO_PATTERN, new Scenario(base.parameters(), 0));
            for (Map.Entry<String, RunResult> v : variants.entrySet()) {
                Scenario sc = scenario(base.parameters(), baseline, v.getValue(), s);
                if (sc == null) notes.add("The " + v.getKey() + " run had no level with warm instances, so its effect is measured only.");
                else scenarios.put(v.getKey(), sc);
            }
            Search search = new Search(claim, tier, base);
            TreeSet<Double> ttls = new TreeSet<>();
            ttls.add(base.parameters().idleTtlSeconds());
            for (double t : TTL_GRID) ttls.add(t);
            int limit0 = base.parameters().connectionLimit();
            for (Map.Entry<String, Scenario> e : scenarios.entrySet())
                for (double ttl : ttls) conditions.add(search.condition(e.getKey(), e.getValue(), limit0, 1, ttl));
            Scenario none = scenarios.get(RunRoles.NO_PATTERN);
            for (int l : LIMIT_GRID)
                if (l != limit0) conditions.add(search.condition(RunRoles.NO_PATTERN, none, l, 1, PRODUCTION_TTL));
            for (double h : HOLD_GRID) conditions.add(search.condition(RunRoles.NO_PATTERN, none, limit0, h, PRODUCTION_TTL));
            findings.addAll(modelledFindings(claim, scenarios.keySet(), conditions, ttls, limit0));
            notes.add(String.format(Locale.ROOT, "Modelled thresholds are the busy-hour 95 %% peak of connections (%s), from the "
                            + "calibration of %s (per-store rate, function time %.0f ms, %.2f connections per instance); "
                            + "a pattern takes its function time, connections per instance and hold time from its own run.",
                    claim.route() == Route.POOLED ? "PgBouncer clients within max_client_conn " + tier.poolerMaxClientConn()
                            + ", and the p95 wait for its pool of " + tier.poolerPoolSize() + " within "
                            + Numbers.num(ServerlessCalibration.POOL_WAIT_BUDGET_MS) + " ms"
                            : "within the " + tier.usableConnections() + " usable",
                    baseline.runId(), 1000 * base.parameters().functionSeconds(), base.parameters().connectionsPerInstance()));
            Binding b = result.measured() == null ? null : result.measured().binding();
            if (b == Binding.P95 || b == Binding.ERRORS || b == Binding.WEBHOOK_DELAY)
                notes.add("The measured limit of " + claim.id() + " is " + b + ", which the connection model does not cover: "
                        + "the modelled conditions say only when connections would allow the claimed range.");
        }
        return new ClaimExplanation(claim.id(), claim.claimed().text(), baseline.runId(), findings, effects, conditions, notes);
    }

    // ------------------------------------------------------------------ measured

    static PatternEffect effect(Claim claim, Tier tier, ClaimResult baseResult, RunResult baseline, String pattern,
                                RunResult variant, ModelSettings s) {
        ClaimResult vr = ClaimEvaluator.evaluateClaim(claim, tier, variant, s);
        Integer at = commonLevel(baseline, variant, s);
        PatternEffect.Side with = side(vr, variant, at, s), without = side(baseResult, baseline, at, s);
        Double gain = with.threshold() == null || without.threshold() == null ? null : without.threshold() - with.threshold();
        String desc = describe(pattern);
        StringBuilder b = new StringBuilder();
        b.append("when ").append(desc).append(" (").append(pattern).append("), ").append(claim.id()).append(" holds ")
                .append(with.thresholdText()).append(" stores (").append(bindingWords(with.binding())).append("); without it ")
                .append(without.thresholdText()).append(" (").append(bindingWords(without.binding())).append(").");
        if (gain != null) {
            boolean atLeast = without.lowerBound() && !with.lowerBound();
            b.append(String.format(Locale.ROOT, " Removing it is worth %s%s stores.", atLeast ? "at least " : "",
                    gain >= 0 ? Numbers.stores(gain) : "minus " + Numbers.stores(-gain)));
        }
        if (at != null && with.peakConnections() != null && without.peakConnections() != null)
            b.append(String.format(Locale.ROOT, " At %d stores peak Postgres connections were %s with it and %s without.",
                    at, Numbers.num(with.peakConnections()), Numbers.num(without.peakConnections())));
        String sentence = Character.toUpperCase(b.charAt(0)) + b.substring(1);
        return new PatternEffect(pattern, desc, with, without, at, gain, without.lowerBound() && !with.lowerBound(), sentence);
    }

    /**
     * The store count both runs measured where their peaks say the most: the largest one at which both
     * levels were still good (a level at the limit is censored there); else the smallest shared one.
     */
    static Integer commonLevel(RunResult a, RunResult b, ModelSettings s) {
        TreeSet<Integer> common = stores(a.levels()), other = stores(b.levels());
        common.retainAll(other);
        if (common.isEmpty()) return null;
        TreeSet<Integer> good = stores(Stair.goodLevels(a, s));
        good.retainAll(stores(Stair.goodLevels(b, s)));
        good.retainAll(common);
        return good.isEmpty() ? common.first() : good.last();
    }

    private static TreeSet<Integer> stores(List<LevelResult> ls) {
        TreeSet<Integer> out = new TreeSet<>();
        for (LevelResult l : ls) out.add(l.stores());
        return out;
    }

    static PatternEffect.Side side(ClaimResult r, RunResult run, Integer at, ModelSettings s) {
        Measured m = r.measured() == null ? Measured.unknown(Binding.NO_RUN) : r.measured();
        LevelResult l = at == null ? null : run.levels().stream().filter(x -> x.stores() == at).findFirst().orElse(null);
        List<LevelResult> used = usable(run, s);
        Double perInstance = null, holdMs = null;
        if (!used.isEmpty()) {
            double conn = 0, warm = 0, active = 0, rate = 0;
            for (LevelResult x : used) {
                conn += appConnections(run, x);
                warm += x.warmInstances().mean();
                active += x.serverActive().mean();
                rate += x.achievedRps();
            }
            perInstance = warm > 0 ? conn / warm : null;
            holdMs = rate > 0 ? 1000 * active / rate : null;
        }
        long refusals = run.levels().stream().mapToLong(LevelResult::totalRefusals).sum();
        return new PatternEffect.Side(run.runId(), m.threshold(), m.low(), m.high(), m.binding(), m.lowerBound(), text(m),
                r.verdict().name(), l == null ? null : l.serverConnections().max(),
                l == null || run.config().route() != Route.POOLED ? null : l.poolerClients().max(), perInstance, holdMs, refusals);
    }

    /** Good levels with warm instances; when none, the first level with warm instances (a pattern may fail at once). */
    static List<LevelResult> usable(RunResult run, ModelSettings s) {
        List<LevelResult> good = new ArrayList<>();
        for (LevelResult l : Stair.goodLevels(run, s))
            if (l.warmInstances().mean() > 0 && l.achievedRps() > 0) good.add(l);
        if (!good.isEmpty()) return good;
        for (LevelResult l : run.levels())
            if (l.warmInstances().mean() > 0 && l.achievedRps() > 0) return List.of(l);
        return List.of();
    }

    private static double appConnections(RunResult run, LevelResult l) {
        return run.config().route() == Route.POOLED && l.poolerClients().samples() > 0 ? l.poolerClients().mean() : l.serverConnections().mean();
    }

    static boolean inClaim(Claim c, Double threshold, boolean lowerBound) {
        if (threshold == null) return false;
        if (c.claimed().openEnded()) return threshold >= c.claimed().min();
        return !lowerBound && threshold >= c.claimed().min() && threshold < c.claimed().max() + 1;
    }

    static String text(Measured m) {
        if (m.threshold() == null) return "an undetermined number of";
        if (m.lowerBound()) return "at least " + Numbers.stores(m.threshold());
        if (m.extrapolated()) return "about " + Numbers.stores(m.threshold());
        return Numbers.stores(m.threshold());
    }

    static String bindingWords(Binding b) {
        return b == null ? "no limit found" : b.limitedBy();
    }

    // ------------------------------------------------------------------ modelled

    /** A scenario's parameters and the server connections that bypass the pooler. */
    public record Scenario(ServerlessParameters parameters, double extraServerConnections) {}

    /**
     * A pattern's parameters: the baseline's per-store rate, TTL and connection_limit with the variant
     * run's function time, connections per instance (not capped) and hold time; null when the variant
     * had no level with warm instances.
     */
    public static Scenario scenario(ServerlessParameters base, RunResult baseline, RunResult variant, ModelSettings s) {
        List<LevelResult> levels = usable(variant, s);
        if (levels.isEmpty()) return null;
        ServerlessParameters v = ServerlessCalibration.fit(levels, variant.config().idleTtlSeconds(),
                variant.config().connectionLimit(), variant.config().route(), false);
        double extra = 0;
        if (variant.config().route() == Route.POOLED) {
            double sum = 0;
            int n = 0;
            for (LevelResult l : levels) {
                LevelResult b = baseline.levels().stream().filter(x -> x.stores() == l.stores()).findFirst().orElse(null);
                if (b == null) continue;
                sum += l.serverConnections().mean() - b.serverConnections().mean();
                n++;
            }
            extra = n == 0 ? 0 : Math.max(0, sum / n);
        }
        return new Scenario(new ServerlessParameters(base.requestsPerStorePerSecond(), v.functionSeconds(),
                v.connectionsPerInstance(), v.connectionSecondsPerRequest(), base.idleTtlSeconds(), base.connectionLimit()), extra);
    }

    /** The search for one claim: its limits and the run's measured ranges. */
    static final class Search {
        final Claim claim;
        final Tier tier;
        final ServerlessCalibration base;

        Search(Claim claim, Tier tier, ServerlessCalibration base) {
            this.claim = claim;
            this.tier = tier;
            this.base = base;
        }

        Condition condition(String pattern, Scenario sc, int limit, double hold, double ttl) {
            ServerlessParameters p = sc.parameters();
            double m = RunRoles.NO_PATTERN.equals(pattern) ? Math.min(p.connectionsPerInstance(), limit) : p.connectionsPerInstance();
            ServerlessParameters q = new ServerlessParameters(p.requestsPerStorePerSecond(), p.functionSeconds() * hold, m,
                    p.connectionSecondsPerRequest() * hold, ttl, limit);
            int extra = (int) Math.ceil(sc.extraServerConnections());
            int cap, pool;
            if (claim.route() == Route.POOLED) {
                cap = tier.poolerMaxClientConn();
                pool = Math.max(0, Math.min(tier.poolerPoolSize(), tier.usableConnections() - extra));
            } else {
                cap = tier.usableConnections() - extra;
                pool = 0;
            }
            int min = claim.claimed().min();
            Integer max = claim.claimed().max();
            Double rateTo = null, rateFrom = null;
            if (cap > 0 && (claim.route() != Route.POOLED || pool > 0) && fits(q, RATE_MIN, min, cap, pool)) {
                rateTo = fits(q, RATE_MAX, min, cap, pool) ? RATE_MAX : boundary(q, min, cap, pool, true);
                if (max == null) rateFrom = 0.0;
                else if (!fits(q, RATE_MIN, max + 1, cap, pool)) rateFrom = RATE_MIN;
                else if (!fits(q, RATE_MAX, max + 1, cap, pool)) rateFrom = boundary(q, max + 1, cap, pool, false);
                // else: even at the highest rate more than max stores fit: no rate puts T in range
                if (rateFrom == null || rateFrom > rateTo) { rateFrom = null; rateTo = null; }
            }
            boolean holds = rateFrom != null && rateFrom <= 1 && 1 <= rateTo;
            int stores = cap <= 0 ? 0 : ServerlessModel.storesAtLimit(q, cap, ServerlessCalibration.PRODUCTION_WINDOW_SECONDS, pool,
                    ServerlessCalibration.POOL_WAIT_BUDGET_MS, ServerlessCalibration.MAX_STORES);
            boolean extrapolated = Math.abs(ttl - base.parameters().idleTtlSeconds()) > 1e-9 || limit > base.parameters().connectionLimit()
                    || hold != 1 || stores > base.maxStores() || stores < base.minStores();
            return new Condition(pattern, limit, hold, ttl, rateFrom, rateTo, holds, stores, extrapolated,
                    sentence(pattern, limit, hold, ttl, rateFrom, rateTo, stores));
        }

        private boolean fits(ServerlessParameters q, double rate, int stores, int cap, int pool) {
            return ServerlessModel.fitsAt(q.withRateMultiplier(rate), stores, cap, ServerlessCalibration.PRODUCTION_WINDOW_SECONDS,
                    pool, ServerlessCalibration.POOL_WAIT_BUDGET_MS);
        }

        /** Bisection on ln(rate): the rate where fits(stores) turns from true to false. */
        private double boundary(ServerlessParameters q, int stores, int cap, int pool, boolean lastFitting) {
            double lo = Math.log(RATE_MIN), hi = Math.log(RATE_MAX); // fits at lo, not at hi
            for (int i = 0; i < BISECTIONS; i++) {
                double mid = 0.5 * (lo + hi);
                if (fits(q, Math.exp(mid), stores, cap, pool)) lo = mid; else hi = mid;
            }
            return Math.exp(lastFitting ? lo : hi);
        }

        private String sentence(String pattern, int limit, double hold, double ttl, Double from, Double to, int stores) {
            String setting = (RunRoles.NO_PATTERN.equals(pattern) ? "As built" : "When " + describe(pattern)) + ", idle TTL "
                    + duration(ttl) + ", connection_limit " + limit + (hold != 1 ? ", hold times x" + Numbers.num(hold) : "");
            String at = String.format(Locale.ROOT, "the model holds %s stores at the profile's peak rate", Numbers.stores((double) stores));
            if (from == null) return setting + ": " + at + "; no per-store rate between x" + Numbers.num(RATE_MIN) + " and x"
                    + Numbers.num(RATE_MAX) + " puts it in " + claim.claimed().text() + ".";
            return setting + ": " + at + "; it lands in " + claim.claimed().text() + " when each store sends "
                    + rateRange(from, to) + " the profile's peak rate.";
        }
    }

    static String rateRange(double from, double to) {
        if (from <= 0) return to >= RATE_MAX ? "any multiple of" : "at most " + times(to);
        if (to >= RATE_MAX) return "at least " + times(from);
        return times(from) + " to " + times(to);
    }

    static String times(double x) {
        return (x >= 10 ? String.format(Locale.ROOT, "%.0f", x) : x >= 1 ? String.format(Locale.ROOT, "%.1f", x)
                : String.format(Locale.ROOT, "%.2f", x)) + "x";
    }

    /** 4 s, 90 s, 5 min, 15 min. */
    public static String duration(double seconds) {
        if (seconds >= 120 && Math.abs(seconds / 60 - Math.rint(seconds / 60)) < 1e-9) return Numbers.num(seconds / 60) + " min";
        return Numbers.num(seconds) + " s";
    }

    /** The modelled conditions in words: which TTLs make each scenario hold at the profile's rate. */
    static List<String> modelledFindings(Claim claim, Iterable<String> scenarios, List<Condition> conds, TreeSet<Double> ttls, int limit0) {
        List<String> out = new ArrayList<>();
        for (String sc : scenarios) {
            List<Condition> mine = conds.stream().filter(c -> c.pattern().equals(sc) && c.connectionLimit() == limit0
                    && c.holdTimeMultiplier() == 1).toList();
            List<Double> holding = mine.stream().filter(Condition::holdsAtProfileRate).map(Condition::idleTtlSeconds).toList();
            String who = RunRoles.NO_PATTERN.equals(sc) ? "as the app is built" : "when " + describe(sc);
            String head = "Modelled: " + claim.id() + "'s " + claim.claimed().text() + " stores ";
            if (!holding.isEmpty()) {
                double lo = holding.get(0), hi = holding.get(holding.size() - 1);
                String range = lo == ttls.first() && hi == ttls.last() ? "at every idle TTL searched (" + duration(lo) + " to " + duration(hi) + ")"
                        : hi == ttls.last() ? "when idle instances live " + duration(lo) + " or longer"
                        : lo == ttls.first() ? "when idle instances live " + duration(hi) + " or less"
                        : "when idle instances live " + duration(lo) + " to " + duration(hi);
                out.add(head + "holds " + who + " " + range + " (profile's peak rate, connection_limit " + limit0 + ").");
            } else {
                Condition prod = mine.stream().filter(c -> c.idleTtlSeconds() == PRODUCTION_TTL).findFirst()
                        .orElse(mine.isEmpty() ? null : mine.get(mine.size() - 1));
                if (prod == null) continue;
                out.add(head + "does not hold " + who + " at the profile's peak rate at any idle TTL searched; at "
                        + duration(prod.idleTtlSeconds()) + " the model gives " + Numbers.stores((double) prod.storesAtProfileRate())
                        + " stores" + (prod.rateFrom() == null ? "." : ", and the claim holds when each store sends "
                        + rateRange(prod.rateFrom(), prod.rateTo()) + " the profile's peak rate."));
            }
        }
        return out;
    }
}
