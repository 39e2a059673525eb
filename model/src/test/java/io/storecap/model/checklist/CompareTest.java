package io.storecap.model.checklist;

import io.storecap.model.Binomial;
import io.storecap.model.Quantiles;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic of each kind of comparison, checked against numbers worked out beside it. */
class CompareTest {
    static Distribution range(long from, long to) { return Distribution.ofValues(LongStream.rangeClosed(from, to).toArray()); }

    @Test
    void aQuantilesIntervalsAreTheOrderStatisticsAndTheEffectSubtractsTheFarEnds() {
        Distribution off = range(1, 200), on = range(101, 300); // the same shape shifted by 100
        Comparison c = Compare.quantile(Metric.P95_MS, off, on, 0.95);
        assertEquals(190, c.off().value(), "nearest rank: ceil(0.95 x 200) = 190");
        assertEquals(290, c.on().value());
        double one = 1 - 0.05 / 2;
        assertEquals(Quantiles.lowerBoundRank(200, 0.95, one), c.off().low(), 0.0, "value = rank here");
        assertEquals(Quantiles.upperBoundRank(200, 0.95, one), c.off().high(), 0.0);
        double side = 1 - (1 - Compare.SIDE) / 2;
        int lo = Quantiles.lowerBoundRank(200, 0.95, side), hi = Quantiles.upperBoundRank(200, 0.95, side);
        assertEquals(100 + lo - hi, c.effect().low(), 0.0, "on's low end less off's high end, each at sqrt(0.95)");
        assertEquals(100 + hi - lo, c.effect().high(), 0.0);
        assertEquals(100, c.effect().value(), 0.0);
        assertEquals(Effect.Size.LARGE, c.effect().size());
        assertEquals(Effect.Direction.WORSE, c.effect().direction(), "slower is worse");
        assertEquals(200, c.on().count());
    }

    @Test
    void aQuantileOfTooFewHasNoBoundAndAnUnclearEffect() {
        Comparison c = Compare.quantile(Metric.P95_MS, range(1, 40), range(1, 40), 0.95);
        assertNull(c.off().high(), "40 values cannot bound a p95 from above at 97.5 %");
        assertNull(c.effect().high());
        assertEquals(Effect.Size.UNCLEAR, c.effect().size());
    }

    @Test
    void twoTightIdenticalDistributionsGiveANegligibleEffect() {
        long[] v = new long[2000];
        for (int i = 0; i < v.length; i++) v[i] = 50 + i % 10;
        Comparison c = Compare.quantile(Metric.P95_MS, Distribution.ofValues(v), Distribution.ofValues(v), 0.95);
        assertTrue(c.effect().low() >= -1 && c.effect().high() <= 1, c.effect().toString());
        assertEquals(Effect.Size.NEGLIGIBLE, c.effect().size(), "within ±10 ms: the band of a p95 near 59 ms");
    }

    @Test
    void aProportionsIntervalsAreClopperPearson() {
        Comparison c = Compare.proportion(Metric.ERROR_RATE, 0, 1000, 50, 1000);
        assertEquals(0, c.off().value(), 0.0);
        assertEquals(0.05, c.on().value(), 1e-12);
        assertEquals(Binomial.upper(0, 1000, 0.975), c.off().high(), 1e-12);
        assertEquals(Binomial.lower(50, 1000, 0.975), c.on().low(), 1e-12);
        double side = 1 - (1 - Compare.SIDE) / 2;
        assertEquals(Binomial.lower(50, 1000, side) - Binomial.upper(0, 1000, side), c.effect().low(), 1e-12);
        assertEquals(Binomial.upper(50, 1000, side) - 0, c.effect().high(), 1e-12);
        assertEquals(Effect.Size.LARGE, c.effect().size());
        assertEquals(Effect.Direction.WORSE, c.effect().direction());
        assertThrows(IllegalArgumentException.class, () -> Compare.proportion(Metric.ERROR_RATE, 5, 4, 0, 1));
    }

    @Test
    void aConstantMeanHasAPointIntervalAndTheSeedRepeatsTheBootstrap() {
        double[] five = new double[60], one = new double[60];
        java.util.Arrays.fill(five, 5);
        java.util.Arrays.fill(one, 1);
        Comparison c = Compare.mean(Metric.CONNECTIONS_PER_LOAD, five, one, 7);
        assertEquals(-4, c.effect().value(), 0.0);
        assertEquals(-4, c.effect().low(), 0.0);
        assertEquals(-4, c.effect().high(), 0.0);
        assertEquals(Effect.Direction.BETTER, c.effect().direction(), "fewer connections a load is better");
        double[] mixed = new double[60];
        for (int i = 0; i < 60; i++) mixed[i] = i % 3;
        assertEquals(Compare.mean(Metric.CONNECTIONS_PER_LOAD, mixed, one, 3), Compare.mean(Metric.CONNECTIONS_PER_LOAD, mixed, one, 3));
    }

    @Test
    void theMeanDifferencesIntervalCoversTheTrueDifferenceAboutNineteenTimesInTwenty() {
        Random g = new Random(11);
        int covered = 0, trials = 200;
        for (int t = 0; t < trials; t++) {
            double[] a = new double[80], b = new double[80];
            for (int i = 0; i < 80; i++) {
                a[i] = 10 + 3 * g.nextGaussian();
                b[i] = 12 + 3 * g.nextGaussian();
            }
            Effect e = Compare.mean(Metric.CONNECTIONS_PER_LOAD, a, b, t).effect();
            if (e.low() <= 2 && 2 <= e.high()) covered++;
        }
        assertTrue(covered >= 180 && covered <= 197, "coverage " + covered + " of " + trials + " (nominal 95 %)");
    }

    @Test
    void aRatioResamplesWholeSlices() {
        double[] cpuOff = {10, 10, 10, 10, 10}, reqOff = {100, 100, 100, 100, 100};
        double[] cpuOn = {5, 5, 5, 5, 5}, reqOn = {100, 100, 100, 100, 100};
        Comparison c = Compare.ratio(Metric.CPU_MS_PER_REQUEST, cpuOff, reqOff, cpuOn, reqOn, 1);
        assertEquals(0.1, c.off().value(), 1e-12);
        assertEquals(0.05, c.on().value(), 1e-12);
        assertEquals(-0.05, c.effect().low(), 1e-12, "every slice has the same ratio: no spread");
        assertEquals(Effect.Size.LARGE, c.effect().size(), "beyond ±0.02 ms");
        assertEquals(Effect.Direction.BETTER, c.effect().direction());
        // a slice's CPU stays with its requests: a busy slice with many requests is not a high ratio
        Comparison same = Compare.ratio(Metric.CPU_MS_PER_REQUEST, new double[]{1, 100}, new double[]{10, 1000},
                new double[]{1, 100}, new double[]{10, 1000}, 2);
        assertEquals(0.1, same.off().low(), 1e-12);
        assertEquals(0.1, same.off().high(), 1e-12);
    }

    @Test
    void aPeakCountsIntervalIsGarwoodsAndTheEffectCombinesThemAtSqrt095() {
        Comparison c = Compare.count(Metric.CONNECTIONS, 97, 12);
        var g = new org.apache.commons.math3.distribution.GammaDistribution(null, 97, 1);
        assertEquals(g.inverseCumulativeProbability(0.025), c.off().low(), 1e-9, "the exact Poisson lower end of 97");
        assertEquals(new org.apache.commons.math3.distribution.GammaDistribution(null, 13, 1).inverseCumulativeProbability(0.975),
                c.on().high(), 1e-9);
        double a = (1 - Compare.SIDE) / 2;
        double expectedHigh = new org.apache.commons.math3.distribution.GammaDistribution(null, 13, 1).inverseCumulativeProbability(1 - a)
                - g.inverseCumulativeProbability(a);
        assertEquals(expectedHigh, c.effect().high(), 1e-9);
        assertEquals(Effect.Size.LARGE, c.effect().size());
        assertEquals(Effect.Direction.BETTER, c.effect().direction(), "fewer connections");
        assertEquals(Effect.Size.UNCLEAR, Compare.count(Metric.CONNECTIONS, 17, 12).effect().size(),
                "one level each: 17 against 12 connections is within a peak's run-to-run spread");
        assertEquals(0, Compare.countEstimate(0, 0.95).low(), 0.0);
    }

    @Test
    void anEmptySideGivesAnUnclearEffect() {
        Comparison c = Compare.mean(Metric.CONNECTIONS_PER_LOAD, new double[0], new double[]{1, 2}, 1);
        assertEquals(0, c.off().count());
        assertEquals(Effect.Size.UNCLEAR, c.effect().size());
    }

    @Test
    void exactCountsHaveNoSamplingError() {
        Comparison c = Compare.exact(Metric.LOST, 0, 1200, 0, 1180);
        assertEquals(Effect.Size.NEGLIGIBLE, c.effect().size(), "0 lost and 0 lost: no difference, by counting");
        assertEquals(1180, c.on().count());
        assertEquals(Effect.Size.LARGE, Compare.exact(Metric.LOST, 0, 10, 3, 10).effect().size());
    }
}
