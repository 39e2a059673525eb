package io.storecap.cli;

import io.storecap.model.Json;
import io.storecap.model.TrafficProfile;
import io.storecap.runner.StudyConfig;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.storecap.cli.BenchFigures.fmt;
import static io.storecap.cli.BenchFigures.nanToNull;

/**
 * {@code ./storecap bench}: the harness measured against pgbench and against its own limits, each
 * figure as a ratio to a baseline taken in the same run. Timings live here, never in tests.
 *
 * <p>This class runs the measurements in order and writes what they found; the parts are {@link
 * BenchDatabase} (the Postgres and PgBouncer measured on, and the CPU and pooler traffic they
 * cost), {@link Pgbench} (the baseline), {@link ServiceLoad} (the service under Gatling: throughput
 * and injection accuracy), {@link StudyTimings} (the study by stage, its knee rates, the model and
 * report), {@link BenchFigures} (bench.json and the table rows) and {@link BenchMarkdown} (bench.md
 * and docs/BENCHMARKS.md).
 */
public final class Bench {
    static final String PGBENCH_POOLED = "pgbench, pooled";
    static final String SERVICE_POOLED = "service, server mode, pooled";

    private final PrintStream out;
    private final Path root;
    private final int connections;
    private final int seconds;
    /** Unmeasured load before each service measurement, for both JVMs' JIT. */
    private final int warmUp;

    Bench(PrintStream out, Path root, int connections, int seconds, int warmUp) {
        this.out = out;
        this.root = root;
        this.connections = connections;
        this.seconds = seconds;
        this.warmUp = warmUp;
    }

    /** Runs every measurement; writes bench.json and bench.md into outDir. */
    Map<String, Object> run(Path outDir, boolean full, boolean skipStudy, boolean writeDocs) throws Exception {
        String command = "./storecap bench" + (connections == 10 ? "" : " --connections " + connections) + (seconds == 15 ? "" : " --seconds " + seconds)
                + (warmUp == 30 ? "" : " --warm-up " + warmUp) + (full ? " --full" : "") + (skipStudy ? " --skip-study" : "")
                + (writeDocs ? " --write-docs" : "");
        Files.createDirectories(outDir);
        TrafficProfile profile = TrafficProfile.load(root.resolve("config/profile.yaml"));
        StudyConfig study = StudyConfig.load(root.resolve("config/study.yaml"));
        List<Integer> ladder = study.full().ladder();
        int topStores = ladder.get(ladder.size() - 1);
        out.printf("storecap bench: %d connections, %d s per measurement, output %s%n", connections, seconds, outDir);

        BenchFigures figures = new BenchFigures(out);
        double ceiling;
        try (BenchDatabase db = BenchDatabase.start(connections)) {
            figures.json.put("machine", db.machine());
            ceiling = measure(db, figures, profile.totalRps(topStores), topStores, outDir);
        }
        new StudyTimings(root, figures, ceiling).run(outDir, full, skipStudy);

        figures.raw.put("cpuMsPerTransaction", figures.cpuSplits);
        figures.raw.put("poolerPerTransaction", figures.wire);
        figures.json.put("raw", figures.raw);
        Json.JSON.writeValue(outDir.resolve("bench.json").toFile(), figures.json);
        String md = BenchMarkdown.of(command, figures);
        Files.writeString(outDir.resolve("bench.md"), md);
        if (writeDocs) Files.writeString(root.resolve("docs/BENCHMARKS.md"), md);
        out.println();
        out.println(md);
        return figures.json;
    }

    /**
     * The measurements on the database: 1. the service (server mode, pooled) against pgbench
     * through the same PgBouncer; 2. the serverless cold path (a new connection per request)
     * against pgbench -C; 3. injection accuracy at the study's top rate and twice it; and what the
     * telemetry sampler cost meanwhile. Returns the service's pooled throughput, the harness's
     * ceiling.
     */
    private double measure(BenchDatabase db, BenchFigures figures, double top, int topStores, Path outDir) throws Exception {
        Map<String, Object> json = figures.json, raw = figures.raw;
        Pgbench pgbench = new Pgbench(out, db, connections, seconds, outDir);
        ServiceLoad service = new ServiceLoad(out, db, figures, connections, seconds, warmUp);

        // 1. service (server mode, pooled) against pgbench through the same PgBouncer
        Pgbench.Baseline base = pgbench.measure(figures);
        ServiceLoad.ServerPooled pooled = service.serverPooled(outDir);
        raw.put("samplerSamples", pooled.samplerSamples());
        raw.put("samplerSourceP99Ms", pooled.samplerSourceP99Ms());
        raw.put("pgbenchPooledTps", base.pooledTps());
        raw.put("pgbenchDirectTps", base.directTps());
        raw.put("pgbenchDirectNewConnectionTps", base.directNewConnectionTps());
        raw.put("serviceServerPooledTps", pooled.tps());
        figures.ratio("serviceVsPgbench", pooled.tps(), base.pooledTps(), "service tps (server mode, pooled) / pgbench tps through PgBouncer",
                ">= 0.5", pgbench.installed() ? null : "pgbench is not installed (apt-get install postgresql-15 or postgresql-client with pgbench)");

        // 2. the serverless cold path: a new connection per request, against pgbench -C
        double cold = service.serverlessCold(outDir);
        raw.put("serviceServerlessColdTps", cold);
        figures.ratio("serverlessColdVsPgbenchC", cold, base.directNewConnectionTps(),
                "service tps (serverless, direct, new connection per request) / pgbench -C tps",
                ">= 0.5 (within 2x)", pgbench.installed() ? null : "pgbench is not installed");

        // 3. injection accuracy at the study's top rate and twice it
        ServiceLoad.Injection inj = service.injectionAccuracy(top, outDir);
        raw.put("injectionTargetRps", top);
        raw.put("injectionAccuracy2x", inj.atTwiceRate());
        figures.ratio("injectionAccuracy", inj.atRate(), 1.0, String.format(Locale.ROOT, "achieved / target arrivals at %.0f req/s (%d stores)", top, topStores),
                "0.98-1.02", null);
        figures.row("injectionAccuracy2x", fmt(inj.atTwiceRate()), "1", fmt(inj.atTwiceRate()), "0.98-1.02",
                String.format(Locale.ROOT, "the same at %.0f req/s", 2 * top));
        json.put("injectionAccuracy2x", inj.atTwiceRate());

        double share = pooled.samplerCpuShare(), p99 = pooled.samplerP99Ms();
        json.put("samplerCpuShare", nanToNull(share));
        json.put("samplerP99Ms", nanToNull(p99));
        figures.row("samplerCpuShare", fmt(share), "1 core", fmt(share), "small",
                "CPU time of the sampling thread / wall time, at 10 Hz under load");
        figures.row("samplerP99Ms", fmt(p99), "100 ms period", fmt(p99 / 100), "< 100",
                "p99 time to take one sample (pg_stat_activity, SHOW POOLS, /metrics, CPU)");
        return pooled.tps();
    }
}
