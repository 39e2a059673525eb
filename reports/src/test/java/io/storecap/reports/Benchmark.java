package io.storecap.reports;

import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.ModelSettings;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
import io.storecap.model.whatif.WhatIf;
import io.storecap.model.whatif.WhatIfQuery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: times the model and the report on a full study's shape (5 claims x 11 levels, 5
 * anti-pattern variants, ~4,500 samples per run) and prints the figures. Run with
 * {@code java -cp <reports test classpath> io.storecap.reports.Benchmark [outDir]}.
 */
public final class Benchmark {
    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("storecap-bench");
        Map<String, Tier> tiers = Fixtures.tiers();
        List<Integer> stair = List.of(10, 25, 50, 100, 250, 500, 700, 1000, 1500, 2000, 3000);
        List<RunResult> runs = new ArrayList<>();
        runs.add(Fixtures.run("free-direct", Fixtures.FREE, Route.DIRECT, stair, 0, 4, 0.4, 0));
        runs.add(Fixtures.run("free-pooled", Fixtures.FREE, Route.POOLED, stair, 1, 6, 0.12, 650));
        runs.add(Fixtures.run("launch-direct", Fixtures.LAUNCH, Route.DIRECT, stair, 2, 6, 0.33, 0));
        runs.add(Fixtures.run("launch-pooled", Fixtures.LAUNCH, Route.POOLED, stair, 3, 6, 0.09, 1450));
        runs.add(Fixtures.run("scale-pooled", Fixtures.SCALE, Route.POOLED, stair, 4, 8, 0.05, 5000));
        String[] patterns = {"client-per-request", "default-limit-fanout", "tx-external-call", "idle-in-tx-leak"};
        for (int i = 0; i < patterns.length; i++)
            runs.add(Fixtures.variant(Fixtures.run("free-direct", Fixtures.FREE, Route.DIRECT, stair, 10 + i, 4, 1.6 + i, 0), patterns[i]));
        runs.add(Fixtures.variant(Fixtures.run("free-pooled", Fixtures.FREE, Route.POOLED, stair, 20, 20, 0.12, 500), "cron-beside-pooler"));
        List<Claim> claims = List.of(
                new Claim("free-direct", "free", Route.DIRECT, new ClaimedRange(20, 25), null),
                new Claim("free-pooled", "free", Route.POOLED, new ClaimedRange(500, 700), null),
                new Claim("launch-direct", "launch", Route.DIRECT, new ClaimedRange(360, 440), null),
                new Claim("launch-pooled", "launch", Route.POOLED, new ClaimedRange(1000, null), null),
                new Claim("scale-pooled", "scale", Route.POOLED, new ClaimedRange(2000, null), null));
        var dirs = Fixtures.writeSamples(out.resolve("runs"), runs);
        long samples = 0;
        for (Path d : dirs.values()) samples += Files.readAllLines(d.resolve("samples.csv")).size() - 1;
        System.out.printf(Locale.ROOT, "shape: %d claims, %d runs (%d variants), %d levels per run, %,d samples (%,d per run)%n",
                claims.size(), runs.size(), runs.size() - claims.size(), stair.size(), samples, samples / runs.size());
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            StudyModel model = CapacityModel.evaluate(claims, tiers, runs, ModelSettings.defaults());
            long t1 = System.nanoTime();
            ReportContext ctx = ReportContext.fromRuns("full", runs).withRunDirs(dirs);
            Report r = ReportWriter.write(out.resolve("report"), model, runs, tiers, ctx);
            long t2 = System.nanoTime();
            var a = WhatIf.answer(WhatIfQuery.of("launch", Route.DIRECT, 700).withIdleTtlSeconds(300.0), runs, tiers, ModelSettings.defaults());
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "run %d: CapacityModel.evaluate %.2f s (%d explanations, %d conditions), ReportWriter.write %.2f s (%d charts), "
                            + "total %.2f s; WhatIf.answer %.0f ms (threshold %d)%n", rep + 1, (t1 - t0) / 1e9, model.explanations().size(),
                    model.explanations().stream().mapToInt(x -> x.conditions().size()).sum(), (t2 - t1) / 1e9, r.charts().size(),
                    (t2 - t0) / 1e9, (t3 - t2) / 1e6, a.thresholdStores());
        }
        System.out.println("report: " + out.resolve("report/index.html"));
    }
}
