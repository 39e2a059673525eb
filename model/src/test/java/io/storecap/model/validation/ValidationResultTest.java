package io.storecap.model.validation;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationResultTest {

    @Test
    void theRuleIsTheBinomialsFivePercentLowerQuantile() {
        // Binomial(16, 0.95): P(X >= 14) = 0.957, P(X >= 15) = 0.811
        assertEquals(14, ValidationResult.minCovered(16, 0.95));
        // Binomial(4, 0.95): P(X >= 3) = 0.986, P(X >= 4) = 0.815
        assertEquals(3, ValidationResult.minCovered(4, 0.95));
        assertEquals(0, ValidationResult.minCovered(0, 0.95));
        for (int n = 1; n <= 40; n++) {
            int c = ValidationResult.minCovered(n, 0.95);
            BinomialDistribution d = new BinomialDistribution(null, n, 0.95);
            double atLeastC = 1 - (c == 0 ? 0 : d.cumulativeProbability(c - 1));
            double atLeastNext = 1 - d.cumulativeProbability(c);
            assertTrue(atLeastC >= 0.95, "n " + n + ": P(X >= " + c + ") = " + atLeastC);
            assertTrue(c == n || atLeastNext < 0.95, "n " + n + ": " + (c + 1) + " would also pass, so " + c + " is not the largest");
        }
    }

    @Test
    void theLadderReachesSixtyFourTimesTheQuickStairsTtlWithWindowsOfTwoTtls() {
        var cases = ValidationCase.ladder(1500, new double[]{4, 16, 64, 256}, 0.25);
        assertEquals(4, cases.size());
        ValidationCase longest = cases.get(3);
        assertEquals(256, longest.idleTtlSeconds());
        assertEquals(512, longest.plateauSeconds(), "warm-up of two TTLs: the ramp's instances age out");
        assertEquals(512, longest.measureSeconds());
        assertEquals((60 + 512 + 512) * 0.25, longest.wallSeconds(), 1e-9);
        assertEquals(120, cases.get(0).measureSeconds(), "at least two minutes measured");
    }
}
