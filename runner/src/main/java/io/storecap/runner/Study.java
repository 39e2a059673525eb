package io.storecap.runner;

import io.storecap.environment.Cleanup;
import io.storecap.model.Claim;
import io.storecap.model.ClaimsFile;
import io.storecap.model.Json;
import io.storecap.model.ModelSettings;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.RunRoles;
import io.storecap.model.RuntimePreset;
import io.storecap.model.RuntimesFile;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.TrafficProfile;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
import io.storecap.reports.Report;
import io.storecap.reports.BaselineStudy;
import io.storecap.reports.ReportContext;
import io.storecap.reports.ReportWriter;
import io.storecap.reports.StudyComparison;
import io.storecap.simulations.Scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The capacity study: one run per claim (its tier, its route, a knee search from inside its
 * claimed range until a constraint binds, {@link SearchRun}; or with {@code --stair} the fixed
 * stair past it), then the model and the report. Runs are kept in the study folder so the report can be rebuilt
 * from them ({@code ./storecap report --run DIR...}).
 */
public final class Study {
    /** Where the inputs are. */
    public record Inputs(Path claims, Path tiers, Path profile, Path study, Path runtimes) {
        public static Inputs defaults(Path root) {
            Path c = root.resolve("config");
            return new Inputs(c.resolve("claims.yaml"), c.resolve("tiers.yaml"), c.resolve("profile.yaml"), c.resolve("study.yaml"),
                    c.resolve(RuntimesFile.DEFAULT_NAME));
        }

        /** These inputs with another tiers file (null: unchanged). */
        public Inputs withTiers(Path t) { return t == null ? this : new Inputs(claims, t, profile, study, runtimes); }

        /** The same inputs without a runtimes file of their own: config/runtimes.yaml beside the study file. */
        public Inputs(Path claims, Path tiers, Path profile, Path study) {
            this(claims, tiers, profile, study, study.resolveSibling(RuntimesFile.DEFAULT_NAME));
        }
    }

    private final PrintStream out;

    public Study(PrintStream out) { this.out = out; }

    /**
     * What to run: quick or full levels, a subset of claims, the scenario, and whether to add the
     * anti-pattern variant runs (study.yaml's patterns) beside the baseline runs.
     */
    public record Options(boolean quick, List<String> only, Scenario scenario, boolean patterns, String provider,
                          boolean stair, Long seed, List<String> runtimes, MetricsPort metrics) {
        public Options {
            only = only == null ? List.of() : List.copyOf(only);
            runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
            if (scenario == null) scenario = Scenario.STAIR;
            provider = provider == null ? "local" : io.storecap.environment.Provider.parse(provider).id();
            if (metrics == null) metrics = MetricsPort.FREE;
        }

        /** The same with live metrics on a free port (the default). */
        public Options(boolean quick, List<String> only, Scenario scenario, boolean patterns, String provider,
                       boolean stair, Long seed, List<String> runtimes) {
            this(quick, only, scenario, patterns, provider, stair, seed, runtimes, MetricsPort.FREE);
        }

        public Options(boolean quick, List<String> only, Scenario scenario, boolean patterns) {
            this(quick, only, scenario, patterns, "local", false, null, List.of());
        }

        public Options(boolean quick, List<String> only, Scenario scenario, boolean patterns, String provider) {
            this(quick, only, scenario, patterns, provider, false, null, List.of());
        }

        /** Whether baselines run the knee search: the stair and peak traffic do; bursts and soaks keep their fixed stair. */
        boolean search() { return !stair && (scenario == Scenario.STAIR || scenario == Scenario.PEAK); }

        /** Whether this run is a knee search: a claim's baseline when the study searches (variants, {@code claim~pattern}, keep the stair). */
        boolean searches(RunConfig c) { return search() && !c.id().contains("~"); }

        /** The claim a planned run measures: its id before {@code ~} (a pattern) or {@code @} (a runtime). */
        static String claimOf(RunConfig c) { return c.id().split("[~@]", 2)[0]; }

        public static Options of(boolean quick) { return new Options(quick, List.of(), Scenario.STAIR, false); }
    }

    /** Runs the study and writes the report into {@code outDir}; returns the report. */
    public Report run(Inputs in, boolean quick, List<String> only, Path outDir) {
        return run(in, new Options(quick, only, Scenario.STAIR, false), outDir);
    }

    /** Runs the study and writes the report into {@code outDir}; returns the report. */
    public Report run(Inputs in, Options opts, Path outDir) { return run(in, opts, outDir, null); }

    /**
     * Runs the study and writes the report into {@code outDir}, compared with {@code baseline} (an
     * earlier study's summary.json, read before the load starts; null for none); returns the report.
     */
    public Report run(Inputs in, Options opts, Path outDir, BaselineStudy baseline) {
        long started = System.currentTimeMillis();
        boolean quick = opts.quick();
        List<Claim> claims = ClaimsFile.load(in.claims());
        Map<String, Tier> tiers = TiersFile.load(in.tiers());
        ClaimsFile.checkTiers(claims, tiers, in.claims().toString(), in.tiers().toString());
        TrafficProfile profile = TrafficProfile.load(in.profile());
        StudyConfig study = StudyConfig.load(in.study());
        List<Claim> selected = claims.stream().filter(c -> opts.only().isEmpty() || opts.only().contains(c.id())).toList();
        if (selected.isEmpty()) throw new IllegalArgumentException("--only " + opts.only() + " matches no claim id in " + in.claims()
                + "; ids there: " + claims.stream().map(Claim::id).toList());
        List<RuntimePreset> chosen = runtimes(in, opts);
        // the baseline run of every claim under the first runtime, the same claim under each further runtime
        // (runId claim@runtime), then the anti-pattern variants (runId claim~pattern) under the first runtime
        List<RunConfig> plan = new ArrayList<>();
        for (Claim claim : selected) {
            RunConfig base = (opts.search() ? study.searchConfig(claim, tiers.get(claim.tier()), quick)
                    : study.runConfig(claim, tiers.get(claim.tier()), quick)).withProvider(opts.provider());
            if (chosen.isEmpty()) plan.add(base);
            for (int i = 0; i < chosen.size(); i++) {
                RunConfig c = chosen.get(i).applyTo(base);
                plan.add(i == 0 ? c : c.toBuilder().id(claim.id() + RunRoles.RUNTIME_SEPARATOR + chosen.get(i).id()).build());
            }
        }
        if (opts.patterns()) {
            for (Claim claim : selected) {
                if (!study.patternClaims().contains(claim.id())) continue;
                for (String pattern : study.patterns()) {
                    if (!StudyConfig.appliesTo(pattern, claim.route())) continue;
                    RunConfig base = study.runConfig(claim, tiers.get(claim.tier()), quick).withProvider(opts.provider());
                    plan.add(study.variant(chosen.isEmpty() ? base : chosen.get(0).applyTo(base), pattern));
                }
            }
        }
        long seed = opts.seed() != null ? opts.seed() : new java.security.SecureRandom().nextInt(1_000_000);
        SearchSettings search = study.mode(quick).search();
        int expected = 0;
        for (RunConfig c : plan) expected += opts.searches(c) ? StudyProgress.LEVELS_PER_SEARCH : c.levels().size();
        StudyProgress progress = new StudyProgress(expected, expected * (opts.search() ? 30 : study.mode(quick).levelSeconds()));
        out.printf("storecap study (%s, %s scenario, %s provider, seed %d): %d claims, %d runs, profile '%s', output %s%n", quick ? "quick" : "full",
                opts.scenario().id(), opts.provider(), seed, selected.size(), plan.size(), profile.name(), outDir);
        for (RuntimePreset r : chosen) out.printf("runtime %s: %s%n", r.id(), r.summary());
        if (opts.search())
            out.printf("plan: for each claim, raise the load from inside its claimed range until a constraint binds, bisect to %.0f %%,%n"
                            + "      measure each end of the bracket %d times; a level counts only with >= %d requests; about %d levels, %s%n",
                    100 * (search.bracketRatio() - 1), search.replicates(), io.storecap.model.verdict.LevelJudge.MIN_REQUESTS_TO_HOLD, expected,
                    progress.eta().replace("ETA", "roughly"));
        List<RunResult> runs = new ArrayList<>();
        Map<String, Path> runDirs = new LinkedHashMap<>();
        Map<String, Double> stages = new LinkedHashMap<>();
        Map<String, Object> perRun = new LinkedHashMap<>();
        LiveMetrics live = LiveMetrics.start(opts.metrics());
        if (live.on()) out.printf("live metrics: %s (Prometheus text format, while the study runs)%n", live.url());
        RunOrchestrator orchestrator = new RunOrchestrator(out, live);
        System.setProperty("storecap.scenario", opts.scenario().id());
        try {
            int n = 0;
            for (RunConfig cfg : plan) {
                Tier tier = cfg.tier();
                Path runDir = outDir.resolve("runs").resolve(cfg.id());
                String pattern = cfg.serviceOptions().get("pattern");
                out.printf("%n[%d/%d] %s: %s, max_connections %d (%d usable), runtime %s%s%n", ++n, plan.size(), cfg.id(), cfg.route().id(),
                        tier.maxConnections(), tier.usableConnections(), cfg.runtime(), pattern == null ? "" : ", anti-pattern " + pattern);
                try {
                    long runStart = System.nanoTime();
                    boolean searched = opts.searches(cfg);
                    RunResult r = searched
                            ? new SearchRun(out, ModelSettings.defaults(), progress, live).run(cfg, search,
                                    opts.scenario().profile(profile, System.getProperties()), in.profile(), runDir,
                                    StudyConfig.searchStart(claims.stream().filter(c -> c.id().equals(Options.claimOf(cfg))).findFirst().orElseThrow()),
                                    seed + n * 7919L, targetRun(cfg, plan))
                            : orchestrator.run(cfg, profile, in.profile(), runDir);
                    Map<String, Double> runStages = searched
                            ? Map.of("search", (System.nanoTime() - runStart) / 1e9) : orchestrator.lastStages();
                    runStages.forEach((k, v) -> stages.merge(k, v, Double::sum));
                    perRun.put(r.runId(), runStages);
                    runs.add(r);
                    runDirs.put(r.runId(), runDir);
                    out.printf("  webhooks: sent %d, acknowledged %d, stored %d, duplicated %d, lost %d%n",
                            r.reconciliation().sent(), r.reconciliation().acknowledged(), r.reconciliation().stored(),
                            r.reconciliation().duplicated(), r.reconciliation().lost());
                } catch (Exception e) { // Gatling (Scala) may throw checked exceptions undeclared
                    // one broken run must not lose the others: its claim becomes INCONCLUSIVE with the reason
                    out.printf("  run %s failed: %s%n", cfg.id(), e.getMessage() != null ? e.getMessage() : e);
                    // the whole trace goes beside the run, so a failure is never just "null"
                    try {
                        java.nio.file.Files.createDirectories(runDir);
                        java.io.StringWriter trace = new java.io.StringWriter();
                        e.printStackTrace(new java.io.PrintWriter(trace));
                        java.nio.file.Files.writeString(runDir.resolve("failure.txt"), trace.toString());
                        out.printf("  (the trace is in %s)%n", runDir.resolve("failure.txt"));
                    } catch (java.io.IOException io) {
                        e.printStackTrace(out);
                    }
                    Cleanup.closeAll();
                }
                if (computeKnee(cfg)) { // pooled claims: the compute-bound knee beside the connection-bound search
                    long t0 = System.nanoTime();
                    ComputeKneeStage.forClaim(out, tier, profile, new ComputeKneeStage.Options(
                            io.storecap.environment.Provider.parse(opts.provider()), quick, seed + n), runDir);
                    stages.merge("compute", (System.nanoTime() - t0) / 1e9, Double::sum);
                }
            }
        } finally {
            System.clearProperty("storecap.scenario");
            live.close();
        }
        long t = System.nanoTime();
        Report report = report(claims, tiers, runs, runDirs, outDir, (quick ? "quick" : "full")
                + (opts.scenario() == Scenario.STAIR ? "" : ", " + opts.scenario().id() + " scenario"), started, baseline,
                ReportContext.commitFromEnvironment());
        stages.put("model+report", (System.nanoTime() - t) / 1e9);
        writeTiming(outDir, quick ? "quick" : "full", started, stages, perRun);
        return report;
    }

    /**
     * Whether a run answers the plan's targets (and so measures levels at the store counts they
     * name): the pooled baselines, as the report's targets table reads them; the direct ones when
     * the study has no pooled claim.
     */
    /**
     * The runtimes to run under: those named (the default when none is), from the runtimes file. A
     * setup without a runtimes file runs the study's own settings (and says so), unless runtimes are named.
     */
    private List<RuntimePreset> runtimes(Inputs in, Options opts) {
        if (in.runtimes() == null || !java.nio.file.Files.exists(in.runtimes())) {
            if (!opts.runtimes().isEmpty())
                throw new IllegalArgumentException("--runtime " + String.join(",", opts.runtimes()) + ": no runtimes file at " + in.runtimes()
                        + "; pass --runtimes FILE (see config/runtimes.yaml)");
            out.printf("no runtimes file at %s: the runs use the study's own service settings%n", in.runtimes());
            return List.of();
        }
        return RuntimesFile.load(in.runtimes()).select(opts.runtimes());
    }

    /** A pooled claim's baseline run (not a runtime's or a pattern's variant) gets a compute knee ({@link ComputeKneeStage}). */
    static boolean computeKnee(RunConfig cfg) {
        return cfg.route() == io.storecap.model.Route.POOLED && cfg.id().equals(Options.claimOf(cfg));
    }

    private static boolean targetRun(RunConfig cfg, List<RunConfig> plan) {
        boolean anyPooled = plan.stream().anyMatch(c -> c.route() == io.storecap.model.Route.POOLED);
        return cfg.route() == io.storecap.model.Route.POOLED || !anyPooled;
    }

    /** timing.json: where a study's wall time went, for ./storecap bench and for the curious. */
    private void writeTiming(Path outDir, String mode, long started, Map<String, Double> stages, Map<String, Object> perRun) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("mode", mode);
        t.put("totalSeconds", (System.currentTimeMillis() - started) / 1000.0);
        t.put("stages", stages);
        t.put("runs", perRun);
        try {
            Json.JSON.writeValue(outDir.resolve("timing.json").toFile(), t);
        } catch (IOException e) {
            out.println("could not write timing.json: " + e.getMessage());
        }
        out.printf("study took %.0f s: %s%n", (System.currentTimeMillis() - started) / 1000.0,
                String.join(", ", stages.entrySet().stream().map(e -> String.format(java.util.Locale.ROOT, "%s %.0f s", e.getKey(), e.getValue())).toList()));
    }

    /** Models saved runs and writes the report: the last two stages alone. */
    public Report report(List<Claim> claims, Map<String, Tier> tiers, List<RunResult> runs, Map<String, Path> runDirs,
                         Path outDir, String mode, long started) {
        return report(claims, tiers, runs, runDirs, outDir, mode, started, null);
    }

    /** As above, compared with a baseline study (null for none); the commit is not known when saved runs are re-rendered. */
    public Report report(List<Claim> claims, Map<String, Tier> tiers, List<RunResult> runs, Map<String, Path> runDirs,
                         Path outDir, String mode, long started, BaselineStudy baseline) {
        return report(claims, tiers, runs, runDirs, outDir, mode, started, baseline, null);
    }

    private Report report(List<Claim> claims, Map<String, Tier> tiers, List<RunResult> runs, Map<String, Path> runDirs,
                          Path outDir, String mode, long started, BaselineStudy baseline, String commit) {
        long t = System.nanoTime();
        StudyModel model = CapacityModel.evaluate(claims, tiers, runs, ModelSettings.defaults());
        ReportContext ctx = ReportContext.fromRuns(mode, runs).withGatlingLinks(outDir, runDirs, runs)
                .withTimes(started, System.currentTimeMillis()).withStudy(studyId(outDir, runDirs), commit)
                .withValidation(io.storecap.reports.ModelValidation.latest(Path.of(System.getProperty("storecap.root", "."))));
        Report report = ReportWriter.write(outDir, model, runs, tiers, ctx, baseline);
        out.printf("%nmodel + report in %.1f s%n%n", (System.nanoTime() - t) / 1e9);
        out.printf("%-15s %-12s %-16s %-26s %-4s %-14s %s%n", "claim", "claimed", "kind", "measured (95% interval)", "reps", "binding", "verdict");
        for (ClaimResult c : model.claims()) {
            var m = c.measured();
            String measured = m.threshold() == null ? (m.high() != null ? "< " + Math.round(m.high()) : "n/a")
                    : m.lowerBound() ? ">= " + Math.round(m.threshold())
                    : Math.round(m.threshold()) + " (" + Math.round(m.low()) + "-" + (m.high() == null ? "?" : Math.round(m.high())) + ")";
            out.printf("%-15s %-12s %-16s %-26s %-4s %-14s %s%n", c.id(), c.claimed().text(), m.kind().id(), measured,
                    m.kind() == io.storecap.model.MeasuredKind.KNEE ? String.valueOf(m.replicates()) : "-", m.binding(), c.verdict());
        }
        if (baseline != null) {
            StudyComparison cmp = StudyComparison.of(baseline, model);
            out.printf("%nvs baseline %s: %s%n", cmp.describeBaseline(), cmp.tally());
        }
        out.printf("%nreport: %s%nsummary: %s%n", report.index().toAbsolutePath(), report.summary().toAbsolutePath());
        return report;
    }

    /**
     * The study's name: the folder holding the runs' {@code runs/} folder (a study folder's time stamp,
     * also when its runs are re-rendered elsewhere), else the report folder's name.
     */
    static String studyId(Path outDir, Map<String, Path> runDirs) {
        for (Path d : runDirs.values()) {
            Path parent = d.toAbsolutePath().normalize().getParent();
            if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("runs")
                    && parent.getParent() != null && parent.getParent().getFileName() != null)
                return parent.getParent().getFileName().toString();
        }
        Path name = outDir.toAbsolutePath().normalize().getFileName();
        return name == null ? null : name.toString();
    }

    /** Loads run.json files from run folders (each folder, or a study folder holding runs/). */
    public static Map<Path, RunResult> loadRuns(List<Path> dirs) {
        Map<Path, RunResult> out = new LinkedHashMap<>();
        for (Path d : dirs) {
            List<Path> candidates = new ArrayList<>();
            if (Files.exists(d.resolve("run.json"))) candidates.add(d);
            else if (Files.isDirectory(d.resolve("runs"))) {
                try (var s = Files.list(d.resolve("runs"))) {
                    s.filter(x -> Files.exists(x.resolve("run.json"))).sorted().forEach(candidates::add);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot list " + d.resolve("runs") + ": " + e.getMessage());
                }
            }
            if (candidates.isEmpty())
                throw new IllegalArgumentException(d + " holds no run.json (nor runs/*/run.json): pass a run folder or a study folder");
            for (Path c : candidates) {
                try {
                    out.put(c, Json.JSON.readValue(c.resolve("run.json").toFile(), RunResult.class));
                } catch (IOException e) {
                    throw new IllegalArgumentException(c.resolve("run.json") + " is not a storecap run result: " + e.getMessage());
                }
            }
        }
        return out;
    }

    /** target/storecap/studies/&lt;timestamp&gt; */
    public static Path newStudyDir(Path root) {
        String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return root.resolve("target").resolve("storecap").resolve("studies").resolve(ts);
    }

    /** Points target/storecap/latest at the newest study (a symlink; a copy of the two files where links fail). */
    public static void linkLatest(Path root, Path studyDir) {
        Path latest = root.resolve("target").resolve("storecap").resolve("latest");
        try {
            if (Files.isSymbolicLink(latest) || Files.isRegularFile(latest)) Files.delete(latest);
            else if (Files.isDirectory(latest)) deleteTree(latest);
            Files.createSymbolicLink(latest, latest.getParent().relativize(studyDir.toAbsolutePath().normalize()));
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.createDirectories(latest);
                for (String f : List.of("index.html", "summary.json"))
                    Files.copy(studyDir.resolve(f), latest.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e2) {
                throw new IllegalStateException("cannot write " + latest + ": " + e2.getMessage(), e2);
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var w = Files.walk(p)) {
            for (Path f : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
