package io.storecap.model.queue;

import java.util.Locale;

/**
 * A Universal Scalability Law fit, in the shape {@code ./storecap model usl --json} prints: exactly
 * the keys sigma, kappa, lambda, sigmaCi, kappaCi, lambdaCi, rSquared, peakConcurrency,
 * maxThroughput. See {@link UslFit} for the model and the method.
 *
 * @param sigma           contention (serial fraction)
 * @param kappa           coherency (crosstalk) penalty
 * @param lambda          throughput at concurrency 1 (the ideal per-unit rate)
 * <p>
 * The intervals are [low, high] at 95 %, never below 0. For a coefficient inside its range they are
 * estimate &plusmn; t(0.975, n - 3) x standard error (cut at 0). For sigma or kappa exactly 0, i.e. on
 * its bound, the interval is one-sided, [0, upper], with upper where the profile of the residual sum
 * of squares crosses the F-test threshold; see {@link UslFit}.
 *
 * @param sigmaCi         95 % confidence interval of sigma, [low, high]; [0, upper] when sigma = 0
 * @param kappaCi         95 % confidence interval of kappa; [0, upper] when kappa = 0
 * @param lambdaCi        95 % confidence interval of lambda
 * @param rSquared        1 - SSE / SST
 * @param peakConcurrency floor(sqrt((1 - sigma) / kappa)); null when kappa = 0 (no retrograde peak)
 * @param maxThroughput   X(peakConcurrency); with kappa = 0 the asymptote lambda / sigma; null when
 *                        both are 0 (linear scaling, no maximum)
 */
public record UslResult(double sigma, double kappa, double lambda, double[] sigmaCi, double[] kappaCi,
                        double[] lambdaCi, double rSquared, Long peakConcurrency, Double maxThroughput) {

    /** Fits the USL to a parsed CSV. */
    public static UslResult fit(UslCsv csv) { return UslFit.of(csv.concurrency(), csv.throughput()).result(); }

    /** X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1)). */
    public double throughputAt(double n) { return UslFit.throughput(lambda, sigma, kappa, n); }

    private static final String ON_BOUND = " (at its bound 0: a one-sided interval)";

    /** What the command prints without --json. */
    public String toText() {
        return String.format(Locale.ROOT, """
                sigma  (contention)   %.6g  95 %% CI [%.6g, %.6g]%s
                kappa  (coherency)    %.6g  95 %% CI [%.6g, %.6g]%s
                lambda (X at N=1)     %.6g  95 %% CI [%.6g, %.6g]
                R-squared             %.4f
                peak concurrency      %s
                max throughput        %s
                """, sigma, sigmaCi[0], sigmaCi[1], sigma == 0 ? ON_BOUND : "", kappa, kappaCi[0], kappaCi[1], kappa == 0 ? ON_BOUND : "",
                lambda, lambdaCi[0], lambdaCi[1],
                rSquared, peakConcurrency == null ? "none (kappa = 0: no retrograde region)" : peakConcurrency.toString(),
                maxThroughput == null ? "unbounded (sigma = kappa = 0: linear scaling)" : String.format(Locale.ROOT, "%.6g", maxThroughput));
    }

    @Override public boolean equals(Object o) {
        return o instanceof UslResult r && sigma == r.sigma && kappa == r.kappa && lambda == r.lambda
                && java.util.Arrays.equals(sigmaCi, r.sigmaCi) && java.util.Arrays.equals(kappaCi, r.kappaCi)
                && java.util.Arrays.equals(lambdaCi, r.lambdaCi) && rSquared == r.rSquared
                && java.util.Objects.equals(peakConcurrency, r.peakConcurrency) && java.util.Objects.equals(maxThroughput, r.maxThroughput);
    }

    @Override public int hashCode() {
        return java.util.Objects.hash(sigma, kappa, lambda, java.util.Arrays.hashCode(sigmaCi), java.util.Arrays.hashCode(kappaCi),
                java.util.Arrays.hashCode(lambdaCi), rSquared, peakConcurrency, maxThroughput);
    }

    @Override public String toString() { return toText(); }
}
