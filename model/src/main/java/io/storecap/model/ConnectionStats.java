package io.storecap.model;

/** A connection count sampled over a window: mean, 95th percentile and maximum of the samples. */
public record ConnectionStats(double mean, double p95, double max, int samples) {
    public static final ConnectionStats EMPTY = new ConnectionStats(0, 0, 0, 0);
}
