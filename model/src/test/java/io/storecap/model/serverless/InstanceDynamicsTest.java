package io.storecap.model.serverless;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analytic instance model against the discrete-event simulation of the same pool: with cold
 * starts, each dispatch, TTLs from a few busy times to minutes. Tolerances are stated per case.
 */
class InstanceDynamicsTest {

    private static ServerlessParameters params(double s, double cold, double ttl, Dispatch d) {
        return new ServerlessParameters(1, s, 1, s, ttl, 5, cold, d, 0, 0);
    }

    /** Warm-up of 4 TTLs (the rate ramping over its first 60 s, as a study level settles), then 600 s or 6 TTLs sampled. */
    private static PoolSimulation.Result simulate(double lambda, double s, double cold, double ttl, Dispatch d, long seed) {
        return new PoolSimulation(lambda, s, ttl, 1, 5, cold, duration(ttl), warmup(ttl, s), 0.5, d, 0, 60).run(seed);
    }

    private static double warmup(double ttl, double s) { return Math.max(4 * ttl, 200 * s) + 60; }

    private static double duration(double ttl) { return Math.max(600, 6 * ttl); }

    @ParameterizedTest(name = "{3}: lambda {0}/s, S {1} s, cold {2} s, TTL {4} s")
    @CsvSource({
            "20, 0.05, 0,   MRU,    16",
            "20, 0.05, 1.0, MRU,    16",
            "80, 0.03, 1.0, MRU,    64",
            "20, 0.05, 1.0, RANDOM, 4",
            "20, 0.05, 1.0, RANDOM, 16",
            "20, 0.05, 1.0, RANDOM, 64",
            "80, 0.03, 1.0, RANDOM, 64",
            "20, 0.05, 1.0, LRU,    16",
            "80, 0.03, 1.0, LRU,    64",
    })
    void meanWarmInstancesMatchTheSimulationWithinAQuarter(double lambda, double s, double cold, Dispatch d, double ttl) {
        ServerlessParameters p = params(s, cold, ttl, d);
        double model = InstanceDynamics.meanWarm(lambda, p, warmup(ttl, s) + duration(ttl));
        double sim = 0;
        for (long seed = 1; seed <= 3; seed++) sim += simulate(lambda, s, cold, ttl, d, seed).warmInstances().mean() / 3;
        System.out.printf("%s lambda %.0f S %.3f C %.1f TTL %.0f: model %.2f sim %.2f (ratio %.2f)%n", d, lambda, s, cold, ttl, model, sim, model / sim);
        assertEquals(1, model / sim, 0.25, "model " + model + " vs simulation " + sim);
    }

    @Test
    void withoutColdStartsTheEffectiveBusyTimeIsTheFunctionTime() {
        assertEquals(0.05, InstanceDynamics.effectiveSeconds(20, params(0.05, 0, 16, Dispatch.RANDOM), 600), 1e-12);
    }

    @Test
    void aZeroTtlColdStartsEveryRequest() {
        assertEquals(1, InstanceDynamics.mruColdFraction(20, 1, 0), 1e-9);
    }

    @Test
    void theColdFractionMatchesTheSimulation() {
        double lambda = 20, s = 0.05, cold = 1, ttl = 4;
        PoolSimulation.Result r = simulate(lambda, s, cold, ttl, Dispatch.MRU, 7);
        double simFraction = (double) r.coldStarts() / r.requests();
        ServerlessParameters p = params(s, cold, ttl, Dispatch.MRU);
        double sEff = InstanceDynamics.effectiveSeconds(lambda, p, 600);
        double model = InstanceDynamics.coldFraction(lambda, sEff, ttl, Dispatch.MRU, 600);
        System.out.printf("cold fraction: model %.4f sim %.4f%n", model, simFraction);
        assertEquals(1, model / simFraction, 0.35);
    }

    @Test
    void randomDispatchKeepsMoreInstancesThanMostRecentlyUsed() {
        double mru = InstanceDynamics.meanWarm(50, params(0.05, 1, 300, Dispatch.MRU), 3600);
        double random = InstanceDynamics.meanWarm(50, params(0.05, 1, 300, Dispatch.RANDOM), 3600);
        assertTrue(random > mru, "random " + random + " vs MRU " + mru);
    }
}
