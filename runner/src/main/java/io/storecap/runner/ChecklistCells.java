package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.environment.ProcessCpu;
import io.storecap.environment.Sample;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.ModelSettings;
import io.storecap.model.Reconciliation;
import io.storecap.model.Route;
import io.storecap.model.TrafficProfile;
import io.storecap.model.checklist.ChecklistPlan;
import io.storecap.model.verdict.LevelJudge;
import io.storecap.simulations.LevelPlan;
import io.storecap.simulations.Scenario;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cells of the checklist and how one runs: a probe (settle part ramping from 0, then the measured
 * part) at the level's time scale, watched by a {@link CellWatch}, then read into a
 * {@link ChecklistCell}. Kinds of cell:
 * <ul>
 * <li>ladder: the profile's traffic at one of the options' store counts, sized like a search level
 * (at least 1.25 x 299 requests), stopped early once it clearly failed;</li>
 * <li>now: the plan's "now" store count, measured {@code nowSeconds};</li>
 * <li>dashboard: the profile's traffic with the dashboard polled often enough for
 * {@code dashboardLoads} loads in the measured part (its rate raised from the profile's once a
 * minute: a p95 needs at least 59 loads), measured {@code dashboardSeconds};</li>
 * <li>peak: every per-store rate times the profile's BFCM multiplier; burst: the profile's traffic
 * plus a bulk product edit from the biggest store mid-level; both measured {@code webhookSeconds}.</li>
 * </ul>
 */
final class ChecklistCells {
    enum Kind {
        LADDER, NOW, DASHBOARD, PEAK, BURST;

        String id() { return name().toLowerCase(Locale.ROOT); }
    }

    record Cell(Kind kind, int stores) {
        String key() { return kind.id() + "@" + stores; }
    }

    private final PrintStream out;
    private final SearchSettings search;
    private final TrafficProfile profile;
    private final Path profileFile;
    private final ChecklistPlan.Cells sizes;
    private final long seed;

    ChecklistCells(PrintStream out, SearchSettings search, TrafficProfile profile, Path profileFile, ChecklistPlan.Cells sizes, long seed) {
        this.out = out;
        this.search = search;
        this.profile = profile;
        this.profileFile = profileFile;
        this.sizes = sizes;
        this.seed = seed;
    }

    /** The cells a step of this kind needs on both of its sides. */
    static List<Cell> cellsFor(ChecklistPlan.Kind kind, ChecklistPlan.Cells s) {
        return switch (kind) {
            case OPTION -> s.ladder().stream().map(x -> new Cell(Kind.LADDER, x)).toList();
            case INDEXES -> List.of(new Cell(Kind.LADDER, s.planStores()));
            case DASHBOARD -> s.dashboardStores().stream().map(x -> new Cell(Kind.DASHBOARD, x)).toList();
            case WEBHOOKS -> List.of(new Cell(Kind.PEAK, s.webhookStores()), new Cell(Kind.BURST, s.webhookStores()));
        };
    }

    /** Wall seconds the configurations' cells take, roughly: their emulated seconds, 4 s of overhead a cell, 15 s an environment. */
    double estimateSeconds(List<Checklist.Config> configs) {
        double s = 0;
        for (Checklist.Config c : configs) {
            s += 15;
            for (Cell cell : c.cells()) s += 4 + plan(cell, c.run().coldStartMs(), 0).stream().mapToDouble(LevelPlan::seconds).sum();
        }
        return s;
    }

    /** The traffic a cell sends (the dashboard's rate raised, the peak multiplied). */
    TrafficProfile profileOf(Cell cell) {
        return switch (cell.kind()) {
            case PEAK -> Scenario.PEAK.profile(profile, System.getProperties());
            case DASHBOARD -> withDashboardRate(profile, dashboardPerHour(cell, profile));
            default -> profile;
        };
    }

    /** Dashboard loads an hour that put {@code dashboardLoads} into the measured part at the cell's time scale. */
    double dashboardPerHour(Cell cell, TrafficProfile p) {
        double k = new LevelPlanner(search, p, 0).timeScale(cell.stores());
        return sizes.dashboardLoads() / (sizes.dashboardSeconds() / k) * 3600;
    }

    static TrafficProfile withDashboardRate(TrafficProfile p, double perHour) {
        Map<String, TrafficProfile.Rate> g = new LinkedHashMap<>(p.globalPerHour());
        TrafficProfile.Rate old = g.get("dashboard");
        g.put("dashboard", new TrafficProfile.Rate(perHour, perHour, (old == null ? "" : old.reason())
                + " Raised in the checklist's dashboard cells so a cell has enough loads for a p95."));
        return new TrafficProfile(p.name(), p.phase(), p.perStorePerHour(), g, p.webhookTopics(), p.shopify(), p.storeSizes(), p.bursts(),
                p.bfcmMultiplier());
    }

    /** The settle part and the measured part of a cell. */
    List<LevelPlan> plan(Cell cell, double coldStartMs, long cellSeed) {
        TrafficProfile p = profileOf(cell);
        LevelPlanner planner = new LevelPlanner(search, p, coldStartMs);
        if (cell.kind() == Kind.LADDER) return planner.plan(cell.stores(), "ladder", cellSeed, true);
        double k = planner.timeScale(cell.stores());
        double measured = switch (cell.kind()) {
            case NOW -> sizes.nowSeconds();
            case DASHBOARD -> sizes.dashboardSeconds();
            default -> sizes.webhookSeconds();
        };
        double settle = Math.max(2, 4 * coldStartMs / 1000 * k);
        return List.of(new LevelPlan(cell.stores(), settle, k, cellSeed, "settle"), new LevelPlan(cell.stores(), measured, k, cellSeed + 1, cell.kind().id()));
    }

    /**
     * The arrivals' seed of a cell: the run's seed and the cell's kind and store count, never its place
     * in the run, so every configuration's cell of one kind and size replays the same arrivals (common
     * random numbers: a difference is the step's or the environment's, not the traffic's), and the A/A
     * repeats replay them too, so they measure what a fresh environment alone adds.
     */
    static long cellSeed(long seed, Cell cell) { return seed * 100_000 + 10L * Math.floorMod(cell.key().hashCode(), 10_000); }

    ChecklistCell run(RunHarness h, Checklist.Config c, Cell cell, Path dir) {
        List<LevelPlan> levels = plan(cell, c.run().coldStartMs(), cellSeed(seed, cell));
        Path cellProfile = profileFile;
        if (cell.kind() == Kind.DASHBOARD) cellProfile = writeProfile(dir, dashboardPerHour(cell, profile));
        ProcessCpu cpu = CellWatch.postgresCpu(h);
        CellWatch watch = new CellWatch(h, cpu, cell.kind() == Kind.LADDER, c.run().tier().usableConnections(), c.run().route() == Route.DIRECT);
        String scenario = cell.kind() == Kind.PEAK ? "peak" : cell.kind() == Kind.BURST ? "burst" : "stair";
        System.setProperty("storecap.histograms", "true");
        System.setProperty("storecap.scenario", scenario);
        Probe.Result r;
        // the dashboard lists every store in the database: a dashboard cell at N stores has N of them
        if (cell.kind() == Kind.DASHBOARD) installedStores(h, cell.stores());
        try {
            r = Probe.run(SearchTarget.local(h), c.run(), levels, cellProfile, dir, c.run().idleTtlSeconds(), 1, watch::thread);
        } finally {
            System.clearProperty("storecap.histograms");
            System.clearProperty("storecap.scenario");
            if (cell.kind() == Kind.DASHBOARD) installedStores(h, Integer.MAX_VALUE);
        }
        watch.tick();
        LevelResult l = r.level();
        double k = l.timeScale();
        LevelJudge.Judgement j = LevelJudge.judge(l, c.run().tier(), c.run().route(), ModelSettings.defaults());
        Boolean holds = j.outcome() == LevelJudge.Outcome.HOLDS ? Boolean.TRUE : j.outcome() == LevelJudge.Outcome.FAILS ? Boolean.FALSE : null;
        Map<String, long[][]> hist = histograms(dir, k);
        List<Sample> window = RunOrchestrator.window(h.sampler().samples(), l.startEpochMs(), l.endEpochMs());
        double[] conns = window.stream().mapToDouble(Sample::appBackends).toArray();
        double[][] slices = watch.slices(l.startEpochMs(), l.endEpochMs());
        double[] dash = cell.kind() == Kind.DASHBOARD ? watch.dashboardLoads(l.startEpochMs()) : new double[0];
        long[] delays = new long[0];
        Reconciliation rec = Reconciliation.NONE;
        if (cell.kind() == Kind.PEAK || cell.kind() == Kind.BURST) {
            if (h.queuedWebhooks()) h.webhooks().awaitWebhooksProcessed(r.ledger().prefix(), 60_000);
            delays = delays(h, r.ledger().prefix(), l.startEpochMs(), l.endEpochMs(), k);
            rec = h.webhooks().reconcile(r.ledger());
        }
        double seconds = (l.endEpochMs() - l.startEpochMs()) / 1000.0 / k;
        out.printf(Locale.ROOT, "    %-14s k %5.2f  %6d req  p95 %6.0f ms  conns max %4.0f  %s%s%n", cell.key(), k, l.requests().count(),
                l.requests().p95Ms(), l.serverConnections().max(), j.outcome(),
                cell.kind() == Kind.DASHBOARD ? "  (" + dash.length + " dashboard loads)" : delays.length > 0 ? "  (" + delays.length + " webhooks)" : "");
        return new ChecklistCell(c.id(), cell.kind().id(), cell.stores(), l, holds, j.why(), hist, conns, slices[0], slices[1], dash, delays,
                rec.acknowledged(), rec.lost(), rec.duplicated(), seconds);
    }

    /** The measured level's histograms from levels.json, each value divided by k (production ms). */
    static Map<String, long[][]> histograms(Path dir, double k) {
        JsonNode level = RunOrchestrator.read(dir.resolve("levels.json")).path("levels").path(1);
        Map<String, long[][]> out = new LinkedHashMap<>();
        level.path("histograms").fields().forEachRemaining(e -> {
            List<long[]> pairs = new ArrayList<>();
            for (JsonNode p : e.getValue()) pairs.add(new long[]{Math.round(p.get(0).asLong() / k), p.get(1).asLong()});
            out.put(e.getKey(), pairs.toArray(long[][]::new));
        });
        return out;
    }

    /** Each webhook's acknowledgement-to-processed delay, for the webhooks received in [from, to), production ms. */
    static long[] delays(RunHarness h, String prefix, long from, long to, double k) {
        try (Connection c = h.environmentHandle().adminConnection(); PreparedStatement p = c.prepareStatement("""
                SELECT extract(epoch FROM ("processedAt" - "receivedAt")) * 1000 FROM "WebhookEvent"
                WHERE id LIKE ? AND "processedAt" IS NOT NULL
                  AND "receivedAt" >= to_timestamp(? / 1000.0) AND "receivedAt" < to_timestamp(? / 1000.0)""")) {
            p.setString(1, prefix + "-%");
            p.setLong(2, from);
            p.setLong(3, to);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(Math.max(0, Math.round(rs.getDouble(1) / k)));
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the webhooks' delays: " + e.getMessage(), e);
        }
    }

    /**
     * Makes stores 1..n the installed ones (Settings rows, which the dashboard lists), setting the
     * others' rows aside in "SettingsHidden"; n = MAX_VALUE puts them back. The traffic of a level at
     * n stores touches stores 1..n only, so nothing else notices.
     */
    static void installedStores(RunHarness h, int n) {
        try (Connection c = h.environmentHandle().adminConnection(); var st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS \"SettingsHidden\" (LIKE \"Settings\" INCLUDING ALL)");
            st.execute("WITH back AS (DELETE FROM \"SettingsHidden\" RETURNING *) INSERT INTO \"Settings\" SELECT * FROM back ON CONFLICT DO NOTHING");
            if (n == Integer.MAX_VALUE) return;
            try (PreparedStatement p = c.prepareStatement("WITH aside AS (DELETE FROM \"Settings\" WHERE shop LIKE 'store-%' AND shop > ?"
                    + " RETURNING *) INSERT INTO \"SettingsHidden\" SELECT * FROM aside")) {
                p.setString(1, io.storecap.service.Stores.domain(n));
                p.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the installed stores to " + n + ": " + e.getMessage(), e);
        }
    }

    /** The profile file with the dashboard's rate raised, for a dashboard cell's simulation. */
    private Path writeProfile(Path dir, double perHour) {
        try {
            Files.createDirectories(dir);
            ObjectNode root = (ObjectNode) Json.YAML.readTree(Files.readString(profileFile));
            ObjectNode d = (ObjectNode) root.with("globalPerHour").with("dashboard");
            d.put("baseline", perHour);
            d.put("peak", perHour);
            d.put("reason", d.path("reason").asText("") + " Raised to " + Math.round(perHour)
                    + " an hour in this checklist cell, so its measured part holds enough loads for a p95.");
            Path f = dir.resolve("profile.yaml");
            Json.YAML.writeValue(f.toFile(), root);
            return f;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the dashboard cell's profile in " + dir + ": " + e.getMessage(), e);
        }
    }
}
