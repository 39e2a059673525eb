package io.storecap.model.queue;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The most throughput a closed-loop concurrency ramp says a system can sustain, with a 95 %
 * interval: the Universal Scalability Law fitted to (clients, throughput) points ({@link UslFit}),
 * and its ceiling X_max read off the curve.
 * <ul>
 *   <li>kappa &gt; 0: the curve's peak, X(N*) at N* = sqrt((1 - sigma) / kappa) (continuous; Gunther,
 *       Guerrilla Capacity Planning, eq. 4.34);</li>
 *   <li>kappa = 0, sigma &gt; 0: the asymptote lambda / sigma (Amdahl);</li>
 *   <li>both 0: linear scaling, no ceiling (infinite).</li>
 * </ul>
 * <b>Reached or not.</b> A ceiling is only reported as measured when the ramp carried at least
 * {@link #REACHED} of it; otherwise the ramp stopped short and the fit would be pushed past the data
 * (an asymptote far above every point): {@link #reached()} is false and callers report the highest
 * throughput carried as a lower bound instead.
 * <p>
 * <b>Interval.</b> A residual bootstrap: the fit's relative residuals x_i / X(N_i) - 1 (centred and
 * inflated by sqrt(n / (n - 3)) for the three fitted coefficients) are resampled onto the fitted
 * curve, X(N_i) (1 + e*), the USL is refitted to each resample (the same bounded least squares), and
 * the 2.5 % and 97.5 % quantiles of the resampled X_max are the interval. Relative residuals, because
 * a throughput's noise grows with it; pooled over all points, because a ramp has only a few
 * replicates per concurrency (with three, resampling within a level would understate the spread by a
 * third). When more than 2.5 % of the resamples have no ceiling, the upper end is infinite.
 *
 * @param usl        the fit on every point
 * @param xMax       the ceiling; infinite when the fit has none
 * @param low        2.5 % quantile of the bootstrap ceilings
 * @param high       97.5 % quantile; infinite when the resamples do not bound it
 * @param nAtMax     the concurrency at the peak (kappa &gt; 0), else infinite
 * @param maxCarried the highest mean throughput of a concurrency level
 * @param reached    whether {@code maxCarried >= REACHED x xMax}
 * @param resamples  bootstrap resamples that converged
 */
public record ThroughputCeiling(UslResult usl, double xMax, double low, double high, double nAtMax, double maxCarried,
                                boolean reached, int resamples) {

    /** The share of the fitted ceiling the ramp must carry for the ceiling to count as measured. */
    public static final double REACHED = 0.9;
    /** Bootstrap resamples by default: enough for stable 2.5 % / 97.5 % quantiles of a smooth statistic. */
    public static final int DEFAULT_RESAMPLES = 400;

    /** Fits the ceiling with {@link #DEFAULT_RESAMPLES} resamples drawn from {@code seed}. */
    public static ThroughputCeiling fit(double[] clients, double[] throughput, long seed) {
        return fit(clients, throughput, seed, DEFAULT_RESAMPLES);
    }

    /** Fits the ceiling; at least {@link UslCsv#MIN_POINTS} points over three or more concurrencies. */
    public static ThroughputCeiling fit(double[] clients, double[] throughput, long seed, int resamples) {
        if (resamples < 20) throw new IllegalArgumentException("the bootstrap needs at least 20 resamples, was " + resamples);
        if (Arrays.stream(clients).distinct().count() < 3)
            throw new IllegalArgumentException("the ramp measured " + Arrays.stream(clients).distinct().count()
                    + " concurrency level(s); the USL needs at least three different ones");
        UslResult usl = UslFit.of(clients, throughput).result();
        double xMax = ceiling(usl.lambda(), usl.sigma(), usl.kappa());
        double nAtMax = usl.kappa() > 0 ? Math.max(1, Math.sqrt(Math.max(0, 1 - usl.sigma()) / usl.kappa())) : Double.POSITIVE_INFINITY;
        double carried = bestLevelMean(clients, throughput);
        int n = clients.length;
        double[] fitted = new double[n], resid = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            fitted[i] = usl.throughputAt(clients[i]);
            resid[i] = fitted[i] > 0 ? throughput[i] / fitted[i] - 1 : 0;
            mean += resid[i] / n;
        }
        double inflate = n > 3 ? Math.sqrt((double) n / (n - 3)) : 1;
        for (int i = 0; i < n; i++) resid[i] = (resid[i] - mean) * inflate;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] ceilings = new double[resamples];
        int ok = 0;
        double[] y = new double[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) y[i] = Math.max(0, fitted[i] * (1 + resid[rnd.nextInt(n)]));
            UslLeastSquares.Point p = new UslLeastSquares(clients, y.clone()).minimum();
            if (p == null) continue;
            double k = p.kappa() < UslFit.KAPPA_ZERO ? 0 : p.kappa(), s = p.sigma() < UslFit.SIGMA_ZERO ? 0 : p.sigma();
            ceilings[ok++] = ceiling(p.lambda(), s, k);
        }
        double low = Double.NaN, high = Double.NaN;
        if (ok >= 20) {
            double[] c = Arrays.copyOf(ceilings, ok);
            Arrays.sort(c);
            low = quantile(c, 0.025);
            high = quantile(c, 0.975);
        }
        return new ThroughputCeiling(usl, xMax, low, high, nAtMax, carried, Double.isFinite(xMax) && carried >= REACHED * xMax, ok);
    }

    /** The highest mean throughput of a concurrency level: what the ramp carried, robust to one lucky window. */
    static double bestLevelMean(double[] clients, double[] throughput) {
        java.util.Map<Double, double[]> sums = new java.util.HashMap<>();
        for (int i = 0; i < clients.length; i++) {
            double[] s = sums.computeIfAbsent(clients[i], k -> new double[2]);
            s[0] += throughput[i];
            s[1]++;
        }
        return sums.values().stream().mapToDouble(s -> s[0] / s[1]).max().orElse(0);
    }

    /** X_max of the USL with these coefficients: the peak, the asymptote, or infinite for linear scaling. */
    public static double ceiling(double lambda, double sigma, double kappa) {
        if (kappa > 0) {
            double n = Math.max(1, Math.sqrt(Math.max(0, 1 - sigma) / kappa));
            return UslFit.throughput(lambda, sigma, kappa, n);
        }
        return sigma > 0 ? lambda / sigma : Double.POSITIVE_INFINITY;
    }

    /** Linear interpolation between order statistics (type 7, R's default). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h), hi = Math.min(sorted.length - 1, lo + 1);
        double a = sorted[lo], b = sorted[hi];
        if (Double.isInfinite(a) || Double.isInfinite(b)) return h - lo > 0 ? b : a;
        return a + (h - lo) * (b - a);
    }
}
