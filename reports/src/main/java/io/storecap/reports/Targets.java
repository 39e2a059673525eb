package io.storecap.reports;

import io.storecap.model.LevelResult;
import io.storecap.model.Reconciliation;
import io.storecap.model.RequestStats;
import io.storecap.model.Route;
import io.storecap.model.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The seed plan's performance targets, each with the value measured on every reference run (the
 * pooled runs, which is how the plan means to reach 1000 stores; all runs when none was pooled).
 * The goals are the plan's own figures; every measured value comes from the runs.
 */
public final class Targets {
    private Targets() {}

    public enum Status { MET, MISSED, NOT_MEASURED }

    /**
     * @param runId    the run the value comes from
     * @param value    the number compared with the goal; null when not measured
     * @param text     the value as the page shows it
     * @param atStores the store count of the level used (may differ from the one asked for)
     * @param status   MET / MISSED / NOT_MEASURED
     */
    public record Cell(String runId, Double value, String text, Integer atStores, Status status) {}

    /**
     * @param id     stable key (used in summary.json)
     * @param target what the plan says, in its words
     * @param goal   the limit, e.g. "< 200 ms"
     * @param stores the store count the target is about; null when it is about the whole run
     * @param cells  one per reference run
     */
    public record Row(String id, String target, String goal, Integer stores, List<Cell> cells) {}

    /** The runs the targets table is measured on: pooled runs, or all runs when none was pooled. */
    public static List<RunResult> referenceRuns(List<RunResult> runs) {
        List<RunResult> pooled = runs.stream().filter(r -> r.config().route() == Route.POOLED).toList();
        return pooled.isEmpty() ? runs : pooled;
    }

    public static List<Row> compute(List<RunResult> allRuns, ReportContext ctx) {
        List<RunResult> runs = referenceRuns(allRuns);
        int now = ctx.currentStores(), plan = ctx.planningStores();
        List<Row> rows = new ArrayList<>();
        rows.add(latencyRow("response-now", "Response time now (p95, all requests)", "< 100 ms", 100, now, runs,
                l -> true, RequestStats::p95Ms));
        rows.add(latencyRow("response-at-plan", "Response time at " + Fmt.num((double) plan) + " stores (p95)",
                "< 200 ms", 200, plan, runs, l -> true, RequestStats::p95Ms));
        rows.add(latencyRow("p95-alert", "p95 alert level at " + Fmt.num((double) plan) + " stores", "< 500 ms",
                500, plan, runs, l -> true, RequestStats::p95Ms));
        rows.add(errorRow(plan, runs));
        rows.add(connectionsRow(plan, runs));
        rows.add(latencyRow("webhook-processing", "Webhook processing (p99 of the webhook requests)", "< 5 s",
                5000, plan, runs, k -> k.contains("webhook"), RequestStats::p99Ms));
        rows.add(webhookDelayRow(plan, runs));
        rows.add(latencyRow("dashboard-load", "Dashboard load (p95)", "< 2 s", 2000, plan, runs,
                k -> k.contains("dashboard"), RequestStats::p95Ms));
        rows.add(webhookRateRow(plan, runs));
        rows.add(reconciliationRow(runs));
        return rows;
    }

    /** The level whose store count is nearest to {@code stores} (the lower one on a tie); null for no levels. */
    public static LevelResult nearest(RunResult run, int stores) {
        LevelResult best = null;
        for (LevelResult l : run.levels()) {
            if (best == null || Math.abs(l.stores() - stores) < Math.abs(best.stores() - stores)) best = l;
        }
        return best;
    }

    private interface Metric { double of(RequestStats s); }

    private static Row latencyRow(String id, String target, String goal, double limitMs, int stores,
                                  List<RunResult> runs, Predicate<String> kind, Metric metric) {
        boolean whole = id.startsWith("response") || id.startsWith("p95");
        List<Cell> cells = new ArrayList<>();
        for (RunResult r : runs) {
            LevelResult l = nearest(r, stores);
            Double v = null;
            if (l != null) {
                if (whole) v = l.requests().count() > 0 ? metric.of(l.requests()) : null;
                else {
                    for (Map.Entry<String, RequestStats> e : l.byKind().entrySet()) {
                        if (e.getValue().count() > 0 && kind.test(e.getKey().toLowerCase(Locale.ROOT))) {
                            double x = metric.of(e.getValue());
                            v = v == null ? x : Math.max(v, x);
                        }
                    }
                }
            }
            cells.add(v == null ? notMeasured(r, l)
                    : new Cell(r.runId(), v, Fmt.ms(v), l.stores(), v < limitMs ? Status.MET : Status.MISSED));
        }
        return new Row(id, target, goal, stores, cells);
    }

    private static Row errorRow(int stores, List<RunResult> runs) {
        List<Cell> cells = new ArrayList<>();
        for (RunResult r : runs) {
            LevelResult l = nearest(r, stores);
            if (l == null || l.requests().count() == 0) { cells.add(notMeasured(r, l)); continue; }
            double e = l.requests().errorRate();
            cells.add(new Cell(r.runId(), e, Fmt.pct(e), l.stores(), e < 0.01 ? Status.MET : Status.MISSED));
        }
        return new Row("error-rate", "Error rate at " + Fmt.num((double) stores) + " stores", "< 1 %", stores, cells);
    }

    private static Row connectionsRow(int stores, List<RunResult> runs) {
        List<Cell> cells = new ArrayList<>();
        for (RunResult r : runs) {
            LevelResult l = nearest(r, stores);
            if (l == null || l.serverConnections().samples() == 0) { cells.add(notMeasured(r, l)); continue; }
            double peak = l.serverConnections().max();
            int usable = r.config().tier().usableConnections();
            cells.add(new Cell(r.runId(), peak, Fmt.num((double) Math.round(peak)) + " of " + usable + " usable", l.stores(),
                    peak <= usable ? Status.MET : Status.MISSED));
        }
        return new Row("connections", "Postgres connections at " + Fmt.num((double) stores) + " stores (peak)",
                "within the tier's usable connections", stores, cells);
    }

    /** Queued webhooks: p99 of acknowledgement-to-processing delay at the planning level (null: processed at once). */
    private static Row webhookDelayRow(int stores, List<RunResult> runs) {
        List<Cell> cells = new ArrayList<>();
        for (RunResult r : runs) {
            LevelResult l = nearest(r, stores);
            if (l == null || l.webhookDelayP99Ms() == null) {
                cells.add(new Cell(r.runId(), null, "not queued", l == null ? null : l.stores(), Status.NOT_MEASURED));
                continue;
            }
            double v = l.webhookDelayP99Ms();
            cells.add(new Cell(r.runId(), v, Fmt.ms(v), l.stores(), v < 5000 ? Status.MET : Status.MISSED));
        }
        return new Row("webhook-delay", "Queued webhook delay at " + Fmt.num((double) stores) + " stores (p99, acknowledged to processed)",
                "< 5 s", stores, cells);
    }

    private static Row webhookRateRow(int stores, List<RunResult> runs) {
        List<Cell> cells = new ArrayList<>();
        for (RunResult r : runs) {
            LevelResult l = nearest(r, stores);
            double seconds = l == null ? 0 : (l.endEpochMs() - l.startEpochMs()) / 1000.0;
            long count = l == null ? 0 : l.byKind().entrySet().stream()
                    .filter(e -> e.getKey().toLowerCase(Locale.ROOT).contains("webhook"))
                    .mapToLong(e -> e.getValue().count()).sum();
            if (seconds <= 0 || count == 0) { cells.add(notMeasured(r, l)); continue; }
            double perHour = count / seconds * 3600;
            cells.add(new Cell(r.runId(), perHour, Fmt.num((double) Math.round(perHour)) + " / hour", l.stores(),
                    perHour >= 10_000 ? Status.MET : Status.MISSED));
        }
        return new Row("webhook-rate", "Webhooks handled at " + Fmt.num((double) stores) + " stores (peak)",
                "≥ 10,000 / hour", stores, cells);
    }

    private static Row reconciliationRow(List<RunResult> runs) {
        List<Cell> cells = new ArrayList<>();
        for (RunResult r : runs) {
            Reconciliation rec = r.reconciliation();
            if (rec.sent() == 0) { cells.add(new Cell(r.runId(), null, "not measured", null, Status.NOT_MEASURED)); continue; }
            boolean ok = rec.lost() == 0 && rec.duplicated() == 0;
            cells.add(new Cell(r.runId(), (double) rec.lost(), Fmt.num((double) rec.lost()) + " lost, "
                    + Fmt.num((double) rec.duplicated()) + " duplicated of " + Fmt.num((double) rec.acknowledged())
                    + " acknowledged", null, ok ? Status.MET : Status.MISSED));
        }
        return new Row("webhook-reconciliation", "No webhook lost or counted twice (whole run)", "0 lost, 0 duplicated",
                null, cells);
    }

    private static Cell notMeasured(RunResult r, LevelResult l) {
        return new Cell(r.runId(), null, "not measured", l == null ? null : l.stores(), Status.NOT_MEASURED);
    }
}
