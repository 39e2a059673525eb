package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.Sample;
import io.storecap.model.ConnectionStats;
import io.storecap.model.Json;
import io.storecap.model.InstanceObservation;
import io.storecap.model.LevelResult;
import io.storecap.model.Reconciliation;
import io.storecap.model.RequestStats;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.TrafficProfile;
import io.storecap.simulations.LevelClock;
import io.storecap.simulations.LoadControl;
import io.storecap.simulations.Scenario;
import io.storecap.simulations.StairSimulation;
import io.storecap.simulations.WebhookLedger;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * One run: start the harness for a configuration, drive the stair with Gatling in this JVM, then
 * turn what the injector recorded (levels.json) and what the database saw (the samples) into
 * run.json. Everything the run started is stopped, also when Gatling or the harness fails.
 */
public final class RunOrchestrator {
    private final PrintStream progress;
    private final LiveMetrics live;
    private Map<String, Double> lastStages = Map.of();

    public RunOrchestrator(PrintStream progress) { this(progress, LiveMetrics.off()); }

    /** An orchestrator whose runs are shown on the study's live metrics while they run. */
    public RunOrchestrator(PrintStream progress, LiveMetrics live) {
        this.progress = progress;
        this.live = live;
    }

    /** Seconds spent per stage of the last run: provisioning, seeding, warm-up, load, wrap-up. */
    public Map<String, Double> lastStages() { return lastStages; }

    public RunResult run(RunConfig config, TrafficProfile profile, Path profileFile, Path runDir) {
        return run(config, profile, profileFile, runDir, null);
    }

    /** A run with a fault injected during the stair (null = none). */
    public RunResult run(RunConfig config, TrafficProfile profile, Path profileFile, Path runDir, Fault fault) {
        long started = System.currentTimeMillis();
        int maxStores = config.levels().get(config.levels().size() - 1);
        List<String> notes = new ArrayList<>();
        RunHarness harness = RunHarness.start(config, profile, maxStores, runDir);
        Reconciliation reconciliation;
        List<Sample> samples;
        List<LevelResult> results = new ArrayList<>();
        Map<String, Double> stages = harness.stageSeconds();
        // the live target rate is the traffic really sent: the peak scenario multiplies the profile's rates
        LiveMetrics.Attachment shown = live.attach(LiveRun.of(config,
                Scenario.parse(System.getProperty("storecap.scenario", "stair")).profile(profile, System.getProperties()), harness));
        try {
            progress.printf("  %s: %s up in %.1f s (seeded %d stores); stair %s, %.0f s a level%n", config.id(),
                    harness.environment().getOrDefault("pgbouncer", "").isEmpty() ? "Postgres" : "Postgres + PgBouncer",
                    stages.getOrDefault("provisioning", 0.0) + stages.getOrDefault("seeding", 0.0), maxStores,
                    config.levels(), config.levelSeconds());
            long t = System.nanoTime();
            FaultWindow window = fault == null ? null : FaultWindow.schedule(fault, harness, config, progress);
            int code;
            try {
                code = runGatling(config, harness, profileFile, runDir);
            } finally {
                if (window != null) notes.addAll(window.finish(runDir));
            }
            stages.put("load", (System.nanoTime() - t) / 1e9);
            if (code != 0) notes.add("Gatling assertions failed (exit " + code + "): see the Gatling report; the stair went past a limit, as a claim's stair should.");
            WebhookLedger ledger = readLedger(runDir);
            JsonNode levels = read(runDir.resolve("levels.json"));
            if (harness.queuedWebhooks()) {
                long left = harness.webhooks().awaitWebhooksProcessed(ledger.prefix(), 60_000);
                if (left > 0) notes.add(left + " queued webhooks were still unprocessed 60 s after the stair ended.");
            }
            long tw = System.nanoTime();
            samples = harness.sampler().samples();
            reconciliation = harness.webhooks().reconcile(ledger);
            if (harness.cronSummary() != null) notes.add(harness.cronSummary());
            int n = levels.path("levels").size(), i = 0;
            for (JsonNode l : levels.path("levels")) {
                double[] delay = harness.queuedWebhooks()
                        ? harness.webhooks().webhookDelay(ledger.prefix(), l.path("startEpochMs").asLong(), l.path("endEpochMs").asLong()) : null;
                results.add(level(l, samples, Math.round(config.settleSeconds() * 1000), delay, ++i == n, Map.of()));
            }
            stages.put("wrap-up", (System.nanoTime() - tw) / 1e9);
        } finally {
            shown.close();
            long t = System.nanoTime();
            harness.close();
            stages.merge("wrap-up", (System.nanoTime() - t) / 1e9, Double::sum);
            lastStages = new LinkedHashMap<>(stages);
        }
        String report = gatlingReport(runDir);
        // the traffic really sent: the peak scenario multiplies the profile's rates
        TrafficProfile sent = Scenario.parse(System.getProperty("storecap.scenario", "stair")).profile(profile, System.getProperties());
        RunResult result = new RunResult(runDir.getFileName().toString(), config, sent, harness.environment(),
                results, reconciliation, report, "samples.csv", started, System.currentTimeMillis(), notes);
        try {
            Json.JSON.writeValue(runDir.resolve("run.json").toFile(), result);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + runDir.resolve("run.json") + ": " + e.getMessage(), e);
        }
        return result;
    }

    private int runGatling(RunConfig config, RunHarness harness, Path profileFile, Path runDir) {
        System.clearProperty("storecap.plan");
        System.setProperty(LoadControl.PROPERTY, harness.control().id());
        System.setProperty("storecap.baseUrl", harness.baseUrl());
        System.setProperty("storecap.appSecret", harness.appSecret());
        System.setProperty("storecap.adminToken", harness.adminToken());
        System.setProperty("storecap.levels", String.join(",", config.levels().stream().map(String::valueOf).toList()));
        System.setProperty("storecap.levelSeconds", String.valueOf(config.levelSeconds()));
        System.setProperty("storecap.profile", profileFile.toAbsolutePath().toString());
        System.setProperty("storecap.runDir", runDir.toAbsolutePath().toString());
        int[] printed = {-1};
        Thread monitor = new Thread(() -> monitor(harness, printed), "progress");
        monitor.setDaemon(true);
        monitor.start();
        try {
            return GatlingRunner.run(StairSimulation.class, runDir, config.id());
        } finally {
            monitor.interrupt();
            try {
                monitor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (lastClock != null) printLevels(lastClock, harness, printed, lastClock.size() - 1);
            for (String k : List.of(LoadControl.PROPERTY, "storecap.baseUrl", "storecap.appSecret", "storecap.adminToken", "storecap.runDir"))
                System.clearProperty(k);
        }
    }

    /** Prints one line per finished level while the stair runs: what the database saw. */
    private void monitor(RunHarness harness, int[] printed) {
        LevelClock clock = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(250);
                LevelClock c = harness.control().clock();
                if (c != null && c.t0() > 0) clock = c;
                if (clock == null) continue;
                boolean over = System.currentTimeMillis() >= clock.t0() + clock.totalMs();
                printLevels(clock, harness, printed, over ? clock.size() - 1 : clock.index(System.currentTimeMillis()) - 1);
            }
        } catch (InterruptedException ignored) {
            // the run is over; the caller prints what is left
        }
        lastClock = clock;
    }

    private volatile LevelClock lastClock;

    private synchronized void printLevels(LevelClock clock, RunHarness harness, int[] printed, int upTo) {
        while (printed[0] < upTo) {
            int i = ++printed[0];
            long from = clock.t0() + clock.startMs(i), to = clock.t0() + clock.endMs(i);
            List<Sample> w = window(harness.sampler().samples(), from, to);
            progress.printf("    level %d/%d: %5d stores  %6.1f req/s  server conns max %3d  pooler clients max %4d  warm instances max %4d  refusals %d%n",
                    i + 1, clock.size(), clock.plan(i).stores(), clock.started(i) * 1000.0 / (to - from),
                    (int) max(w, Sample::appBackends), (int) max(w, Sample::poolerClients),
                    (int) max(w, s -> s.warmInstances()),
                    refusalDelta(harness.sampler().samples(), from, to).values().stream().mapToLong(Long::longValue).sum());
        }
    }

    /**
     * One level of levels.json with what the database saw in its window, production-equivalent:
     * latencies and webhook delays divided by the level's time scale, rates multiplied by it.
     *
     * @param settleMs     the first part of the level left out of connection statistics
     * @param webhookDelay {p99, max} queued-webhook delay in emulated ms, or null
     * @param last         the run's last level: failures counted after it ends still belong to it
     * @param cpuCores     CPU of the processes behind the level, in cores
     */
    static LevelResult level(JsonNode l, List<Sample> all, long settleMs, double[] webhookDelay, boolean last, Map<String, Double> cpuCores) {
        long start = l.path("startEpochMs").asLong();
        long end = l.path("endEpochMs").asLong();
        double k = l.path("timeScale").asDouble(1);
        // failures of the last level's requests may be counted after it ends (a pool timeout lands up to 10 s later)
        long countersUntil = last ? Long.MAX_VALUE : end;
        double seconds = (end - start) / 1000.0;
        // connection statistics after the level settled (instances from the previous level aged out)
        List<Sample> settled = window(all, start + settleMs, end);
        List<Sample> whole = window(all, start, end);
        Map<String, RequestStats> byKind = new LinkedHashMap<>();
        l.path("requests").fields().forEachRemaining(e -> byKind.put(e.getKey(),
                Json.JSON.convertValue(e.getValue(), RequestStats.class).unscaled(k)));
        RequestStats all2 = byKind.getOrDefault("all", RequestStats.EMPTY);
        byKind.remove("all");
        return new LevelResult(l.path("stores").asInt(), start, end, l.path("targetRps").asDouble(),
                l.path("started").asLong() / seconds * k, all2, byKind,
                stats(settled, s -> s.appBackends()), stats(settled, s -> s.appActive() + s.appIdleInTx()),
                stats(settled, s -> s.poolerClients()), stats(settled, s -> s.clWaiting()),
                stats(settled, s -> Math.max(0, s.warmInstances())), refusalDelta(all, start, countersUntil), coldStartDelta(all, start, countersUntil),
                cpuBeforeBreak(whole), max(whole, Sample::cpu),
                webhookDelay == null ? null : webhookDelay[0] / k, webhookDelay == null ? null : webhookDelay[1] / k,
                k, l.has("seed") ? l.path("seed").asLong() : null, l.path("phase").asText("stair"), cpuCores,
                observed(all, settled, start, countersUntil, k));
    }

    /** Mean cold-start delay per cold start over [from, to), production seconds; 0 when none started. */
    static double coldStartSeconds(List<Sample> all, long from, long to, double k) {
        Sample base = null, last = null;
        for (Sample s : all) {
            if (s.coldStartMicros() < 0) continue;
            if (s.epochMs() < from) base = s;
            else if (s.epochMs() < to) {
                if (base == null) base = s;
                last = s;
            }
        }
        if (base == null || last == null || last.coldStarts() <= base.coldStarts()) return 0;
        return (last.coldStartMicros() - base.coldStartMicros()) / 1e6 / (last.coldStarts() - base.coldStarts()) / k;
    }

    /**
     * The function instances' own measurements over a level (busy time, cold starts, their backends
     * apart from the floor), production-equivalent; null when the service or the database did not
     * report them (server mode, an older service).
     */
    static InstanceObservation observed(List<Sample> all, List<Sample> settled, long from, long to, double k) {
        Sample base = null, last = null;
        for (Sample s : all) {
            if (s.served() < 0 || s.busyMicros() < 0 || s.coldStartMicros() < 0) continue;
            if (s.epochMs() < from) base = s;
            else if (s.epochMs() < to) {
                if (base == null) base = s;
                last = s;
            }
        }
        if (base == null || last == null || settled.isEmpty() || settled.stream().anyMatch(s -> s.fnBackends() < 0)) return null;
        long served = last.served() - base.served();
        long cold = last.coldStarts() - base.coldStarts();
        double busyUs = last.busyMicros() - base.busyMicros(), coldUs = last.coldStartMicros() - base.coldStartMicros();
        if (served <= 0) return null;
        double functionSeconds = Math.max(0, busyUs - coldUs) / 1e6 / served / k;
        double coldStartSeconds = cold > 0 ? coldUs / 1e6 / cold / k : 0;
        return new InstanceObservation(functionSeconds, coldStartSeconds, served, Math.max(0, cold),
                stats(settled, Sample::fnBackends), stats(settled, s -> Math.max(0, s.appBackends() - s.fnBackends())));
    }

    /**
     * Mean machine CPU over a level until it broke: until the first connection refusal when there
     * was one. A refused connection costs Postgres a forked backend, so a level past the tier's limit
     * can saturate the CPU itself: that is the failure's effect, not a machine limit that caused it.
     */
    static double cpuBeforeBreak(List<Sample> level) {
        long base = -1;
        List<Sample> before = new ArrayList<>();
        for (Sample s : level) {
            if (s.refusals().isEmpty()) { before.add(s); continue; }
            long refused = LevelResult.connectionRefusals(s.refusals());
            if (base < 0) base = refused;
            if (refused > base) break;
            before.add(s);
        }
        List<Sample> used = before.size() >= 5 ? before : level;
        return used.stream().mapToDouble(Sample::cpu).average().orElse(0);
    }

    static List<Sample> window(List<Sample> all, long from, long to) {
        return all.stream().filter(s -> s.epochMs() >= from && s.epochMs() < to).toList();
    }

    static ConnectionStats stats(List<Sample> w, ToDoubleFunction<Sample> f) {
        return ConnectionStats.of(w.stream().mapToDouble(f).toArray());
    }

    static double max(List<Sample> w, ToDoubleFunction<Sample> f) { return w.stream().mapToDouble(f).max().orElse(0); }

    /**
     * Failures by cause during [from, to): the service's counters are cumulative, so the last reading
     * before {@code to} less the last reading before {@code from} (or the first one at all, when the
     * window opens the run). Readings where /metrics did not answer are skipped, so an overloaded
     * level still counts all its refusals.
     */
    static Map<String, Long> refusalDelta(List<Sample> all, long from, long to) {
        Map<String, Long> out = new LinkedHashMap<>();
        Sample base = null, last = null;
        for (Sample s : all) {
            if (s.refusals().isEmpty()) continue;
            if (s.epochMs() < from) base = s;
            else if (s.epochMs() < to) {
                if (base == null) base = s;
                last = s;
            }
        }
        if (base == null || last == null) return out;
        Sample b = base;
        last.refusals().forEach((k, v) -> {
            long d = v - b.refusals().getOrDefault(k, 0L);
            if (d > 0) out.put(k, d);
        });
        return out;
    }

    /** Cold starts during [from, to), from the cumulative counter, as {@link #refusalDelta}. */
    static long coldStartDelta(List<Sample> all, long from, long to) {
        Sample base = null, last = null;
        for (Sample s : all) {
            if (s.coldStarts() < 0) continue;
            if (s.epochMs() < from) base = s;
            else if (s.epochMs() < to) {
                if (base == null) base = s;
                last = s;
            }
        }
        return base == null || last == null ? 0 : last.coldStarts() - base.coldStarts();
    }

    static WebhookLedger readLedger(Path runDir) {
        JsonNode w = read(runDir.resolve("webhooks.json"));
        return WebhookLedger.restore(w.path("prefix").asText(), w.path("sent").asLong(), w.path("attempts").asLong(),
                Json.JSON.convertValue(w.path("acknowledged"), String[].class));
    }

    static JsonNode read(Path f) {
        try {
            return Json.JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("the simulation did not write " + f + " (" + e.getMessage() + "); see the Gatling output above", e);
        }
    }

    /** The Gatling report's index.html relative to the run folder, or null. */
    static String gatlingReport(Path runDir) {
        Path g = runDir.resolve("gatling");
        if (!Files.isDirectory(g)) return null;
        try (Stream<Path> dirs = Files.list(g)) {
            return dirs.filter(d -> Files.exists(d.resolve("index.html")))
                    .max(Comparator.comparing(Path::getFileName))
                    .map(d -> runDir.relativize(d.resolve("index.html")).toString()).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
