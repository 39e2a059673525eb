package io.storecap.model;

import java.util.Arrays;

/** A connection count sampled over a window: mean, 95th percentile and maximum of the samples. */
public record ConnectionStats(double mean, double p95, double max, int samples) {
    public static final ConnectionStats EMPTY = new ConnectionStats(0, 0, 0, 0);

    /** The statistics of the sampled values (in any order); EMPTY when there are none. */
    public static ConnectionStats of(double[] values) {
        if (values.length == 0) return EMPTY;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (double x : sorted) sum += x;
        return new ConnectionStats(sum / sorted.length, Quantiles.nearestRank(sorted, 0.95), sorted[sorted.length - 1], sorted.length);
    }
}
