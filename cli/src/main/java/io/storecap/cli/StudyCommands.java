package io.storecap.cli;

import io.storecap.environment.Provider;
import io.storecap.model.Claim;
import io.storecap.model.ClaimsFile;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.reports.Report;
import io.storecap.reports.BaselineStudy;
import io.storecap.reports.gates.GateCommand;
import io.storecap.runner.Checklist;
import io.storecap.runner.FaultSuite;
import io.storecap.runner.MetricsPort;
import io.storecap.runner.Study;
import io.storecap.simulations.Scenario;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** The commands that run load or re-model runs: study, report, bench, faults. */
final class StudyCommands {
    private StudyCommands() {}

    static Path root() { return Path.of(System.getProperty("storecap.root", ".")).toAbsolutePath().normalize(); }

    static Path timestamped(Path parent) {
        return parent.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The config files a study reads; each defaults to config/NAME. */
    static final class ConfigFiles {
        @Option(names = "--claims", paramLabel = "FILE", description = "the plan's claims (default config/claims.yaml)") Path claims;
        @Option(names = "--tiers", paramLabel = "FILE", description = "the tiers (default config/tiers.yaml)") Path tiers;
        @Option(names = "--profile", paramLabel = "FILE", description = "the traffic profile (default config/profile.yaml)") Path profile;
        @Option(names = "--study", paramLabel = "FILE", description = "the study settings (default config/study.yaml)") Path study;
        @Option(names = "--runtimes", paramLabel = "FILE", description = "the runtimes (default config/runtimes.yaml)") Path runtimes;

        Study.Inputs inputs(Path root) {
            Study.Inputs d = Study.Inputs.defaults(root);
            return new Study.Inputs(claims != null ? claims : d.claims(), tiers != null ? tiers : d.tiers(),
                    profile != null ? profile : d.profile(), study != null ? study : d.study(), runtimes != null ? runtimes : d.runtimes());
        }
    }

    /**
     * CI gates after the report: exit 1 when one fails. A baseline is also drawn in the report (the
     * "vs baseline" column, the charts' lighter series, summary.json's baseline block).
     */
    static final class Gates {
        @Option(names = "--gates", paramLabel = "FILE", description = "check the summary against these gates (exit 1 if one fails)") Path gates;
        @Option(names = "--baseline", paramLabel = "SUMMARY",
                description = "an earlier summary.json: compare with it in the report, exit 1 when a claim's 95 % interval lies wholly below the old one")
        Path baseline;

        int check(Report report) {
            if (gates == null && baseline == null) return 0;
            return GateCommand.execute(new GateCommand.Options(report.summary(), gates, baseline,
                    report.outDir().resolve("gates-junit.xml")), System.out, System.err);
        }

        /** Checks the files before any load runs; returns the baseline read whole (null when none), so a bad one stops here. */
        BaselineStudy checkFiles() {
            if (gates != null && !Files.isRegularFile(gates)) throw new IllegalArgumentException("--gates " + gates + ": no such file");
            return baseline == null ? null : BaselineStudy.read(baseline, "--baseline");
        }
    }

    @Command(name = "study", mixinStandardHelpOptions = true,
            description = {"Searches each claim's knee (direct and pooled), models it and writes the report.",
                    "Writes target/storecap/studies/<time>/ and points target/storecap/latest at it."})
    static final class StudyCmd implements Callable<Integer> {
        @Option(names = "--quick", description = "the quick search: fewer replicates, shorter levels (~20 min)") boolean quick;
        @Option(names = "--out", paramLabel = "DIR", description = "write here instead of a new study folder") Path out;
        @Option(names = "--only", split = ",", paramLabel = "ID", description = "only these claims, e.g. free-direct,free-pooled") List<String> only = new ArrayList<>();
        @Option(names = "--scenario", paramLabel = "stair|peak|burst|soak", description = "the traffic scenario (default ${DEFAULT-VALUE})", defaultValue = "stair") Scenario scenario;
        @Option(names = "--patterns", description = "add the anti-pattern variant runs") boolean patterns;
        @Option(names = "--provider", paramLabel = "local|containers|auto", description = "where Postgres runs (default local)") Provider provider;
        @Option(names = "--stair", description = "the fixed stair past each claim instead of the knee search (never a knee)") boolean stair;
        @Option(names = "--seed", paramLabel = "N", description = "seed of the arrivals, for a reproducible study (printed either way)") Long seed;
        @Option(names = "--runtime", split = ",", paramLabel = "ID",
                description = "run every claim under these runtimes of config/runtimes.yaml (default: its default); the first gives the verdict")
        List<String> runtimes = new ArrayList<>();
        @Option(names = "--metrics-port", paramLabel = "N|off", defaultValue = "0",
                description = "serve live metrics (Prometheus format) on 127.0.0.1:N while the study runs; 0 = a free port, off = none (default ${DEFAULT-VALUE})")
        MetricsPort metricsPort;
        @Option(names = "--checklist", description = "measure each step of the plan (config/checklist.yaml) off and on instead of the claims' knees (quick: <= 15 min)")
        boolean checklist;
        @Option(names = "--checklist-file", paramLabel = "FILE", description = "the checklist (default config/checklist.yaml)") Path checklistFile;
        @ArgGroup(exclusive = false) ConfigFiles files = new ConfigFiles();
        @ArgGroup(exclusive = false) Gates gates = new Gates();
        @ArgGroup(exclusive = false, heading = "%nAgainst your own deployment:%n") TargetOptions target = new TargetOptions();

        @Override
        public Integer call() {
            Path root = root();
            if (checklist || checklistFile != null) return checklist(root);
            BaselineStudy baseline = gates.checkFiles();
            if (target.given() && provider != null)
                throw new IllegalArgumentException("--provider says where storecap starts Postgres; with --target the deployment's own database"
                        + " is studied and nothing is started: drop --provider");
            Path dir = out != null ? out : Study.newStudyDir(root);
            Study.Options options = new Study.Options(quick, only, scenario, patterns, provider().id(), stair, seed, runtimes, metricsPort);
            Report report = target.given() ? target.run(root, files.inputs(root), options, dir)
                    : new Study(System.out).run(files.inputs(root), options, dir, baseline);
            if (report == null) return 0; // --plan: printed, nothing sent
            if (out == null) {
                Study.linkLatest(root, dir);
                System.out.println("latest: " + root.resolve("target/storecap/latest/index.html"));
            }
            return gates.check(report);
        }

        private Provider provider() { return provider == null ? Provider.LOCAL : provider; }

        /** --checklist: its own cells, page and summary; the claims' options do not apply to it. */
        private int checklist(Path root) {
            List<String> ignored = new ArrayList<>();
            if (!only.isEmpty()) ignored.add("--only");
            if (patterns) ignored.add("--patterns");
            if (stair) ignored.add("--stair");
            if (!runtimes.isEmpty()) ignored.add("--runtime");
            if (scenario != Scenario.STAIR) ignored.add("--scenario");
            if (gates.gates != null || gates.baseline != null) ignored.add("--gates/--baseline");
            if (!ignored.isEmpty())
                throw new IllegalArgumentException("--checklist runs its own cells on the checklist's tier and the default runtime; drop "
                        + String.join(", ", ignored));
            Path dir = out != null ? out : Study.newStudyDir(root);
            new Checklist(System.out).run(files.inputs(root), new Checklist.Options(quick, seed, provider().id(), checklistFile), dir);
            if (out == null) {
                Study.linkLatest(root, dir);
                System.out.println("latest: " + root.resolve("target/storecap/latest/index.html"));
            }
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = {"Re-models and re-renders saved runs (a run folder or a study folder) without running load again.",
                    "With --baseline OLD_SUMMARY the report is drawn against an earlier study."})
    static final class ReportCmd implements Callable<Integer> {
        @Option(names = "--run", required = true, paramLabel = "DIR", description = "a run or study folder (repeatable)") List<Path> runs;
        @Option(names = "--out", paramLabel = "DIR", description = "where the report goes (default DIR/report of the first --run)") Path out;
        @Option(names = "--claims", paramLabel = "FILE") Path claims;
        @Option(names = "--tiers", paramLabel = "FILE") Path tiers;
        @ArgGroup(exclusive = false) Gates gates = new Gates();

        @Option(names = "--checklist-file", paramLabel = "FILE", description = "for a checklist study: the checklist (default config/checklist.yaml)") Path checklistFile;

        @Override
        public Integer call() {
            Path root = root();
            if (runs.size() == 1 && java.nio.file.Files.isRegularFile(runs.get(0).resolve("checklist/cells.json"))) {
                if (gates.gates != null || gates.baseline != null || claims != null)
                    throw new IllegalArgumentException(runs.get(0) + " is a checklist study: --gates, --baseline and --claims do not apply to it; drop them");
                new Checklist(System.out).rerender(Study.Inputs.defaults(root).withTiers(tiers), checklistFile, runs.get(0),
                        out != null ? out : runs.get(0).resolve("report"));
                return 0;
            }
            BaselineStudy baseline = gates.checkFiles();
            Map<Path, RunResult> loaded = Study.loadRuns(runs);
            List<Claim> cs = ClaimsFile.load(claims != null ? claims : root.resolve("config/claims.yaml"));
            Map<String, Tier> ts = TiersFile.load(tiers != null ? tiers : root.resolve("config/tiers.yaml"));
            Map<String, Path> runDirs = new LinkedHashMap<>();
            loaded.forEach((dir, r) -> runDirs.put(r.runId(), dir));
            Path dir = out != null ? out : runs.get(0).resolve("report");
            Report report = new Study(System.out).report(cs, ts, new ArrayList<>(loaded.values()), runDirs, dir, "re-rendered",
                    loaded.values().stream().mapToLong(RunResult::startedEpochMs).min().orElse(System.currentTimeMillis()), baseline);
            return gates.check(report);
        }
    }

    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = {"The harness against pgbench and its own limits, as ratios measured in one run (~23 min).",
                    "Writes bench.json and a table; --write-docs also docs/BENCHMARKS.md."})
    static final class BenchCmd implements Callable<Integer> {
        @Option(names = "--connections", paramLabel = "N", description = "pgbench and harness connections, 1..100 (default ${DEFAULT-VALUE})", defaultValue = "10") int connections;
        @Option(names = "--seconds", paramLabel = "S", description = "seconds per measurement, >= 5 (default ${DEFAULT-VALUE})", defaultValue = "15") int seconds;
        @Option(names = "--warm-up", paramLabel = "S", description = "unmeasured load before each service measurement (default ${DEFAULT-VALUE})", defaultValue = "30") int warmUp;
        @Option(names = "--full", description = "also the full study") boolean full;
        @Option(names = "--skip-study", description = "skip the quick study") boolean skipStudy;
        @Option(names = "--write-docs", description = "rewrite docs/BENCHMARKS.md") boolean writeDocs;
        @Option(names = "--out", paramLabel = "DIR") Path out;

        @Override
        public Integer call() throws Exception {
            if (connections < 1 || connections > 100) throw new IllegalArgumentException("--connections must be 1..100, was " + connections);
            if (seconds < 5) throw new IllegalArgumentException("--seconds must be >= 5, was " + seconds);
            if (warmUp < 0) throw new IllegalArgumentException("--warm-up must be >= 0 seconds, was " + warmUp);
            Path root = root();
            new Bench(System.out, root, connections, seconds, warmUp)
                    .run(out != null ? out : timestamped(root.resolve("target/storecap/bench")), full, skipStudy, writeDocs);
            return 0;
        }
    }

    @Command(name = "faults", mixinStandardHelpOptions = true,
            description = {"Injects faults mid-run and checks that no acknowledged webhook is lost or duplicated.",
                    "PgBouncer killed, Postgres restarted, a storm of cold instances, Redis down, a lock held; then",
                    "hostile requests. Exit 1 unless every acknowledged webhook is stored exactly once."})
    static final class FaultsCmd implements Callable<Integer> {
        @Option(names = "--only", split = ",", paramLabel = "ID", description = "only these faults") List<String> only = new ArrayList<>();
        @Option(names = "--levels", split = ",", paramLabel = "STORES", description = "the stair (default ${DEFAULT-VALUE})", defaultValue = "100,300") List<Integer> levels;
        @Option(names = "--level-seconds", paramLabel = "S", description = "seconds per level (default ${DEFAULT-VALUE})", defaultValue = "15") double levelSeconds;
        @Option(names = "--write-docs", description = "rewrite docs/FAULTS.md") boolean writeDocs;
        @Option(names = "--out", paramLabel = "DIR") Path out;

        @Override
        public Integer call() throws IOException {
            if (!(levelSeconds >= 1)) throw new IllegalArgumentException("--level-seconds must be >= 1, was " + levelSeconds);
            Path root = root();
            Path dir = out != null ? out : timestamped(root.resolve("target/storecap/faults"));
            Files.createDirectories(dir);
            FaultSuite suite = new FaultSuite(System.out, root);
            var outcomes = suite.run(only, levels, levelSeconds, dir, writeDocs);
            return outcomes.stream().allMatch(FaultSuite.Outcome::passed) && suite.badInputPassed() ? 0 : 1;
        }
    }
}
