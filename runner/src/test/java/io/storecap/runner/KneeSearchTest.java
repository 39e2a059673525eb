package io.storecap.runner;

import io.storecap.model.knee.KneeFit;
import io.storecap.model.verdict.LevelJudge.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search on a simulated system with a known knee: a level at x fails with probability Phi((ln x - ln K) / sigma). */
class KneeSearchTest {
    static final KneeSearch.Settings QUICK = new KneeSearch.Settings(2, 8, 1.10, 3, 2_000_000, 20);

    /** A system whose knee is {@code knee}, with arrival noise {@code sigma} in log-load; margin = load / knee. */
    static KneeSearch.Prober system(double knee, double sigma, Random r) {
        return (stores, phase, rep) -> {
            boolean fails = Math.log(stores) + sigma * r.nextGaussian() > Math.log(knee);
            return new KneeSearch.Result(fails ? Outcome.FAILS : Outcome.HOLDS, stores, stores / knee);
        };
    }

    static KneeFit.Knee fit(KneeSearch.Ending e) {
        return KneeFit.fit(e.steps().stream().map(s -> new KneeFit.Observation(s.result().load(), s.result().outcome() == Outcome.FAILS)).toList());
    }

    @Test
    void fromInsideTheClaimItRampsBisectsToTenPercentAndReplicatesBothEnds() {
        KneeSearch.Ending e = new KneeSearch(QUICK).run(22, system(80_000, 0.02, new Random(1)));
        assertEquals(KneeSearch.End.BRACKET, e.end());
        assertTrue((double) e.hi() / e.lo() <= 1.10, e.lo() + "-" + e.hi());
        assertTrue(e.lo() < 80_000 * 1.05 && e.hi() > 80_000 * 0.95, e.lo() + "-" + e.hi());
        assertEquals(22, e.steps().get(0).stores(), "the first level is inside the claimed range");
        assertEquals(4, e.steps().stream().filter(s -> s.phase().equals("replicate")).count(), "2 more at each end");
        assertTrue(e.steps().size() <= 20, e.steps().size() + " levels");
    }

    @Test
    void acrossSeedsTheKneesIntervalCoversTheTruth() {
        int covered = 0, trials = 100;
        double widths = 0;
        for (int seed = 0; seed < trials; seed++) {
            double knee = 1000 + 90_000 * new Random(seed).nextDouble();
            KneeSearch.Ending e = new KneeSearch(QUICK).run(22, system(knee, 0.03, new Random(seed + 1000)));
            KneeFit.Knee k = fit(e);
            if (k != null && k.low() <= knee && knee <= k.high()) covered++;
            if (k != null) widths += k.high() / k.low() - 1;
        }
        assertTrue(covered >= 80, covered + " of " + trials + " intervals covered the true knee");
        // 3 replicates of a 10 % bracket under 3 % arrival noise: about 28 % wide on average
        assertTrue(widths / trials < 0.35, "mean relative width " + widths / trials);
    }

    @Test
    void aFailureAtTheFirstLevelSendsTheSearchDown() {
        KneeSearch.Ending e = new KneeSearch(QUICK).run(500, system(60, 0.01, new Random(3)));
        assertEquals("down", e.steps().get(1).phase());
        assertEquals(KneeSearch.End.BRACKET, e.end());
        assertTrue(e.lo() <= 60 && e.hi() >= 60, e.lo() + "-" + e.hi());
    }

    @Test
    void nothingFailingEndsAsALowerBoundAndTheMachineAsMachineLimited() {
        KneeSearch.Ending bound = new KneeSearch(new KneeSearch.Settings(2, 8, 1.1, 3, 10_000, 20))
                .run(500, (s, p, r) -> new KneeSearch.Result(Outcome.HOLDS, s, 0.01));
        assertEquals(KneeSearch.End.LOWER_BOUND, bound.end());
        assertEquals(10_000, bound.lo());
        assertNull(bound.hi());
        KneeSearch.Ending machine = new KneeSearch(QUICK)
                .run(500, (s, p, r) -> new KneeSearch.Result(s > 20_000 ? Outcome.MACHINE : Outcome.HOLDS, s, 0.01));
        assertEquals(KneeSearch.End.MACHINE_LIMITED, machine.end());
        assertTrue(machine.lo() <= 20_000);
        assertTrue(machine.lo() > 10_000, "the bound is narrowed towards the machine's limit, not left at the last ramp level: " + machine.lo());
        assertTrue(machine.steps().stream().anyMatch(st -> st.phase().equals("machine")));
    }

    @Test
    void theRampFollowsTheMargin() {
        // far from the limit (margin 0.01) it multiplies by rampMax; near it (margin 0.7) by rampMin
        List<KneeSearch.Step> far = new KneeSearch(QUICK).run(100, (s, p, r) -> new KneeSearch.Result(s >= 800 ? Outcome.FAILS : Outcome.HOLDS, s, 0.01)).steps();
        assertEquals(800, far.get(1).stores());
        List<KneeSearch.Step> near = new KneeSearch(QUICK).run(100, (s, p, r) -> new KneeSearch.Result(s >= 200 ? Outcome.FAILS : Outcome.HOLDS, s, 0.7)).steps();
        assertEquals(200, near.get(1).stores());
    }
}
