package io.storecap.service;

import java.util.Arrays;

/**
 * Queued-webhook delays (acknowledged to processed): percentiles over the most recent
 * {@code window} deliveries, the maximum and the count since start. A window rather than every
 * delay keeps memory bounded over a soak; the sampler reads /metrics often enough that the
 * window covers the level it is in.
 */
final class DelayStats {
    /** A reading; the percentiles are 0 before the first delivery. */
    record Summary(long count, double p50Ms, double p99Ms, double maxMs) {}

    private final double[] ring;
    private long count;
    private double max;

    DelayStats(int window) { ring = new double[window]; }

    synchronized void record(double ms) {
        ring[(int) (count % ring.length)] = ms;
        count++;
        max = Math.max(max, ms);
    }

    synchronized Summary summary() {
        int n = (int) Math.min(count, ring.length);
        if (n == 0) return new Summary(0, 0, 0, 0);
        double[] sorted = Arrays.copyOf(ring, n);
        Arrays.sort(sorted);
        return new Summary(count, quantile(sorted, 0.50), quantile(sorted, 0.99), max);
    }

    /** Nearest-rank quantile. */
    private static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
