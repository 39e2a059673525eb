package io.storecap.runner;

import io.storecap.model.Tier;
import io.storecap.model.checklist.Alerts;
import io.storecap.model.checklist.ChecklistPlan;
import io.storecap.model.checklist.ChecklistResult;
import io.storecap.model.checklist.ChecklistStep;
import io.storecap.model.checklist.Compare;
import io.storecap.model.checklist.Comparison;
import io.storecap.model.checklist.Distribution;
import io.storecap.model.checklist.Drift;
import io.storecap.model.checklist.Estimate;
import io.storecap.model.checklist.Metric;
import io.storecap.model.checklist.Ranking;
import io.storecap.model.checklist.Reading;
import io.storecap.model.checklist.TargetCheck;
import org.apache.commons.math3.distribution.GammaDistribution;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The checklist's cells turned into comparisons (model.checklist does the arithmetic): per step and
 * condition its main metric and the others off and on, the options' ladders read as alerts and
 * capacity, the ranking, and the seed's targets at the store counts they name. Pure: cells in,
 * {@link ChecklistResult} out, so it can be recomputed from checklist/cells.json.
 */
final class ChecklistAnalysis {
    private ChecklistAnalysis() {}

    /** What the analysis needs of a configuration. */
    record ConfigInfo(String id, String words, double monthlyCostUsd) {
        static ConfigInfo of(Checklist.Config c) { return new ConfigInfo(c.id(), c.words(), c.monthlyCostUsd()); }
    }

    static ChecklistResult build(ChecklistPlan plan, List<ConfigInfo> configs, List<ChecklistCell> cells, ChecklistPlan.Cells sizes,
                                 Tier tier, long seed, List<String> extraNotes) {
        Cells in = new Cells(plan, configs, cells);
        List<ChecklistStep> steps = new ArrayList<>();
        List<Ranking.StepValue> values = new ArrayList<>();
        long s = seed;
        // the A/A check first: what two environments of the base differ by is allowed for in every effect
        int p = sizes.planStores();
        List<Comparison> aaLadder = new ArrayList<>(), aaDash = new ArrayList<>();
        for (String r : REPEATS) {
            ChecklistCell aaL = in.cell("base", "ladder", p), bbL = in.cell(r, "ladder", p);
            if (aaL != null && bbL != null) {
                List<Comparison> aa = List.of(Compare.quantile(Metric.P95_MS, dist(aaL, "all"), dist(bbL, "all"), 0.95), errors(aaL, bbL),
                        Compare.seriesMean(Metric.MEAN_CONNECTIONS, aaL.connections(), bbL.connections(), ++s),
                        Compare.ratio(Metric.CPU_MS_PER_REQUEST, aaL.cpuMs(), aaL.cpuRequests(), bbL.cpuMs(), bbL.cpuRequests(), ++s));
                steps.add(new ChecklistStep(r + "@" + p, REPEAT, AA_TITLE, stores(p) + ", profile traffic", p, in.words("base"),
                        in.words(r), aa.get(0), aa.subList(1, aa.size())));
                aaLadder.addAll(aa);
            }
            ChecklistCell aaD = in.cell("base", "dashboard", p), bbD = in.cell(r, "dashboard", p);
            if (aaD != null && bbD != null) {
                List<Comparison> aa = List.of(Compare.quantile(Metric.P95_MS, dist(aaD, "dashboard"), dist(bbD, "dashboard"), 0.95),
                        Compare.mean(Metric.CONNECTIONS_PER_LOAD, aaD.dashboardHeld(), bbD.dashboardHeld(), ++s),
                        errors(aaD.level().byKind().get("dashboard"), bbD.level().byKind().get("dashboard")));
                steps.add(new ChecklistStep(r + "-dashboard@" + p, REPEAT, AA_TITLE, stores(p) + ", dashboard polled "
                        + sizes.dashboardLoads() + " times in the measured part", p, in.words("base"), in.words(r), aa.get(0), aa.subList(1, aa.size())));
                aaDash.addAll(aa);
            }
        }
        Drift ladderDrift = Drift.of(aaLadder).alias(Metric.P95_MS, Metric.ACK_P99_MS, Metric.DELAY_P99_MS), dashDrift = Drift.of(aaDash);
        int aaRows = steps.size();
        for (ChecklistPlan.Step step : plan.steps()) {
            String off = in.configOf(step.off()), on = in.configOf(step.on());
            String offWords = in.words(off), onWords = in.words(on);
            switch (step.kind()) {
                case OPTION -> {
                    ChecklistCell a = in.cell(off, "ladder", p), b = in.cell(on, "ladder", p);
                    Comparison p95 = null;
                    if (a != null && b != null) {
                        p95 = ladderDrift.apply(Compare.quantile(Metric.P95_MS, dist(a, "all"), dist(b, "all"), 0.95));
                        steps.add(option(step, p + "", stores(p) + ", profile traffic", p, offWords, onWords, a, b, p95, ladderDrift, ++s));
                    }
                    // and at the highest level both held, where the connections a step saves show most
                    Integer both = in.readings(off).stream().filter(x -> Boolean.TRUE.equals(x.holds()) && x.stores() > p)
                            .map(Reading::stores).filter(x -> in.readings(on).stream().anyMatch(y -> y.stores() == x && Boolean.TRUE.equals(y.holds())))
                            .max(Integer::compare).orElse(null);
                    ChecklistCell a2 = both == null ? null : in.cell(off, "ladder", both), b2 = both == null ? null : in.cell(on, "ladder", both);
                    if (a2 != null && b2 != null)
                        steps.add(option(step, both + "", stores(both) + ", profile traffic (the highest level both held)", both, offWords, onWords,
                                a2, b2, ladderDrift.apply(Compare.quantile(Metric.P95_MS, dist(a2, "all"), dist(b2, "all"), 0.95)), ladderDrift, ++s));
                    Alerts.Capacity ca = Alerts.capacity(in.readings(off)), cb = Alerts.capacity(in.readings(on));
                    Comparison cap = capacity(ca, cb, in.readings(off).size(), in.readings(on).size());
                    int top = sizes.ladder().get(sizes.ladder().size() - 1);
                    steps.add(new ChecklistStep(step.id() + "-capacity", step.id(), step.words(), "ladder " + sizes.ladder() + " stores", top,
                            offWords, onWords, cap, List.of()));
                    values.add(new Ranking.StepValue(step.id(), step.words(), ca.held() != null && cb.held() != null ? (double) cb.held() - ca.held() : null,
                            cb.failed() == null, p95 == null ? null : -p95.effect().value(), step.hours(), step.monthlyCostUsd(),
                            cap.effect(), p95 == null ? null : p95.effect()));
                }
                case INDEXES -> {
                    ChecklistCell a = in.cell(off, "ladder", p), b = in.cell(on, "ladder", p);
                    if (a == null || b == null) break;
                    Comparison main = ladderDrift.apply(Compare.quantile(Metric.P95_MS, dist(a, "all"), dist(b, "all"), 0.95));
                    steps.add(new ChecklistStep(step.id() + "@" + p, step.id(), step.words(), stores(p) + ", profile traffic", p, offWords, onWords, main,
                            List.of(ladderDrift.apply(Compare.ratio(Metric.CPU_MS_PER_REQUEST, a.cpuMs(), a.cpuRequests(), b.cpuMs(), b.cpuRequests(), ++s)),
                                    ladderDrift.apply(errors(a, b)))));
                    values.add(value(step, main));
                }
                case DASHBOARD -> {
                    Comparison atPlan = null;
                    for (int st : sizes.dashboardStores()) {
                        ChecklistCell a = in.cell(off, "dashboard", st), b = in.cell(on, "dashboard", st);
                        if (a == null || b == null) continue;
                        Comparison main = dashDrift.apply(Compare.quantile(Metric.P95_MS, dist(a, "dashboard"), dist(b, "dashboard"), 0.95));
                        steps.add(new ChecklistStep(step.id() + "@" + st, step.id(), step.words(), stores(st) + ", dashboard polled "
                                + sizes.dashboardLoads() + " times in the measured part", st, offWords, onWords, main,
                                List.of(dashDrift.apply(Compare.mean(Metric.CONNECTIONS_PER_LOAD, a.dashboardHeld(), b.dashboardHeld(), ++s)),
                                        dashDrift.apply(errors(a.level().byKind().get("dashboard"), b.level().byKind().get("dashboard"))))));
                        if (atPlan == null || st == sizes.planStores()) atPlan = main;
                    }
                    if (atPlan != null) values.add(value(step, atPlan));
                }
                case WEBHOOKS -> {
                    Comparison atPeak = null;
                    for (String kind : List.of("peak", "burst")) {
                        int st = sizes.webhookStores();
                        ChecklistCell a = in.cell(off, kind, st), b = in.cell(on, kind, st);
                        if (a == null || b == null) continue;
                        Comparison main = ladderDrift.apply(Compare.quantile(Metric.ACK_P99_MS, dist(a, "webhook"), dist(b, "webhook"), 0.99));
                        steps.add(new ChecklistStep(step.id() + "@" + kind, step.id(), step.words(), stores(st) + (kind.equals("peak")
                                ? ", BFCM peak (every rate x the profile's multiplier)" : ", with a bulk edit of the biggest store mid-level"), st,
                                offWords, onWords, main, List.of(
                                ladderDrift.apply(Compare.quantile(Metric.DELAY_P99_MS, Distribution.ofValues(a.webhookDelaysMs()),
                                        Distribution.ofValues(b.webhookDelaysMs()), 0.99)),
                                ladderDrift.apply(Compare.seriesMean(Metric.MEAN_CONNECTIONS, a.connections(), b.connections(), ++s)),
                                connections(a, b),
                                Compare.exact(Metric.LOST, a.webhooksLost(), a.webhooksAcknowledged(), b.webhooksLost(), b.webhooksAcknowledged()))));
                        if (atPeak == null) atPeak = main;
                    }
                    if (atPeak != null) values.add(value(step, atPeak));
                }
            }
        }
        List<ChecklistResult.ConfigAlerts> alerts = new ArrayList<>();
        for (ConfigInfo c : configs) {
            if (REPEATS.contains(c.id())) continue;
            List<Reading> r = in.readings(c.id());
            if (r.size() >= 2) alerts.add(ChecklistResult.ConfigAlerts.of(c.id(), c.words(), c.monthlyCostUsd(), r));
        }
        List<String> notes = new ArrayList<>(notes(cells, sizes, tier));
        notes.add(aaNote(steps.subList(0, aaRows)));
        notes.addAll(extraNotes);
        return new ChecklistResult(steps, alerts, Ranking.rank(values), targets(plan, in, sizes), notes);
    }

    /** The A/A check's step id, and its configurations: the base again in a fresh environment, mid-run and last. */
    static final String REPEAT = ChecklistStep.AA_CHECK;
    static final List<String> REPEATS = List.of("repeat-1", "repeat-2");
    static final String AA_TITLE = "A/A check: the base again, in a fresh environment (nothing changed: every effect here should be"
            + " negligible)";

    /** An option at one store count: mean connections (what it is for), the peak the alert reads, p95 and errors. */
    private static ChecklistStep option(ChecklistPlan.Step step, String at, String condition, int stores, String offWords, String onWords,
                                        ChecklistCell a, ChecklistCell b, Comparison p95, Drift drift, long seed) {
        return new ChecklistStep(step.id() + "@" + at, step.id(), step.words(), condition, stores, offWords, onWords,
                drift.apply(Compare.seriesMean(Metric.MEAN_CONNECTIONS, a.connections(), b.connections(), seed)),
                List.of(connections(a, b), p95, drift.apply(errors(a, b))));
    }

    /** What the A/A replicates showed and what was done with it. */
    static String aaNote(List<ChecklistStep> aa) {
        if (aa.isEmpty()) return "No A/A check ran (the repeats' cells are missing): effects' intervals cover sampling within a cell only,"
                + " not what differs between two environments of one configuration.";
        StringBuilder b = new StringBuilder("A/A check: the base measured again in " + aa.stream().map(ChecklistStep::onLabel).distinct().count()
                + " fresh environments (mid-run and last). ");
        List<String> parts = new ArrayList<>();
        boolean allNegligible = true;
        for (ChecklistStep s : aa) for (Comparison c : s.comparisons()) {
            parts.add(String.format(Locale.ROOT, "%s%s %s -> %s (%s)", c.metric().words, s.id().contains("dashboard") ? " (dashboard)" : "",
                    num(c.off().value()), num(c.on().value()), c.effect().size().id()));
            allNegligible &= c.effect().negligible() || c.effect().size() == io.storecap.model.checklist.Effect.Size.UNCLEAR;
        }
        b.append(String.join("; ", parts)).append(". ");
        b.append(allNegligible ? "No A/A effect is shown beyond its band. " : "Some A/A effects are shown beyond their band: environments of one"
                + " configuration differ by more than a cell's interval says, and that much of any step's effect is not the step's. ");
        b.append("Every step's effect interval is widened on each side by the replicates' range (relative to their mean for latencies,"
                + " connections and CPU; absolute for error rates; webhook p99s borrow the p95's). The range of three environments is an"
                + " observed spread, not a bound on it: an effect just beyond it is weaker evidence than its interval alone suggests.");
        return b.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static Ranking.StepValue value(ChecklistPlan.Step step, Comparison main) {
        return new Ranking.StepValue(step.id(), step.words(), null, false, -main.effect().value(), step.hours(), step.monthlyCostUsd(),
                main.effect());
    }

    /** The peak of the app's Postgres connections over each measured level. */
    private static Comparison connections(ChecklistCell a, ChecklistCell b) {
        return Compare.count(Metric.CONNECTIONS, peak(a), peak(b));
    }

    static long peak(ChecklistCell c) { return Math.round(c.level().serverConnections().max()); }

    private static Comparison errors(ChecklistCell a, ChecklistCell b) { return errors(a.level().requests(), b.level().requests()); }

    /** The error rates of two sets of requests (a missing set counts as none). */
    private static Comparison errors(io.storecap.model.RequestStats a, io.storecap.model.RequestStats b) {
        var x = a == null ? io.storecap.model.RequestStats.EMPTY : a;
        var y = b == null ? io.storecap.model.RequestStats.EMPTY : b;
        return Compare.proportion(Metric.ERROR_RATE, x.ko(), x.count(), y.ko(), y.count());
    }

    /**
     * Capacity off and on as the ladder brackets it: [highest held, lowest failed) each side; the
     * effect's bracket is [on.held - off.failed + 1, on.failed - off.held] (open where a side never failed).
     */
    static Comparison capacity(Alerts.Capacity off, Alerts.Capacity on, int levelsOff, int levelsOn) {
        Estimate a = bracket(off, levelsOff), b = bracket(on, levelsOn);
        // capacities are whole stores below the level that failed: off's is at most off.failed - 1
        Double lo = on.held() == null || off.failed() == null ? null : (double) on.held() - off.failed() + 1;
        Double hi = on.failed() == null || off.held() == null ? null : (double) on.failed() - off.held();
        return new Comparison(Metric.CAPACITY_STORES, a, b, io.storecap.model.checklist.Effect.of(b.value() - a.value(), lo, hi,
                Metric.CAPACITY_STORES.band(a.value()), false));
    }

    private static Estimate bracket(Alerts.Capacity c, int levels) {
        double v = c.held() == null ? 0 : c.held();
        return new Estimate(v, v, c.failed() == null ? null : (double) c.failed(), levels);
    }

    static Distribution dist(ChecklistCell c, String kind) {
        long[][] pairs = c.histograms().get(kind);
        return pairs == null ? Distribution.ofValues() : Distribution.ofPairs(pairs);
    }

    private static String stores(int n) { return String.format(Locale.ROOT, "%,d stores", n); }

    /** The seed's targets, each at the store count it names, on the configuration the plan means it for. */
    static List<TargetCheck> targets(ChecklistPlan plan, Cells in, ChecklistPlan.Cells sizes) {
        String pooled = plan.steps().stream().filter(s -> "pooled".equals(s.on().route())).map(s -> in.configOf(s.on())).findFirst().orElse("base");
        String cached = plan.steps().stream().filter(s -> "on".equals(s.on().values().get("dashboard-cache"))).map(s -> in.configOf(s.on()))
                .findFirst().orElse(null);
        int p = sizes.planStores(), now = sizes.nowStores(), dashNow = sizes.dashboardStores().stream().min(Integer::compare).orElse(p);
        List<TargetCheck> t = new ArrayList<>();
        ChecklistCell peak = in.cell("base", "peak", sizes.webhookStores());
        ChecklistCell nowCell = in.cell(pooled, "now", now), planCell = in.cell(pooled, "ladder", p);
        t.add(TargetCheck.below("response-now", "Response time now (p95, all requests)", "< 100 ms", now, 100, p95(nowCell, "all"),
                requests(nowCell) + " on " + in.words(pooled)));
        t.add(TargetCheck.below("response-at-plan", "Response time at " + stores(p) + " (p95)", "< 200 ms", p, 200, p95(planCell, "all"),
                requests(planCell) + " on " + in.words(pooled)));
        t.add(TargetCheck.below("p95-alert", "p95 alert level at " + stores(p), "< 500 ms", p, 500, p95(planCell, "all"), requests(planCell)));
        t.add(TargetCheck.below("error-rate", "Error rate at " + stores(p), "< 1 %", p, 0.01, planCell == null ? null
                : Compare.proportionEstimate(planCell.level().requests().ko(), planCell.level().requests().count(), 0.95), requests(planCell)));
        Estimate conns = planCell == null ? null : Compare.countEstimate(peak(planCell), 0.95);
        t.add(TargetCheck.within("connections-with-pooling", "Postgres connections with pooling at " + stores(p) + " (peak)",
                "50-100 (the plan's estimate)", p, 50, 100, conns,
                planCell == null ? "not measured" : "the peak of " + planCell.connections().length + " samples at 10 Hz on " + in.words(pooled)
                        + "; its interval is a Poisson count's" + (conns.high() < 50 ? "; fewer than the plan expected" : "")));
        ChecklistCell dn = in.cell("base", "dashboard", dashNow);
        t.add(TargetCheck.below("dashboard-now", "Dashboard load now (p95, paginated, uncached)", "< 1 s", dashNow, 1000, p95(dn, "dashboard"),
                loads(dn) + "; 'now' is read at " + stores(dashNow) + ": a page of 50 holds as much at 25 stores as at 100"));
        ChecklistCell dc = cached == null ? null : in.cell(cached, "dashboard", p);
        t.add(TargetCheck.below("dashboard-cached", "Dashboard load with caching at " + stores(p) + " (p95)", "< 2 s", p, 2000, p95(dc, "dashboard"), loads(dc)));
        t.add(TargetCheck.below("webhook-processing", "Webhook processing, queued, at BFCM peak (p99, acknowledged to processed)", "< 5 s",
                sizes.webhookStores(), 5000, peak == null || peak.webhookDelaysMs().length == 0 ? null
                        : Compare.quantileEstimate(Distribution.ofValues(peak.webhookDelaysMs()), 0.99, 0.95),
                peak == null ? "not measured" : peak.webhookDelaysMs().length + " webhooks"));
        Estimate rate = peak == null || peak.webhooksLost() > 0 ? null : webhookRate(peak);
        t.add(TargetCheck.atLeast("webhook-rate", "Webhooks handled at " + stores(sizes.webhookStores()) + " (BFCM peak, none lost)",
                "≥ 10,000 / hour", sizes.webhookStores(), 10_000, rate, peak == null ? "not measured"
                        : peak.webhooksLost() > 0 ? peak.webhooksLost() + " lost: not handled"
                        : String.format(Locale.ROOT, "%,d webhooks acknowledged over %.0f production seconds, none lost", peak.webhooksAcknowledged(),
                        peak.seconds())));
        return t;
    }

    private static Estimate p95(ChecklistCell c, String kind) {
        return c == null ? null : Compare.quantileEstimate(dist(c, kind), 0.95, 0.95);
    }

    /** Webhooks acknowledged an hour, with an exact Poisson (Garwood) 95 % interval. */
    static Estimate webhookRate(ChecklistCell c) {
        if (c == null || c.seconds() <= 0) return null;
        long k = c.webhooksAcknowledged();
        if (k == 0) return null;
        double perHour = 3600 / c.seconds();
        double lo = new GammaDistribution(null, k, 1).inverseCumulativeProbability(0.025);
        double hi = new GammaDistribution(null, k + 1, 1).inverseCumulativeProbability(0.975);
        return new Estimate(k * perHour, lo * perHour, hi * perHour, k);
    }

    private static String requests(ChecklistCell c) {
        return c == null ? "not measured" : String.format(Locale.ROOT, "%,d requests", c.level().requests().count());
    }

    private static String loads(ChecklistCell c) {
        var d = c == null ? null : c.level().byKind().get("dashboard");
        return d == null ? "not measured" : String.format(Locale.ROOT, "%,d loads", d.count());
    }

    private static List<String> notes(List<ChecklistCell> cells, ChecklistPlan.Cells sizes, Tier tier) {
        List<String> n = new ArrayList<>();
        n.add("Every cell runs on " + (tier == null ? "the checklist's tier" : tier.name()) + " with the same profile and runtime; the base is study.yaml's service settings, direct.");
        n.add("Dashboard cells poll the dashboard about " + sizes.dashboardLoads() + " times in their measured part instead of the profile's"
                + " once a minute (a p95's two-sided 95 % interval needs at least 72 loads); the rest of the traffic is the profile's.");
        n.add("Common random numbers: every configuration's cell of one kind and store count replays the same arrivals (seeded by the run's"
                + " seed and the cell, not its place in the run), and so do the A/A repeats: a difference is the step's or the environment's,"
                + " not the traffic's, and the repeats measure what a fresh environment alone adds.");
        n.add("Times are production-equivalent: each cell runs at a time scale k (rates / k, emulated durations x k) and its times are divided"
                + " back by k; a latency is resolved to k ms of production time.");
        n.add("Intervals are 95 %: quantiles from order statistics, error rates Clopper-Pearson, each side at sqrt(0.95) inside an effect so"
                + " both hold at once (where a side is too small for that, its smallest or largest value stands in and the effect states its"
                + " exact coverage, never below 94 %); a level's peak connections as a Poisson count (conservative: a peak varies less from run"
                + " to run); mean connections by a circular block bootstrap of the 10 Hz samples (blocks of sqrt(n), so an instance's"
                + " connections are resampled together); means and CPU per request by a seeded bootstrap. Capacity is the ladder's bracket (highest level held, lowest failed),"
                + " not a confidence interval.");
        return n;
    }

    /** The cells by configuration and key, and the configuration each side of a step is. */
    static final class Cells {
        private final Map<String, ConfigInfo> byId = new java.util.LinkedHashMap<>();
        private final Map<String, String> idByKey = new java.util.HashMap<>();
        private final List<ChecklistCell> cells;

        Cells(ChecklistPlan plan, List<ConfigInfo> configs, List<ChecklistCell> cells) {
            configs.forEach(c -> byId.put(c.id(), c));
            idByKey.put("base", "base");
            for (ChecklistPlan.Step s : plan.steps()) {
                idByKey.putIfAbsent(s.off().key(), s.id() + "-off");
                idByKey.putIfAbsent(s.on().key(), s.id() + "-on");
            }
            this.cells = cells;
        }

        String configOf(ChecklistPlan.Side side) { return idByKey.getOrDefault(side.key(), "base"); }

        String words(String id) {
            ConfigInfo c = byId.get(id);
            return c == null ? id : c.words();
        }

        ChecklistCell cell(String config, String kind, int stores) {
            Predicate<ChecklistCell> p = c -> c.config().equals(config) && c.kind().equals(kind) && c.stores() == stores;
            return cells.stream().filter(p).findFirst().orElse(null);
        }

        /** A configuration's ladder as alert readings. */
        List<Reading> readings(String config) {
            return cells.stream().filter(c -> c.config().equals(config) && c.kind().equals("ladder"))
                    .map(c -> new Reading(c.stores(), c.level().serverConnections().max(), c.level().requests().errorRate(),
                            c.level().requests().p95Ms(), c.holds())).toList();
        }
    }
}
