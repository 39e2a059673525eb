package io.storecap.model.checklist;

/**
 * One side of a comparison (the step off, or on): the measured value, its 95 % interval and the
 * count it rests on (requests, loads, samples or webhooks, as the metric says). A bound is null when
 * the count is too small to give it (a p95 needs 59 values for an upper bound, a p99 299).
 *
 * @param value what was measured
 * @param low   the interval's low end, or null
 * @param high  the interval's high end, or null
 * @param count how many observations it rests on
 */
public record Estimate(double value, Double low, Double high, long count) {
    public Estimate {
        if (!Double.isFinite(value)) throw new IllegalArgumentException("an estimate must be a finite number, was " + value);
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, was " + count);
        if (low != null && high != null && low > high)
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] is upside down");
    }

    /** A value known exactly (a count of lost webhooks): its interval is the value itself. */
    public static Estimate exact(double value, long count) { return new Estimate(value, value, value, count); }

    /** Whether both ends of the interval are known. */
    public boolean bounded() { return low != null && high != null; }
}
