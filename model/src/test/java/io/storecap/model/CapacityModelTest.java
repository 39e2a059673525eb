package io.storecap.model;

import io.storecap.model.capacity.ClaimEvaluator;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
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

    static ClaimResult eval(Claim c, RunResult r) { return ClaimEvaluator.evaluateClaim(c, FREE, r, S); }

    /** A searched run: levels below 186 hold, levels at or above it are refused, each end of the bracket 170-190 three times. */
    static RunResult searchedRun(String id) {
        return run(id, FREE, Route.DIRECT, 1000, level(20, 14), level(80, 44), level(160, 84), level(320, 97).refusals(40),
                level(226, 97).refusals(12), level(190, 97).refusals(3), level(174, 91), level(174, 92), level(190, 97).refusals(2),
                level(174, 90), level(190, 97).refusals(5));
    }

    @Test
    void aSearchedRunGivesAKneeInsideItsBracketWithItsReplicates() {
        ClaimResult r = eval(claim("c", 150, 200), searchedRun("c"));
        Measured m = r.measured();
        assertEquals(MeasuredKind.KNEE, m.kind());
        assertEquals(Binding.REFUSALS, m.binding());
        assertEquals(Math.sqrt(174 * 190), m.threshold(), 1);
        assertTrue(m.low() > 160 && m.low() < 182 && m.high() > 182 && m.high() < 226, "interval " + m);
        assertEquals(3, m.replicates());
        assertFalse(m.lowerBound());
        assertEquals(Verdict.CONFIRMED, r.verdict());
        assertTrue(r.reason().contains("knee") && r.reason().contains("3 replicates"), r.reason());
        assertEquals(11, r.levels().size());
    }

    @Test
    void theSameMeasurementMakesAHigherClaimOptimisticAndALowerOneConservative() {
        ClaimResult high = eval(claim("c", 300, 400), searchedRun("c"));
        assertEquals(Verdict.OPTIMISTIC, high.verdict());
        assertTrue(high.reason().contains("optimistic") && high.reason().contains("300-400"), high.reason());
        ClaimResult low = eval(claim("c", 20, 25), searchedRun("c"));
        assertEquals(Verdict.CONSERVATIVE, low.verdict());
        assertTrue(low.reason().contains("conservative"), low.reason());
    }

    @Test
    void oneLevelAtEachEndGivesAWiderIntervalThanThreeReplicates() {
        RunResult once = run("c", FREE, Route.DIRECT, 1000, level(20, 14), level(80, 44), level(174, 91), level(190, 97).refusals(3));
        Measured one = eval(claim("c", 150, 200), once).measured();
        Measured three = eval(claim("c", 150, 200), searchedRun("c")).measured();
        assertEquals(1, one.replicates());
        assertTrue(one.high() / one.low() > three.high() / three.low(), one + " vs " + three);
    }

    @Test
    void refusalsAtEveryLevelLeaveOnlyAnUpperBound() {
        RunResult r = run("c", FREE, Route.DIRECT, 1000, level(50, 97).refusals(3), level(100, 97).refusals(900));
        ClaimResult res = eval(claim("c", 500, 700), r);
        assertNull(res.measured().threshold());
        assertEquals(50, res.measured().high());
        assertEquals(Verdict.OPTIMISTIC, res.verdict());
        assertEquals(Verdict.INCONCLUSIVE, eval(claim("c", 20, 25), r).verdict());
    }

    @Test
    void anInjectorThatFellBehindIsTheTestMachinesLimitNotTheTiers() {
        RunResult r = run("c", FREE, Route.DIRECT, 1000,
                level(10, 9), level(25, 16.5), level(50, 29), level(100, 54),
                level(250, 97).refusals(50).injection(0.7), level(500, 97).refusals(5000));
        ClaimResult res = eval(claim("c", 500, 700), r);
        Measured m = res.measured();
        assertEquals(MeasuredKind.MACHINE_LIMITED, m.kind());
        assertEquals(Binding.TEST_MACHINE, m.binding());
        assertTrue(m.lowerBound());
        assertEquals(100, m.threshold());
        assertNull(m.high());
        assertTrue(m.saturated().contains("70 %"), m.saturated());
        assertEquals(Verdict.NOT_REFUTED, res.verdict(), "a test-machine limit must not make a claim optimistic");
        assertEquals("test-machine", res.levels().get(4).status());
        assertEquals("not-used", res.levels().get(5).status());
        assertTrue(res.reason().contains("test machine") && res.reason().contains("70 %"), res.reason());
    }

    @Test
    void aSaturatedCpuOverTheLevelIsTheTestMachineButACpuSpikeIsNot() {
        RunResult saturated = run("c", FREE, Route.DIRECT, 1000,
                level(10, 9), level(25, 16.5), level(50, 29).cpu(0.97, 1.0).p95(900));
        assertEquals(Binding.TEST_MACHINE, eval(claim("c", 20, 25), saturated).measured().binding());
        RunResult spike = run("c", FREE, Route.DIRECT, 1000,
                level(10, 9), level(25, 16.5), level(50, 29).cpu(0.6, 1.0).p95(900));
        Measured m = eval(claim("c", 20, 25), spike).measured();
        assertEquals(Binding.P95, m.binding());
        assertEquals(MeasuredKind.KNEE, m.kind());
        assertTrue(m.low() < 50 && m.high() > 25, m.toString());
    }

    @Test
    void p95AboveTheSloAndErrorsAboveOnePercentBind() {
        RunResult slow = run("c", FREE, Route.DIRECT, 1000, level(10, 9), level(25, 16.5), level(50, 29).p95(650));
        assertEquals(Binding.P95, eval(claim("c", 20, 25), slow).measured().binding());
        RunResult failing = run("c", FREE, Route.DIRECT, 1000, level(10, 9), level(25, 16.5).errors(0.02));
        assertEquals(Binding.ERRORS, eval(claim("c", 20, 25), failing).measured().binding());
        // a stricter SLO moves the limit
        ClaimResult strict = ClaimEvaluator.evaluateClaim(claim("c", 20, 25), FREE,
                run("c", FREE, Route.DIRECT, 1000, level(10, 9), level(25, 16.5).p95(120)), S.withP95SloMs(100));
        assertEquals(Binding.P95, strict.measured().binding());
    }

    @Test
    void levelsWithTooFewRequestsNeitherHoldNorFail() {
        RunResult thin = run("c", FREE, Route.DIRECT, 1000, level(10, 2).requests(10), level(25, 3).requests(40));
        ClaimResult r = eval(claim("c", 20, 25), thin);
        assertEquals(MeasuredKind.NONE, r.measured().kind());
        assertEquals(Verdict.INCONCLUSIVE, r.verdict(), "10 and 40 requests bound nothing");
        assertTrue(r.reason().contains("299"), r.reason());
        assertEquals("insufficient", r.levels().get(0).status());
    }

    @Test
    void nothingBindingGivesALowerBoundAndTheFitsExtrapolationOnlyBesideIt() {
        // pooled: 2 + 0.01 x server connections; pool 90 reached at 8800 stores, far beyond 3000
        int[] stores = {100, 250, 500, 1000, 1500, 2000, 3000};
        RunResult r = run("c", FREE, Route.POOLED, 1000, Runs.levels(stores, s -> 2 + 0.01 * s));
        Claim open = new Claim("c", "free", Route.POOLED, new ClaimedRange(2000, null), null);
        ClaimResult res = ClaimEvaluator.evaluateClaim(open, FREE, r, S);
        Measured m = res.measured();
        assertEquals(MeasuredKind.LOWER_BOUND, m.kind());
        assertEquals(Binding.SEARCH_TOP, m.binding());
        assertEquals(3000, m.threshold());
        assertEquals(8800, m.extrapolatedEstimate(), 50);
        assertEquals(Verdict.CONFIRMED, res.verdict(), "at least 3000 confirms 2000+");
        Claim closed = new Claim("c", "free", Route.POOLED, new ClaimedRange(500, 700), null);
        assertEquals(Verdict.CONSERVATIVE, ClaimEvaluator.evaluateClaim(closed, FREE, r, S).verdict());
        Claim inside = new Claim("c", "free", Route.POOLED, new ClaimedRange(2500, 3500), null);
        assertEquals(Verdict.NOT_REFUTED, ClaimEvaluator.evaluateClaim(inside, FREE, r, S).verdict(), "a bound inside a range confirms nothing");
        Claim above = new Claim("c", "free", Route.POOLED, new ClaimedRange(5000, null), null);
        ClaimResult undecided = ClaimEvaluator.evaluateClaim(above, FREE, r, S);
        assertEquals(Verdict.NOT_REFUTED, undecided.verdict());
        assertTrue(undecided.reason().contains("at least 3,000"), undecided.reason());
        assertTrue(undecided.reason().contains("extrapolation"), undecided.reason());
    }

    @Test
    void studyUsesTheLatestRunPerClaimAndAnswersClaimsWithoutARun() {
        RunResult old = run("free-direct", FREE, Route.DIRECT, 1000, level(10, 9), level(25, 97).refusals(10));
        RunResult latest = searchedRun("free-direct");
        latest = new RunResult(latest.runId(), latest.config(), latest.profile(), latest.environment(), latest.levels(),
                latest.reconciliation(), null, null, 1500, 2000, List.of());
        RunResult stray = run("other", FREE, Route.DIRECT, 1000, level(10, 9));
        List<Claim> claims = List.of(claim("free-direct", 150, 200), claim("free-pooled", 500, 700));
        StudyModel sm = CapacityModel.evaluate(claims, Map.of("free", FREE), List.of(latest, old, stray), S);
        assertEquals(2, sm.claims().size());
        assertEquals(latest.runId(), sm.claims().get(0).runId());
        assertEquals(Binding.REFUSALS, sm.claims().get(0).measured().binding());
        ClaimResult none = sm.claims().get(1);
        assertEquals(Verdict.INCONCLUSIVE, none.verdict());
        assertEquals(Binding.NO_RUN, none.measured().binding());
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
        assertEquals(90, ClaimEvaluator.connectionLimit(FREE, Route.POOLED));
        assertEquals(97, ClaimEvaluator.connectionLimit(FREE, Route.DIRECT));
    }

    @Test
    void costPerStoreIsTheTierPriceOverTheThreshold() {
        RunResult r = run("c", Runs.LAUNCH, Route.DIRECT, 1000, level(10, 9), level(25, 16.5), level(50, 29).p95(900));
        Claim c = new Claim("c", "launch", Route.DIRECT, new ClaimedRange(20, 25), null);
        ClaimResult res = ClaimEvaluator.evaluateClaim(c, Runs.LAUNCH, r, S);
        assertEquals(19.0 / res.measured().threshold(), res.costPerStoreUsd(), 1e-9);
    }
}
