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

    @Test
    void eightyFiveValuesBoundAP95InsideAnEffectByTheirLargestAtItsExactCoverage() {
        // 85 values: no order statistic bounds a p95 at sqrt(0.95) two-sided (that needs 86), but the
        // largest does at a hair less; the pair's exact coverage is the product of the sides'
        Distribution off = range(1000, 1097), on = range(1, 85);
        assertEquals(-1, Quantiles.upperBoundRank(85, 0.95, 1 - (1 - Compare.SIDE) / 2), "the rank bound does not exist");
        Comparison c = Compare.quantile(Metric.P95_MS, off, on, 0.95);
        assertEquals(85, c.effect().high() + off.atRank(Quantiles.lowerBoundRank(98, 0.95, 1 - (1 - Compare.SIDE) / 2)), 0.0,
                "on's largest value less off's lower bound");
        var b85 = new org.apache.commons.math3.distribution.BinomialDistribution(null, 85, 0.95);
        var b98 = new org.apache.commons.math3.distribution.BinomialDistribution(null, 98, 0.95);
        int l85 = Quantiles.lowerBoundRank(85, 0.95, 1 - (1 - Compare.SIDE) / 2);
        int l98 = Quantiles.lowerBoundRank(98, 0.95, 1 - (1 - Compare.SIDE) / 2), u98 = Quantiles.upperBoundRank(98, 0.95, 1 - (1 - Compare.SIDE) / 2);
        double expected = (b85.cumulativeProbability(84) - b85.cumulativeProbability(l85 - 1))
                * (b98.cumulativeProbability(u98 - 1) - b98.cumulativeProbability(l98 - 1));
        assertEquals(expected, c.effect().confidence(), 1e-12);
        assertTrue(c.effect().confidence() >= Compare.MIN_JOINT, "the pair still covers at " + c.effect().confidence());
        // the largest misses the p95 with probability 0.95^85, more than the equal split allows an end,
        // but the lower end misses less: the side as a whole still covers
        assertTrue(Math.pow(0.95, 85) > (1 - Compare.SIDE) / 2);
        assertTrue(b85.cumulativeProbability(84) - b85.cumulativeProbability(l85 - 1) >= Compare.SIDE);
        assertEquals(Effect.Size.LARGE, c.effect().size());
        assertEquals(Effect.Direction.BETTER, c.effect().direction());
    }

    @Test
    void anExtremeValueStandsInOnlyWhileTheJointCoverageStaysAbove94Percent() {
        Comparison c = Compare.quantile(Metric.P95_MS, range(1000, 1039), range(1, 40), 0.95);
        assertNull(c.effect().high(), "40 values: the largest covers a p95 with 87 %: too little");
        assertEquals(0.95, c.effect().confidence(), 0.0);
        Comparison wide = Compare.quantile(Metric.P95_MS, range(1, 2000), range(1, 2000), 0.95);
        assertTrue(wide.effect().confidence() >= 0.95, "rank bounds exist: at least 95 %, was " + wide.effect().confidence());
    }

    @Test
    void aSeriesMeanResamplesBlocksSoATrendWidensItsInterval() {
        // the same 200 values, once alternating and once as a step (0 for 100 samples, then 10): the
        // mean is 5 either way, but a series that moves slowly tells less, and the blocks see that
        double[] alternating = new double[200], step = new double[200], flat = new double[200];
        for (int i = 0; i < 200; i++) {
            alternating[i] = i % 2 == 0 ? 0 : 10;
            step[i] = i < 100 ? 0 : 10;
        }
        java.util.Arrays.fill(flat, 5);
        Effect a = Compare.seriesMean(Metric.MEAN_CONNECTIONS, flat, alternating, 3).effect();
        Effect s = Compare.seriesMean(Metric.MEAN_CONNECTIONS, flat, step, 3).effect();
        assertEquals(0, a.value(), 1e-12);
        assertEquals(0, s.value(), 1e-12);
        double widthA = a.high() - a.low(), widthS = s.high() - s.low();
        assertTrue(widthS > 3 * widthA, "a step's interval " + widthS + " against alternation's " + widthA);
        assertEquals(Compare.seriesMean(Metric.MEAN_CONNECTIONS, flat, step, 3), Compare.seriesMean(Metric.MEAN_CONNECTIONS, flat, step, 3),
                "seeded");
    }
}
