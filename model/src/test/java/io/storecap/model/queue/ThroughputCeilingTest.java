package io.storecap.model.queue;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ceiling of a concurrency ramp on synthetic points from a USL with known coefficients:
 * X_max recovered within 5 %, its bootstrap interval covering the truth (one data set, and at
 * least 85 % of 40 data sets for a nominal 95 %), and a ramp that stops short not called a ceiling.
 */
class ThroughputCeilingTest {
    static final double[] LEVELS = {1, 2, 4, 8, 16, 32, 64};

    /** A ramp of 3 windows per level from X(N) with multiplicative Gaussian noise of {@code cv}. */
    static double[][] ramp(double lambda, double sigma, double kappa, double[] levels, double cv, long seed) {
        Random r = new Random(seed);
        int reps = 3;
        double[] n = new double[levels.length * reps], x = new double[n.length];
        for (int i = 0; i < levels.length; i++)
            for (int k = 0; k < reps; k++) {
                n[i * reps + k] = levels[i];
                x[i * reps + k] = UslFit.throughput(lambda, sigma, kappa, levels[i]) * (1 + cv * r.nextGaussian());
            }
        return new double[][]{n, x};
    }

    @Test
    void recoversAPeakedCeilingWithAnIntervalThatCoversIt() {
        double lambda = 100, sigma = 0.05, kappa = 0.002;
        double truth = ThroughputCeiling.ceiling(lambda, sigma, kappa);
        assertEquals(739.8, truth, 0.5, "the test's own arithmetic: N* = sqrt(0.95 / 0.002) = 21.8");
        double[][] d = ramp(lambda, sigma, kappa, LEVELS, 0.03, 7);
        ThroughputCeiling c = ThroughputCeiling.fit(d[0], d[1], 11);
        assertEquals(truth, c.xMax(), 0.05 * truth, "X_max within 5 %");
        assertTrue(c.low() <= truth && truth <= c.high(), "interval " + c.low() + "-" + c.high() + " covers " + truth);
        assertTrue(c.low() < c.xMax() && c.xMax() < c.high(), "the estimate lies inside its interval");
        assertTrue(c.reached(), "the ramp passed the peak");
        assertEquals(21.8, c.nAtMax(), 6, "the peak's concurrency");
    }

    @Test
    void anAmdahlPlateauIsItsAsymptote() {
        // kappa = 0: saturates towards lambda / sigma = 500; X(64) = 6400 / 13.6 = 471, within 10 % of it
        double[][] d = ramp(100, 0.2, 0, LEVELS, 0.02, 3);
        ThroughputCeiling c = ThroughputCeiling.fit(d[0], d[1], 5);
        assertEquals(500, c.xMax(), 50, "within 10 %: an asymptote is only approached, so noise can read as a slight peak");
        // with kappa truly 0 (on its bound) the bootstrap is not exact, a known limit of the bootstrap at a
        // parameter's bound: the interval is held between the ramp's true top, X(64), and the asymptote
        double top = UslFit.throughput(100, 0.2, 0, 64);
        assertTrue(c.low() <= top && c.high() >= top && c.high() <= 1.1 * 500, c.low() + "-" + c.high());
        assertTrue(c.reached());
    }

    @Test
    void theIntervalCoversTheTruthAtLeast85PercentOfTheTime() {
        double lambda = 120, sigma = 0.08, kappa = 0.001;
        double truth = ThroughputCeiling.ceiling(lambda, sigma, kappa);
        int covered = 0, sets = 40;
        for (int s = 0; s < sets; s++) {
            double[][] d = ramp(lambda, sigma, kappa, LEVELS, 0.04, 1000 + s);
            ThroughputCeiling c = ThroughputCeiling.fit(d[0], d[1], 2000 + s, 200);
            if (c.low() <= truth && truth <= c.high()) covered++;
        }
        assertTrue(covered >= 34, "covered " + covered + " of " + sets + " (nominal 95 %)");
    }

    @Test
    void aRampThatStopsShortIsNotACeiling() {
        // nearly linear up to 8 clients: the fitted asymptote lies far above anything carried
        double[][] d = ramp(100, 0.01, 0, new double[]{1, 2, 4, 8}, 0.01, 9);
        ThroughputCeiling c = ThroughputCeiling.fit(d[0], d[1], 1);
        assertFalse(c.reached(), "carried " + c.maxCarried() + " of a fitted " + c.xMax());
        double[][] linear = ramp(100, 0, 0, LEVELS, 0, 1);
        ThroughputCeiling l = ThroughputCeiling.fit(linear[0], linear[1], 1);
        assertEquals(Double.POSITIVE_INFINITY, l.xMax(), "linear scaling has no ceiling");
        assertFalse(l.reached());
    }

    @Test
    void whatWasCarriedIsALevelsMeanNotItsLuckiestWindow() {
        double[] n = {1, 1, 2, 2, 4, 4, 4}, x = {100, 100, 190, 210, 300, 300, 600};
        assertEquals(400, ThroughputCeiling.bestLevelMean(n, x), 1e-9, "level 4's mean, not its 600 window");
    }

    @Test
    void tooFewLevelsAreRefusedWithTheReason() {
        double[] n = {1, 1, 1, 2, 2, 2}, x = {10, 11, 10, 19, 20, 21};
        String m = assertThrows(IllegalArgumentException.class, () -> ThroughputCeiling.fit(n, x, 1)).getMessage();
        assertTrue(m.contains("2 concurrency level(s)") && m.contains("at least three"), m);
    }
}
