package io.storecap.model.explain;

import io.storecap.model.Binding;
import io.storecap.model.Claim;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.Numbers;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.RunRoles;
import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.explain.Explanations.Scenario;
import io.storecap.model.serverless.ServerlessCalibration;
import io.storecap.model.serverless.ServerlessModel;
import io.storecap.model.serverless.ServerlessParameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static io.storecap.model.explain.Explanations.PRODUCTION_TTL;
import static io.storecap.model.explain.Explanations.TTL_GRID;
import static io.storecap.model.explain.Explanations.describe;
import static io.storecap.model.explain.Explanations.duration;

/**
 * The modelled half of an explanation: the settings under which the threshold falls inside the
 * claimed range. Parameters come from the baseline run's calibration ({@link ServerlessCalibration}:
 * per-store rate r, function time S, connections per instance m, connection-seconds per request h). A
 * pattern's scenario keeps r (same traffic) and takes S, m and h from its own variant run (m not capped
 * at connection_limit: a client per request opens a pool per request); on the pooled route, server
 * connections the variant holds beyond the baseline's at the same levels bypass the pooler (cron,
 * migrations) and come off the pool's room. For each scenario and setting (idle TTL, connection_limit,
 * hold time) the threshold T(x) at per-store rate multiplier x is the largest store count whose busy-hour
 * 95 % peak connections fit ({@link ServerlessModel#fitsAt}); T falls as x rises, so the multipliers with
 * min &le; T(x) &le; max form one interval, found by bisection on ln x in [0.01, 1000]:
 * rateTo = sup{x : fits(min)}, rateFrom = inf{x : not fits(max + 1)}.
 */
final class ModelledConditions {
    private ModelledConditions() {}

    static final int[] LIMIT_GRID = {1, 2, 10};
    static final double[] HOLD_GRID = {2, 5};
    static final double RATE_MIN = 0.01, RATE_MAX = 1000;
    static final int BISECTIONS = 16;

    /** The modelled part of one claim's explanation: the conditions searched, their findings in words and notes on how. */
    record Modelled(List<Condition> conditions, List<String> findings, List<String> notes) {}

    /**
     * Searches the settings for one claim from its baseline run's calibration ({@code base}; null when the
     * run could not be calibrated, and then nothing is searched): each measured pattern's scenario across
     * the idle TTLs, then the pattern-free scenario across connection_limit and hold time at the production TTL.
     */
    static Modelled explain(Claim claim, Tier tier, ClaimResult result, RunResult baseline, Map<String, RunResult> variants,
                            ServerlessCalibration base, ModelSettings s) {
        List<String> findings = new ArrayList<>(), notes = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>();
        if (base == null) {
            notes.add("The baseline run could not be calibrated (it needs serverless mode and 2 good levels with warm "
                    + "instances), so no setting was searched.");
            return new Modelled(conditions, findings, notes);
        }
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
        return new Modelled(conditions, findings, notes);
    }

    /** {@link Explanations#scenario}: a pattern's parameters, or null when its run had no level with warm instances. */
    static Scenario scenario(ServerlessParameters base, RunResult baseline, RunResult variant, ModelSettings s) {
        List<LevelResult> levels = MeasuredEffects.usable(variant, s);
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
        // the variant's own busy time and connections; the baseline's traffic, cold start, dispatch and floor
        return new Scenario(base.withFunctionSeconds(v.functionSeconds())
                .withConnections(v.connectionsPerInstance(), v.connectionSecondsPerRequest()), extra);
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
                    p.connectionSecondsPerRequest() * hold, ttl, limit, p.coldStartSeconds(), p.dispatch(), p.floorConnections(), p.floorPeak());
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
            boolean beyond = stores >= ServerlessCalibration.MAX_STORES;
            // as built at the run's connection_limit: the same threshold, with its interval, as the tier table and the verdict
            io.storecap.model.serverless.ModelThreshold t = RunRoles.NO_PATTERN.equals(pattern) && hold == 1
                    && limit == base.parameters().connectionLimit() && claim.route() == base.route() && sc.extraServerConnections() == 0
                    ? base.threshold(tier, x -> x.withIdleTtlSeconds(ttl)) : null;
            return new Condition(pattern, limit, hold, ttl, rateFrom, rateTo, holds, beyond ? null : stores, extrapolated,
                    sentence(pattern, limit, hold, ttl, rateFrom, rateTo, stores, t), beyond,
                    t == null ? null : t.low(), t == null ? null : t.high());
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

        private String sentence(String pattern, int limit, double hold, double ttl, Double from, Double to, int stores,
                                io.storecap.model.serverless.ModelThreshold t) {
            String setting = (RunRoles.NO_PATTERN.equals(pattern) ? "As built" : "When " + describe(pattern)) + ", idle TTL "
                    + duration(ttl) + ", connection_limit " + limit + (hold != 1 ? ", hold times x" + Numbers.num(hold) : "");
            String at = stores >= ServerlessCalibration.MAX_STORES
                    ? "the model finds no limit up to " + Numbers.stores((double) ServerlessCalibration.MAX_STORES)
                      + " stores (the range it searches) at the profile's peak rate"
                    : String.format(Locale.ROOT, "the model holds %s stores at the profile's peak rate", t != null && t.stores() != null
                            ? t.text(ServerlessCalibration.MAX_STORES) : Numbers.stores((double) stores));
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
                        + duration(prod.idleTtlSeconds()) + " the model gives " + (prod.beyondSearch() ? "more than " + Numbers.stores((double) ServerlessCalibration.MAX_STORES)
                        : Numbers.stores((double) prod.storesAtProfileRate()))
                        + " stores" + (prod.rateFrom() == null ? "." : ", and the claim holds when each store sends "
                        + rateRange(prod.rateFrom(), prod.rateTo()) + " the profile's peak rate."));
            }
        }
        return out;
    }
}
