package io.storecap.reports;

import io.storecap.model.Binding;
import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.ConnectionStats;
import io.storecap.model.LevelCheck;
import io.storecap.model.LevelResult;
import io.storecap.model.Measured;
import io.storecap.model.ModelSettings;
import io.storecap.model.Reconciliation;
import io.storecap.model.RequestStats;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.ServiceMode;
import io.storecap.model.Tier;
import io.storecap.model.TierCapacity;
import io.storecap.model.TrafficProfile;
import io.storecap.model.ValidationRow;
import io.storecap.model.Verdict;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.capacity.Validation;
import io.storecap.model.explain.Explanations;
import io.storecap.model.fit.FitSelection;
import io.storecap.model.fit.LinearFit;
import io.storecap.model.serverless.ServerlessCalibration;
import io.storecap.model.study.StudyModel;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A realistic synthetic study: the seed's five claims, each with a run whose numbers behave the way
 * serverless Postgres does (direct: connections grow with stores until refusals; pooled: server
 * connections flat at the pool size, clients grow, latency climbs near saturation).
 */
final class Fixtures {
    private Fixtures() {}

    static final long T0 = 1_795_000_000_000L;

    static final Tier FREE = new Tier("free", "Free (plan: 100 connections)", 100, 3, 0, 10000, 0, null);
    static final Tier LAUNCH = new Tier("launch", "Launch (plan: 200 connections)", 200, 3, 0, 10000, 19, null);
    static final Tier SCALE = new Tier("scale", "Scale (plan: 1000 connections)", 1000, 3, 0, 10000, 69, null);

    static Map<String, Tier> tiers() {
        Map<String, Tier> m = new LinkedHashMap<>();
        for (Tier t : List.of(FREE, LAUNCH, SCALE)) m.put(t.id(), t);
        return m;
    }

    record Study(StudyModel model, List<RunResult> runs, Map<String, Tier> tiers, ReportContext ctx) {}

    static Study study() {
        List<RunResult> runs = new ArrayList<>();
        List<ClaimResult> claims = new ArrayList<>();
        RunResult fd = run("free-direct", FREE, Route.DIRECT, List.of(2, 4, 6, 8, 10, 12, 15, 20, 25, 30), 0, 4, 6.1, 0);
        RunResult fp = run("free-pooled", FREE, Route.POOLED, List.of(10, 25, 50, 100, 250, 500, 700, 1000), 1, 6, 0.12, 650);
        RunResult ld = run("launch-direct", LAUNCH, Route.DIRECT, List.of(10, 50, 100, 250, 400, 500, 700), 2, 6, 0.33, 0);
        RunResult lp = run("launch-pooled", LAUNCH, Route.POOLED, List.of(10, 100, 250, 500, 1000, 1500, 2000), 3, 6, 0.09, 1450);
        RunResult sp = run("scale-pooled", SCALE, Route.POOLED, List.of(100, 500, 1000, 2000, 2500, 3000), 4, 8, 0.05, 5000);
        runs.addAll(List.of(fd, fp, ld, lp, sp));
        // free-direct with a new client per request: 4x the connections per instance, refused from 8 stores
        RunResult fdVariant = variant(run("free-direct", FREE, Route.DIRECT, List.of(2, 4, 6, 8, 10, 12, 15, 20, 25, 30), 5, 4, 24.4, 0),
                "client-per-request");
        claims.add(claim("free-direct", FREE, Route.DIRECT, 20, 25, "20-25 stores without a pooler on 100 connections",
                new Measured(14.6, 12.8, 16.9, Binding.CONNECTIONS, false, false), Verdict.OPTIMISTIC,
                "Peak connections reach the 97 usable at about 14 stores, below the claimed 20-25.", fd));
        claims.add(claim("free-pooled", FREE, Route.POOLED, 500, 700, "500-700 stores with PgBouncer on 100 connections",
                new Measured(612.4, 548.0, 671.0, Binding.P95, false, false), Verdict.CONFIRMED,
                "p95 passes 500 ms at about 612 stores, inside the claimed 500-700.", fp));
        claims.add(claim("launch-direct", LAUNCH, Route.DIRECT, 360, 440, "~400 stores without a pooler on 200 connections",
                new Measured(571.9, 520.3, 618.2, Binding.CONNECTIONS, false, false), Verdict.CONSERVATIVE,
                "Connections reach the 197 usable at about 571 stores, above the claimed ~400.", ld));
        claims.add(claim("launch-pooled", LAUNCH, Route.POOLED, 1000, null, "1000+ stores with PgBouncer on 200 connections",
                new Measured(1388.0, 1240.0, 1530.0, Binding.P95, false, false), Verdict.CONFIRMED,
                "Holds about 1388 stores before p95 passes 500 ms: more than the claimed 1000.", lp));
        claims.add(claim("scale-pooled", SCALE, Route.POOLED, 2000, null, "2000+ stores with PgBouncer on 1000 connections",
                new Measured(2230.0, 1950.0, null, Binding.TEST_MACHINE, true, false), Verdict.INCONCLUSIVE,
                "The test machine's CPU saturated at 2500 stores before the tier did; capacity is at least 2230.", sp));
        List<ValidationRow> validation = new ArrayList<>();
        List<ServerlessCalibration> serverless = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            validation.addAll(Validation.holdOut(claims.get(i).id(), runs.get(i), ModelSettings.defaults()));
            ServerlessCalibration c = ServerlessCalibration.calibrate(runs.get(i), ModelSettings.defaults());
            if (c != null) serverless.add(c);
        }
        List<RunResult> all = new ArrayList<>(runs);
        all.add(fdVariant);
        Map<String, ServerlessCalibration> byRun = new LinkedHashMap<>();
        for (ServerlessCalibration c : serverless) byRun.put(c.runId(), c);
        List<Claim> claimList = claims.stream().map(c -> new Claim(c.id(), c.tier(), c.route(), c.claimed(), c.claimedText())).toList();
        var explanations = Explanations.explain(claimList, tiers(), claims, all, byRun, ModelSettings.defaults());
        StudyModel model = new StudyModel(claims, List.of("Thresholds come from quick-mode runs: levels of 40 s."),
                validation, tierCapacities(claims), serverless, explanations, List.of());
        runs = all;
        ReportContext ctx = ReportContext.fromRuns("quick", runs).withGatlingReports(gatlingLinks(runs));
        return new Study(model, runs, tiers(), ctx);
    }

    /** The same run with an anti-pattern switched on, named as the study names variants. */
    static RunResult variant(RunResult r, String pattern) {
        String claim = r.config().id();
        return new RunResult(claim + "~" + pattern, r.config().withServiceOption("pattern", pattern), r.profile(), r.environment(),
                r.levels(), r.reconciliation(), r.gatlingReport(), r.samplesFile(), r.startedEpochMs(), r.finishedEpochMs(), r.notes());
    }

    /**
     * Writes a samples.csv for every run under {@code root/<runId>/} (10 samples a second, numbers
     * following each level's statistics) and returns run id -> folder, for the time-series charts.
     */
    static Map<String, java.nio.file.Path> writeSamples(java.nio.file.Path root, List<RunResult> runs) throws java.io.IOException {
        Map<String, java.nio.file.Path> dirs = new LinkedHashMap<>();
        for (RunResult r : runs) {
            java.nio.file.Path d = root.resolve(r.runId());
            java.nio.file.Files.createDirectories(d);
            StringBuilder b = new StringBuilder("epochMs,latencyMs,appBackends,appActive,appIdle,appIdleInTx,allBackends,clActive,"
                    + "clWaiting,svActive,svIdle,maxWaitMs,warmInstances,busyInstances,inflight,coldStarts,refusals,cpu\n");
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(r.runId().hashCode());
            for (LevelResult l : r.levels()) {
                for (long t = l.startEpochMs(); t < l.endEpochMs() + 5000; t += 100) {
                    double ramp = Math.min(1, (t - l.startEpochMs()) / 8000.0);
                    double server = Math.round(l.serverConnections().mean() * (0.6 + 0.4 * ramp) + rnd.nextGaussian() * 0.8);
                    server = Math.max(0, Math.min(l.serverConnections().max(), server));
                    double active = Math.min(server, Math.round(l.serverActive().mean() * rnd.nextDouble() * 1.6));
                    double inTx = r.runId().contains("~") ? Math.min(server - active, Math.round(server * 0.3)) : 0;
                    double cl = Math.round(l.poolerClients().mean() * (0.7 + 0.3 * ramp));
                    double waiting = l.poolerWaiting().max() > 0 ? Math.round(rnd.nextDouble() * l.poolerWaiting().max()) : 0;
                    double warm = Math.round(l.warmInstances().mean() * (0.6 + 0.4 * ramp));
                    b.append(t).append(",30,").append((long) server).append(',').append((long) active).append(',')
                            .append((long) (server - active - inTx)).append(',').append((long) inTx).append(',').append((long) server + 2)
                            .append(',').append((long) cl).append(',').append((long) waiting).append(",0,0,0.0,").append((long) warm)
                            .append(",1,1,0,too_many_clients=0,0.3\n");
                }
            }
            java.nio.file.Files.writeString(d.resolve("samples.csv"), b.toString());
            dirs.put(r.runId(), d);
        }
        return dirs;
    }

    static Map<String, String> gatlingLinks(List<RunResult> runs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (RunResult r : runs) m.put(r.runId(), "../runs/" + r.runId() + "/gatling/index.html");
        return m;
    }

    static ClaimResult claim(String id, Tier tier, Route route, int min, Integer max, String text, Measured m,
                             Verdict v, String reason, RunResult run) {
        List<LevelResult> good = run.levels().stream().filter(l -> l.totalRefusals() == 0).toList();
        FitSelection fits = FitSelection.of(good.stream().mapToDouble(LevelResult::stores).toArray(),
                good.stream().mapToDouble(l -> l.serverConnections().max()).toArray());
        List<LevelCheck> checks = run.levels().stream().map(l -> new LevelCheck(l.stores(), l.serverConnections().max(),
                l.requests().p95Ms(), l.requests().errorRate(), l.totalRefusals(), l.injectionRatio(), l.cpuMean(),
                l.totalRefusals() > 0 ? "refusals" : "ok")).toList();
        Double cost = m.threshold() == null ? null : tier.monthlyCostUsd() / m.threshold();
        return new ClaimResult(id, tier.id(), route, ClaimedRange.of(min, max), text, tier.usableConnections(), m, v,
                reason, run.runId(), fit(run), fits, checks,
                List.of("peak traffic of the default profile", "idle TTL 30 s", "connection_limit 5"), cost);
    }

    /** What each tier holds per route: the route's widest fit evaluated at each tier's usable connections. */
    static List<TierCapacity> tierCapacities(List<ClaimResult> claims) {
        List<TierCapacity> out = new ArrayList<>();
        for (Route route : Route.values()) {
            ClaimResult best = claims.stream().filter(c -> c.route() == route)
                    .max(java.util.Comparator.comparingInt(c -> c.levels().size())).orElseThrow();
            LinearFit f = best.fits().linear();
            for (Tier t : tiers().values()) {
                double stores = (t.usableConnections() - f.intercept()) / f.slope();
                double top = best.levels().get(best.levels().size() - 1).stores();
                out.add(new TierCapacity(t.id(), t.name(), route, best.runId(), t.usableConnections(), stores, stores * 0.9,
                        stores * 1.1, t.monthlyCostUsd(), t.monthlyCostUsd() / stores, stores > top));
            }
        }
        return out;
    }

    /** Least squares of peak server connections against stores over the levels without refusals. */
    static LinearFit fit(RunResult run) {
        SimpleRegression r = new SimpleRegression();
        List<LevelResult> ls = run.levels().stream().filter(l -> l.totalRefusals() == 0).toList();
        double sum = 0;
        for (LevelResult l : ls) { r.addData(l.stores(), l.serverConnections().max()); sum += l.stores(); }
        int n = ls.size();
        double mean = sum / n, sxx = 0;
        for (LevelResult l : ls) sxx += (l.stores() - mean) * (l.stores() - mean);
        double t = new TDistribution(n - 2).inverseCumulativeProbability(0.975);
        return new LinearFit(r.getIntercept(), r.getSlope(), r.getRSquare(), n, Math.sqrt(r.getMeanSquareError()), mean, sxx, t);
    }

    /**
     * @param perStore   server connections per store before the limit (direct) or before the pool is full
     * @param kneeStores where latency climbs steeply (pooled); 0 = latency grows with refusals (direct)
     */
    static RunResult run(String id, Tier tier, Route route, List<Integer> levels, int seed, double base,
                         double perStore, double kneeStores) {
        RunConfig cfg = new RunConfig(id, tier, route, ServiceMode.SERVERLESS, 5, 30, 250, levels, 40, 10, "local");
        List<LevelResult> ls = new ArrayList<>();
        long t = T0 + seed * 600_000L;
        int usable = tier.usableConnections();
        for (int stores : levels) {
            double wanted = base + perStore * stores + jitter(stores, seed);
            double server = route == Route.POOLED ? Math.min(wanted, tier.poolerPoolSize()) : Math.min(wanted, usable);
            double clients = route == Route.POOLED ? base + 0.55 * stores + jitter(stores, seed + 7) : 0;
            long refused = route == Route.DIRECT && wanted > usable ? Math.round((wanted - usable) * 40) : 0;
            double rps = stores * 0.21;
            long count = Math.round(rps * 40) + 400; // levels sized by information: every level carries >= 299 requests
            double p95 = route == Route.POOLED ? 38 + 420 * Math.pow(stores / Math.max(1, kneeStores), 4) : 45 + (refused > 0 ? 900 : 0.4 * stores);
            long ko = route == Route.DIRECT ? refused : (p95 > 900 ? count / 20 : 0);
            ko = Math.min(ko, count);
            RequestStats all = new RequestStats(count, count - ko, ko, p95 * 0.45, p95 * 0.35, p95, p95 * 1.6, p95 * 3);
            Map<String, RequestStats> kinds = new LinkedHashMap<>();
            kinds.put("cart-event", scaled(all, 0.60, 0.9));
            kinds.put("recommendations", scaled(all, 0.30, 1.1));
            kinds.put("webhook", scaled(all, 0.016, 1.2));
            kinds.put("admin-dashboard", scaled(all, 0.004, 3.5));
            kinds.put("session", scaled(all, 0.08, 0.6));
            double cpu = Math.min(1.0, 0.08 + stores / 3000.0);
            ls.add(new LevelResult(stores, t, t + 40_000, rps, rps * (cpu >= 0.98 ? 0.9 : 0.995), all, kinds,
                    new ConnectionStats(server * 0.7, server * 0.93, server, 300),
                    new ConnectionStats(server * 0.4, server * 0.7, server * 0.9, 300),
                    new ConnectionStats(clients * 0.7, clients * 0.9, clients, route == Route.POOLED ? 300 : 0),
                    new ConnectionStats(0, 0, route == Route.POOLED && stores > kneeStores ? stores * 0.05 : 0, 300),
                    new ConnectionStats(wanted / 5 * 0.8, wanted / 5, wanted / 5 * 1.1, 300),
                    refused > 0 ? Map.of("too_many_clients", refused) : Map.of(), Math.round(stores * 0.3),
                    cpu * 0.8, cpu));
            t += 45_000;
        }
        long sent = ls.stream().mapToLong(l -> l.byKind().get("webhook").count()).sum();
        TrafficProfile profile = profile();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("postgres", "PostgreSQL 17.11");
        env.put("pgbouncer", "PgBouncer 1.24.1");
        env.put("java", "17.0.15 (Debian)");
        env.put("os", "Linux 6.1 amd64");
        env.put("cpus", "2");
        return new RunResult(id + "-20261127T1000", cfg, profile, env, ls,
                new Reconciliation(sent + sent / 50, sent, sent, 0, 0), "gatling/index.html", "samples.csv",
                T0 + seed * 600_000L, t, List.of());
    }

    static TrafficProfile profile() {
        Map<String, TrafficProfile.Rate> kinds = new LinkedHashMap<>();
        kinds.put("webhook", new TrafficProfile.Rate(3, 10, "the plan's only figure: 10,000 webhooks/hour at 1000 stores"));
        kinds.put("cart-event", new TrafficProfile.Rate(20, 45, "storefront events, the highest volume"));
        kinds.put("recommendations", new TrafficProfile.Rate(9, 20, "one per cart drawer open"));
        kinds.put("admin-session", new TrafficProfile.Rate(0.2, 0.5, "merchants rarely open the admin"));
        return new TrafficProfile("cart-uplift-default", "peak", kinds, Map.of(), Map.of("orders/create", 1.0),
                new TrafficProfile.Shopify(5, 4, List.of(500L, 1000L, 2000L)), new TrafficProfile.StoreSizes(1.1, "zipf"),
                new TrafficProfile.Bursts(300, 60, 1, "a bulk edit"), new TrafficProfile.Multiplier(3, "BFCM"));
    }

    private static RequestStats scaled(RequestStats s, double share, double latency) {
        long count = Math.round(s.count() * share), ko = Math.round(s.ko() * share);
        return new RequestStats(count, count - ko, ko, s.meanMs() * latency, s.p50Ms() * latency, s.p95Ms() * latency,
                s.p99Ms() * latency, s.maxMs() * latency);
    }

    private static double jitter(int stores, int seed) {
        return Math.sin(stores * 0.37 + seed) * 1.5;
    }
}
