package io.storecap.runner;

import io.storecap.model.checklist.Alerts;
import io.storecap.model.checklist.Comparison;
import io.storecap.model.checklist.Effect;
import io.storecap.model.checklist.Estimate;
import org.junit.jupiter.api.Test;

import io.storecap.model.ConnectionStats;
import io.storecap.model.LevelResult;
import io.storecap.model.RequestStats;
import io.storecap.model.checklist.ChecklistPlan;
import io.storecap.model.checklist.ChecklistResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The analysis's own arithmetic: the capacity brackets' difference and the webhook rate's Poisson interval. */
class ChecklistAnalysisTest {
    @Test
    void capacityGainIsTheDifferenceOfTheBrackets() {
        // off held 8,000 and failed at 24,000; on held 60,000, the top, and never failed
        Comparison c = ChecklistAnalysis.capacity(new Alerts.Capacity(8000, 24000), new Alerts.Capacity(60000, null), 4, 4);
        assertEquals(8000, c.off().value(), 0.0);
        assertEquals(24000, c.off().high(), 0.0);
        assertNull(c.on().high(), "it never failed: no upper end");
        assertEquals(52000, c.effect().value(), 0.0);
        assertEquals(60000 - 24000 + 1, c.effect().low(), 0.0, "off held fewer than 24,000");
        assertNull(c.effect().high());
        assertEquals(Effect.Size.LARGE, c.effect().size());
        assertEquals(Effect.Direction.BETTER, c.effect().direction());
        // both failed at the same level: the ladder cannot tell them apart
        Comparison same = ChecklistAnalysis.capacity(new Alerts.Capacity(8000, 24000), new Alerts.Capacity(8000, 24000), 4, 4);
        assertEquals(8000 - 24000 + 1, same.effect().low(), 0.0);
        assertEquals(24000 - 8000, same.effect().high(), 0.0);
        assertEquals(Effect.Size.UNCLEAR, same.effect().size());
    }

    @Test
    void theWebhookRateIsAcknowledgedWebhooksAnHourWithGarwoodsInterval() {
        ChecklistCell c = new ChecklistCell("base", "peak", 1000, null, true, "", Map.of(), new double[0], new double[0], new double[0],
                new double[0], new long[0], 600, 0, 0, 72);
        Estimate e = ChecklistAnalysis.webhookRate(c);
        assertEquals(30_000, e.value(), 1e-9, "600 in 72 production seconds");
        double perHour = 3600 / 72.0;
        assertEquals(new org.apache.commons.math3.distribution.GammaDistribution(null, 600, 1).inverseCumulativeProbability(0.025) * perHour,
                e.low(), 1e-6);
        assertEquals(600, e.count());
    }

    /** A ladder cell: n requests at latency ms each, the given peak connections, held or not. */
    static ChecklistCell ladder(String config, int stores, long ms, int n, double peak, Boolean holds) {
        RequestStats rs = new RequestStats(n, n, 0, ms, ms, ms, ms, ms);
        LevelResult l = new LevelResult(stores, 0, 10_000, 1, 1, rs, Map.of(), new ConnectionStats(peak, peak, peak, 100), ConnectionStats.EMPTY,
                ConnectionStats.EMPTY, ConnectionStats.EMPTY, ConnectionStats.EMPTY, Map.of(), 0, 0, 0);
        double[] samples = new double[100];
        for (int i = 0; i < samples.length; i++) samples[i] = i % 2 == 0 ? peak : peak - 1; // a peak held half the time
        return new ChecklistCell(config, "ladder", stores, l, holds, "", Map.of("all", new long[][]{{ms, n}}), samples, new double[0],
                new double[0], new double[0], new long[0], 0, 0, 0, 40);
    }

    /** A ladder cell whose n latencies spread evenly over [ms - 5, ms + 5], so a p95 has an interval. */
    static ChecklistCell spread(String config, int stores, long ms, int n, double peak) {
        ChecklistCell c = ladder(config, stores, ms, n, peak, true);
        long[][] h = new long[11][];
        for (int i = 0; i <= 10; i++) h[i] = new long[]{ms - 5 + i, n / 11};
        return new ChecklistCell(c.config(), c.kind(), c.stores(), c.level(), c.holds(), c.judgement(), Map.of("all", h), c.connections(),
                c.cpuMs(), c.cpuRequests(), c.dashboardHeld(), c.webhookDelaysMs(), 0, 0, 0, 40);
    }

    @Test
    void theAaRepeatComesFirstAndWidensEveryEffectByWhatTwoEnvironmentsDifferedBy() {
        ChecklistPlan all = ChecklistPlan.load(Path.of("..", "config", "checklist.yaml"));
        ChecklistPlan plan = new ChecklistPlan(all.tier(), all.steps().subList(0, 1), all.quick(), all.full()); // pooling
        List<ChecklistAnalysis.ConfigInfo> configs = List.of(new ChecklistAnalysis.ConfigInfo("base", "base", 0),
                new ChecklistAnalysis.ConfigInfo("pooling-on", "pooling on", 0), new ChecklistAnalysis.ConfigInfo("repeat-1", "base again", 0));
        List<ChecklistCell> cells = new ArrayList<>(List.of(spread("base", 1000, 60, 1100, 12), spread("pooling-on", 1000, 48, 1100, 4)));
        ChecklistResult without = ChecklistAnalysis.build(plan, configs, cells, plan.quick(), null, 1, List.of());
        Comparison p95 = without.steps().get(0).others().get(1);
        assertEquals(-12, p95.effect().value(), 0.0);
        assertEquals(Effect.Size.LARGE, p95.effect().size(), "-12 ms with a tight interval: beyond the ±10 ms band");
        assertEquals(0, p95.effect().drift(), 0.0);
        // the same base in a fresh environment came out 20 ms slower
        cells.add(spread("repeat-1", 1000, 80, 1100, 13));
        ChecklistResult with = ChecklistAnalysis.build(plan, configs, cells, plan.quick(), null, 1, List.of());
        assertEquals("repeat-1@1000", with.steps().get(0).id(), "the A/A row leads");
        assertEquals(20, with.steps().get(0).primary().effect().value(), 0.0);
        Comparison widened = with.steps().get(1).others().get(1);
        double a = with.steps().get(0).primary().off().value(), b = with.steps().get(0).primary().on().value(); // the base's p95s
        double drift = (b - a) / ((a + b) / 2) * widened.off().value();
        assertEquals(a, widened.off().value(), 0.0, "the base is the off side of both");
        assertEquals(drift, widened.effect().drift(), 1e-9, "the range over the replicates' mean, times the off side's p95");
        assertEquals(p95.effect().low() - drift, widened.effect().low(), 1e-9);
        assertEquals(p95.effect().high() + drift, widened.effect().high(), 1e-9);
        assertEquals(Effect.Size.UNCLEAR, widened.effect().size(), "within what two environments differ by: not the step's");
        assertEquals(Effect.Size.LARGE, with.steps().get(1).primary().effect().size(), "12 against 4 mean connections, drift 1/12 of 12");
        assertEquals(1 / 12.0 * 11.5, with.steps().get(1).primary().effect().drift(), 1e-9, "means 11.5 and 12.5: a range of 1 over 12");
        assertTrue(with.notes().stream().anyMatch(n -> n.startsWith("A/A check") && n.contains("Some A/A effects are shown beyond their band")),
                with.notes().toString());
        assertTrue(with.configs().stream().noneMatch(c -> c.id().startsWith("repeat")), "a repeat is not a configuration of its own in the alerts");
    }

    @Test
    void anOptionIsComparedAtThePlanningPointAtTheHighestLevelBothHeldAndByCapacity() {
        ChecklistPlan all = ChecklistPlan.load(Path.of("..", "config", "checklist.yaml"));
        ChecklistPlan plan = new ChecklistPlan(all.tier(), all.steps().subList(0, 1), all.quick(), all.full()); // pooling
        List<ChecklistCell> cells = new ArrayList<>();
        cells.add(ladder("base", 1000, 60, 1200, 12, true));
        cells.add(ladder("base", 8000, 57, 4000, 61, true));
        cells.add(ladder("base", 24000, 40, 60, 97, false));
        cells.add(ladder("base", 60000, 80, 250, 97, false));
        cells.add(ladder("pooling-on", 1000, 68, 1100, 4, true));
        cells.add(ladder("pooling-on", 8000, 47, 3900, 10, true));
        cells.add(ladder("pooling-on", 24000, 31, 3900, 10, true));
        cells.add(ladder("pooling-on", 60000, 28, 4100, 11, true));
        ChecklistResult r = ChecklistAnalysis.build(plan, List.of(new ChecklistAnalysis.ConfigInfo("base", "base", 0),
                new ChecklistAnalysis.ConfigInfo("pooling-on", "pooling on", 0)), cells, plan.quick(), null, 1, List.of());
        assertEquals(List.of("pooling@1000", "pooling@8000", "pooling-capacity"), r.steps().stream().map(x -> x.id()).toList());
        assertEquals(io.storecap.model.checklist.Metric.MEAN_CONNECTIONS, r.steps().get(0).primary().metric());
        assertEquals(Effect.Size.LARGE, r.steps().get(0).primary().effect().size(), "11.5 against 3.5 connections over 100 samples each");
        assertEquals(Effect.Size.UNCLEAR, r.steps().get(0).others().get(0).effect().size(), "the peaks, 12 against 4: one draw each");
        assertEquals(Effect.Size.LARGE, r.steps().get(1).others().get(0).effect().size(), "peaks of 61 against 10");
        assertEquals(Effect.Direction.BETTER, r.steps().get(2).primary().effect().direction());
        assertEquals(52_000, r.ranking().get(0).step().capacityGainStores(), 0.0);
        ChecklistResult.ConfigAlerts base = r.configs().get(0);
        assertEquals(24000, base.alerts().get("connections").firesAt());
        assertEquals(8000, base.capacity().held());
    }
}
