package io.storecap.model;

import io.storecap.model.verdict.LevelJudge;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BinomialTest {
    @Test
    void zeroFailuresIn299BoundTheErrorRateAtOnePercent() {
        assertEquals(299, LevelJudge.MIN_REQUESTS_TO_HOLD);
        assertTrue(Binomial.upper(0, 299, 0.95) < 0.01);
        assertTrue(Binomial.upper(0, 298, 0.95) > 0.01, "298 are not enough");
        assertEquals(1 - Math.pow(0.05, 1 / 299.0), Binomial.upper(0, 299, 0.95), 1e-9);
    }

    @Test
    void clopperPearsonMatchesPublishedValues() {
        // R: binom.test(5, 100, alternative="less")$conf.int[2] = 0.1024; alternative="greater" lower = 0.01967
        assertEquals(0.1024, Binomial.upper(5, 100, 0.95), 5e-4);
        assertEquals(0.01967, Binomial.lower(5, 100, 0.95), 5e-4);
    }

    @Test
    void theP95UpperBoundNeeds59ValuesAndSitsAboveTheP95() {
        assertEquals(-1, Quantiles.upperBoundRank(58, 0.95, 0.95));
        assertEquals(59, Quantiles.upperBoundRank(59, 0.95, 0.95));
        int j = Quantiles.upperBoundRank(299, 0.95, 0.95);
        assertTrue(j > Math.ceil(0.95 * 299) && j < 299, "rank " + j);
    }
}
