package io.storecap.simulations;

import io.storecap.environment.Cleanup;
import io.storecap.environment.LocalPgBouncer;
import io.storecap.environment.LocalPostgres;
import io.storecap.environment.Sample;
import io.storecap.environment.ServiceProcess;
import io.storecap.environment.TelemetrySampler;
import io.storecap.model.CapacityModel;
import io.storecap.model.ClaimsFile;
import io.storecap.model.Json;
import io.storecap.model.ModelSettings;
import io.storecap.model.RunResult;
import io.storecap.model.StudyModel;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.reports.ReportContext;
import io.storecap.reports.ReportWriter;
import io.storecap.service.Schema;
import io.storecap.service.Stores;

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

    private final PrintStream out;
    private final Path root;
    private final int connections;
    private final int seconds;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();

    Bench(PrintStream out, Path root, int connections, int seconds) {
        this.out = out;
        this.root = root;
        this.connections = connections;
        this.seconds = seconds;
    }

    /** Runs every measurement; writes bench.json and bench.md into outDir. */
    Map<String, Object> run(Path outDir, boolean full, boolean skipStudy, boolean writeDocs) throws Exception {
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
            }
            json.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(), "java", System.getProperty("java.version"),
                    "os", System.getProperty("os.name") + " " + System.getProperty("os.version"), "postgres", pg.handle().version(),
                    "pgbouncer", bouncer.handle().version()));
            Path pgbench = pgbench();
            Path scripts = writeScripts(outDir);

            // 1. service (server mode, pooled) against pgbench through the same PgBouncer
            Double pgPooled = pgbench == null ? null : pgbench(pgbench, scripts, bouncer.handle().port(), pg, false);
            Double pgDirect = pgbench == null ? null : pgbench(pgbench, scripts, pg.handle().port(), pg, false);
            Double pgDirectC = pgbench == null ? null : pgbench(pgbench, scripts, pg.handle().port(), pg, true);
            double svcPooled;
            double samplerShare;
            double samplerP99;
            try (ServiceProcess svc = service(pg, bouncer.handle().appJdbcUrl(), Map.of("mode", "server",
                    "server-pool-size", String.valueOf(connections)), outDir.resolve("service-server.log"));
                 TelemetrySampler sampler = TelemetrySampler.of(pg.handle()).withPgBouncer(bouncer.handle())
                         .withServiceMetrics(URI.create(svc.baseUrl() + "/metrics")).withPeriodMs(100).start()) {
                long cpu0 = sampler.cpuNanos();
                long t0 = System.nanoTime();
                svcPooled = throughput(svc, outDir.resolve("service-server"));
                long wall = System.nanoTime() - t0;
                long cpu = sampler.cpuNanos() - Math.max(0, cpu0);
                samplerShare = cpu < 0 ? Double.NaN : (double) cpu / wall;
                double[] lat = sampler.samples().stream().mapToDouble(Sample::latencyMs).sorted().toArray();
                samplerP99 = lat.length == 0 ? Double.NaN : lat[Math.max(0, (int) Math.ceil(0.99 * lat.length) - 1)];
                raw.put("samplerSamples", lat.length);
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
                svcCold = throughput(svc, outDir.resolve("service-cold"));
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
            table.add(new String[]{key, fmt(total), quick ? "300 s goal" : "1200 s goal", fmt(total / (quick ? 300 : 1200)), "<= 1",
                    "wall time by stage: " + timing.get("stages")});
            runs = new ArrayList<>(Study.loadRuns(List.of(dir)).values());
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
        json.put("raw", raw);
        Json.JSON.writeValue(outDir.resolve("bench.json").toFile(), json);
        String md = markdown();
        Files.writeString(outDir.resolve("bench.md"), md);
        if (writeDocs) Files.writeString(root.resolve("docs/BENCHMARKS.md"), md);
        out.println();
        out.println(md);
        return json;
    }

    private void ratio(String key, double value, Double baseline, String what, String goal, String reason) {
        Double r = baseline == null || baseline == 0 ? null : value / baseline;
        json.put(key, r == null ? null : nanToNull(r));
        if (r == null) json.put(key + "Reason", reason == null ? "no baseline" : reason);
        table.add(new String[]{key, fmt(value), baseline == null ? "n/a" : fmt(baseline), r == null ? "n/a" : fmt(r), goal, what});
    }

    private String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\nProduced by `./storecap bench").append(connections == 10 ? "" : " --connections " + connections)
                .append("` on ").append(java.time.LocalDate.now()).append(". Machine and versions: ").append(json.get("machine"))
                .append(".\n\nEvery ratio is against a baseline measured in the same run.\n\n")
                .append("| figure | measured | baseline | ratio | goal | what |\n|---|---|---|---|---|---|\n");
        for (String[] r : table) b.append("| ").append(String.join(" | ", r)).append(" |\n");
        b.append("\nRaw figures: `").append(raw).append("`\n");
        return b.toString();
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

    private double throughput(ServiceProcess svc, Path dir) {
        System.setProperty("storecap.baseUrl", svc.baseUrl());
        System.setProperty("storecap.concurrency", String.valueOf(connections));
        System.setProperty("storecap.seconds", String.valueOf(seconds));
        GatlingRunner.run(ThroughputSimulation.class, dir, "throughput");
        double tps = ThroughputSimulation.OK.get() / (double) seconds;
        out.printf("  service %s: %.0f ok requests/s (%d of %d ok)%n", dir.getFileName(), tps, ThroughputSimulation.OK.get(), ThroughputSimulation.ALL.get());
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
