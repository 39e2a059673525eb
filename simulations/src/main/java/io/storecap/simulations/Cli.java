package io.storecap.simulations;

import io.storecap.environment.Cleanup;
import io.storecap.environment.EnvironmentException;
import io.storecap.model.Claim;
import io.storecap.model.ClaimsFile;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.reports.Report;
import io.storecap.reports.gates.GateCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code ./storecap} commands that run on the JVM: study, report, gate, model. */
public final class Cli {
    static final String USAGE = """
            usage: ./storecap <command> [options]
              study [--quick] [--out DIR] [--only ID,ID] [--scenario stair|peak|burst|soak] [--patterns]
                    [--provider local|containers|auto] [--seed N] [--stair]
                    [--gates FILE] [--baseline SUMMARY] [--claims FILE] [--tiers FILE] [--profile FILE] [--study FILE]
                  search each claim's knee (direct and pooled), model, report; writes target/storecap/latest/
                  (--stair: the fixed stair past each claim instead of the search; --seed: reproducible arrivals)
              report --run DIR [--run DIR...] [--out DIR] [--claims FILE] [--tiers FILE]
                  re-model and re-render saved runs without running load again
              gate --summary FILE --gates FILE [--baseline OLD_SUMMARY] [--max-drop-pct N] [--junit OUT.xml]
                  check a summary.json against CI gates; exit 1 when one fails
              bench [--connections N] [--seconds S] [--warm-up S] [--full] [--skip-study] [--write-docs] [--out DIR]
                  the harness against pgbench and its own limits; writes bench.json and a table
              env up [--provider auto|local|containers] [--tier ID] [--pooler]
                  start Postgres (and PgBouncer) for a tier and print its URLs until Ctrl-C
              faults [--only ID,ID] [--levels 100,300] [--level-seconds 15] [--write-docs] [--out DIR]
                  inject faults mid-run (PgBouncer killed, Postgres restarted, a storm of cold instances,
                  Redis down, a lock held): exit 1 unless every acknowledged webhook is stored exactly once
              whatif --tier T --route direct|pooled --stores N [--ttl 5m] [--connection-limit K] [--pattern P]
                     [--rate X] [--profile FILE] [--json] [--runs STUDY_DIR]
                  the calibrated model of the latest study, evaluated without load (extrapolation warned)
              model usl --csv FILE [--json]
                  fit the Universal Scalability Law to a CSV of (concurrency, throughput)
              test
                  the full test suite (handled by the shell wrapper)
            """;

    private Cli() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(args);
        } catch (IllegalArgumentException | EnvironmentException e) {
            System.err.println("storecap: " + e.getMessage());
            code = 2;
        } catch (RuntimeException e) {
            // a bug or an unexpected failure: say so, stop everything, and exit rather than hang on stray threads
            System.err.println("storecap: unexpected failure: " + e);
            e.printStackTrace();
            code = 1;
        } finally {
            Cleanup.closeAll();
        }
        System.exit(code);
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Path root = Path.of(System.getProperty("storecap.root", ".")).toAbsolutePath().normalize();
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "study" -> study(root, new Options(rest, List.of("--quick", "--patterns", "--stair"),
                    List.of("--out", "--only", "--gates", "--baseline", "--claims", "--tiers", "--profile", "--study", "--scenario", "--provider",
                            "--seed"), List.of()));
            case "report" -> report(root, new Options(rest, List.of(), List.of("--out", "--claims", "--tiers"), List.of("--run")));
            case "gate" -> GateCommand.run(rest);
            case "bench" -> bench(root, new Options(rest, List.of("--full", "--skip-study", "--write-docs"),
                    List.of("--out", "--connections", "--seconds", "--warm-up"), List.of()));
            case "model" -> ModelCommand.run(rest, System.out, System.err);
            case "whatif" -> whatif(root, rest);
            case "faults" -> faults(root, new Options(rest, List.of("--write-docs"), List.of("--out", "--only", "--levels", "--level-seconds"), List.of()));
            case "env" -> io.storecap.environment.EnvUp.run(rest, System.out);
            default -> throw new IllegalArgumentException("unknown command '" + args[0] + "'\n" + USAGE);
        };
    }

    private static Study.Inputs inputs(Path root, Options o) {
        Study.Inputs d = Study.Inputs.defaults(root);
        return new Study.Inputs(o.path("--claims", d.claims()), o.path("--tiers", d.tiers()),
                o.path("--profile", d.profile()), o.path("--study", d.study()));
    }

    private static int study(Path root, Options o) {
        Study.Inputs in = inputs(root, o);
        Path out = o.has("--out") ? Path.of(o.value("--out")) : Study.newStudyDir(root);
        List<String> only = o.has("--only") ? List.of(o.value("--only").split(",")) : List.of();
        if (o.has("--gates") && !Files.exists(Path.of(o.value("--gates"))))
            throw new IllegalArgumentException("gates file " + o.value("--gates") + " does not exist");
        Scenario scenario = o.has("--scenario") ? Scenario.parse(o.value("--scenario")) : Scenario.STAIR;
        Long seed = null;
        if (o.has("--seed")) {
            try {
                seed = Long.parseLong(o.value("--seed"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seed must be a whole number, was '" + o.value("--seed") + "'");
            }
        }
        Report report = new Study(System.out).run(in, new Study.Options(o.flag("--quick"), only, scenario, o.flag("--patterns"),
                o.has("--provider") ? o.value("--provider") : "local", o.flag("--stair"), seed), out);
        if (!o.has("--out")) {
            Study.linkLatest(root, out);
            System.out.println("latest: " + root.resolve("target/storecap/latest/index.html"));
        }
        return gateIfAsked(o, report);
    }

    private static int report(Path root, Options o) {
        Study.Inputs in = inputs(root, o);
        List<Path> dirs = o.values("--run").stream().map(Path::of).toList();
        if (dirs.isEmpty()) throw new IllegalArgumentException("report needs at least one --run DIR (a run folder or a study folder)");
        Map<Path, RunResult> loaded = Study.loadRuns(dirs);
        List<Claim> claims = ClaimsFile.load(in.claims());
        Map<String, Tier> tiers = TiersFile.load(in.tiers());
        Map<String, Path> runDirs = new LinkedHashMap<>();
        loaded.forEach((dir, r) -> runDirs.put(r.runId(), dir));
        Path out = o.has("--out") ? Path.of(o.value("--out")) : dirs.get(0).resolve("report");
        Report report = new Study(System.out).report(claims, tiers, new ArrayList<>(loaded.values()), runDirs, out, "re-rendered",
                loaded.values().stream().mapToLong(RunResult::startedEpochMs).min().orElse(System.currentTimeMillis()));
        return gateIfAsked(o, report);
    }

    /**
     * Answers from the calibrated model of saved runs, without load: the latest study by default,
     * or {@code --runs DIR} (a study folder).
     */
    private static int whatif(Path root, String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        Path runsDir = root.resolve("target/storecap/latest");
        Path tiersFile = root.resolve("config/tiers.yaml");
        for (int i = 0; i < rest.size(); i++) {
            if (rest.get(i).equals("--runs") || rest.get(i).equals("--tiers")) {
                if (i + 1 >= rest.size()) throw new IllegalArgumentException(rest.get(i) + " needs a value");
                if (rest.get(i).equals("--runs")) runsDir = Path.of(rest.get(i + 1));
                else tiersFile = Path.of(rest.get(i + 1));
                rest.remove(i + 1);
                rest.remove(i);
                i--;
            }
        }
        if (!Files.isDirectory(runsDir))
            throw new IllegalArgumentException("no study to calibrate from at " + runsDir + ": run ./storecap study --quick first, or pass --runs DIR");
        List<RunResult> runs = new ArrayList<>(Study.loadRuns(List.of(runsDir)).values());
        return io.storecap.reports.WhatIfCommand.run(rest.toArray(String[]::new), runs, TiersFile.load(tiersFile), System.out);
    }

    private static int faults(Path root, Options o) {
        Path out = o.has("--out") ? Path.of(o.value("--out")) : root.resolve("target/storecap/faults")
                .resolve(java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<String> only = o.has("--only") ? List.of(o.value("--only").split(",")) : List.of();
        List<Integer> levels = o.has("--levels") ? java.util.Arrays.stream(o.value("--levels").split(",")).map(String::trim).map(Integer::valueOf).toList()
                : List.of(100, 300);
        double seconds = o.has("--level-seconds") ? Double.parseDouble(o.value("--level-seconds")) : 15;
        try {
            Files.createDirectories(out);
            FaultSuite suite = new FaultSuite(System.out, root);
            var outcomes = suite.run(only, levels, seconds, out, o.flag("--write-docs"));
            return outcomes.stream().allMatch(FaultSuite.Outcome::passed) && suite.badInputPassed() ? 0 : 1;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the fault results to " + out + ": " + e.getMessage(), e);
        }
    }

    private static int bench(Path root, Options o) {
        Path out = o.has("--out") ? Path.of(o.value("--out")) : root.resolve("target/storecap/bench")
                .resolve(java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        int connections = o.has("--connections") ? Integer.parseInt(o.value("--connections")) : 10;
        int seconds = o.has("--seconds") ? Integer.parseInt(o.value("--seconds")) : 15;
        if (connections < 1 || connections > 100) throw new IllegalArgumentException("--connections must be 1..100");
        if (seconds < 5) throw new IllegalArgumentException("--seconds must be >= 5");
        int warmUp = o.has("--warm-up") ? Integer.parseInt(o.value("--warm-up")) : 30;
        if (warmUp < 0) throw new IllegalArgumentException("--warm-up must be >= 0 seconds");
        try {
            new Bench(System.out, root, connections, seconds, warmUp).run(out, o.flag("--full"), o.flag("--skip-study"), o.flag("--write-docs"));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("bench failed: " + e, e);
        }
        return 0;
    }

    private static int gateIfAsked(Options o, Report report) {
        if (!o.has("--gates")) return 0;
        List<String> a = new ArrayList<>(List.of("--summary", report.summary().toString(), "--gates", o.value("--gates"),
                "--junit", report.outDir().resolve("gates-junit.xml").toString()));
        if (o.has("--baseline")) a.addAll(List.of("--baseline", o.value("--baseline")));
        return GateCommand.run(a.toArray(String[]::new));
    }

    /** Minimal option parsing: flags, single values, and repeatable values; anything else is an error. */
    static final class Options {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        Options(String[] args, List<String> flags, List<String> single, List<String> repeated) {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (flags.contains(key)) {
                    values.put(key, List.of("true"));
                } else if (single.contains(key) || repeated.contains(key)) {
                    String v;
                    if (a.contains("=")) v = a.substring(a.indexOf('=') + 1);
                    else if (i + 1 < args.length) v = args[++i];
                    else throw new IllegalArgumentException(key + " needs a value");
                    values.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
                    if (single.contains(key) && values.get(key).size() > 1) throw new IllegalArgumentException(key + " given twice");
                } else {
                    List<String> known = new ArrayList<>(flags);
                    known.addAll(single);
                    known.addAll(repeated);
                    throw new IllegalArgumentException("unknown option '" + a + "'; known here: " + String.join(" ", known));
                }
            }
        }

        boolean flag(String k) { return values.containsKey(k); }

        boolean has(String k) { return values.containsKey(k); }

        String value(String k) { return values.get(k).get(0); }

        List<String> values(String k) { return values.getOrDefault(k, List.of()); }

        Path path(String k, Path dflt) { return has(k) ? Path.of(value(k)) : dflt; }
    }
}
