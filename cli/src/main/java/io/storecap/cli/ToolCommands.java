package io.storecap.cli;

import io.storecap.environment.EnvUp;
import io.storecap.environment.Provider;
import io.storecap.model.Json;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.TiersFile;
import io.storecap.model.queue.UslCsv;
import io.storecap.model.queue.UslResult;
import io.storecap.reports.WhatIfCommand;
import io.storecap.reports.gates.GateCommand;
import io.storecap.runner.ServiceSettings;
import io.storecap.runner.Study;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The commands that read what a study wrote, or start an environment: gate, whatif, env up, model usl. */
final class ToolCommands {
    private ToolCommands() {}

    @Command(name = "gate", mixinStandardHelpOptions = true,
            description = {"Checks a summary.json against CI gates and/or a baseline summary.",
                    "Exit: 0 all gates passed, 1 a gate failed (named, with by how much), 2 bad input."})
    static final class GateCmd implements Callable<Integer> {
        @Option(names = "--summary", required = true, paramLabel = "FILE", description = "summary.json of the study to check") Path summary;
        @Option(names = "--gates", paramLabel = "FILE", description = "gates YAML (see config/gates.yaml)") Path gates;
        @Option(names = "--baseline", paramLabel = "FILE",
                description = "an earlier summary.json: fail a claim whose new 95 % interval lies wholly below the old one") Path baseline;
        /** Gone with the interval rule; still parsed so a workflow that passes it is told what changed, not "unknown option". */
        @Option(names = "--max-drop-pct", paramLabel = "N", hidden = true) String maxDropPct;
        @Option(names = "--junit", paramLabel = "FILE", description = "also write the results as JUnit XML") Path junit;

        @Override
        public Integer call() {
            if (maxDropPct != null)
                throw new IllegalArgumentException("--max-drop-pct is gone: --baseline now flags a regression only when a claim's new 95 % "
                        + "interval lies wholly below the old one, whatever the drop of the point estimate; remove --max-drop-pct " + maxDropPct);
            return GateCommand.execute(new GateCommand.Options(summary, gates, baseline, junit), System.out, System.err);
        }
    }

    @Command(name = "whatif", mixinStandardHelpOptions = true,
            description = {"Evaluates the calibrated model of the latest study without load.",
                    "Predicted connections with intervals, p95 and the tier's threshold, for settings no run used",
                    "(--runs DIR for another study); every extrapolation is warned."})
    static final class WhatIfCmd implements Callable<Integer> {
        @Option(names = "--tier", required = true, paramLabel = "T") String tier;
        @Option(names = "--route", required = true, paramLabel = "direct|pooled") Route route;
        @Option(names = "--stores", required = true, paramLabel = "N") int stores;
        @Option(names = "--ttl", paramLabel = "DURATION", converter = Cli.Duration.class,
                description = "idle TTL of a function instance, e.g. 10s, 5m (default: as the study ran)") Double ttl;
        @Option(names = "--connection-limit", paramLabel = "K") Integer connectionLimit;
        @Option(names = "--pattern", paramLabel = "NAME", description = "an anti-pattern the study measured (client-per-request, ...)") String pattern;
        @Option(names = "--rate", paramLabel = "MULTIPLIER", description = "per-store peak rate multiplier (default ${DEFAULT-VALUE})", defaultValue = "1") double rate;
        @Option(names = "--window", paramLabel = "DURATION", converter = Cli.Duration.class,
                description = "the span peaks are taken over (default: a study level; 1h for a busy hour)") Double window;
        @Option(names = "--profile", paramLabel = "FILE", description = "a traffic profile whose per-store rate replaces the study's") Path profile;
        @Option(names = "--json", description = "the answer as JSON") boolean json;
        @Option(names = "--runs", paramLabel = "DIR", description = "the study to calibrate from (default target/storecap/latest)") Path runs;
        @Option(names = "--tiers", paramLabel = "FILE", description = "the tiers (default config/tiers.yaml)") Path tiers;

        @Override
        public Integer call() {
            Path root = StudyCommands.root();
            Path dir = runs != null ? runs : root.resolve("target/storecap/latest");
            if (!Files.isDirectory(dir))
                throw new IllegalArgumentException("no study to calibrate from at " + dir + ": run ./storecap study --quick first, or pass --runs DIR");
            if (profile != null && !Files.isRegularFile(profile)) throw new IllegalArgumentException("--profile " + profile + ": file not found");
            List<RunResult> loaded = new ArrayList<>(Study.loadRuns(List.of(dir)).values());
            return WhatIfCommand.execute(tier, route, stores, rate, profile, ttl, connectionLimit, pattern, window, json, loaded,
                    TiersFile.load(tiers != null ? tiers : root.resolve("config/tiers.yaml")), System.out);
        }
    }

    @Command(name = "env", mixinStandardHelpOptions = true, description = "Environments for your own tests.",
            subcommands = {EnvCmd.Up.class})
    static final class EnvCmd {
        @Command(name = "up", mixinStandardHelpOptions = true,
                description = {"Starts Postgres (and PgBouncer with --pooler) sized for a tier and prints how to connect, until Ctrl-C.",
                        "With --service also the reference service, as a deployment to study with study --target.",
                        "Containers get the tier's Neon compute size (1 CU = 1 vCPU, 4 GB)."})
        static final class Up implements Callable<Integer> {
            @Option(names = "--provider", paramLabel = "auto|local|containers", defaultValue = "auto",
                    description = "where Postgres runs (default ${DEFAULT-VALUE})") Provider provider;
            @Option(names = "--tier", paramLabel = "ID", defaultValue = "free", description = "a tier of the tiers file (default ${DEFAULT-VALUE})") String tier;
            @Option(names = "--tiers", paramLabel = "FILE", description = "the tiers (default config/tiers.yaml)") Path tiers;
            @Option(names = "--pooler", description = "PgBouncer in front") boolean pooler;
            @Option(names = "--no-prepared-statements", description = "PgBouncer without prepared-statement tracking") boolean noPrepared;
            @Option(names = "--build-images", description = "build storecap's images first (containers)") boolean buildImages;
            @Option(names = "--cpus", paramLabel = "N", description = "CPU limit of the containers (default: the tier's)") Double cpus;
            @Option(names = "--memory-mb", paramLabel = "N", description = "memory limit of the containers (default: the tier's)") Integer memoryMb;
            @Option(names = "--seconds", paramLabel = "N", defaultValue = "0", description = "stop by itself after N s (default: at Ctrl-C)") long seconds;
            @Option(names = "--service", description = "also the reference service, as a study's search runs it (through PgBouncer with --pooler); prints its URL")
            boolean service;
            @Option(names = "--runtime", paramLabel = "ID", description = "with --service: its runtime (default: config/runtimes.yaml's default)") String runtime;
            @Option(names = "--stores", paramLabel = "N", description = "with --service: stores to seed (default: as many as the quick search seeds)") Integer stores;
            @Option(names = "--full", description = "with --service: the full study mode's settings (default quick)") boolean full;
            @Option(names = "--env-file", paramLabel = "FILE",
                    description = "with --service: where its secrets go (default target/storecap/env-up/service.env)") Path envFile;
            @Option(names = "--study", paramLabel = "FILE", description = "with --service: the study settings (default config/study.yaml)") Path study;
            @Option(names = "--profile", paramLabel = "FILE", description = "with --service: the traffic profile, for store sizes (default config/profile.yaml)") Path profile;
            @Option(names = "--runtimes", paramLabel = "FILE", description = "with --service: the runtimes (default config/runtimes.yaml)") Path runtimes;

            @Override
            public Integer call() {
                EnvUp.Options o = new EnvUp.Options(provider, tier, tiers, pooler, !noPrepared, buildImages, cpus, memoryMb, seconds);
                if (!service) {
                    if (runtime != null || stores != null || full || envFile != null || study != null || profile != null || runtimes != null)
                        throw new IllegalArgumentException("--runtime, --stores, --full, --env-file, --study, --profile and --runtimes go with --service");
                    return EnvUp.up(o, System.out);
                }
                Path root = StudyCommands.root();
                Study.Inputs d = Study.Inputs.defaults(root);
                // as a study reads them: without --runtimes, the runtimes file beside the study file
                Study.Inputs in = new Study.Inputs(d.claims(), tiers != null ? tiers : d.tiers(), profile != null ? profile : d.profile(),
                        study != null ? study : d.study());
                if (runtimes != null) in = new Study.Inputs(in.claims(), in.tiers(), in.profile(), in.study(), runtimes);
                EnvUp.ServiceSpec spec = ServiceSettings.forEnvUp(in, tier, pooler ? Route.POOLED : Route.DIRECT, runtime, !full, stores,
                        envFile != null ? envFile : root.resolve("target/storecap/env-up/service.env"));
                return EnvUp.up(o, spec, System.out);
            }
        }
    }

    @Command(name = "model", mixinStandardHelpOptions = true, description = "The model stage's tools on your own data.",
            subcommands = {ModelCmd.Usl.class, ComputeCmd.class})
    static final class ModelCmd {
        @Command(name = "usl", mixinStandardHelpOptions = true,
                description = "Fits the Universal Scalability Law to a CSV of (concurrency, throughput), like R's usl.")
        static final class Usl implements Callable<Integer> {
            @Option(names = "--csv", required = true, paramLabel = "FILE", description = "a header and two columns: concurrency, throughput") Path csv;
            @Option(names = "--json", description = "the fit as JSON") boolean json;

            @Override
            public Integer call() throws IOException {
                String text;
                try {
                    text = Files.readString(csv);
                } catch (NoSuchFileException e) {
                    throw new IllegalArgumentException("CSV file " + csv + " does not exist");
                }
                UslResult r;
                try {
                    r = UslResult.fit(UslCsv.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(csv + ": " + e.getMessage());
                }
                System.out.println(json ? Json.JSON.writeValueAsString(r) : r.toText());
                return 0;
            }
        }
    }
}
