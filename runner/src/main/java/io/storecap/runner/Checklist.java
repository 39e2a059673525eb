package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.environment.Cleanup;
import io.storecap.model.Json;
import io.storecap.model.RunConfig;
import io.storecap.model.Route;
import io.storecap.model.RuntimePreset;
import io.storecap.model.RuntimesFile;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.TrafficProfile;
import io.storecap.model.checklist.ChecklistPlan;
import io.storecap.model.checklist.ChecklistResult;
import io.storecap.reports.ChecklistReport;
import io.storecap.reports.Report;
import io.storecap.service.ServiceConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./storecap study --checklist}: each step of the plan (config/checklist.yaml) with the step
 * off and on, on the same tier, traffic and runtime, side by side. Every configuration a step needs
 * (the base, and each step's other side) gets one environment; in it the cells that configuration
 * takes part in run one after the other ({@link ChecklistCells}): the options' ladder of loads, the
 * plan's "now", dashboard cells at a raised dashboard rate, and the peak and bulk-edit webhook
 * cells. Then {@link ChecklistAnalysis} compares them and {@link ChecklistReport} writes the page and
 * summary.json. Everything is read and checked before any load runs.
 */
public final class Checklist {
    /**
     * @param quick         the quick cells (modes.quick)
     * @param seed          arrivals' seed (null: drawn and printed)
     * @param provider      where Postgres runs
     * @param checklistFile config/checklist.yaml or another
     */
    public record Options(boolean quick, Long seed, String provider, Path checklistFile) {}

    /** One configuration: its id, what it is, the run settings, its monthly cost and the cells it runs. */
    record Config(String id, String words, RunConfig run, double monthlyCostUsd, Set<ChecklistCells.Cell> cells) {}

    private final PrintStream out;

    public Checklist(PrintStream out) { this.out = out; }

    public Report run(Study.Inputs in, Options o, Path outDir) {
        long started = System.currentTimeMillis();
        Loaded f = Loaded.load(in, o.checklistFile());
        ChecklistPlan plan = f.plan();
        Map<String, Tier> tiers = f.tiers();
        TrafficProfile profile = TrafficProfile.load(in.profile());
        StudyConfig study = f.study();
        RuntimePreset runtime = f.runtime();
        List<Config> configs = configs(plan, tiers, study, runtime, o, f.file());
        ChecklistPlan.Cells sizes = plan.cells(o.quick());
        long seed = o.seed() != null ? o.seed() : new java.security.SecureRandom().nextInt(1_000_000);
        SearchSettings search = study.mode(o.quick()).search();
        ChecklistCells cellRunner = new ChecklistCells(out, search, profile, in.profile(), sizes, seed);
        int cellCount = configs.stream().mapToInt(c -> c.cells().size()).sum();
        out.printf(Locale.ROOT, "storecap study --checklist (%s, seed %d): %d steps, %d configurations, %d cells on tier %s, runtime %s;"
                        + " at most about %.0f min (a level that clearly fails stops early)%n",
                o.quick() ? "quick" : "full", seed, plan.steps().size(), configs.size(), cellCount, plan.tier(),
                runtime == null ? "the study's own" : runtime.id(), (cellRunner.estimateSeconds(configs) + 40) / 60);
        String baseSettings = "the base's service settings: " + describe(configs.get(0).run().serviceOptions());
        out.println("  " + baseSettings);
        for (Config c : configs) out.printf("  %-16s %s: %s%n", c.id(), c.words(), c.cells().stream().map(ChecklistCells.Cell::key).toList());
        List<ChecklistCell> cells = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        // a throwaway environment first: this JVM's first cell runs slower (class loading, JIT, Gatling's
        // first simulation), and the base, whose cells are every step's off side, would carry that alone
        Config base = configs.get(0);
        Config warmUp = new Config(WARM_UP, "the base's first cell in a throwaway environment (discarded)", base.run().toBuilder().id(WARM_UP).build(),
                base.monthlyCostUsd(), new LinkedHashSet<>(base.cells().stream().limit(1).toList()));
        out.printf("%n[warm-up] %s%n", warmUp.words());
        runConfig(warmUp, cellRunner, profile, search, outDir, new ArrayList<>(), new LinkedHashMap<>());
        int n = 0;
        for (Config c : configs) {
            out.printf("%n[%d/%d] %s: %s, %s, max_connections %d%n", ++n, configs.size(), c.id(), c.run().tier().id(), c.run().route().id(),
                    c.run().tier().maxConnections());
            runConfig(c, cellRunner, profile, search, outDir, cells, environment);
        }
        write(outDir.resolve("checklist").resolve("cells.json"), cells);
        ObjectNode meta = Json.JSON.createObjectNode();
        meta.put("mode", o.quick() ? "quick" : "full");
        meta.put("seed", seed);
        meta.put("tier", plan.tier());
        meta.put("runtime", runtime == null ? null : runtime.id());
        meta.put("startedEpochMs", started);
        meta.put("finishedEpochMs", System.currentTimeMillis());
        meta.put("seconds", (System.currentTimeMillis() - started) / 1000.0);
        meta.set("environment", Json.JSON.valueToTree(environment));
        meta.put("warmUp", true);
        Report report = analyse(plan, configs, cells, sizes, tiers.get(plan.tier()), runtime, meta, outDir);
        out.printf(Locale.ROOT, "%nchecklist took %.0f s%nreport: %s%nsummary: %s%n", (System.currentTimeMillis() - started) / 1000.0,
                report.index().toAbsolutePath(), report.summary().toAbsolutePath());
        return report;
    }

    /** What a checklist study reads besides the profile: the checklist, the tiers, study.yaml and the default runtime. */
    private record Loaded(Path file, ChecklistPlan plan, Map<String, Tier> tiers, StudyConfig study, RuntimePreset runtime) {
        static Loaded load(Study.Inputs in, Path checklistFile) {
            Path file = checklistFile != null ? checklistFile : in.study().resolveSibling(ChecklistPlan.DEFAULT_NAME);
            RuntimePreset runtime = in.runtimes() != null && Files.exists(in.runtimes())
                    ? RuntimesFile.load(in.runtimes()).defaultRuntime() : null;
            return new Loaded(file, ChecklistPlan.load(file), TiersFile.load(in.tiers()), StudyConfig.load(in.study()), runtime);
        }
    }

    /** The id of the discarded warm-up configuration. */
    static final String WARM_UP = "warm-up";

    /** One configuration's environment up, its cells run one after the other (a failed cell is said and skipped), and down. */
    private void runConfig(Config c, ChecklistCells cellRunner, TrafficProfile profile, SearchSettings search, Path outDir,
                           List<ChecklistCell> cells, Map<String, String> environment) {
        Path dir = outDir.resolve("checklist").resolve(c.id());
        RunHarness h = null;
        try {
            h = RunHarness.start(c.run(), profile, Math.min(search.maxStores(), search.seedStores()), dir, true);
            if (environment.isEmpty()) environment.putAll(h.environment());
            out.printf("  up: %s%n", h.environment().getOrDefault("seeded", ""));
            for (ChecklistCells.Cell cell : c.cells()) {
                try {
                    cells.add(cellRunner.run(h, c, cell, dir.resolve(cell.key().replace('@', '-'))));
                } catch (RuntimeException e) {
                    out.printf("    cell %s %s failed: %s%n", c.id(), cell.key(), e.getMessage());
                }
            }
        } catch (RuntimeException e) {
            out.printf("  configuration %s failed: %s (its cells are not measured)%n", c.id(), e.getMessage());
            Cleanup.closeAll();
        } finally {
            if (h != null) h.close();
        }
    }

    /** The comparisons of measured cells, written as checklist/checklist.json, the page and summary.json. */
    private static Report analyse(ChecklistPlan plan, List<Config> configs, List<ChecklistCell> cells, ChecklistPlan.Cells sizes, Tier tier,
                                  RuntimePreset runtime, ObjectNode meta, Path outDir) {
        String baseSettings = "the base's service settings: " + describe(configs.get(0).run().serviceOptions());
        String seeded = meta.path("environment").path("seeded").asText("?");
        List<String> notes = new ArrayList<>(List.of(baseSettings + (runtime == null ? "" : " (runtime " + runtime.id() + ")") + ".",
                "Every environment is seeded alike: " + seeded + " (history per store follows the"
                        + " traffic's Zipf sizes), so a query without the plan's indexes reads real tables; higher store numbers map onto them."));
        notes.add(meta.path("warmUp").asBoolean(false)
                ? "A warm-up ran first: the base's first cell in a throwaway environment, discarded. Without it the run's first cell (the base's,"
                + " every step's off side) would be the only one paying this JVM's class loading and JIT; the A/A rows show whether the"
                + " base and its repeats now agree."
                : "No warm-up ran before the base's first cell (a run from before the warm-up was added): it may be slower than the rest for"
                + " that alone; the A/A rows show how much.");
        ChecklistResult result = ChecklistAnalysis.build(plan, configs.stream().map(ChecklistAnalysis.ConfigInfo::of).toList(), cells, sizes,
                tier, meta.path("seed").asLong(), notes);
        write(outDir.resolve("checklist").resolve("checklist.json"), result);
        return ChecklistReport.write(outDir, result, meta);
    }

    /**
     * {@code ./storecap report --run STUDY} on a checklist study: the comparisons recomputed from its
     * checklist/cells.json (no load runs) with today's arithmetic and checklist file, into {@code outDir}.
     */
    public Report rerender(Study.Inputs in, Path checklistFile, Path studyDir, Path outDir) {
        Path cellsFile = studyDir.resolve("checklist").resolve("cells.json");
        if (!Files.isRegularFile(cellsFile))
            throw new IllegalArgumentException(studyDir + " is not a checklist study: it has no checklist/cells.json (run ./storecap study --checklist)");
        JsonNode old = read(studyDir.resolve("summary.json"));
        ObjectNode meta = old.path("metadata").isObject() ? ((ObjectNode) old.path("metadata")).deepCopy() : Json.JSON.createObjectNode();
        boolean quick = !"full".equals(meta.path("mode").asText("quick"));
        List<ChecklistCell> cells;
        try {
            cells = List.of(Json.JSON.readValue(cellsFile.toFile(), ChecklistCell[].class));
        } catch (IOException e) {
            throw new IllegalArgumentException(cellsFile + " cannot be read: " + e.getMessage() + " (re-run the checklist study)", e);
        }
        Loaded f = Loaded.load(in, checklistFile);
        List<Config> configs = configs(f.plan(), f.tiers(), f.study(), f.runtime(), new Options(quick, null, "local", f.file()), f.file());
        meta.put("rerendered", true);
        Report report = analyse(f.plan(), configs, cells, f.plan().cells(quick), f.tiers().get(f.plan().tier()), f.runtime(), meta, outDir);
        out.printf("re-rendered from %s%nreport: %s%nsummary: %s%n", cellsFile, report.index().toAbsolutePath(), report.summary().toAbsolutePath());
        return report;
    }

    /** The configurations the steps need, with their cells; every setting checked by the service's own parser first. */
    static List<Config> configs(ChecklistPlan plan, Map<String, Tier> tiers, StudyConfig study, RuntimePreset runtime, Options o, Path file) {
        Tier tier = tier(tiers, plan.tier(), file, "tier");
        ChecklistPlan.Cells sizes = plan.cells(o.quick());
        SearchSettings search = study.mode(o.quick()).search();
        RunConfig base = new RunConfig("base", tier, Route.DIRECT, study.mode(), study.connectionLimit(), search.idleTtlSeconds(),
                study.coldStartMs(), sizes.ladder(), study.mode(o.quick()).levelSeconds(), 0, o.provider(), study.functionMs(),
                study.dbLatencyMs(), study.serviceOptions());
        if (runtime != null) base = runtime.applyTo(base);
        Map<String, Config> byKey = new LinkedHashMap<>();
        byKey.put("base", new Config("base", "base (" + tier.name() + ", direct)", base, tier.monthlyCostUsd(), new LinkedHashSet<>()));
        for (ChecklistPlan.Step s : plan.steps()) {
            for (boolean on : new boolean[]{false, true}) {
                ChecklistPlan.Side side = on ? s.on() : s.off();
                String key = side.key();
                if (byKey.containsKey(key)) continue;
                RunConfig rc = base.toBuilder().id(s.id() + (on ? "-on" : "-off")).build();
                Tier t = tier;
                if (side.tier() != null) rc = rc.toBuilder().tier(t = tier(tiers, side.tier(), file, "step '" + s.id() + "'")).build();
                if (side.route() != null) rc = rc.toBuilder().route(Route.parse(side.route())).build();
                for (Map.Entry<String, String> e : side.values().entrySet()) rc = rc.withServiceOption(e.getKey(), e.getValue());
                checkSettings(rc, s.id(), file);
                // a step that names a tier costs the tier's price (already in t); others add theirs to the tier's
                double cost = t.monthlyCostUsd() + (on && side.tier() == null ? s.monthlyCostUsd() : 0);
                byKey.put(key, new Config(rc.id(), s.id() + (on ? " on" : " off") + " (" + side.key().replace(",", ", ") + ")", rc, cost,
                        new LinkedHashSet<>()));
            }
        }
        for (ChecklistPlan.Step s : plan.steps()) {
            Config off = byKey.get(s.off().key()), on = byKey.get(s.on().key());
            for (Config c : List.of(off, on)) c.cells().addAll(ChecklistCells.cellsFor(s.kind(), sizes));
        }
        // the seed's "now" is read on the plan's option A (pooling) when the checklist has it, else on the base
        ChecklistPlan.Step pooling = plan.steps().stream().filter(s -> "pooled".equals(s.on().route())).findFirst().orElse(null);
        (pooling == null ? byKey.get("base") : byKey.get(pooling.on().key())).cells().add(new ChecklistCells.Cell(ChecklistCells.Kind.NOW, sizes.nowStores()));
        checkSettings(base, "base", file);
        // the A/A check: the base again in a fresh environment, last, at the plan's store count
        Set<ChecklistCells.Cell> again = new LinkedHashSet<>();
        for (ChecklistCells.Kind k : List.of(ChecklistCells.Kind.LADDER, ChecklistCells.Kind.DASHBOARD)) {
            ChecklistCells.Cell c = new ChecklistCells.Cell(k, sizes.planStores());
            if (byKey.get("base").cells().contains(c)) again.add(c);
        }
        if (!again.isEmpty()) {
            // the A/A check: one repeat mid-run, one last, so the replicates span the run's time as the steps do
            List<Map.Entry<String, Config>> order = new ArrayList<>(byKey.entrySet());
            for (int i = 0; i < ChecklistAnalysis.REPEATS.size(); i++) {
                String id = ChecklistAnalysis.REPEATS.get(i);
                Config c = new Config(id, "base again (A/A check " + (i + 1) + ", a fresh environment)", base.toBuilder().id(id).build(),
                        tier.monthlyCostUsd(), again);
                int at = i == ChecklistAnalysis.REPEATS.size() - 1 ? order.size() : Math.max(1, order.size() / 2);
                order.add(at, Map.entry(id, c));
            }
            byKey.clear();
            order.forEach(e -> byKey.put(e.getKey(), e.getValue()));
        }
        return byKey.values().stream().filter(c -> !c.cells().isEmpty()).toList();
    }

    private static Tier tier(Map<String, Tier> tiers, String id, Path file, String where) {
        Tier t = tiers.get(id);
        if (t == null) throw new IllegalArgumentException(file.getFileName() + ": " + where + ": tier '" + id + "' is not in tiers.yaml; known: "
                + String.join(", ", tiers.keySet()));
        return t;
    }

    /** The service's own parser on a configuration's settings, before any load runs. */
    private static void checkSettings(RunConfig rc, String step, Path file) {
        List<String> args = new ArrayList<>(List.of("--jdbc-url=jdbc:postgresql://127.0.0.1:5432/check", "--db-user=check",
                "--app-secret=checking-only", "--admin-token=checking-only", "--mode=" + rc.mode().id()));
        rc.serviceOptions().forEach((k, v) -> args.add("--" + k + "=" + v));
        if ("on".equals(rc.serviceOptions().get("dashboard-cache"))) args.add("--redis-url=redis://127.0.0.1:6379");
        try {
            ServiceConfig.parse(args.toArray(String[]::new), Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file.getFileName() + ": step '" + step + "': " + e.getMessage());
        }
    }

    private static String describe(Map<String, String> options) {
        List<String> parts = new ArrayList<>();
        options.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    private static void write(Path f, Object value) {
        try {
            Files.createDirectories(f.getParent());
            Json.JSON.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + f + ": " + e.getMessage(), e);
        }
    }

    /** Reads a JSON file (levels.json) written by the simulation. */
    static JsonNode read(Path f) { return RunOrchestrator.read(f); }
}
