package io.storecap.model;

/** Response times and outcomes of a set of requests (one level, or one request kind in a level). */
public record RequestStats(long count, long ok, long ko, double meanMs, double p50Ms, double p95Ms,
                           double p99Ms, double maxMs) {
    public static final RequestStats EMPTY = new RequestStats(0, 0, 0, 0, 0, 0, 0, 0);

    /** Failed requests over all requests; 0 when there were none. */
    public double errorRate() { return count == 0 ? 0 : (double) ko / count; }
}
