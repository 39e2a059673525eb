package io.storecap.model.whatif;

import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.RunRoles;
import io.storecap.model.Tier;
import io.storecap.model.TrafficProfile;
import io.storecap.model.explain.Explanations;
import io.storecap.model.queue.ErlangC;
import io.storecap.model.serverless.ServerlessCalibration;
import io.storecap.model.serverless.ServerlessModel;
import io.storecap.model.serverless.ServerlessParameters;
import io.storecap.model.serverless.InstanceDynamics;
import io.storecap.model.serverless.ModelThreshold;
import io.storecap.model.serverless.ParameterBootstrap;
import io.storecap.model.verdict.Stair;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Answers a {@link WhatIfQuery} with the serverless model calibrated on the study's runs, without
 * running load. Pure and fast (one calibration, a few Poisson sums): well under a second.
 *
 * <h2>Which run</h2>
 * The baseline run ({@link RunRoles}) of the asked tier and route; else the baseline run of the same
 * route that measured the most stores (connections per store are a property of the app and the
 * route; the tier only sets the limit). With {@code pattern}, the pattern's variant run of that claim
 * (else of any claim on the route) supplies function time, connections per instance and hold time
 * ({@link Explanations#scenario}).
 *
 * <h2>Predictions</h2>
 * lambda = stores x r x rate multiplier. Warm instances W(t) = max N over the idle TTL with N ~
 * Poisson(lambda S) ({@link ServerlessModel}); the peak over a window D is max N over D + TTL, whose
 * distribution is P(max &lt; k) = F(k-1) exp(-lambda (D + TTL) p(k-1)). Peak connections = m x that
 * peak, reported as the median with the 2.5 % and 97.5 % quantiles, the quantiles evaluated with S
 * moved by -2 and +2 x the calibration's rms log error (at least 5 %), so the interval covers both
 * the randomness of a window and the fit's error; low end rounded down, high end up.
 * <ul>
 * <li>Direct route: the peak above is the Postgres connections.</li>
 * <li>Pooled route: it is PgBouncer's clients; Postgres sees the server pool, whose busy connections
 * are M/M/infinity with offered load lambda h over the window plus PgBouncer's server_idle_timeout
 * (600 s), never below the fewest the run kept open and never above the pool.</li>
 * <li>p95: the measured p95 of the calibrating run's good levels (at least
 * {@link LevelResult#MIN_REQUESTS_FOR_P95} requests) interpolated linearly in arrival rate (held at
 * the nearest end outside them); on the pooled route plus Erlang C's 95 % wait for the pool
 * (c = pool size, service time h).</li>
 * <li>Threshold: the largest store count whose busy-hour (3600 s) 95 % peak fits the limit
 * ({@link ServerlessModel#storesAtLimit}): the usable connections (direct) or max_client_conn with the
 * pool's p95 wait within {@link ServerlessCalibration#POOL_WAIT_BUDGET_MS} (pooled).</li>
 * </ul>
 */
public final class WhatIf {
    private WhatIf() {}

    /** PgBouncer's default server_idle_timeout: server connections idle this long are closed. */
    public static final double PGBOUNCER_SERVER_IDLE_SECONDS = 600;
    static final double MIN_LOG_ERROR = 0.05;

    public static WhatIfAnswer answer(WhatIfQuery q, List<RunResult> runs, Map<String, Tier> tiers, ModelSettings s) {
        Tier tier = tiers.get(q.tier());
        if (tier == null)
            throw new IllegalArgumentException("tier '" + q.tier() + "' is not in the tiers file; use one of " + String.join(", ", tiers.keySet()));
        ModelSettings settings = s == null ? ModelSettings.defaults() : s;
        Calibrated cal = pick(q, runs, settings);
        RunResult run = cal.run;
        ServerlessParameters base = cal.calibration.parameters();
        List<String> notes = new ArrayList<>(), ext = new ArrayList<>();

        ServerlessParameters p = base;
        double extraServer = 0;
        String patternRun = null;
        if (q.pattern() != null) {
            RunResult variant = variant(q, run, runs);
            Explanations.Scenario sc = Explanations.scenario(base, run, variant, settings);
            if (sc == null)
                throw new IllegalArgumentException("the " + q.pattern() + " run " + variant.runId() + " has no level with warm instances, "
                        + "so its effect cannot be calibrated; re-run it or omit --pattern");
            p = sc.parameters();
            extraServer = sc.extraServerConnections();
            patternRun = variant.runId();
            notes.add("pattern " + q.pattern() + " (" + Explanations.describe(q.pattern()) + "): function time, connections per "
                    + "instance and hold time from run " + variant.runId());
        }
        double profileRatio = 1;
        if (q.profile() != null) {
            double mine = perStorePerHour(q.profile()), theirs = perStorePerHour(run.profile());
            if (!(mine > 0)) throw new IllegalArgumentException("the profile gives no per-store requests (perStorePerHour.<kind>.peak); check the file");
            if (!(theirs > 0)) throw new IllegalArgumentException("run " + run.runId() + " recorded no per-store profile, so a new profile cannot be compared; omit --profile");
            profileRatio = mine / theirs;
            notes.add(String.format(Locale.ROOT, "profile: %.0f requests per store per hour against the runs' %.0f (x%.2f)", mine, theirs, profileRatio));
        }
        double rate = q.rateMultiplier() * profileRatio;
        double ttl = q.idleTtlSeconds() == null ? base.idleTtlSeconds() : q.idleTtlSeconds();
        int limit = q.connectionLimit() == null ? base.connectionLimit() : q.connectionLimit();
        double window = q.windowSeconds() == null ? levelWindow(run) : q.windowSeconds();
        double m = q.pattern() == null ? Math.min(p.connectionsPerInstance(), limit) : p.connectionsPerInstance();
        final boolean patterned = q.pattern() != null;
        final ServerlessParameters pp = p;
        final double r = rate, t = ttl;
        final int lim = limit;
        // the query's settings on a parameter set: the same change on the point and on every bootstrap draw
        java.util.function.UnaryOperator<ServerlessParameters> toQuery = b -> {
            ServerlessParameters v = patterned ? pp : b;
            double mm = patterned ? v.connectionsPerInstance() : Math.min(v.connectionsPerInstance(), lim);
            return new ServerlessParameters(v.requestsPerStorePerSecond() * r, v.functionSeconds(), mm, v.connectionSecondsPerRequest(),
                    t, lim, v.coldStartSeconds(), v.dispatch(), v.floorConnections(), v.floorPeak());
        };
        ServerlessCalibration c0 = cal.calibration;
        boolean boot = c0.measured() && !patterned && c0.bootstrap() != null && !c0.bootstrap().replicates().isEmpty();
        ParameterBootstrap draws = (c0.bootstrap() == null ? ParameterBootstrap.pointOnly(base) : c0.bootstrap()).map(toQuery);
        ServerlessParameters x = toQuery.apply(base);

        double lambda = q.stores() * x.requestsPerStorePerSecond();
        final int stores = q.stores();
        Interval warm, appConns;
        if (boot) {
            ParameterBootstrap.Estimate w = draws.estimate(b -> InstanceDynamics.meanWarm(stores * b.requestsPerStorePerSecond(), b, window));
            warm = new Interval(w.value(), w.low(), w.high());
            ParameterBootstrap.Estimate lo = draws.estimate(b -> b.floorConnections()
                    + b.connectionsPerInstance() * InstanceDynamics.peakInstances(stores * b.requestsPerStorePerSecond(), b, window, 0.025));
            ParameterBootstrap.Estimate hi = draws.estimate(b -> b.floorPeak()
                    + b.connectionsPerInstance() * InstanceDynamics.peakInstances(stores * b.requestsPerStorePerSecond(), b, window, 0.975));
            double mid = x.floorConnections() + x.connectionsPerInstance() * InstanceDynamics.peakInstances(lambda, x, window, 0.5);
            appConns = new Interval(mid, Math.floor(Math.min(mid, lo.low())), Math.ceil(Math.max(mid, hi.high())));
            notes.add("intervals: " + ParameterBootstrap.DRAWS + " bootstrap draws of run " + run.runId() + "'s levels (its measured"
                    + " busy time, cold start, connections per instance and floor), with the window's own randomness (2.5 % and 97.5 % peaks)");
        } else {
            double sigma = Math.max(MIN_LOG_ERROR, c0.rmsLogErrorWarm());
            double sLow = x.functionSeconds() * Math.exp(-2 * sigma), sHigh = x.functionSeconds() * Math.exp(2 * sigma);
            warm = new Interval(ServerlessModel.meanWarmInstances(lambda, x.functionSeconds(), ttl),
                    ServerlessModel.meanWarmInstances(lambda, sLow, ttl), ServerlessModel.meanWarmInstances(lambda, sHigh, ttl));
            double span = window + ttl;
            appConns = new Interval(m * ServerlessModel.maxQuantile(lambda, x.functionSeconds(), span, 0.5),
                    Math.floor(m * ServerlessModel.maxQuantile(lambda, sLow, span, 0.025)),
                    Math.ceil(m * ServerlessModel.maxQuantile(lambda, sHigh, span, 0.975)));
            notes.add("intervals: the function time moved by +-2 x the calibration's rms log error (" + String.format(Locale.ROOT, "%.2f", sigma)
                    + "), not a bootstrap: " + (patterned ? "a pattern's parameters come from one variant run"
                    : "run " + run.runId() + " has no instance measurements (recorded from this version on)"));
        }
        Interval server, clients = null;
        int pool = 0, cap;
        if (q.route() == Route.POOLED) {
            clients = appConns;
            pool = Math.max(0, Math.min(tier.poolerPoolSize(), tier.usableConnections() - (int) Math.ceil(extraServer)));
            double floor = Stair.goodLevels(run, settings).stream().mapToDouble(l -> l.serverConnections().max()).min().orElse(0);
            double h = x.connectionSecondsPerRequest(), hs = PGBOUNCER_SERVER_IDLE_SECONDS + window;
            double sigma = Math.max(MIN_LOG_ERROR, c0.rmsLogErrorWarm());
            server = h <= 0 ? new Interval(floor, floor, floor) : new Interval(
                    clamp(ServerlessModel.maxQuantile(lambda, h, hs, 0.5), floor, pool),
                    clamp(ServerlessModel.maxQuantile(lambda, h * Math.exp(-2 * sigma), hs, 0.025), floor, pool),
                    clamp(ServerlessModel.maxQuantile(lambda, h * Math.exp(2 * sigma), hs, 0.975), floor, pool));
            if (extraServer > 0)
                server = new Interval(server.point() + extraServer, server.low() + extraServer, server.high() + extraServer);
            cap = tier.poolerMaxClientConn();
        } else {
            server = appConns;
            cap = tier.usableConnections() - (int) Math.ceil(extraServer);
        }

        // p95
        Double p95 = interpolateP95(run, lambda, settings);
        String basis = "measured p95 of run " + run.runId() + " at this arrival rate (interpolated between its levels)";
        boolean p95Held = p95 != null && (lambda < minRate(run, settings) || lambda > maxRate(run, settings));
        if (q.route() == Route.POOLED && x.connectionSecondsPerRequest() > 0 && pool > 0) {
            ErlangC e = new ErlangC(pool, lambda, x.connectionSecondsPerRequest());
            if (!e.stable()) {
                p95 = null;
                basis = "Erlang C: PgBouncer's pool of " + pool + " is overloaded (utilisation " + pct(e.utilisation()) + "), so waits grow without bound";
            } else if (p95 != null) {
                double w = 1000 * e.waitQuantileSeconds(0.95);
                p95 = p95 + w;
                basis += String.format(Locale.ROOT, ", plus Erlang C's p95 wait for PgBouncer's pool of %d (%.1f ms, utilisation %s)", pool, w, pct(e.utilisation()));
            }
        }
        if (p95 == null && !basis.startsWith("Erlang")) basis = "no level of run " + run.runId() + " had enough requests for a p95";
        if (q.pattern() != null) notes.add("p95 comes from the baseline run's latency; the pattern's own latency is in its run");

        ModelThreshold th = cap <= 0 ? null : ModelThreshold.of(boot ? draws : ParameterBootstrap.pointOnly(x), cap, pool,
                ServerlessCalibration.PRODUCTION_WINDOW_SECONDS, ServerlessCalibration.POOL_WAIT_BUDGET_MS, ServerlessCalibration.MAX_STORES);
        int threshold = th == null ? 0 : th.beyondSearch() ? ServerlessCalibration.MAX_STORES : th.stores();
        String thresholdBasis = q.route() == Route.POOLED
                ? "busy-hour 95 % peak of PgBouncer clients within max_client_conn " + cap + " and the pool's p95 wait within "
                + (int) ServerlessCalibration.POOL_WAIT_BUDGET_MS + " ms (pool of " + pool + ")"
                : "busy-hour 95 % peak of Postgres connections within the " + cap + " usable";

        // distance from the data
        ServerlessCalibration c = cal.calibration;
        double effective = q.stores() * rate;
        if (effective > c.maxStores() * 1.0001)
            ext.add(String.format(Locale.ROOT, "load of %s stores at the measured rate is %.1fx the largest measured (%d)", storesText(effective), effective / c.maxStores(), c.maxStores()));
        if (effective < c.minStores() * 0.9999)
            ext.add(String.format(Locale.ROOT, "load of %s stores at the measured rate is below the smallest measured (%d)", storesText(effective), c.minStores()));
        if (Math.abs(ttl - base.idleTtlSeconds()) > 1e-9)
            ext.add("idle TTL " + Explanations.duration(ttl) + " was not measured (the run used " + Explanations.duration(base.idleTtlSeconds()) + ")");
        if (limit > base.connectionLimit())
            ext.add("connection_limit " + limit + " is above the run's " + base.connectionLimit() + "; connections per instance are kept at "
                    + String.format(Locale.ROOT, "%.2f", m));
        if (Math.abs(rate - 1) > 1e-9)
            ext.add(String.format(Locale.ROOT, "per-store rate x%.2f of the measured profile", rate));
        if (p95Held) ext.add("p95 is held at the nearest measured level's value: the arrival rate lies outside the measured ones");
        if (!run.config().tier().id().equals(tier.id()))
            notes.add("no run measured tier " + tier.id() + " on the " + q.route().id() + " route; run " + run.runId()
                    + " (tier " + run.config().tier().id() + ") supplies the per-store behaviour and tier " + tier.id() + " the limits");
        TreeSet<Integer> measured = new TreeSet<>(List.of(c.minStores(), c.maxStores()));
        return new WhatIfAnswer(tier.id(), q.route(), q.stores(), run.runId(), patternRun, rate, ttl, limit, window, lambda,
                warm, server, clients, p95, basis, threshold, thresholdBasis, nearest(run, effective),
                List.of(measured.first(), measured.last()), base.idleTtlSeconds(), !ext.isEmpty(), ext, notes,
                th == null ? null : th.low(), th == null ? null : th.high(), th != null && th.beyondSearch());
    }

    /** A readable answer, a few lines. */
    public static String text(WhatIfAnswer a) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "what if: %s stores on tier %s, %s%n", storesText(a.stores()), a.tier(),
                a.route() == Route.POOLED ? "through PgBouncer" : "direct to Postgres"));
        b.append(String.format(Locale.ROOT, "  settings          idle TTL %s, connection_limit %d, per-store rate x%.2f%s; peaks over %s%n",
                Explanations.duration(a.idleTtlSeconds()), a.connectionLimit(), a.rateMultiplier(),
                a.patternRun() == null ? "" : ", pattern from " + a.patternRun(), Explanations.duration(a.windowSeconds())));
        b.append(String.format(Locale.ROOT, "  arrival rate      %.2f requests/s; warm instances %.1f (%.1f-%.1f)%n", a.arrivalRate(),
                a.warmInstances().point(), a.warmInstances().low(), a.warmInstances().high()));
        b.append(String.format(Locale.ROOT, "  Postgres conns    %s peak (95 %% interval %s-%s)%n", n(a.serverConnections().point()),
                n(a.serverConnections().low()), n(a.serverConnections().high())));
        if (a.poolerClients() != null)
            b.append(String.format(Locale.ROOT, "  PgBouncer clients %s peak (95 %% interval %s-%s)%n", n(a.poolerClients().point()),
                    n(a.poolerClients().low()), n(a.poolerClients().high())));
        b.append("  p95               ").append(a.p95Ms() == null ? "not predicted" : String.format(Locale.ROOT, "%.0f ms", a.p95Ms()))
                .append(" (").append(a.p95Basis()).append(")\n");
        b.append("  threshold         ").append(a.thresholdBeyondSearch()
                        ? "> " + storesText(ServerlessCalibration.MAX_STORES) + " stores (beyond the range searched; "
                        : storesText(a.thresholdStores()) + " stores" + (a.thresholdLow() == null ? "" : " (95 % interval "
                          + storesText(a.thresholdLow()) + "-" + (a.thresholdHigh() == null ? "> " + storesText(ServerlessCalibration.MAX_STORES)
                          : storesText(a.thresholdHigh())) + ")") + " (").append(a.thresholdBasis()).append(")\n");
        b.append("  calibrated on     run ").append(a.calibratedFrom()).append(", stores ").append(a.measuredStores().get(0)).append("-")
                .append(a.measuredStores().get(1)).append(", idle TTL ").append(Explanations.duration(a.measuredIdleTtlSeconds())).append("\n");
        if (a.nearestMeasured() != null) b.append("  nearest measured  ").append(a.nearestMeasured()).append("\n");
        if (a.extrapolated()) {
            b.append("  WARNING: extrapolation beyond the measured data:\n");
            for (String e : a.extrapolation()) b.append("    - ").append(e).append("\n");
        } else b.append("  within the measured data (no extrapolation)\n");
        for (String note : a.notes()) b.append("  note: ").append(note).append("\n");
        return b.toString();
    }

    /** Sum over request kinds of the per-store requests an hour, at the profile's phase (peak unless it says). */
    /** Requests per store per hour at the profile's phase, over every per-store kind; 0 without a profile. */
    public static double perStorePerHour(TrafficProfile profile) {
        if (profile == null || profile.perStorePerHour() == null) return 0;
        String phase = profile.phase() == null ? "peak" : profile.phase();
        return profile.perStorePerHour().values().stream().mapToDouble(r -> r.at(phase)).sum();
    }

    // ------------------------------------------------------------------ helpers

    private record Calibrated(RunResult run, ServerlessCalibration calibration) {}

    private static Calibrated pick(WhatIfQuery q, List<RunResult> runs, ModelSettings s) {
        List<Calibrated> candidates = new ArrayList<>();
        for (RunResult r : RunRoles.baselines(runs == null ? List.of() : runs).values()) {
            if (r.config().route() != q.route()) continue;
            ServerlessCalibration c = ServerlessCalibration.parametersOnly(r, s);
            if (c != null) candidates.add(new Calibrated(r, c));
        }
        if (candidates.isEmpty())
            throw new IllegalArgumentException("no serverless run on the " + q.route().id() + " route has 2 good levels with warm "
                    + "instances to calibrate the model on; run a study with a " + q.route().id() + " claim (./storecap study) first");
        return candidates.stream().filter(c -> c.run.config().tier().id().equals(q.tier())).findFirst()
                .orElse(candidates.stream().max(Comparator.comparingInt(c -> c.calibration.maxStores())).orElseThrow());
    }

    private static RunResult variant(WhatIfQuery q, RunResult baseline, List<RunResult> runs) {
        RunResult v = RunRoles.variants(RunRoles.claimId(baseline), runs).get(q.pattern());
        if (v != null) return v;
        TreeSet<String> known = new TreeSet<>();
        for (RunResult r : runs) {
            String p = RunRoles.pattern(r);
            if (p == null || r.config().route() != q.route()) continue;
            if (p.equals(q.pattern())) return r;
            known.add(p);
        }
        throw new IllegalArgumentException("pattern '" + q.pattern() + "' was not measured on the " + q.route().id() + " route"
                + (known.isEmpty() ? " (no pattern was)" : "; measured: " + String.join(", ", known))
                + "; run the study with that pattern, or omit --pattern");
    }

    static double levelWindow(RunResult run) {
        return Math.max(1, run.config().levelSeconds() - run.config().settleSeconds());
    }

    private static List<LevelResult> latencyLevels(RunResult run, ModelSettings s) {
        return Stair.goodLevels(run, s).stream().filter(l -> l.requests().count() >= LevelResult.MIN_REQUESTS_FOR_P95)
                .sorted(Comparator.comparingDouble(LevelResult::achievedRps)).toList();
    }

    private static double minRate(RunResult run, ModelSettings s) {
        return latencyLevels(run, s).stream().mapToDouble(LevelResult::achievedRps).min().orElse(0);
    }

    private static double maxRate(RunResult run, ModelSettings s) {
        return latencyLevels(run, s).stream().mapToDouble(LevelResult::achievedRps).max().orElse(0);
    }

    /** Linear interpolation of p95 in arrival rate over the good levels; the nearest end outside them. */
    static Double interpolateP95(RunResult run, double lambda, ModelSettings s) {
        List<LevelResult> ls = latencyLevels(run, s);
        if (ls.isEmpty()) return null;
        if (lambda <= ls.get(0).achievedRps()) return ls.get(0).requests().p95Ms();
        for (int i = 1; i < ls.size(); i++) {
            LevelResult a = ls.get(i - 1), b = ls.get(i);
            if (lambda <= b.achievedRps()) {
                double t = (lambda - a.achievedRps()) / Math.max(1e-12, b.achievedRps() - a.achievedRps());
                return a.requests().p95Ms() + t * (b.requests().p95Ms() - a.requests().p95Ms());
            }
        }
        return ls.get(ls.size() - 1).requests().p95Ms();
    }

    private static String nearest(RunResult run, double effectiveStores) {
        LevelResult best = null;
        for (LevelResult l : run.levels())
            if (best == null || Math.abs(Math.log(l.stores() / effectiveStores)) < Math.abs(Math.log(best.stores() / effectiveStores))) best = l;
        if (best == null) return null;
        return String.format(Locale.ROOT, "%d stores in run %s: peak Postgres connections %s%s, p95 %.0f ms, %d refusals",
                best.stores(), run.runId(), n(best.serverConnections().max()),
                run.config().route() == Route.POOLED ? ", peak PgBouncer clients " + n(best.poolerClients().max()) : "",
                best.requests().p95Ms(), best.totalRefusals());
    }

    private static double clamp(double v, double lo, double hi) { return Math.max(lo, Math.min(hi, v)); }

    private static String pct(double f) { return String.format(Locale.ROOT, "%.0f %%", 100 * f); }

    private static String n(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String storesText(double v) { return String.format(Locale.ROOT, "%,d", (long) Math.floor(v)); }
}
