package io.storecap.model.knee;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KneeFitTest {
    static KneeFit.Observation pass(double x) { return new KneeFit.Observation(x, false); }

    static KneeFit.Observation fail(double x) { return new KneeFit.Observation(x, true); }

    @Test
    void separatedReplicatesGiveTheBracketsGeometricMiddleAndAnIntervalNearTheBracket() {
        List<KneeFit.Observation> obs = List.of(pass(100), pass(1000), pass(1000), pass(1000), fail(1100), fail(1100), fail(1100), fail(4000));
        KneeFit.Knee k = KneeFit.fit(obs);
        assertEquals(Math.sqrt(1000 * 1100), k.point(), 2);
        assertTrue(k.low() >= 1000 * 0.97 && k.low() < k.point(), "low " + k.low());
        assertTrue(k.high() <= 1100 * 1.03 && k.high() > k.point(), "high " + k.high());
    }

    @Test
    void disagreeingReplicatesWidenTheInterval() {
        KneeFit.Knee clean = KneeFit.fit(List.of(pass(1000), pass(1000), pass(1000), fail(1100), fail(1100), fail(1100)));
        KneeFit.Knee noisy = KneeFit.fit(List.of(pass(1000), fail(1000), pass(1000), fail(1100), pass(1100), fail(1100)));
        assertTrue(noisy.high() / noisy.low() > 1.5 * (clean.high() / clean.low()),
                "clean " + clean + " noisy " + noisy);
    }

    @Test
    void withoutBothAPassAndAFailureThereIsNoKnee() {
        assertNull(KneeFit.fit(List.of(pass(10), pass(100))));
        assertNull(KneeFit.fit(List.of(fail(10), fail(100))));
    }

    /**
     * On systems whose levels fail with probability Phi((ln x - ln K) / sigma), sharp (1 %) to
     * gradual (15 %), the interval covers K at least about 95 % of the time (the calibration of
     * HALF_CHI2; the asymptotic 1.92 covers 70 % when sharp).
     */
    @Test
    void theIntervalCoversTheTrueKneeAtItsNominalRate() {
        for (double sigma : new double[]{0.01, 0.05, 0.15}) {
            Random r = new Random(7);
            double trueKnee = 5000;
            int covered = 0, trials = 150;
            for (int t = 0; t < trials; t++) {
                List<KneeFit.Observation> obs = new ArrayList<>();
                for (double x : new double[]{4000, 4500, 4800, 5000, 5200, 5500, 6000})
                    for (int rep = 0; rep < 3; rep++)
                        obs.add(new KneeFit.Observation(x, Math.log(x) + sigma * r.nextGaussian() > Math.log(trueKnee)));
                KneeFit.Knee k = KneeFit.fit(obs);
                if (k != null && k.low() <= trueKnee && trueKnee <= k.high()) covered++;
            }
            assertTrue(covered >= 0.93 * trials, "sigma " + sigma + ": " + covered + " of " + trials + " intervals covered the true knee");
        }
    }

    @Test
    void logPhiIsAccurateInBothTails() {
        assertEquals(Math.log(0.5), KneeFit.logPhi(0), 1e-7);
        assertEquals(Math.log(0.975002105), KneeFit.logPhi(1.96), 1e-6);
        assertEquals(Math.log(0.024997895), KneeFit.logPhi(-1.96), 1e-5);
        // Phi(-40): ln = -804.608 (phi(40)/40 asymptote), where Phi itself underflows
        assertEquals(-804.608, KneeFit.logPhi(-40), 0.01);
    }
}
