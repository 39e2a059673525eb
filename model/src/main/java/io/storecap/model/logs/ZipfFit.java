package io.storecap.model.logs;

import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

import java.util.Arrays;

/**
 * The store-size skew of the profile ({@code storeSizes.zipfExponent}: store i gets traffic in
 * proportion to i^-s) fitted to the stores' request counts.
 * <p>
 * Maximum likelihood: the stores are ranked by their counts and every request is taken to come from
 * the store of rank r with probability r^-s / H(N, s), so the log-likelihood is
 * {@code -s * sum(c_r ln r) - C ln H(N, s)}, concave in s, maximised on [0, {@link #MAX_EXPONENT}] by
 * Brent's method. The 95 % interval is from the Fisher information {@code C * Var_p(ln r)}; on its
 * own it says only how Poisson noise in the counts moves s, which is tiny with many requests, so it
 * is widened by the square root of the dispersion (Pearson's chi-square over N - 1 degrees of
 * freedom, the quasi-likelihood scale) when the stores scatter around the Zipf line more than
 * Poisson noise would: then Zipf describes them only roughly and the interval says so. Counts that
 * are Zipf and Poisson give a dispersion near or below 1 and the Fisher interval as it is.
 *
 * @param exponent   the fitted s
 * @param low        lower end of the 95 % interval (not below 0)
 * @param high       upper end (not above {@link #MAX_EXPONENT})
 * @param stores     N, stores in the fit (stores without requests included when the store count says so)
 * @param requests   C, their requests
 * @param dispersion Pearson chi-square / (N - 1)
 */
public record ZipfFit(double exponent, double low, double high, int stores, long requests, double dispersion) {
    /** The profile's limit (TrafficProfile rejects more). */
    public static final double MAX_EXPONENT = 3;
    /** Fewer stores than this say nothing about a skew. */
    public static final int MIN_STORES = 3;
    private static final double Z95 = 1.959963984540054;

    /** Fits the counts (any order; zeros are stores that sent nothing); null when fewer than {@link #MIN_STORES} stores or no requests. */
    public static ZipfFit fit(long[] counts) {
        long[] c = counts.clone();
        Arrays.sort(c);
        int n = c.length;
        long total = 0;
        for (long x : c) total += x;
        if (n < MIN_STORES || total == 0) return null;
        double[] lnRank = new double[n];
        double weighted = 0; // sum of c_r ln r, ranks from the biggest store
        for (int r = 1; r <= n; r++) {
            lnRank[r - 1] = Math.log(r);
            weighted += c[n - r] * lnRank[r - 1];
        }
        double sumLn = weighted;
        long sum = total;
        var objective = new UnivariateObjectiveFunction(s -> -s * sumLn - sum * Math.log(harmonic(lnRank, s)));
        double s = new BrentOptimizer(1e-12, 1e-12)
                .optimize(new MaxEval(500), objective, GoalType.MAXIMIZE, new SearchInterval(0, MAX_EXPONENT)).getPoint();
        double h = harmonic(lnRank, s), mean = 0, meanSq = 0, chi2 = 0;
        for (int r = 1; r <= n; r++) {
            double p = Math.exp(-s * lnRank[r - 1]) / h;
            mean += p * lnRank[r - 1];
            meanSq += p * lnRank[r - 1] * lnRank[r - 1];
            double expected = total * p, d = c[n - r] - expected;
            chi2 += d * d / expected;
        }
        double fisher = total * Math.max(meanSq - mean * mean, 1e-300);
        double dispersion = chi2 / (n - 1);
        double half = Z95 * Math.sqrt(Math.max(1, dispersion) / fisher);
        return new ZipfFit(s, Math.max(0, s - half), Math.min(MAX_EXPONENT, s + half), n, total, dispersion);
    }

    /** sum over ranks of r^-s. */
    private static double harmonic(double[] lnRank, double s) {
        double h = 0;
        for (double l : lnRank) h += Math.exp(-s * l);
        return h;
    }

    /** Whether {@code s} is inside the 95 % interval. */
    public boolean covers(double s) { return s >= low && s <= high; }
}
