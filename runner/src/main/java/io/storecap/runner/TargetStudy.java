package io.storecap.runner;

import io.storecap.environment.Cleanup;
import io.storecap.model.Claim;
import io.storecap.model.ClaimsFile;
import io.storecap.model.ModelSettings;
import io.storecap.model.RouteMap;
import io.storecap.model.RoutesFile;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.TrafficProfile;
import io.storecap.model.verdict.LevelJudge;
import io.storecap.reports.Report;
import io.storecap.simulations.LevelPlan;
import io.storecap.simulations.Scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./storecap study --target URL}: the same knee search, model, report and gates as a local
 * study, against a deployment someone runs ({@link ExternalTarget}, {@link ExternalHarness}). It
 * prints its plan - rates, durations, the peak requests a second - before anything is contacted,
 * and with {@code --plan} stops there. Every level ends by itself and the search runs at most its
 * level budget, so the study stops by itself; the hard cap bounds every second.
 */
public final class TargetStudy {
    private final PrintStream out;

    public TargetStudy(PrintStream out) { this.out = out; }

    /** One claim's search as planned: where it starts and how high the cap lets it go. */
    record ClaimPlan(Claim claim, RunConfig config, int start, boolean targets) {}

    /**
     * Plans the study, prints the plan and, unless {@code planOnly}, runs it and writes the report.
     *
     * @return the report; null with {@code planOnly} (nothing was contacted or sent)
     */
    public Report run(Study.Inputs in, Study.Options opts, ExternalTarget target, Path outDir, boolean planOnly) {
        long started = System.currentTimeMillis();
        if (opts.stair() || opts.patterns() || !opts.runtimes().isEmpty() || !(opts.scenario() == Scenario.STAIR || opts.scenario() == Scenario.PEAK))
            throw new IllegalArgumentException("--target runs the knee search (scenario stair or peak) against your deployment;"
                    + " --stair, --patterns, --runtime and the burst and soak scenarios switch the reference service's emulation,"
                    + " which a deployment does not have: leave them out");
        List<Claim> claims = ClaimsFile.load(in.claims());
        Map<String, Tier> tiers = TiersFile.load(in.tiers());
        ClaimsFile.checkTiers(claims, tiers, in.claims().toString(), in.tiers().toString());
        TrafficProfile base = TrafficProfile.load(in.profile());
        TrafficProfile profile = opts.scenario().profile(base, System.getProperties());
        RouteMap routes = RoutesFile.load(target.routes());
        routes.checkCovers(profile.kinds(), target.routes().getFileName().toString());
        List<String> missing = missingSecrets(routes, profile, target);
        if (!missing.isEmpty() && !planOnly) throw new IllegalArgumentException(missing.get(0));
        StudyConfig study = StudyConfig.load(in.study());
        SearchSettings search = target.searchSettings(study.mode(opts.quick()).search(), profile);
        List<Claim> selected = claims.stream().filter(c -> opts.only().isEmpty() || opts.only().contains(c.id())).toList();
        if (selected.isEmpty()) throw new IllegalArgumentException("--only " + opts.only() + " matches no claim id in " + in.claims()
                + "; ids there: " + claims.stream().map(Claim::id).toList());
        boolean anyPooled = selected.stream().anyMatch(c -> c.route() == io.storecap.model.Route.POOLED);
        List<ClaimPlan> plan = new ArrayList<>();
        for (Claim c : selected) {
            RunConfig cfg = study.searchConfig(c, tiers.get(c.tier()), opts.quick()).toBuilder()
                    .provider(RunConfig.EXTERNAL).runtime(RunConfig.EXTERNAL).serviceOptions(Map.of()).build();
            plan.add(new ClaimPlan(c, cfg, Math.min(StudyConfig.searchStart(c), search.maxStores()),
                    c.route() == io.storecap.model.Route.POOLED || !anyPooled));
        }
        long seed = opts.seed() != null ? opts.seed() : new java.security.SecureRandom().nextInt(1_000_000);
        printPlan(target, routes, profile, search, plan, seed, planOnly);
        missing.forEach(m -> out.println("  not ready: " + m));
        if (planOnly) return null;

        List<RunResult> runs = new ArrayList<>();
        Map<String, Path> runDirs = new LinkedHashMap<>();
        int expected = plan.size() * StudyProgress.LEVELS_PER_SEARCH;
        StudyProgress progress = new StudyProgress(expected, expected * (30 + target.coolDownSeconds()));
        System.setProperty("storecap.scenario", opts.scenario().id());
        try {
            int n = 0;
            for (ClaimPlan p : plan) {
                RunConfig cfg = p.config();
                Path runDir = outDir.resolve("runs").resolve(cfg.id());
                out.printf("%n[%d/%d] %s against %s: %s route, tier %s (max_connections %d, %d usable)%n", ++n, plan.size(), cfg.id(),
                        target.baseUrl(), cfg.route().id(), cfg.tier().id(), cfg.tier().maxConnections(), cfg.tier().usableConnections());
                try {
                    RunResult r = new SearchRun(out, ModelSettings.defaults(), progress, ExternalHarness.opener(target))
                            .run(cfg, search, profile, in.profile(), runDir, p.start(), seed + n * 7919L, p.targets());
                    runs.add(r);
                    runDirs.put(r.runId(), runDir);
                } catch (Exception e) { // one broken run must not lose the others: its claim becomes INCONCLUSIVE
                    out.printf("  run %s failed: %s%n", cfg.id(), e.getMessage() != null ? e.getMessage() : e);
                    writeFailure(runDir, e);
                    Cleanup.closeAll();
                }
            }
        } finally {
            System.clearProperty("storecap.scenario");
        }
        String mode = (opts.quick() ? "quick" : "full") + (opts.scenario() == Scenario.STAIR ? "" : ", " + opts.scenario().id() + " scenario")
                + ", against " + target.baseUrl().getHost();
        return new Study(out).report(claims, tiers, runs, runDirs, outDir, mode, started);
    }

    /** What stops the study before anything is sent: a route's auth needing a secret that was not given. */
    static List<String> missingSecrets(RouteMap routes, TrafficProfile profile, ExternalTarget target) {
        List<String> out = new ArrayList<>();
        for (String kind : profile.kinds()) {
            RouteMap.Auth a = routes.route(kind).auth();
            boolean missing = switch (a) {
                case NONE -> false;
                case ADMIN_TOKEN -> target.adminToken() == null || target.adminToken().isBlank();
                case SHOPIFY_HMAC, SESSION_TOKEN -> target.appSecret() == null || target.appSecret().isBlank();
            };
            if (missing)
                out.add("kind '" + kind + "' is sent with auth " + a.id() + " (" + target.routes().getFileName()
                        + "), which needs " + a.secret() + ": set it in the environment or in the --env-file");
        }
        return out;
    }

    private void printPlan(ExternalTarget t, RouteMap routes, TrafficProfile profile, SearchSettings s, List<ClaimPlan> plan, long seed,
                           boolean planOnly) {
        out.printf("storecap study --target %s%s (seed %d)%n", t.baseUrl(), planOnly ? ": the plan only, nothing is contacted or sent" : "", seed);
        out.printf("  database %s, app role %s: pg_stat_activity read-only%s%n", t.db().where(), t.appRole(),
                t.pooledDb() == null ? "" : "; pooler " + t.pooledDb().where() + " (its console if it answers)");
        out.printf("  routes %s:%n", t.routes());
        for (String kind : profile.kinds()) {
            RouteMap.Endpoint e = routes.route(kind);
            boolean global = profile.globalPerHour().containsKey(kind);
            out.printf(Locale.ROOT, "    %-16s %-6s %s  auth %s, %s an hour %s%n", kind, e.method(), e.path(), e.auth().id(),
                    io.storecap.model.Numbers.num(global ? profile.rps(kind, 1) * 3600 : (profile.rps(kind, 2) - profile.rps(kind, 1)) * 3600),
                    global ? "in all" : "per store");
        }
        out.printf("  stores: %s%n", t.storesFile() != null ? "listed in " + t.storesFile()
                : "listed from the database at the start (" + (routes.storesQuery() == null ? "no storesQuery!" : routes.storesQuery()) + ")");
        double ceilingRps = profile.totalRps(s.maxStores());
        out.printf(Locale.ROOT, "  hard cap: %s requests in any second (--max-rps); the search stays at or below %d stores (%.1f requests a second"
                + " on average, Poisson peaks within the cap); time scale 1; cool-down %s s before each level%n",
                ExternalTarget.num(t.maxRps()), s.maxStores(), ceilingRps, ExternalTarget.num(t.coolDownSeconds()));
        LevelPlanner planner = new LevelPlanner(s, profile, plan.isEmpty() ? 0 : plan.get(0).config().coldStartMs());
        double horizon = profile.shopify().deliveryHorizonMs(1) * (profile.shopify().eventRedeliveryShare() > 0 ? 2 : 1) / 1000.0;
        double total = 0, typical = 0;
        for (ClaimPlan p : plan) {
            List<LevelPlan> first = planner.plan(p.start(), "ramp", 0);
            List<LevelPlan> top = planner.plan(s.maxStores(), "ramp", 0);
            double levelMax = top.get(0).seconds() + s.maxLevelSeconds() + horizon + 30 + t.coolDownSeconds();
            int levels = s.maxLevels() + (p.targets() ? s.targetStores().size() : 0);
            double most = levels * levelMax;
            double usual = StudyProgress.LEVELS_PER_SEARCH * (first.get(0).seconds() + first.get(1).seconds() + t.coolDownSeconds());
            total += most;
            typical += usual;
            double requests = profile.totalRps(p.start()) * first.get(1).seconds();
            out.printf(Locale.ROOT, "  %s (%s, %s): starts at %d stores = %.1f requests a second for %.0f s (%.0f s settling, %.0f s measured:"
                            + " ~%.0f requests%s); at most %d levels, each ended within %.0f s%n",
                    p.claim().id(), p.config().tier().id(), p.config().route().id(), p.start(), profile.totalRps(p.start()),
                    first.get(0).seconds() + first.get(1).seconds(), first.get(0).seconds(), first.get(1).seconds(), requests,
                    requests < LevelJudge.MIN_REQUESTS_TO_HOLD ? ", a scout: " + LevelJudge.MIN_REQUESTS_TO_HOLD + " are needed to count" : "",
                    levels, levelMax);
        }
        out.printf(Locale.ROOT, "  duration: about %.0f min, at most %.0f min (it stops by itself); peak: %d requests a second at most%n",
                typical / 60, total / 60, (int) Math.floor(t.maxRps()));
    }

    private void writeFailure(Path runDir, Exception e) {
        try {
            Files.createDirectories(runDir);
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            Files.writeString(runDir.resolve("failure.txt"), trace.toString());
            out.printf("  (the trace is in %s)%n", runDir.resolve("failure.txt"));
        } catch (IOException io) {
            e.printStackTrace(out);
        }
    }
}
