package io.storecap.model;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * Exact (Clopper-Pearson) one-sided confidence bounds of a proportion: k failures in n requests.
 * With k = 0 the upper bound is 1 - alpha^(1/n), so 0 failures in 299 requests bound the error
 * rate below 1 % with 95 % confidence (1 - 0.05^(1/299) = 0.00997), the "rule of three".
 */
public final class Binomial {
    private Binomial() {}

    /** One-sided upper bound at {@code confidence} (e.g. 0.95); 1 when n = 0. */
    public static double upper(long k, long n, double confidence) {
        if (n <= 0) return 1;
        if (k >= n) return 1;
        return new BetaDistribution(null, k + 1, n - k).inverseCumulativeProbability(confidence);
    }

    /** One-sided lower bound at {@code confidence}; 0 when k = 0. */
    public static double lower(long k, long n, double confidence) {
        if (n <= 0 || k <= 0) return 0;
        if (k >= n) return Math.pow(1 - confidence, 1.0 / n);
        return new BetaDistribution(null, k, n - k + 1).inverseCumulativeProbability(1 - confidence);
    }

    /** The fewest requests that, with none failing, bound the rate below {@code rate} at {@code confidence}. */
    public static long requestsToBound(double rate, double confidence) {
        return (long) Math.ceil(Math.log(1 - confidence) / Math.log(1 - rate));
    }
}
