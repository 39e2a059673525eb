package io.storecap.runner;

import io.storecap.environment.Cleanup;
import io.storecap.model.Claim;
import io.storecap.model.ClaimedRange;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.Reconciliation;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.TrafficProfile;
import io.storecap.service.Stores;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./storecap faults}: short runs with Shopify retries on and webhooks queued, each with one
 * fault mid-stair. A fault passes when the run finishes, the service still answers, and every
 * webhook the app acknowledged is stored exactly once (lost = 0, duplicated = 0).
 */
public final class FaultSuite {

    /** One fault's outcome, a row of the table. */
    public record Outcome(String fault, String route, String description, long requests, long failed,
                          Map<String, Long> failuresByCause, Reconciliation webhooks, boolean finished, String observed,
                          boolean passed, String why) {}

    private final PrintStream out;
    private final Path root;
    private List<BadInput.Result> badInputResults = List.of();

    /** Whether every bad-input case of the last run got its expected answer and wrote nothing. */
    public boolean badInputPassed() { return badInputResults.stream().allMatch(BadInput.Result::passed); }

    public FaultSuite(PrintStream out, Path root) {
        this.out = out;
        this.root = root;
    }

    /** The faults, by id. */
    public static List<String> ids() {
        return List.of("pgbouncer-kill", "postgres-restart", "exhaustion-storm", "redis-down", "slow-query-lock", "deploy-mid-peak",
                "zombie-build-up", "bad-input");
    }

    public List<Outcome> run(List<String> only, List<Integer> levels, double levelSeconds, Path outDir, boolean writeDocs) throws IOException {
        Map<String, Tier> tiers = TiersFile.load(root.resolve("config/tiers.yaml"));
        Tier free = tiers.get("free");
        TrafficProfile profile = TrafficProfile.load(root.resolve("config/profile.yaml"));
        StudyConfig study = StudyConfig.load(root.resolve("config/study.yaml"));
        List<Outcome> outcomes = new ArrayList<>();
        List<RunResult> runs = new ArrayList<>();
        Map<String, Path> runDirs = new LinkedHashMap<>();
        long started = System.currentTimeMillis();
        for (String id : only.isEmpty() ? ids() : only) {
            if (id.equals("bad-input")) continue;
            if (!ids().contains(id)) throw new IllegalArgumentException("unknown fault '" + id + "'; known: " + ids());
            Fault fault = fault(id);
            // faults about the app's own connections go direct, where Postgres sees every one of them
            Route route = List.of("exhaustion-storm", "deploy-mid-peak", "zombie-build-up").contains(id) ? Route.DIRECT : Route.POOLED;
            RunConfig cfg = study.runConfig(new Claim("fault-" + id, free.id(), route, ClaimedRange.of(1, null), null), free, true);
            cfg = cfg.toBuilder().id("fault-" + id).tier(free).route(route).levels(levels).levelSeconds(levelSeconds)
                    .settleSeconds(Math.min(cfg.settleSeconds(), levelSeconds / 3)).build().withServiceOption("webhook-mode", "queued");
            if (id.equals("redis-down")) cfg = cfg.withServiceOption("dashboard-cache", "on");
            // the old instances' backends linger after a deploy (a reclaimed microVM sends no FIN)
            if (id.equals("deploy-mid-peak")) cfg = cfg.withServiceOption("zombie-hold-ms", "5000");
            if (id.equals("zombie-build-up")) cfg = cfg.withServiceOption("zombie-hold-ms", "20000");
            out.printf("%n[fault %s] %s route, stair %s, %.0f s a level: %s%n", id, route.id(), levels, levelSeconds, fault.description());
            Path runDir = outDir.resolve(id);
            TrafficProfile p = id.equals("redis-down") ? withBusyDashboard(profile) : profile;
            try {
                RunResult r = new RunOrchestrator(out).run(cfg, p, root.resolve("config/profile.yaml"), runDir, fault);
                outcomes.add(outcome(id, route, fault, r));
                runs.add(r);
                runDirs.put(r.runId(), runDir);
            } catch (Exception e) {
                Cleanup.closeAll();
                outcomes.add(new Outcome(id, route.id(), fault.description(), 0, 0, Map.of(), Reconciliation.NONE, false,
                        fault.observed(), false, "the run did not finish: " + e.getMessage()));
            }
            Outcome o = outcomes.get(outcomes.size() - 1);
            out.printf("  %s: %s%n", o.passed() ? "PASS" : "FAIL", o.why());
        }
        if (!runs.isEmpty()) {
            // the fault runs as a report: each run's notes carry its fault window, its time series shows it
            try {
                new Study(new PrintStream(java.io.OutputStream.nullOutputStream())).report(List.of(), tiers, runs, runDirs,
                        outDir.resolve("report"), "fault suite", started);
                out.println("fault runs report: " + outDir.resolve("report/index.html"));
            } catch (RuntimeException e) {
                out.println("could not render the fault runs' report: " + e.getMessage());
            }
        }
        List<BadInput.Result> bad = List.of();
        if (only.isEmpty() || only.contains("bad-input")) bad = badInput(free, study, profile, outDir.resolve("bad-input"));
        badInputResults = bad;
        Json.JSON.writeValue(outDir.resolve("faults.json").toFile(), Map.of("faults", outcomes, "badInput", bad));
        String md = markdown(outcomes, levels, levelSeconds) + badInputTable(bad);
        Files.writeString(outDir.resolve("faults.md"), md);
        if (writeDocs) Files.writeString(root.resolve("docs/FAULTS.md"), md);
        out.println();
        out.println(md);
        return outcomes;
    }

    /** Hostile requests against a freshly started service: 20 of each, answers and writes counted. */
    private List<BadInput.Result> badInput(Tier tier, StudyConfig study, TrafficProfile profile, Path dir) {
        out.printf("%n[bad input] 20 of each hostile request against a running service%n");
        RunConfig cfg = study.runConfig(new Claim("bad-input", tier.id(), Route.POOLED, ClaimedRange.of(1, null), null), tier, true);
        try (RunHarness h = RunHarness.start(cfg, profile, 50, dir)) {
            List<BadInput.Result> r = BadInput.run(h, 20);
            for (BadInput.Result x : r) out.printf("  %s %s: %s%n", x.passed() ? "PASS" : "FAIL", x.name(), x.statuses());
            return r;
        } catch (Exception e) {
            throw new IllegalStateException("the bad-input check failed to run: " + e.getMessage(), e);
        }
    }

    private static String badInputTable(List<BadInput.Result> bad) {
        if (bad.isEmpty()) return "";
        StringBuilder b = new StringBuilder("\n## Bad input\n\nEach request sent 20 times to a running service; rows written counts new webhook rows and")
                .append(" deleted settings or session rows; -1 = the server closed the connection before the client read an answer")
                .append(" (allowed only for the oversized body, which the server refuses to read).\n\n| request | tried | answers (status: count) | expected | rows written | result |\n|---|---|---|---|---|---|\n");
        for (BadInput.Result r : bad)
            b.append("| ").append(r.name()).append(" | ").append(r.tried()).append(" | ").append(r.statuses()).append(" | ")
                    .append(r.expected()).append(" | ").append(r.rowsWritten()).append(" | ").append(r.passed() ? "PASS" : "FAIL").append(" |\n");
        return b.toString();
    }

    /** The dashboard polled every second, so its cache (and Redis going away) is exercised. */
    private static TrafficProfile withBusyDashboard(TrafficProfile p) {
        Map<String, TrafficProfile.Rate> global = new LinkedHashMap<>(p.globalPerHour());
        global.put("dashboard", new TrafficProfile.Rate(3600, 3600, "fault suite: the dashboard polled every second"));
        return new TrafficProfile(p.name() + " + busy dashboard", p.phase(), p.perStorePerHour(), global, p.webhookTopics(),
                p.shopify(), p.storeSizes(), p.bursts(), p.bfcmMultiplier());
    }

    private static Outcome outcome(String id, Route route, Fault fault, RunResult r) {
        long requests = 0, failed = 0;
        Map<String, Long> causes = new TreeMap<>();
        for (LevelResult l : r.levels()) {
            requests += l.requests().count();
            failed += l.requests().ko();
            l.refusals().forEach((k, v) -> causes.merge(k, v, Long::sum));
        }
        Reconciliation w = r.reconciliation();
        boolean injected = r.notes().stream().anyMatch(n -> n.startsWith("fault " + id + " ("));
        List<String> problems = new ArrayList<>();
        if (!injected) problems.add("the fault was not injected");
        if (w.lost() > 0) problems.add(w.lost() + " acknowledged webhooks lost");
        if (w.duplicated() > 0) problems.add(w.duplicated() + " webhooks stored twice");
        if (w.acknowledged() < w.sent()) problems.add((w.sent() - w.acknowledged()) + " webhooks never acknowledged despite retries");
        String why = problems.isEmpty()
                ? String.format(Locale.ROOT, "run finished; %d of %d requests failed during the fault; webhooks sent %d, acknowledged %d, stored %d, lost 0, duplicated 0",
                failed, requests, w.sent(), w.acknowledged(), w.stored())
                : String.join("; ", problems);
        return new Outcome(id, route.id(), fault.description(), requests, failed, causes, w, true, fault.observed(), problems.isEmpty(), why);
    }

    private static String markdown(List<Outcome> outcomes, List<Integer> levels, double levelSeconds) {
        StringBuilder b = new StringBuilder("# Faults and bad input\n\nProduced by `./storecap faults --write-docs` on ")
                .append(java.time.LocalDate.now()).append(": each fault injected once during a stair of ").append(levels)
                .append(" stores (").append((int) levelSeconds).append(" s a level) on the Free tier (100 connections), webhooks queued,")
                .append(" Shopify retries on. A fault passes when the run finishes and every acknowledged webhook is stored exactly once.\n\n")
                .append("| fault | route | what happens | requests | failed | failures by cause | webhooks sent / acked / stored / dup / lost | observed | result |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            Reconciliation w = o.webhooks();
            b.append("| ").append(o.fault()).append(" | ").append(o.route()).append(" | ").append(o.description()).append(" | ")
                    .append(o.requests()).append(" | ").append(o.failed()).append(" | ").append(o.failuresByCause().isEmpty() ? "-" : o.failuresByCause())
                    .append(" | ").append(w.sent()).append(" / ").append(w.acknowledged()).append(" / ").append(w.stored()).append(" / ")
                    .append(w.duplicated()).append(" / ").append(w.lost()).append(" | ").append(o.observed().isEmpty() ? "-" : o.observed())
                    .append(" | ").append(o.passed() ? "PASS" : "FAIL: " + o.why()).append(" |\n");
        }
        return b.toString();
    }

    static Fault fault(String id) {
        return switch (id) {
            case "pgbouncer-kill" -> new Simple(id, "PgBouncer killed with SIGKILL, started again 3 s later on the same port", 0.4, 3000,
                    h -> h.environmentHandle().killPooler(), h -> h.environmentHandle().startPooler());
            case "postgres-restart" -> new Simple(id, "Postgres restarted (fast shutdown: every connection dropped)", 0.4, 0,
                    h -> h.environmentHandle().restartPostgres(), h -> { });
            case "exhaustion-storm" -> new Storm();
            case "redis-down" -> new Simple(id, "Redis (the dashboard cache) stopped for 5 s while the dashboard is polled", 0.4, 5000,
                    h -> h.redis().stop(), h -> h.redis().start());
            case "slow-query-lock" -> new Lock();
            case "deploy-mid-peak" -> new Simple(id, "a deploy at the peak: every function instance retired at once, a reconnect storm"
                    + " while the old instances' connections linger 5 s", 0.6, 0, RunHarness::deploy, h -> { });
            case "zombie-build-up" -> new Deploys(id, "four deploys 2 s apart, each old instance's connections lingering 20 s:"
                    + " zombies pile up on Postgres beside the new instances'", 4, 2000);
            default -> throw new IllegalArgumentException("unknown fault " + id);
        };
    }

    @FunctionalInterface
    interface Step {
        void run(RunHarness h) throws Exception;
    }

    private record Simple(String id, String description, double at, long durationMs, Step in, Step back) implements Fault {
        @Override public void inject(RunHarness h) throws Exception { in.run(h); }

        @Override public void recover(RunHarness h) throws Exception { back.run(h); }
    }

    /** Thousands of cold function instances at once: 2000 concurrent requests, each starting an instance. */
    private static final class Storm implements Fault {
        private final Map<Integer, AtomicLong> codes = new ConcurrentHashMap<>();

        @Override public String id() { return "exhaustion-storm"; }

        @Override public String description() { return "2000 concurrent requests at once, each cold-starting a function instance"; }

        @Override public double at() { return 0.4; }

        @Override public long durationMs() { return 0; }

        @Override
        public void inject(RunHarness h) throws Exception {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                HttpRequest r = HttpRequest.newBuilder(URI.create(h.baseUrl() + "/proxy/recommendations?shop=" + Stores.domain(1 + i % 50)))
                        .timeout(Duration.ofSeconds(30)).build();
                all.add(client.sendAsync(r, HttpResponse.BodyHandlers.discarding())
                        .handle((resp, e) -> {
                            codes.computeIfAbsent(e == null ? resp.statusCode() : -1, k -> new AtomicLong()).incrementAndGet();
                            return null;
                        }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public String observed() {
            Map<String, Long> m = new TreeMap<>();
            codes.forEach((k, v) -> m.put(k == -1 ? "no answer" : "HTTP " + k, v.get()));
            return m.isEmpty() ? "" : "storm answers " + m;
        }
    }

    /** Several deploys in a row, each retiring every instance while the last ones' connections still linger. */
    private record Deploys(String id, String description, int count, long apartMs) implements Fault {
        @Override public double at() { return 0.3; }

        @Override public long durationMs() { return 0; }

        @Override
        public void inject(RunHarness h) throws Exception {
            for (int i = 0; i < count; i++) {
                if (i > 0) Thread.sleep(apartMs); // the spacing of the deploys is the fault itself
                h.deploy();
            }
        }

        @Override public String observed() { return count + " deploys " + apartMs / 1000 + " s apart"; }
    }

    /** A slow query holding a lock: a migration-like ACCESS EXCLUSIVE lock on Settings for 5 s. */
    private static final class Lock implements Fault {
        private Connection conn;

        @Override public String id() { return "slow-query-lock"; }

        @Override public String description() { return "an ACCESS EXCLUSIVE lock on \"Settings\" held for 5 s (a migration)"; }

        @Override public double at() { return 0.4; }

        @Override public long durationMs() { return 5000; }

        @Override
        public void inject(RunHarness h) throws Exception {
            conn = h.environmentHandle().adminConnection();
            conn.setAutoCommit(false);
            try (Statement s = conn.createStatement()) {
                s.execute("LOCK TABLE \"Settings\" IN ACCESS EXCLUSIVE MODE");
            }
        }

        @Override
        public void recover(RunHarness h) throws Exception {
            if (conn != null) {
                conn.rollback();
                conn.close();
            }
        }
    }
}
