package io.storecap.cli;

import io.storecap.environment.Cleanup;
import io.storecap.environment.LocalPgBouncer;
import io.storecap.environment.LocalPostgres;
import io.storecap.environment.ProcessCpu;
import io.storecap.environment.Sample;
import io.storecap.environment.ServiceProcess;
import io.storecap.environment.TelemetrySampler;
import io.storecap.model.ClaimsFile;
import io.storecap.model.Json;
import io.storecap.model.ModelSettings;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
import io.storecap.reports.ReportContext;
import io.storecap.reports.ReportWriter;
import io.storecap.runner.GatlingRunner;
import io.storecap.runner.Study;
import io.storecap.runner.StudyConfig;
import io.storecap.service.Schema;
import io.storecap.service.Stores;
import io.storecap.simulations.InjectionSimulation;
import io.storecap.simulations.ThroughputSimulation;
import io.storecap.simulations.TrafficProfile;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./storecap bench}: the harness measured against pgbench and against its own limits, each
 * figure as a ratio to a baseline taken in the same run. Timings live here, never in tests.
 */
public final class Bench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    static final String PGBENCH_POOLED = "pgbench, pooled";
    static final String SERVICE_POOLED = "service, server mode, pooled";
    private static final String HARNESS = "harness (Gatling, sampler)";
    private static final List<String> POOLER_STATS = List.of("total_xact_count", "total_query_count", "total_received", "total_sent");

    private final PrintStream out;
    private final Path root;
    private final int connections;
    private final int seconds;
    /** Unmeasured load before each service measurement, for both JVMs' JIT. */
    private final int warmUp;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();
    private final Map<String, Map<String, Double>> cpuSplits = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> wire = new LinkedHashMap<>();
    private String command = "./storecap bench";
    private LocalPostgres pg;
    private long seededEvents; // the last seeded cart event: later ones are the measurements' own

    Bench(PrintStream out, Path root, int connections, int seconds, int warmUp) {
        this.out = out;
        this.root = root;
        this.connections = connections;
        this.seconds = seconds;
        this.warmUp = warmUp;
    }

    /** Runs every measurement; writes bench.json and bench.md into outDir. */
    Map<String, Object> run(Path outDir, boolean full, boolean skipStudy, boolean writeDocs) throws Exception {
        command = "./storecap bench" + (connections == 10 ? "" : " --connections " + connections) + (seconds == 15 ? "" : " --seconds " + seconds)
                + (warmUp == 30 ? "" : " --warm-up " + warmUp) + (full ? " --full" : "") + (skipStudy ? " --skip-study" : "")
                + (writeDocs ? " --write-docs" : "");
        Files.createDirectories(outDir);
        TrafficProfile profile = TrafficProfile.load(root.resolve("config/profile.yaml"));
        StudyConfig study = StudyConfig.load(root.resolve("config/study.yaml"));
        List<Integer> ladder = study.full().ladder();
        int topStores = ladder.get(ladder.size() - 1);
        out.printf("storecap bench: %d connections, %d s per measurement, output %s%n", connections, seconds, outDir);

        LocalPostgres pg = LocalPostgres.create().withMaxConnections(200).withReserved(3).start();
        LocalPgBouncer bouncer = LocalPgBouncer.in(pg.handle()).withPoolSize(connections).start();
        try {
            try (Connection c = pg.handle().appConnection("storecap-bench", 5, 0)) {
                Schema.create(c, true);
                Stores.seed(c, 1000, 30);
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM \"CartAnalytics\"")) {
                    rs.next();
                    seededEvents = rs.getLong(1);
                }
            }
            this.pg = pg;
            json.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version"),
                    "os", System.getProperty("os.name") + " " + System.getProperty("os.version"), "postgres", pg.handle().version(),
                    "pgbouncer", bouncer.handle().version()));
            Path pgbench = pgbench();
            Path scripts = writeScripts(outDir);

            // 1. service (server mode, pooled) against pgbench through the same PgBouncer
            var c0 = cpu(pg, bouncer, null).snapshot();
            var w0 = poolerStats(bouncer);
            Double pgPooled = pgbench == null ? null : pgbench(pgbench, scripts, bouncer.handle().port(), pg, false);
            long pgTx = pgPooled == null ? 0 : Math.round(pgPooled * seconds);
            split(PGBENCH_POOLED, c0, cpu(pg, bouncer, null).snapshot(), pgTx);
            wire(PGBENCH_POOLED, w0, poolerStats(bouncer), pgTx);
            Double pgDirect = pgbench == null ? null : pgbench(pgbench, scripts, pg.handle().port(), pg, false);
            c0 = cpu(pg, bouncer, null).snapshot();
            Double pgDirectC = pgbench == null ? null : pgbench(pgbench, scripts, pg.handle().port(), pg, true);
            split("pgbench -C, direct", c0, cpu(pg, bouncer, null).snapshot(), pgDirectC == null ? 0 : Math.round(pgDirectC * seconds));
            double svcPooled;
            double samplerShare;
            double samplerP99;
            try (ServiceProcess svc = service(pg, bouncer.handle().appJdbcUrl(), Map.of("mode", "server",
                    "server-pool-size", String.valueOf(connections)), outDir.resolve("service-server.log"));
                 TelemetrySampler sampler = TelemetrySampler.of(pg.handle()).withPgBouncer(bouncer.handle())
                         .withServiceMetrics(URI.create(svc.baseUrl() + "/metrics")).withPeriodMs(100).start()) {
                long cpu0 = sampler.cpuNanos();
                long t0 = System.nanoTime();
                svcPooled = throughput(svc, outDir.resolve("service-server"), SERVICE_POOLED, cpu(pg, bouncer, svc), bouncer);
                long wall = System.nanoTime() - t0;
                long cpu = sampler.cpuNanos() - Math.max(0, cpu0);
                samplerShare = cpu < 0 ? Double.NaN : (double) cpu / wall;
                double[] lat = sampler.samples().stream().mapToDouble(Sample::latencyMs).sorted().toArray();
                samplerP99 = lat.length == 0 ? Double.NaN : io.storecap.model.Quantiles.nearestRank(lat, 0.99);
                raw.put("samplerSamples", lat.length);
                raw.put("samplerSourceP99Ms", sampler.sourceP99Ms());
            }
            raw.put("pgbenchPooledTps", pgPooled);
            raw.put("pgbenchDirectTps", pgDirect);
            raw.put("pgbenchDirectNewConnectionTps", pgDirectC);
            raw.put("serviceServerPooledTps", svcPooled);
            ratio("serviceVsPgbench", svcPooled, pgPooled, "service tps (server mode, pooled) / pgbench tps through PgBouncer",
                    ">= 0.5", pgbench == null ? "pgbench is not installed (apt-get install postgresql-15 or postgresql-client with pgbench)" : null);

            // 2. the serverless cold path: a new connection per request, against pgbench -C
            double svcCold;
            try (ServiceProcess svc = service(pg, pg.handle().appJdbcUrl(), Map.of("mode", "serverless", "connection-limit", "1",
                    "keep-alive", "off", "cold-start-ms", "0"), outDir.resolve("service-cold.log"))) {
                svcCold = throughput(svc, outDir.resolve("service-cold"), "service, serverless cold, direct", cpu(pg, bouncer, svc), null);
            }
            raw.put("serviceServerlessColdTps", svcCold);
            ratio("serverlessColdVsPgbenchC", svcCold, pgDirectC, "service tps (serverless, direct, new connection per request) / pgbench -C tps",
                    ">= 0.5 (within 2x)", pgbench == null ? "pgbench is not installed" : null);

            // 3. injection accuracy at the study's top rate and twice it
            double top = profile.totalRps(topStores);
            try (ServiceProcess svc = service(pg, pg.handle().appJdbcUrl(), Map.of("mode", "server"), outDir.resolve("service-inject.log"))) {
                double a1 = injection(svc, top, outDir.resolve("inject-1x"));
                double a2 = injection(svc, 2 * top, outDir.resolve("inject-2x"));
                raw.put("injectionTargetRps", top);
                raw.put("injectionAccuracy2x", a2);
                ratio("injectionAccuracy", a1, 1.0, String.format(Locale.ROOT, "achieved / target arrivals at %.0f req/s (%d stores)", top, topStores),
                        "0.98-1.02", null);
                table.add(new String[]{"injectionAccuracy2x", fmt(a2), "1", fmt(a2), "0.98-1.02",
                        String.format(Locale.ROOT, "the same at %.0f req/s", 2 * top)});
                json.put("injectionAccuracy2x", a2);
            }
            json.put("samplerCpuShare", nanToNull(samplerShare));
            json.put("samplerP99Ms", nanToNull(samplerP99));
            table.add(new String[]{"samplerCpuShare", fmt(samplerShare), "1 core", fmt(samplerShare), "small",
                    "CPU time of the sampling thread / wall time, at 10 Hz under load"});
            table.add(new String[]{"samplerP99Ms", fmt(samplerP99), "100 ms period", fmt(samplerP99 / 100), "< 100",
                    "p99 time to take one sample (pg_stat_activity, SHOW POOLS, /metrics, CPU)"});
        } finally {
            Cleanup.close(bouncer);
            Cleanup.close(pg);
        }

        // 4. the study itself, by stage; and the model + report on its data
        List<RunResult> runs = new ArrayList<>();
        for (boolean quick : full ? new boolean[]{true, false} : new boolean[]{true}) {
            String key = quick ? "quickStudySeconds" : "fullStudySeconds";
            if (skipStudy) {
                json.put(key, null);
                json.put(key + "Reason", "--skip-study");
                continue;
            }
            Path dir = outDir.resolve(quick ? "study-quick" : "study-full");
            new Study(new PrintStream(Files.newOutputStream(outDir.resolve((quick ? "quick" : "full") + "-study.log")), true))
                    .run(Study.Inputs.defaults(root), quick, List.of(), dir);
            Map<?, ?> timing = Json.JSON.readValue(dir.resolve("timing.json").toFile(), Map.class);
            double total = ((Number) timing.get("totalSeconds")).doubleValue();
            json.put(key, total);
            raw.put(key.replace("Seconds", "Stages"), timing.get("stages"));
            table.add(new String[]{key, fmt(total), quick ? "600 s goal" : "2700 s goal", fmt(total / (quick ? 600 : 2700)), "<= 1",
                    "wall time by stage: " + stages(timing.get("stages"))});
            runs = new ArrayList<>(Study.loadRuns(List.of(dir)).values());
            if (quick) kneeRates(runs, raw, json, table);
        }
        if (!full) {
            json.put("fullStudySeconds", null);
            json.put("fullStudySecondsReason", "not run: pass --full (about 20 minutes)");
        }
        if (runs.isEmpty()) {
            json.put("modelReportSeconds", null);
            json.put("modelReportSecondsReason", "no study data (--skip-study)");
        } else {
            double s = modelAndReport(runs, outDir.resolve("model-report"));
            json.put("modelReportSeconds", s);
            table.add(new String[]{"modelReportSeconds", fmt(s), "5 s goal", fmt(s / 5), "<= 1",
                    "model + report on the " + (full ? "full" : "quick") + " study's " + runs.size() + " runs (median of 5)"});
        }
        raw.put("cpuMsPerTransaction", cpuSplits);
        raw.put("poolerPerTransaction", wire);
        json.put("raw", raw);
        Json.JSON.writeValue(outDir.resolve("bench.json").toFile(), json);
        String md = markdown();
        Files.writeString(outDir.resolve("bench.md"), md);
        if (writeDocs) Files.writeString(root.resolve("docs/BENCHMARKS.md"), md);
        out.println();
        out.println(md);
        return json;
    }

    /**
     * Deletes the cart events earlier measurements inserted, so every measurement reads the same
     * seeded table: the recommendations query aggregates a store's events, and a table grown by
     * the previous phase would make the later phase pay more per query.
     */
    private void restoreSeed() {
        try (Connection c = pg.handle().appConnection("storecap-bench", 5, 0); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM \"CartAnalytics\" WHERE id > " + seededEvents);
            st.execute("VACUUM ANALYZE \"CartAnalytics\"");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot restore the seeded data between measurements: " + e.getMessage(), e);
        }
    }

    /** PgBouncer's SHOW STATS totals for the app database (transactions, queries, bytes each way). */
    private static Map<String, Long> poolerStats(LocalPgBouncer bouncer) {
        var h = bouncer.handle();
        try (var console = io.storecap.environment.PgBouncerConsole.connect(h.host(), h.port(), h.adminUser(), h.adminPassword(), 2000)) {
            Map<String, Long> m = new LinkedHashMap<>();
            // no row yet for a database nobody has connected to: zeros
            for (String k : POOLER_STATS) m.put(k, 0L);
            for (Map<String, String> row : console.query("SHOW STATS")) {
                if (!h.database().equals(row.get("database"))) continue;
                for (String k : POOLER_STATS) m.put(k, Long.parseLong(row.getOrDefault(k, "0")));
            }
            return m;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** What crossed the pooler per transaction in a phase: the same SQL should cost the same messages. */
    private void wire(String phase, Map<String, Long> before, Map<String, Long> after, long tx) {
        if (before.isEmpty() || after.isEmpty() || tx <= 0) return;
        Map<String, Double> m = new LinkedHashMap<>();
        after.forEach((k, v) -> m.put(k.replace("total_", "") + "PerTransaction", (v - before.getOrDefault(k, 0L)) / (double) tx));
        wire.put(phase, m);
        out.printf("  at the pooler per transaction, %s: %s%n", phase, m.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue())).toList());
    }

    /** Who spends the CPU in a phase: postgres (server and backends), pgbouncer, the load generator, the service. */
    private ProcessCpu cpu(LocalPostgres pg, LocalPgBouncer bouncer, ServiceProcess svc) {
        ProcessCpu c = ProcessCpu.create().withTree("postgres", pg.postmasterPid()).withProcess("pgbouncer", bouncer.process().pid())
                .withReapedChildren("pgbench").withProcess(HARNESS, ProcessHandle.current().pid());
        if (svc != null) c.withProcess("service", svc.pid());
        return c;
    }

    /** Records a phase's CPU seconds by process and its CPU milliseconds per transaction. */
    private void split(String phase, Map<String, Long> before, Map<String, Long> after, long tx) {
        if (!ProcessCpu.available() || tx <= 0) return;
        Map<String, Double> s = ProcessCpu.secondsBetween(before, after);
        Map<String, Double> perTx = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (v > 0) perTx.put(k, v * 1000 / tx);
        });
        double total = perTx.values().stream().mapToDouble(Double::doubleValue).sum();
        perTx.put("total", total);
        cpuSplits.put(phase, perTx);
        out.printf("  CPU ms per transaction, %s: %s%n", phase, perTx.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.3f", e.getValue())).toList());
    }

    private void ratio(String key, double value, Double baseline, String what, String goal, String reason) {
        Double r = baseline == null || baseline == 0 ? null : value / baseline;
        json.put(key, r == null ? null : nanToNull(r));
        if (r == null) json.put(key + "Reason", reason == null ? "no baseline" : reason);
        table.add(new String[]{key, fmt(value), baseline == null ? "n/a" : fmt(baseline), r == null ? "n/a" : fmt(r), goal, what});
    }

    private String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\nProduced by `").append(command).append("` on ").append(java.time.LocalDate.now()).append(". Machine and versions: ").append(json.get("machine"))
                .append(".\n\nEvery ratio is against a baseline measured in the same run.\n\n")
                .append("| figure | measured | baseline | ratio | goal | what |\n|---|---|---|---|---|---|\n");
        for (String[] r : table) b.append("| ").append(String.join(" | ", r)).append(" |\n");
        if (!cpuSplits.isEmpty()) {
            // the same columns for every phase, in order of first appearance
            List<String> cols = cpuSplits.values().stream().flatMap(m -> m.keySet().stream()).distinct()
                    .sorted(java.util.Comparator.comparing((String k) -> k.equals("total"))).toList();
            b.append("\n## Where the CPU goes\n\nCPU milliseconds per transaction by process (from /proc), all cores counted; ")
                    .append("when the cores are saturated, throughput is at most ").append(cpus()).append(" x 1000 / total ")
                    .append("transactions a second.\n\n| phase | ")
                    .append(String.join(" | ", cols)).append(" |\n|---|").append("---|".repeat(cols.size())).append("\n");
            cpuSplits.forEach((phase, m) -> {
                b.append("| ").append(phase);
                for (String c : cols) b.append(" | ").append(m.containsKey(c) ? String.format(Locale.ROOT, "%.3f", m.get(c)) : "-");
                b.append(" |\n");
            });
        }
        b.append(limits());
        b.append("\nRaw figures: `").append(raw).append("`\n");
        return b.toString();
    }

    /** A study's stages as "provisioning 7.2 s, seeding 1.3 s, ...". */
    private static String stages(Object stages) {
        if (!(stages instanceof Map<?, ?> m)) return String.valueOf(stages);
        return m.entrySet().stream().map(e -> e.getKey() + " " + (e.getValue() instanceof Number n
                ? String.format(Locale.ROOT, "%.1f s", n.doubleValue()) : e.getValue())).collect(java.util.stream.Collectors.joining(", "));
    }

    private static int cpus() { return Runtime.getRuntime().availableProcessors(); }

    /** For each goal missed, what limits it and by how much, from this run's own figures. */
    private String limits() {
        List<String> lines = new ArrayList<>();
        Object r = json.get("serviceVsPgbench");
        Map<String, Double> svc = cpuSplits.get(SERVICE_POOLED), base = cpuSplits.get(PGBENCH_POOLED);
        if (r instanceof Double ratio && ratio < 0.5 && svc != null && base != null) {
            double total = svc.get("total"), gen = svc.getOrDefault(HARNESS, 0.0);
            double db = svc.getOrDefault("postgres", 0.0) + svc.getOrDefault("pgbouncer", 0.0);
            double dbBase = base.getOrDefault("postgres", 0.0) + base.getOrDefault("pgbouncer", 0.0);
            double tps = (Double) raw.get("serviceServerPooledTps"), pgTps = (Double) raw.get("pgbenchPooledTps");
            double projected = tps * total / (total - gen);
            Map<String, Double> w = wire.getOrDefault(SERVICE_POOLED, Map.of()), wb = wire.getOrDefault(PGBENCH_POOLED, Map.of());
            lines.add(String.format(Locale.ROOT, "- **serviceVsPgbench %.2f: goal 0.5 missed by %.0f%%.** Both measurements keep the machine's %d cores "
                            + "busy, so throughput is the CPU a second divided by the CPU a transaction costs. Through the service a transaction "
                            + "costs %.3f CPU-ms against pgbench's %.3f (%.1fx): the load generator (Gatling, in the harness JVM) %.3f where "
                            + "pgbench's client takes %.3f; the service JVM (HTTP, JSON, JDBC, pool) %.3f; Postgres and PgBouncer %.3f "
                            + "against %.3f for the same SQL (at the pooler %.2f against %.2f queries and %.0f against %.0f bytes received per "
                            + "transaction), the same work costing more on cores shared with two JVMs. With the load generator on other "
                            + "cores the service would reach about %.0f tps, %.2f of pgbench: a projection from the CPU split, not a measurement.",
                    ratio, 100 * (1 - ratio / 0.5), cpus(), total, base.get("total"), total / base.get("total"), gen,
                    base.getOrDefault("pgbench", 0.0), svc.getOrDefault("service", 0.0), db, dbBase,
                    w.getOrDefault("query_countPerTransaction", Double.NaN), wb.getOrDefault("query_countPerTransaction", Double.NaN),
                    w.getOrDefault("receivedPerTransaction", Double.NaN), wb.getOrDefault("receivedPerTransaction", Double.NaN),
                    projected, projected / pgTps));
        }
        if (json.get("samplerP99Ms") instanceof Double p99 && p99 >= 100)
            lines.add(String.format(Locale.ROOT, "- **samplerP99Ms %.0f: goal 100 missed by %.0f%%.** A sample reads Postgres, PgBouncer and "
                    + "/metrics at once, so its time is the slowest read (p99 by source, from the sample's start: %s); at p99 "
                    + "that read waits for a core the load keeps busy (the sampler's own CPU is %.1f%% of one core).", p99,
                    100 * (p99 / 100 - 1), raw.get("samplerSourceP99Ms"),
                    json.get("samplerCpuShare") instanceof Double share ? 100 * share : Double.NaN));
        for (String key : List.of("quickStudySeconds", "fullStudySeconds")) {
            double goal = key.startsWith("quick") ? 600 : 2700;
            if (json.get(key) instanceof Double sec && sec > goal && raw.get(key.replace("Seconds", "Stages")) instanceof Map<?, ?> stages)
                lines.add(String.format(Locale.ROOT, "- **%s %.0f: goal %.0f missed by %.0f%%.** By stage: %s. The load stage is the "
                        + "searches themselves (levels per claim x their length: config/study.yaml modes.*.search); fewer replicates or "
                        + "a wider bracket trade the knee's interval for time.",
                        key, sec, goal, 100 * (sec / goal - 1), stages(stages)));
        }
        if (lines.isEmpty()) return "\n## Goals\n\nEvery goal measured in this run is met.\n";
        return "\n## Goals missed: what limits them\n\n" + String.join("\n", lines) + "\n";
    }

    /**
     * Per claim of the quick study: the highest emulated request rate among its levels that counted
     * (achieved / time scale) against the harness's own ceiling measured in this run (the service in
     * server mode through PgBouncer, Gatling included). Above half of it the machine, not the tier,
     * may be what a level measured: such a claim should be read as machine-limited.
     */
    private static void kneeRates(List<RunResult> runs, Map<String, Object> raw, Map<String, Object> json, List<String[]> table) {
        if (!(raw.get("serviceServerPooledTps") instanceof Double ceiling) || ceiling <= 0) return;
        Map<String, Double> ratios = new java.util.LinkedHashMap<>();
        for (RunResult r : runs) {
            if (r.search() == null) continue;
            // levels that counted for the tier: enough requests, and not the machine's own limit
            double top = r.levels().stream().filter(l -> l.requests().count() >= io.storecap.model.verdict.LevelJudge.MIN_REQUESTS_TO_HOLD)
                    .filter(l -> io.storecap.model.verdict.LevelJudge.judge(l, r.config().tier(), r.config().route(),
                            io.storecap.model.ModelSettings.defaults()).outcome() != io.storecap.model.verdict.LevelJudge.Outcome.MACHINE)
                    .mapToDouble(l -> l.achievedRps() / l.timeScale()).max().orElse(0);
            ratios.put(r.config().id(), top / ceiling);
            table.add(new String[]{"kneeRate " + r.config().id(), fmt(top), fmt(ceiling) + " req/s ceiling", fmt(top / ceiling), "<= 0.5",
                    "highest emulated rate a level of the search carried that counted for the tier (299+ requests, not machine-limited), against the service + Gatling ceiling of this run"});
        }
        json.put("kneeRateRatios", ratios);
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static Double nanToNull(double v) { return Double.isNaN(v) || Double.isInfinite(v) ? null : v; }

    private ServiceProcess service(LocalPostgres pg, String jdbcUrl, Map<String, String> settings, Path log) {
        return ServiceProcess.create().withSetting("jdbc-url", jdbcUrl).withSetting("db-user", pg.handle().appUser())
                .withSettings(settings).withSecret("db-password", pg.handle().appPassword())
                .withSecret("app-secret", "bench-secret-0123").withSecret("admin-token", "bench-admin-0123").withLog(log).start();
    }

    /**
     * The service's throughput on the closed mix, after an unmeasured warm-up of the same load (the
     * service's and Gatling's JIT compile their hot paths there; pgbench needs none). The CPU split
     * covers the measured load window only, not Gatling's start-up or report.
     */
    private double throughput(ServiceProcess svc, Path dir, String phase, ProcessCpu cpu, LocalPgBouncer bouncer) {
        System.setProperty("storecap.baseUrl", svc.baseUrl());
        System.setProperty("storecap.concurrency", String.valueOf(connections));
        if (warmUp > 0) {
            System.setProperty("storecap.seconds", String.valueOf(warmUp));
            GatlingRunner.run(ThroughputSimulation.class, dir.resolveSibling(dir.getFileName() + "-warm-up"), "warm-up");
        }
        System.setProperty("storecap.seconds", String.valueOf(seconds));
        restoreSeed();
        Map<String, Map<String, Long>> snaps = new LinkedHashMap<>();
        ThroughputSimulation.onStart = () -> {
            snaps.put("start", cpu.snapshot());
            if (bouncer != null) snaps.put("wireStart", poolerStats(bouncer));
        };
        ThroughputSimulation.onEnd = () -> {
            snaps.put("end", cpu.snapshot());
            if (bouncer != null) snaps.put("wireEnd", poolerStats(bouncer));
        };
        try {
            GatlingRunner.run(ThroughputSimulation.class, dir, "throughput");
        } finally {
            ThroughputSimulation.onStart = () -> {};
            ThroughputSimulation.onEnd = () -> {};
        }
        double tps = ThroughputSimulation.okPerSecond();
        double window = (ThroughputSimulation.endNs - ThroughputSimulation.startNs) / 1e9;
        out.printf("  service %s: %.0f ok requests/s (%d of %d ok in %.1f s)%n", dir.getFileName(), tps,
                ThroughputSimulation.OK.get(), ThroughputSimulation.ALL.get(), window);
        if (snaps.containsKey("end")) split(phase, snaps.get("start"), snaps.get("end"), ThroughputSimulation.OK.get());
        if (snaps.containsKey("wireEnd")) wire(phase, snaps.get("wireStart"), snaps.get("wireEnd"), ThroughputSimulation.OK.get());
        return tps;
    }

    private double injection(ServiceProcess svc, double rate, Path dir) {
        System.setProperty("storecap.baseUrl", svc.baseUrl());
        System.setProperty("storecap.rate", String.valueOf(rate));
        System.setProperty("storecap.seconds", String.valueOf(Math.max(seconds, 20)));
        GatlingRunner.run(InjectionSimulation.class, dir, "injection");
        double expected = rate * Math.max(seconds, 20);
        double accuracy = InjectionSimulation.STARTED.get() / expected;
        out.printf("  injection at %.0f req/s: %d arrivals of %.0f planned (%.4f)%n", rate, InjectionSimulation.STARTED.get(), expected, accuracy);
        return accuracy;
    }

    private double modelAndReport(List<RunResult> runs, Path dir) {
        var claims = ClaimsFile.load(root.resolve("config/claims.yaml"));
        Map<String, Tier> tiers = TiersFile.load(root.resolve("config/tiers.yaml"));
        double[] t = new double[5];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            StudyModel m = CapacityModel.evaluate(claims, tiers, runs, ModelSettings.defaults());
            ReportWriter.write(dir, m, runs, tiers, ReportContext.fromRuns("bench", runs));
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }

    static Path pgbench() {
        List<Path> c = new ArrayList<>();
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (!d.isEmpty()) c.add(Path.of(d, "pgbench"));
        try (var s = Files.list(Path.of("/usr/lib/postgresql"))) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(v -> c.add(v.resolve("bin/pgbench")));
        } catch (IOException ignored) {
            // no Debian PostgreSQL packages
        }
        return c.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** The recommendations and cart-event endpoints' SQL as pgbench scripts, mixed 1:2 as the profile's rates are. */
    private static Path writeScripts(Path dir) throws IOException {
        String shop = "format('store-%s.myshopify.com', lpad(:s::text, 5, '0'))";
        Files.writeString(dir.resolve("recommendations.sql"), "\\set s random(1, 1000)\n"
                + "SELECT enabled, \"recommendationCount\", \"freeShippingThreshold\" FROM \"Settings\" WHERE shop = " + shop + ";\n"
                + "SELECT id, name, \"productIds\", discount FROM \"Bundle\" WHERE shop = " + shop + " AND active ORDER BY id;\n"
                + "SELECT \"productId\" FROM \"CartAnalytics\" WHERE shop = " + shop + " AND \"eventType\" = 'add_to_cart'"
                + " AND \"createdAt\" > now() - interval '30 days' GROUP BY \"productId\" ORDER BY count(*) DESC, \"productId\" LIMIT 4;\n");
        Files.writeString(dir.resolve("cart-event.sql"), "\\set s random(1, 1000)\n"
                + "INSERT INTO \"CartAnalytics\"(shop, \"eventType\", \"productId\", \"cartValue\") VALUES (" + shop + ", 'add_to_cart', 'p1', 42);\n");
        return dir;
    }

    private Double pgbench(Path bin, Path scripts, int port, LocalPostgres pg, boolean newConnectionEach) throws Exception {
        restoreSeed();
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "-n", "-M", "extended", "-c", String.valueOf(connections), "-j", "2",
                "-T", String.valueOf(seconds), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", pg.handle().appUser(),
                "-f", scripts.resolve("recommendations.sql") + "@1", "-f", scripts.resolve("cart-event.sql") + "@2"));
        if (newConnectionEach) cmd.add("-C");
        cmd.add(pg.handle().database());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", pg.handle().appPassword());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("pgbench did not finish");
        }
        Matcher m = TPS.matcher(output);
        if (p.exitValue() != 0 || !m.find()) throw new IllegalStateException("pgbench failed: " + output.strip());
        double tps = Double.parseDouble(m.group(1));
        out.printf("  pgbench port %d%s: %.0f tps%n", port, newConnectionEach ? " -C" : "", tps);
        return tps;
    }
}
