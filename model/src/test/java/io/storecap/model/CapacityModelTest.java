package io.storecap.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.storecap.model.Runs.FREE;
import static io.storecap.model.Runs.level;
import static io.storecap.model.Runs.run;
import static org.junit.jupiter.api.Assertions.*;

class CapacityModelTest {
    static final ModelSettings S = ModelSettings.defaults();
    // truth: peak = 4 + 0.5 x stores, so the 97 usable connections of Free are reached at 186 stores
    static final double TRUE_THRESHOLD = (97 - 4) / 0.5;
    // deterministic +-2 "noise" so the bands have a width
    static final double[] NOISE = {1.5, -2, 0.5, 2, -1.5, -0.5, 1, -1};
    static final int[] STAIR = {10, 25, 50, 75, 100, 125, 150, 180};

    static RunResult linearRun(String id) {
        Runs.Level[] ls = new Runs.Level[STAIR.length];
        for (int i = 0; i < STAIR.length; i++) ls[i] = level(STAIR[i], 4 + 0.5 * STAIR[i] + NOISE[i]);
        return run(id, FREE, Route.DIRECT, 1000, ls);
    }

    static Claim claim(String id, int min, Integer max) {
        return new Claim(id, "free", Route.DIRECT, new ClaimedRange(min, max), null);
    }

    static ClaimResult eval(Claim c, RunResult r) { return CapacityModel.evaluateClaim(c, FREE, r, S); }

    @Test
    void linearGrowthCrossingTheLimitGivesTheTrueThresholdWithAnIntervalAroundIt() {
        ClaimResult r = eval(claim("c", 150, 200), linearRun("c"));
        Measured m = r.measured();
        assertEquals("connections", m.binding());
        assertEquals(TRUE_THRESHOLD, m.threshold(), 0.02 * TRUE_THRESHOLD);
        assertTrue(m.low() < m.threshold() && m.threshold() < m.high(), "interval " + m);
        // the upper prediction band meets 97 before the line does: within a band width, not at 0
        assertTrue(m.low() > 150 && m.high() < 230, "interval " + m);
        assertTrue(m.extrapolated(), "186 lies beyond the top level 180");
        assertFalse(m.lowerBound());
        assertEquals(0.5, r.fit().slope(), 0.02);
        assertEquals("linear", r.fits().chosen());
        assertEquals(Verdict.CONFIRMED, r.verdict());
        assertTrue(r.reason().contains("97 connections"), r.reason());
        assertEquals(STAIR.length, r.levels().size());
        assertTrue(r.levels().stream().allMatch(l -> l.status().equals("ok")));
    }

    @Test
    void theSameMeasurementMakesAHigherClaimOptimisticAndALowerOneConservative() {
        ClaimResult high = eval(claim("c", 300, 400), linearRun("c"));
        assertEquals(Verdict.OPTIMISTIC, high.verdict());
        assertTrue(high.reason().contains("optimistic") && high.reason().contains("300-400"), high.reason());
        ClaimResult low = eval(claim("c", 20, 25), linearRun("c"));
        assertEquals(Verdict.CONSERVATIVE, low.verdict());
        assertTrue(low.reason().contains("conservative"), low.reason());
    }

    @Test
    void refusalsAtALevelBindAndTheThresholdLiesBetweenTheLastGoodLevelAndIt() {
        RunResult r = run("c", FREE, Route.DIRECT, 1000,
                level(10, 9), level(25, 16.5), level(50, 29), level(100, 54), level(250, 97).refusals(420));
        ClaimResult res = eval(claim("c", 500, 700), r);
        Measured m = res.measured();
        assertEquals("refusals", m.binding());
        assertEquals(100, m.low());
        assertEquals(250, m.high());
        // the connection fit (4 + 0.5 x) locates the limit inside the interval
        assertEquals(TRUE_THRESHOLD, m.threshold(), 5);
        assertEquals(Verdict.OPTIMISTIC, res.verdict());
        assertEquals("refusals", res.levels().get(4).status());
        assertTrue(res.reason().contains("refused") && res.reason().contains("250 stores"), res.reason());
    }

    @Test
    void refusalsAtTheFirstLevelLeaveOnlyAnUpperBound() {
        RunResult r = run("c", FREE, Route.DIRECT, 1000, level(50, 97).refusals(3), level(100, 97).refusals(900));
        ClaimResult res = eval(claim("c", 500, 700), r);
        assertNull(res.measured().threshold());
        assertEquals(50, res.measured().high());
        assertEquals(Verdict.OPTIMISTIC, res.verdict());
        ClaimResult small = eval(claim("c", 20, 25), r);
        assertEquals(Verdict.INCONCLUSIVE, small.verdict());
    }

    @Test
    void anInjectorThatFellBehindIsTheTestMachinesLimitNotTheTiers() {
        RunResult r = run("c", FREE, Route.DIRECT, 1000,
                level(10, 9), level(25, 16.5), level(50, 29), level(100, 54),
                level(250, 97).refusals(50).injection(0.7), level(500, 97).refusals(5000));
        ClaimResult res = eval(claim("c", 500, 700), r);
        Measured m = res.measured();
        assertEquals("test-machine", m.binding());
        assertTrue(m.lowerBound());
        assertEquals(100, m.threshold());
        assertNull(m.high());
        assertEquals(TRUE_THRESHOLD, m.extrapolatedEstimate(), 5);
        assertEquals(Verdict.INCONCLUSIVE, res.verdict(), "a test-machine limit must not make a claim optimistic");
        assertEquals("test-machine", res.levels().get(4).status());
        assertEquals("not-used", res.levels().get(5).status());
        assertTrue(res.reason().contains("test machine") && res.reason().contains("70 %"), res.reason());
    }

    @Test
    void aSaturatedCpuOverTheLevelIsTheTestMachineButACpuSpikeIsNot() {
        RunResult saturated = run("c", FREE, Route.DIRECT, 1000,
                level(10, 9), level(25, 16.5), level(50, 29).cpu(0.97, 1.0).p95(900));
        assertEquals("test-machine", eval(claim("c", 20, 25), saturated).measured().binding());
        RunResult spike = run("c", FREE, Route.DIRECT, 1000,
                level(10, 9), level(25, 16.5), level(50, 29).cpu(0.6, 1.0).p95(900));
        Measured m = eval(claim("c", 20, 25), spike).measured();
        assertEquals("p95", m.binding());
        assertEquals(25, m.threshold());
    }

    @Test
    void p95AboveTheSloAndErrorsAboveOnePercentBind() {
        RunResult slow = run("c", FREE, Route.DIRECT, 1000, level(10, 9), level(25, 16.5), level(50, 29).p95(650));
        ClaimResult r = eval(claim("c", 20, 25), slow);
        assertEquals("p95", r.measured().binding());
        assertEquals(25, r.measured().low());
        assertEquals(50, r.measured().high());
        assertEquals(Verdict.CONFIRMED, r.verdict(), "25 held, 50 failed: capacity 25-50, point 25 in 20-25");
        RunResult failing = run("c", FREE, Route.DIRECT, 1000, level(10, 9), level(25, 16.5).errors(0.02));
        ClaimResult e = eval(claim("c", 20, 25), failing);
        assertEquals("errors", e.measured().binding());
        assertEquals(Verdict.INCONCLUSIVE, e.verdict(), "capacity 10-25 straddles 20-25 with point 10 outside");
        // a stricter SLO moves the limit
        ClaimResult strict = CapacityModel.evaluateClaim(claim("c", 20, 25), FREE,
                run("c", FREE, Route.DIRECT, 1000, level(10, 9), level(25, 16.5).p95(120)), S.withP95SloMs(100));
        assertEquals("p95", strict.measured().binding());
    }

    @Test
    void nothingBindingWithinTheStairGivesAMeasuredLowerBoundAndTheFitsExtrapolationSeparately() {
        // pooled: 2 + 0.01 x server connections; pool 90 reached at 8800 stores, far beyond 3000
        int[] stores = {100, 250, 500, 1000, 1500, 2000, 3000};
        RunResult r = run("c", FREE, Route.POOLED, 1000, Runs.levels(stores, s -> 2 + 0.01 * s));
        Claim open = new Claim("c", "free", Route.POOLED, new ClaimedRange(2000, null), null);
        ClaimResult res = CapacityModel.evaluateClaim(open, FREE, r, S);
        Measured m = res.measured();
        assertEquals("stair-top", m.binding());
        assertTrue(m.lowerBound());
        assertFalse(m.extrapolated());
        assertEquals(3000, m.threshold());
        assertEquals(8800, m.extrapolatedEstimate(), 50);
        assertEquals(Verdict.CONFIRMED, res.verdict(), "at least 3000 confirms 2000+");
        Claim closed = new Claim("c", "free", Route.POOLED, new ClaimedRange(500, 700), null);
        assertEquals(Verdict.CONSERVATIVE, CapacityModel.evaluateClaim(closed, FREE, r, S).verdict());
        Claim above = new Claim("c", "free", Route.POOLED, new ClaimedRange(5000, null), null);
        ClaimResult undecided = CapacityModel.evaluateClaim(above, FREE, r, S);
        assertEquals(Verdict.INCONCLUSIVE, undecided.verdict());
        assertTrue(undecided.reason().contains("at least 3000"), undecided.reason());
        assertTrue(undecided.reason().contains("extrapolation"), undecided.reason());
    }

    @Test
    void verdictRulesOnTheirEdges() {
        ClaimedRange r = new ClaimedRange(500, 700);
        assertEquals(Verdict.OPTIMISTIC, CapacityModel.verdict(new Measured(300.0, 250.0, 499.0, "connections", false, false), r));
        assertEquals(Verdict.CONFIRMED, CapacityModel.verdict(new Measured(600.0, 250.0, 800.0, "connections", false, false), r));
        assertEquals(Verdict.INCONCLUSIVE, CapacityModel.verdict(new Measured(450.0, 250.0, 800.0, "connections", false, false), r));
        assertEquals(Verdict.CONSERVATIVE, CapacityModel.verdict(new Measured(900.0, 701.0, null, "connections", false, false), r));
        assertEquals(Verdict.CONSERVATIVE, CapacityModel.verdict(new Measured(800.0, 800.0, null, "stair-top", true, false), r));
        assertEquals(Verdict.INCONCLUSIVE, CapacityModel.verdict(Measured.unknown("no-run"), r));
        ClaimedRange open = new ClaimedRange(1000, null);
        assertEquals(Verdict.CONFIRMED, CapacityModel.verdict(new Measured(1400.0, 1000.0, 1800.0, "connections", false, false), open));
        assertEquals(Verdict.INCONCLUSIVE, CapacityModel.verdict(new Measured(1400.0, 900.0, 1800.0, "connections", false, false), open));
        assertEquals(Verdict.OPTIMISTIC, CapacityModel.verdict(new Measured(400.0, 300.0, 900.0, "refusals", false, false), open));
    }

    @Test
    void studyUsesTheLatestRunPerClaimAndAnswersClaimsWithoutARun() {
        RunResult old = run("free-direct", FREE, Route.DIRECT, 1000, level(10, 9), level(25, 97).refusals(10));
        RunResult latest = linearRun("free-direct");
        latest = new RunResult(latest.runId(), latest.config(), latest.profile(), latest.environment(), latest.levels(),
                latest.reconciliation(), null, null, 1500, 2000, List.of());
        RunResult stray = run("other", FREE, Route.DIRECT, 1000, level(10, 9));
        List<Claim> claims = List.of(claim("free-direct", 150, 200), claim("free-pooled", 500, 700));
        StudyModel sm = CapacityModel.evaluate(claims, Map.of("free", FREE), List.of(latest, old, stray), S);
        assertEquals(2, sm.claims().size());
        assertEquals(latest.runId(), sm.claims().get(0).runId());
        assertEquals("connections", sm.claims().get(0).measured().binding());
        ClaimResult none = sm.claims().get(1);
        assertEquals(Verdict.INCONCLUSIVE, none.verdict());
        assertEquals("no-run", none.measured().binding());
        assertTrue(none.reason().contains("No run"), none.reason());
        assertTrue(sm.notes().stream().anyMatch(n -> n.contains("matches no claim")), sm.notes().toString());
        assertTrue(sm.notes().stream().anyMatch(n -> n.contains("2 runs")), sm.notes().toString());
    }

    @Test
    void aRunOfAnotherRouteOrSizeIsNotEvidence() {
        RunResult pooled = run("c", FREE, Route.POOLED, 1000, Runs.levels(STAIR, s -> 4 + 0.5 * s));
        ClaimResult r = eval(claim("c", 150, 200), pooled);
        assertEquals(Verdict.INCONCLUSIVE, r.verdict());
        assertTrue(r.reason().contains("pooled"), r.reason());
        RunResult bigger = run("c", Runs.LAUNCH, Route.DIRECT, 1000, Runs.levels(STAIR, s -> 4 + 0.5 * s));
        assertEquals(Verdict.INCONCLUSIVE, eval(claim("c", 150, 200), bigger).verdict());
    }

    @Test
    void unknownTierInAStudyIsAClearError() {
        Claim c = new Claim("c", "enterprise", Route.DIRECT, new ClaimedRange(1, 2), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CapacityModel.evaluate(List.of(c), Map.of("free", FREE), List.of(), S));
        assertTrue(e.getMessage().contains("enterprise") && e.getMessage().contains("free"), e.getMessage());
    }

    @Test
    void pooledRouteIsLimitedByThePoolSizeNotMaxConnections() {
        assertEquals(90, CapacityModel.connectionLimit(FREE, Route.POOLED));
        assertEquals(97, CapacityModel.connectionLimit(FREE, Route.DIRECT));
    }

    @Test
    void costPerStoreIsTheTierPriceOverTheThreshold() {
        RunResult r = run("c", Runs.LAUNCH, Route.DIRECT, 1000, level(10, 9), level(25, 16.5), level(50, 29).p95(900));
        Claim c = new Claim("c", "launch", Route.DIRECT, new ClaimedRange(20, 25), null);
        ClaimResult res = CapacityModel.evaluateClaim(c, Runs.LAUNCH, r, S);
        assertEquals(19.0 / 25, res.costPerStoreUsd(), 1e-9);
    }
}
