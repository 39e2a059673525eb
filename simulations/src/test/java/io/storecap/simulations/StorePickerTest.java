package io.storecap.simulations;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorePickerTest {
    /** The generalised harmonic number H(n, s) = sum over i = 1..n of i^-s. */
    private static double harmonic(int n, double s) {
        double h = 0;
        for (int i = 1; i <= n; i++) h += Math.pow(i, -s);
        return h;
    }

    /**
     * Over 200,000 draws with a fixed seed, store 1's share is 1/H(n, s) and store 2's 2^-s/H(n, s),
     * each within 0.005 absolute: the binomial standard error of a share near 0.2 over 200,000
     * draws is under 0.001, so 0.005 is more than 5 of them.
     */
    @ParameterizedTest
    @CsvSource({"100, 1.0", "1000, 0.8", "50, 1.5", "20, 0"})
    void theFirstStoresShareIsOneOverTheHarmonicNumber(int n, double s) {
        StorePicker picker = new StorePicker(s);
        Random random = new Random(20240601L);
        int draws = 200_000;
        long[] counts = new long[n + 1];
        for (int d = 0; d < draws; d++) {
            int store = picker.pick(n, random.nextDouble());
            assertTrue(store >= 1 && store <= n, "store " + store + " outside 1.." + n);
            counts[store]++;
        }
        double h = harmonic(n, s);
        assertEquals(1 / h, counts[1] / (double) draws, 0.005, "store 1's share, n " + n + ", s " + s);
        assertEquals(Math.pow(2, -s) / h, counts[2] / (double) draws, 0.005, "store 2's share, n " + n + ", s " + s);
        // the heaviest store is the first, and the share falls with the rank (by more than the noise at the ends)
        if (s > 0) assertTrue(counts[1] > counts[n] * 5, "store 1 " + counts[1] + " against store n " + counts[n]);
    }

    @Test
    void shareIsTheNormalisedZipfWeight() {
        StorePicker picker = new StorePicker(1.2);
        double h = harmonic(300, 1.2);
        assertEquals(1 / h, picker.share(300, 1), 1e-12);
        assertEquals(Math.pow(7, -1.2) / h, picker.share(300, 7), 1e-12);
        double total = 0;
        for (int i = 1; i <= 300; i++) total += picker.share(300, i);
        assertEquals(1, total, 1e-9);
    }

    @Test
    void theEndsOfTheUnitIntervalMapToTheFirstAndLastStore() {
        double belowOne = Math.nextDown(1.0);
        for (double s : new double[]{0, 0.5, 1, 2}) {
            StorePicker picker = new StorePicker(s);
            assertEquals(1, picker.pick(10, 0.0), "u = 0, s " + s);
            assertEquals(10, picker.pick(10, belowOne), "u just below 1, s " + s);
            assertEquals(1, picker.pick(1, belowOne), "one store, s " + s);
        }
    }

    @Test
    void aBoundaryOfTheCumulativeWeightsPicksTheNextStore() {
        // with s = 0 every store has weight 1/n: u = 0.5 of 4 stores is the first value of store 3
        assertEquals(3, new StorePicker(0).pick(4, 0.5));
        // with s = 1 and 2 stores the weights are 1 and 1/2: store 1 covers u < 2/3
        StorePicker picker = new StorePicker(1);
        assertEquals(1, picker.pick(2, 0.66));
        assertEquals(2, picker.pick(2, 0.67));
    }

    @Test
    void theSameSeedPicksTheSameStores() {
        StorePicker a = new StorePicker(1), b = new StorePicker(1);
        Random ra = new Random(7), rb = new Random(7);
        for (int d = 0; d < 1000; d++) assertEquals(a.pick(500, ra.nextDouble()), b.pick(500, rb.nextDouble()));
    }
}
