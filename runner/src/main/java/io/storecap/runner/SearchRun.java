package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.ProcessCpu;
import io.storecap.environment.Sample;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.Reconciliation;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.TrafficProfile;
import io.storecap.model.verdict.LevelJudge;
import io.storecap.simulations.LevelClock;
import io.storecap.simulations.LevelPlan;
import io.storecap.simulations.LoadControl;
import io.storecap.simulations.StairSimulation;
import io.storecap.simulations.WebhookLedger;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * One claim's knee search as a run: one environment (Postgres, PgBouncer, the service) for the
 * whole search, and one Gatling run per level (a settle level left out of every statistic, then
 * the measured level), each at its own time scale and seed ({@link LevelPlanner}). Every level is
 * judged as it ends ({@link LevelJudge}) and the judgement steers the search ({@link KneeSearch}).
 * A level stops early once a constraint has clearly broken (refusals, or direct connections at the
 * usable limit) or the machine's CPU has been saturated for 3 s: no more evidence is needed. Writes run.json like a stair run, with
 * every level, the seed and how the search ended.
 */
final class SearchRun {
    /** Refusals within a level's measured part that end it at once. */
    static final int EARLY_STOP_REFUSALS = 5;

    private final PrintStream out;
    private final ModelSettings model;
    private final StudyProgress progress;
    private final Opener opener;
    private final LiveMetrics live;

    /** Opens what a search runs against, for one run. */
    @FunctionalInterface
    interface Opener {
        SearchTarget open(RunConfig config, TrafficProfile profile, SearchSettings search, Path runDir);
    }

    /** The reference service on this machine: the harness with the search's stores seeded. */
    static final Opener LOCAL = (config, profile, search, runDir) ->
            SearchTarget.local(RunHarness.start(config, profile, Math.min(search.maxStores(), search.seedStores()), runDir, true));

    SearchRun(PrintStream out, ModelSettings model, StudyProgress progress) { this(out, model, progress, LOCAL, LiveMetrics.off()); }

    /** The local service, its readings served as live metrics while the run lasts. */
    SearchRun(PrintStream out, ModelSettings model, StudyProgress progress, LiveMetrics live) { this(out, model, progress, LOCAL, live); }

    SearchRun(PrintStream out, ModelSettings model, StudyProgress progress, Opener opener) { this(out, model, progress, opener, LiveMetrics.off()); }

    SearchRun(PrintStream out, ModelSettings model, StudyProgress progress, Opener opener, LiveMetrics live) {
        this.out = out;
        this.model = model;
        this.progress = progress;
        this.opener = opener;
        this.live = live;
    }

    /**
     * @param targets whether this run answers the plan's targets: then a level at each of the
     *                search's target store counts is measured after the search unless one carried it
     */
    RunResult run(RunConfig config, SearchSettings search, TrafficProfile profile, Path profileFile, Path runDir, int start, long seed,
                  boolean targets) {
        long started = System.currentTimeMillis();
        SearchTarget harness = opener.open(config, profile, search, runDir);
        LevelPlanner planner = new LevelPlanner(search, profile, config.coldStartMs());
        List<LevelResult> levels = new ArrayList<>();
        List<WebhookLedger> ledgers = new ArrayList<>();
        List<String> notes = new ArrayList<>(harness.notes());
        Reconciliation rec = Reconciliation.NONE;
        KneeSearch.Ending ending;
        String lastReport = null;
        LiveMetrics.Attachment shown = live.attach(LiveRun.of(config, profile, harness));
        try {
            out.printf("  %s: up in %.1f s, %d stores; knee search from %d stores (time scale %.2f-%.2f, %d replicates, bracket %.0f %%)%n",
                    config.id(), harness.stageSeconds().values().stream().mapToDouble(Double::doubleValue).sum(), harness.stores(),
                    start, search.minTimeScale(), search.maxTimeScale(), search.replicates(), 100 * (search.bracketRatio() - 1));
            int[] n = {0};
            KneeSearch.Prober prober = (stores, phase, rep) -> {
                int i = ++n[0];
                List<LevelPlan> plan = planner.plan(stores, phase, seed * 1_000 + i * 10L, phase.equals("target"));
                Path dir = runDir.resolve("levels").resolve(String.format(Locale.ROOT, "%02d-%s-%d", i, phase, stores));
                LevelResult l = probe(harness, config, plan, profileFile, dir, ledgers);
                levels.add(l);
                LevelJudge.Judgement j = LevelJudge.judge(l, config.tier(), config.route(), model);
                out.printf(Locale.ROOT, "    %2d %-9s %8d stores  k %5.2f  %5d req  conns max %4.0f  p95 %5.0f ms  -> %s%s%n", i, phase, stores,
                        l.timeScale(), l.requests().count(), l.serverConnections().max(), l.requests().p95Ms(),
                        j.outcome(), j.outcome() == LevelJudge.Outcome.HOLDS ? "" : " (" + j.why() + ")");
                progress.levelDone();
                return new KneeSearch.Result(j.outcome(), l.effectiveStores(), j.margin());
            };
            ending = new KneeSearch(search.search()).run(start, prober);
            if (targets)
                for (int t : search.targetStores())
                    if (levels.stream().noneMatch(l -> Math.abs(l.effectiveStores() / t - 1) <= 0.10
                            && l.requests().count() >= LevelJudge.MIN_REQUESTS_TO_HOLD)) prober.probe(t, "target", 1);
            notes.add("knee search " + ending.end().name().toLowerCase(Locale.ROOT).replace('_', '-') + ": " + ending.why());
            if (harness.queuedWebhooks()) {
                for (WebhookLedger w : ledgers) {
                    long left = harness.webhooks().awaitWebhooksProcessed(w.prefix(), 60_000);
                    if (left > 0) notes.add(left + " queued webhooks were still unprocessed 60 s after the search ended.");
                }
            }
            if (harness.webhooks() != null) for (WebhookLedger w : ledgers) rec = add(rec, harness.webhooks().reconcile(w));
            lastReport = latestReport(runDir);
        } finally {
            shown.close();
            harness.close();
        }
        TreeSet<Integer> tested = new TreeSet<>();
        levels.forEach(l -> tested.add(l.stores()));
        RunConfig recorded = config.toBuilder().levels(List.copyOf(tested)).settleSeconds(0).build();
        double kMin = levels.stream().mapToDouble(LevelResult::timeScale).min().orElse(1);
        double kMax = levels.stream().mapToDouble(LevelResult::timeScale).max().orElse(1);
        RunResult result = new RunResult(runDir.getFileName().toString(), recorded, profile, harness.environment(), levels, rec,
                lastReport, "samples.csv", started, System.currentTimeMillis(), notes, seed,
                new RunResult.Search(ending.end().name(), ending.lo(), ending.hi(), ending.why(), search.replicates(),
                        search.bracketRatio(), kMin, kMax, search.idleTtlSeconds()));
        try {
            Json.JSON.writeValue(runDir.resolve("run.json").toFile(), result);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + runDir.resolve("run.json") + ": " + e.getMessage(), e);
        }
        return result;
    }

    /** Runs one probe (settle + measured level) through Gatling and returns the measured level, production-equivalent. */
    private LevelResult probe(SearchTarget h, RunConfig config, List<LevelPlan> plan, Path profileFile, Path dir, List<WebhookLedger> ledgers) {
        // each level starts clean: no backlog of queued webhooks from the level before (a saturated
        // level leaves one, and its delay would be charged to the next)
        if (h.queuedWebhooks()) {
            long left = h.webhooks().awaitQueueDrained(60_000);
            if (left > 0) out.printf("       %d queued webhooks of earlier levels still unprocessed after 60 s%n", left);
        }
        // the search's production TTL (StudyConfig.searchConfig); the service stretches it by k
        Probe.Result r = Probe.run(h, config, plan, profileFile, dir, config.idleTtlSeconds(), 1, () -> watch(h, config, plan));
        ledgers.add(r.ledger());
        return r.level();
    }

    /**
     * While a level runs: a progress line every 5 s, and the early stop once the measured part has
     * clearly broken a constraint.
     */
    private Thread watch(SearchTarget h, RunConfig config, List<LevelPlan> plan) {
        long measuredFrom = System.currentTimeMillis() + plan.get(0).millis();
        long total = plan.stream().mapToLong(LevelPlan::millis).sum();
        long began = System.currentTimeMillis();
        int usable = config.tier().usableConnections();
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1000);
                    long now = System.currentTimeMillis();
                    List<Sample> all = h.sampler().samples();
                    Sample last = all.isEmpty() ? null : all.get(all.size() - 1);
                    if (now >= measuredFrom && !h.control().stopped()) {
                        long refused = LevelResult.connectionRefusals(RunOrchestrator.refusalDelta(all, measuredFrom, Long.MAX_VALUE));
                        List<Sample> measured = RunOrchestrator.window(all, measuredFrom, Long.MAX_VALUE);
                        double conns = RunOrchestrator.max(measured, Sample::appBackends);
                        // the machine saturated for 3 s of the measured part: the level can only be machine-limited
                        boolean saturated = now - measuredFrom >= 3000 && RunOrchestrator.cpuBeforeBreak(measured) >= model.cpuSaturation();
                        if (refused >= EARLY_STOP_REFUSALS || (config.route() == Route.DIRECT && conns >= usable) || saturated) {
                            h.control().stopNow();
                            out.printf("       stopping the level early: %s%n", refused >= EARLY_STOP_REFUSALS
                                    ? refused + " connections refused" : saturated ? "the machine's CPU is saturated"
                                    : "connections at the usable limit (" + usable + ")");
                        }
                    }
                    if ((now - began) % 5000 < 1000 && last != null) {
                        LevelClock c = h.control().clock();
                        long done = c == null || c.size() < 2 ? 0 : c.started(1);
                        out.printf(Locale.ROOT, "       %3.0f/%.0f s  requests %d/%d  conns now %d  warm instances %s  study %s%n",
                                (now - began) / 1000.0, total / 1000.0, done, LevelJudge.MIN_REQUESTS_TO_HOLD, last.appBackends(),
                                last.warmInstances() < 0 ? "?" : String.valueOf(last.warmInstances()), progress.eta());
                    }
                }
            } catch (InterruptedException ignored) {
                // the level is over
            }
        }, "search-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Reconciliation add(Reconciliation a, Reconciliation b) {
        return new Reconciliation(a.sent() + b.sent(), a.acknowledged() + b.acknowledged(), a.stored() + b.stored(),
                a.duplicated() + b.duplicated(), a.lost() + b.lost());
    }

    /** The newest level's Gatling report, relative to the run folder. */
    private static String latestReport(Path runDir) {
        Path levels = runDir.resolve("levels");
        if (!Files.isDirectory(levels)) return null;
        try (var s = Files.list(levels)) {
            return s.sorted(java.util.Comparator.reverseOrder()).map(d -> {
                String r = RunOrchestrator.gatlingReport(d);
                return r == null ? null : "levels/" + d.getFileName() + "/" + r;
            }).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
