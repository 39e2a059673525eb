package io.storecap.simulations;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the store a request comes from: store i of n with probability proportional to i^-s (Zipf),
 * by binary search over cumulative weights (computed once per store count).
 */
final class StorePicker {
    private final double exponent;
    private final Map<Integer, double[]> cumulative = new ConcurrentHashMap<>();

    StorePicker(double exponent) { this.exponent = exponent; }

    /** A store number in 1..n for a uniform random u in [0, 1). */
    int pick(int n, double u) {
        if (exponent == 0 || n == 1) return 1 + (int) Math.min(n - 1, Math.floor(u * n));
        double[] c = cumulative.computeIfAbsent(n, this::weights);
        int i = Arrays.binarySearch(c, u * c[n - 1]);
        return 1 + Math.min(n - 1, i >= 0 ? i : -i - 1);
    }

    /** Share of traffic of store i (1-based) among n. */
    double share(int n, int i) {
        double[] c = cumulative.computeIfAbsent(n, this::weights);
        return (c[i - 1] - (i > 1 ? c[i - 2] : 0)) / c[n - 1];
    }

    private double[] weights(int n) {
        double[] c = new double[n];
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += Math.pow(i + 1, -exponent);
            c[i] = acc;
        }
        return c;
    }
}
