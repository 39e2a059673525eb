package io.storecap.service;

/**
 * The service's time scale k: every emulated duration (function work, statement round trip, cold
 * start, idle TTL, pool timeout, an anti-pattern's external call or leak, and the runtime's zombie
 * hold, pg idle timeout, connect round trips, compute wake and deploy period) is k times its
 * production value, while the load generator divides every rate by k. The dimensionless operating
 * point (concurrency, arrivals per TTL, cold start over busy time) stays the same, so a machine
 * that cannot drive production rates can still reach a knee. What does not scale (real query time,
 * connection set-up, HTTP overhead) is why k has a floor (see the study's timeScale settings).
 * Changed at run time by {@code POST /internal/time-scale}; one per service.
 */
final class TimeScale {
    private volatile double k = 1;
    private volatile double idleTtlMs = -1;

    double k() { return k; }

    /** The production-equivalent idle TTL: the override when one is set, else the configured one. */
    double idleTtlMs(double configured) { return idleTtlMs >= 0 ? idleTtlMs : configured; }

    /** Overrides the idle TTL (production-equivalent ms) from now on; negative = back to the configured one. */
    void overrideIdleTtlMs(double ms) { idleTtlMs = ms; }

    void set(double factor) {
        if (!(factor > 0) || factor > 1000) throw new IllegalArgumentException("time scale must be in (0, 1000], was " + factor);
        k = factor;
    }

    /** A production duration in ms, scaled, in ms. */
    long ms(double productionMs) { return Math.round(productionMs * k); }

    /** A production duration in ms, scaled, in microseconds. */
    long micros(double productionMs) { return Math.round(productionMs * 1000 * k); }
}
