package io.storecap.model;

/**
 * Response times and outcomes of a set of requests (one level, or one request kind in a level).
 * {@code p95UpperMs} and {@code p95LowerMs} are one-sided 95 % confidence bounds of the p95 (order
 * statistics, distribution-free); null when too few requests to bound it (fewer than 59 for the
 * upper bound) or not recorded.
 */
public record RequestStats(long count, long ok, long ko, double meanMs, double p50Ms, double p95Ms,
                           double p99Ms, double maxMs, Double p95UpperMs, Double p95LowerMs) {
    public static final RequestStats EMPTY = new RequestStats(0, 0, 0, 0, 0, 0, 0, 0, null, null);

    public RequestStats(long count, long ok, long ko, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
        this(count, ok, ko, meanMs, p50Ms, p95Ms, p99Ms, maxMs, null, null);
    }

    /** The same statistics with every time divided by {@code k} (emulated to production-equivalent). */
    public RequestStats unscaled(double k) {
        if (k == 1 || count == 0) return this;
        return new RequestStats(count, ok, ko, meanMs / k, p50Ms / k, p95Ms / k, p99Ms / k, maxMs / k,
                p95UpperMs == null ? null : p95UpperMs / k, p95LowerMs == null ? null : p95LowerMs / k);
    }

    /** Failed requests over all requests; 0 when there were none. */
    public double errorRate() { return count == 0 ? 0 : (double) ko / count; }
}
