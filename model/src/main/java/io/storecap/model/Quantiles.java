package io.storecap.model;

/**
 * Nearest-rank quantiles: the q-quantile of n sorted values is the value at rank ceil(q * n)
 * (1-based), i.e. the smallest value with at least a fraction q of the values at or below it.
 * Every p50/p95/p99 storecap reports (requests, connections, samples) is defined this way.
 */
public final class Quantiles {
    private Quantiles() {}

    /** The nearest-rank q-quantile (0 <= q <= 1) of values sorted ascending; there must be at least one. */
    public static double nearestRank(double[] sorted, double q) {
        return sorted[index(sorted.length, q)];
    }

    /** The same over whole numbers (latencies in ms). */
    public static long nearestRank(long[] sorted, double q) {
        return sorted[index(sorted.length, q)];
    }

    private static int index(int n, double q) {
        if (n == 0) throw new IllegalArgumentException("a quantile of no values");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile must be in [0, 1], was " + q);
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(q * n) - 1));
    }

    /**
     * The 1-based rank j of the order statistic that is a one-sided upper confidence bound of the
     * q-quantile at level {@code confidence}, distribution-free: the smallest j with
     * P(Binomial(n, q) &lt; j) &ge; confidence (the number of values at or below the true quantile is
     * Binomial(n, q)). Returns -1 when even the largest value is not enough (n too small; for the
     * p95 at 95 % that needs n &ge; 59).
     */
    public static int upperBoundRank(int n, double q, double confidence) {
        if (n <= 0) return -1;
        org.apache.commons.math3.distribution.BinomialDistribution b =
                new org.apache.commons.math3.distribution.BinomialDistribution(null, n, q);
        for (int j = Math.max(1, (int) Math.floor(q * n)); j <= n; j++)
            if (b.cumulativeProbability(j - 1) >= confidence) return j;
        return -1;
    }

    /**
     * The 1-based rank j of the order statistic that is a one-sided lower confidence bound of the
     * q-quantile: the largest j with P(Binomial(n, q) &ge; j) &ge; confidence; -1 when none is.
     */
    public static int lowerBoundRank(int n, double q, double confidence) {
        if (n <= 0) return -1;
        org.apache.commons.math3.distribution.BinomialDistribution b =
                new org.apache.commons.math3.distribution.BinomialDistribution(null, n, q);
        for (int j = Math.min(n, (int) Math.ceil(q * n)); j >= 1; j--)
            if (1 - b.cumulativeProbability(j - 1) >= confidence) return j;
        return -1;
    }

    /** The one-sided lower confidence bound of the q-quantile of sorted values, or null when there are too few. */
    public static Long lowerBound(long[] sorted, double q, double confidence) {
        int j = lowerBoundRank(sorted.length, q, confidence);
        return j < 0 ? null : sorted[j - 1];
    }

    /** The one-sided upper confidence bound of the q-quantile of sorted values, or null when there are too few. */
    public static Long upperBound(long[] sorted, double q, double confidence) {
        int j = upperBoundRank(sorted.length, q, confidence);
        return j < 0 ? null : sorted[j - 1];
    }
}
