package io.storecap.model.fit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FitSelectionTest {
    static final double[] X = {10, 25, 50, 100, 250, 500, 1000, 2000};
    // deterministic multiplicative noise of +-3 %
    static final double[] E = {1.03, 0.97, 1.02, 0.98, 1.03, 0.97, 1.01, 0.99};

    @Test
    void linearFitMatchesTheClosedFormAndItsBandsContainTheLine() {
        double[] y = new double[X.length];
        for (int i = 0; i < X.length; i++) y[i] = 3 + 0.2 * X[i] + (i % 2 == 0 ? 1 : -1);
        LinearFit f = LinearFit.of(X, y);
        assertEquals(0.2, f.slope(), 0.002);
        assertEquals(3, f.intercept(), 1.0);
        assertEquals(8, f.n());
        assertEquals(2.446912, f.tCritical(), 1e-5, "t(0.975, 6)");
        for (double x : new double[]{0, 100, 5000}) {
            assertTrue(f.lowerPrediction(x) < f.lowerConfidence(x) && f.lowerConfidence(x) < f.predict(x));
            assertTrue(f.predict(x) < f.upperConfidence(x) && f.upperConfidence(x) < f.upperPrediction(x));
        }
        assertTrue(f.predictionHalfWidth(5000) > f.predictionHalfWidth(500), "bands widen away from the data");
    }

    @Test
    void aicChoosesThePowerLawForSubLinearGrowthAndRecoversItsExponent() {
        double[] y = new double[X.length];
        for (int i = 0; i < X.length; i++) y[i] = 4 * Math.pow(X[i], 0.5) * E[i];
        FitSelection s = FitSelection.of(X, y);
        assertEquals("power", s.chosen(), s.criterion());
        assertEquals(0.5, s.power().b(), 0.03);
        assertEquals(4, s.power().a(), 0.5);
        assertSame(s.power(), s.curve());
        assertTrue(s.powerAic() < s.linearAic() - 2);
        PowerLawFit p = s.power();
        assertTrue(p.lowerPrediction(3000) < p.predict(3000) && p.predict(3000) < p.upperPrediction(3000));
    }

    @Test
    void aicKeepsTheLineForLinearGrowth() {
        double[] y = new double[X.length];
        for (int i = 0; i < X.length; i++) y[i] = (2 + 0.1 * X[i]) * E[i];
        FitSelection s = FitSelection.of(X, y);
        assertEquals("linear", s.chosen(), s.criterion());
        assertSame(s.linear(), s.curve());
    }

    @Test
    void aZeroValueLeavesOnlyTheLine() {
        FitSelection s = FitSelection.of(new double[]{1, 2, 3, 4}, new double[]{0, 1, 2, 3});
        assertNull(s.power());
        assertEquals("linear", s.chosen());
    }

    @Test
    void crossingsFindTheFirstPointAtTheLevel() {
        assertEquals(50, Crossings.first(x -> 2 * x, 100, 0, 1000), 1e-4);
        assertTrue(Double.isNaN(Crossings.first(x -> 2 * x, 100, 0, 10)));
        assertEquals(0, Crossings.first(x -> 200, 100, 0, 10));
        // starting inside a dip, the first crossing on the way up
        assertEquals(7, Crossings.first(x -> (x - 5) * (x - 5), 4, 4, 100), 1e-4);
    }

    @Test
    void tooFewPointsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LinearFit.of(new double[]{1, 2}, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> LinearFit.of(new double[]{1, 1, 1}, new double[]{1, 2, 3}));
    }

    /** Integer counts on a perfect line used to give intervals of zero width; the rounding keeps them open. */
    @Test
    void countsOnAPerfectLineKeepTheRoundingInTheirIntervals() {
        double[] x = {10, 20, 30, 40}, y = {2, 4, 6, 8};
        FitSelection plain = FitSelection.of(x, y);
        assertEquals(0, plain.linear().predictionHalfWidth(50), 1e-9, "the old zero-width interval this guards against");
        FitSelection counts = FitSelection.ofCounts(x, y);
        double half = counts.linear().predictionHalfWidth(50);
        assertTrue(half >= counts.linear().tCritical() * FitSelection.ROUNDING_SD, "at least t x the rounding's sd: " + half);
        assertEquals(plain.linear().predict(50), counts.linear().predict(50), 1e-12, "the coefficients do not move");
        assertEquals(plain.chosen(), counts.chosen(), "nor the choice between the shapes");
        assertTrue(counts.curve().upperPrediction(50) - counts.curve().lowerPrediction(50) > 1, "an interval of more than one count");
        // a fit whose residuals already exceed the rounding keeps them
        double[] noisy = {2, 5, 5, 9};
        assertEquals(FitSelection.of(x, noisy).linear().residualStdError(), FitSelection.ofCounts(x, noisy).linear().residualStdError(), 1e-12);
    }
}
