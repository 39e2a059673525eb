package io.storecap.model.logs;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The store-size fit: recovers a known exponent, its interval covers it about 95 % of the time, and misfit widens it. */
class ZipfFitTest {
    static long[] zipfCounts(RandomGenerator rng, int stores, double s, double meanPerStore) {
        double[] w = new double[stores];
        double h = 0;
        for (int i = 0; i < stores; i++) h += w[i] = Math.pow(i + 1, -s);
        long[] c = new long[stores];
        for (int i = 0; i < stores; i++) c[i] = LogGenerator.poisson(rng, w[i] / h * stores * meanPerStore);
        return c;
    }

    @Test
    void theIntervalCoversTheTrueExponentAboutNineteenTimesInTwenty() {
        RandomGenerator rng = new Well19937c(42);
        int covered = 0, runs = 200;
        for (int k = 0; k < runs; k++) if (ZipfFit.fit(zipfCounts(rng, 100, 0.8, 200)).covers(0.8)) covered++;
        assertTrue(covered >= 0.85 * runs && covered <= runs, covered + " of " + runs);
    }

    @Test
    void exactZipfCountsGiveTheirExponentAndOrderDoesNotMatter() {
        long[] c = new long[200];
        for (int i = 0; i < c.length; i++) c[c.length - 1 - i] = Math.round(1e6 * Math.pow(i + 1, -1.3));
        ZipfFit z = ZipfFit.fit(c);
        assertEquals(1.3, z.exponent(), 1e-3);
        assertTrue(z.dispersion() < 0.01, "rounding only: " + z.dispersion());
        assertEquals(200, z.stores());
    }

    @Test
    void storesAllAlikeAreExponentZeroAndTooFewStoresAreNoFit() {
        ZipfFit flat = ZipfFit.fit(new long[]{50, 50, 50, 50, 50});
        assertEquals(0, flat.exponent(), 1e-6);
        assertEquals(0, flat.low());
        assertNull(ZipfFit.fit(new long[]{10, 3}));
        assertNull(ZipfFit.fit(new long[]{0, 0, 0}));
    }

    @Test
    void storesThatAreNotZipfWidenTheIntervalByTheirDispersion() {
        RandomGenerator rng = new Well19937c(3);
        long[] c = new long[300];
        for (int i = 0; i < c.length; i++) c[i] = LogGenerator.poisson(rng, 1000 * Math.exp(1.2 * rng.nextGaussian())); // lognormal sizes
        ZipfFit z = ZipfFit.fit(c);
        assertTrue(z.dispersion() > 10, "lognormal stores scatter far more than Poisson around a Zipf line: " + z.dispersion());
        long[] zipf = zipfCounts(rng, 300, z.exponent(), 1000);
        ZipfFit poisson = ZipfFit.fit(zipf);
        assertTrue(z.high() - z.low() > 3 * (poisson.high() - poisson.low()),
                "widened: " + (z.high() - z.low()) + " against " + (poisson.high() - poisson.low()));
    }
}
