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
}
