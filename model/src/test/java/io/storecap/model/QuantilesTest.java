package io.storecap.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuantilesTest {
    private static final double[] ONE_TO_TEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void nearestRankIsTheValueAtRankCeilQN() {
        assertEquals(5, Quantiles.nearestRank(ONE_TO_TEN, 0.50));
        assertEquals(10, Quantiles.nearestRank(ONE_TO_TEN, 0.95), "ceil(9.5) = rank 10");
        assertEquals(9, Quantiles.nearestRank(ONE_TO_TEN, 0.90));
        assertEquals(1, Quantiles.nearestRank(ONE_TO_TEN, 0.0), "q = 0 is the smallest value");
        assertEquals(1, Quantiles.nearestRank(ONE_TO_TEN, 0.05), "ceil(0.5) = rank 1");
        assertEquals(99, Quantiles.nearestRank(new long[]{1, 5, 99}, 0.99));
        assertEquals(7, Quantiles.nearestRank(new double[]{7}, 0.99), "one value is every quantile");
    }

    @Test
    void noValuesOrAQuantileOutsideZeroToOneIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Quantiles.nearestRank(new double[0], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.nearestRank(ONE_TO_TEN, 95));
        assertThrows(IllegalArgumentException.class, () -> Quantiles.nearestRank(ONE_TO_TEN, Double.NaN));
    }

    @Test
    void connectionStatsTakeValuesInAnyOrder() {
        ConnectionStats s = ConnectionStats.of(new double[]{4, 1, 3, 2, 20, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
        assertEquals(10.5, s.mean(), 1e-12);
        assertEquals(19, s.p95(), "rank ceil(0.95 x 20) = 19");
        assertEquals(20, s.max());
        assertEquals(20, s.samples());
        assertEquals(ConnectionStats.EMPTY, ConnectionStats.of(new double[0]));
    }
}
