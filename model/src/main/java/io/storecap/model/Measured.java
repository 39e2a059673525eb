package io.storecap.model;

/**
 * A measured capacity: the threshold in stores with its interval and the constraint that binds.
 *
 * @param threshold    best estimate, in stores (production-equivalent load); null when it could not be determined
 * @param low          lower end of the 95 % interval (a knee), or the lower bound itself
 * @param high         upper end of the 95 % interval; null when unbounded (every lower bound)
 * @param binding      the constraint that sets it, or why nothing did ({@link Binding})
 * @param lowerBound   true when no limit was reached: capacity is at least threshold
 * @param extrapolated true when the threshold lies beyond the largest load measured
 * @param extrapolatedEstimate on a lower bound: where the connection fit, extrapolated past the
 *                     measured levels, expects the limit (an extrapolation, never a measurement);
 *                     null otherwise or when there is no fit
 * @param kind         knee, lower-bound, machine-limited or none ({@link MeasuredKind})
 * @param replicates   how many times each end of the knee's bracket was measured with fresh seeds
 *                     (the smaller of the two counts); 0 for a lower bound
 * @param saturated    for machine-limited: what saturated, in words; null otherwise
 */
public record Measured(Double threshold, Double low, Double high, Binding binding, boolean lowerBound,
                       boolean extrapolated, Double extrapolatedEstimate, MeasuredKind kind, int replicates,
                       String saturated) {

    public Measured {
        if (kind == null) kind = threshold == null && low == null ? MeasuredKind.NONE
                : lowerBound ? MeasuredKind.LOWER_BOUND : MeasuredKind.KNEE;
    }

    public Measured(Double threshold, Double low, Double high, Binding binding, boolean lowerBound, boolean extrapolated,
                    Double extrapolatedEstimate) {
        this(threshold, low, high, binding, lowerBound, extrapolated, extrapolatedEstimate, null, 0, null);
    }

    public Measured(Double threshold, Double low, Double high, Binding binding, boolean lowerBound, boolean extrapolated) {
        this(threshold, low, high, binding, lowerBound, extrapolated, null);
    }

    public static Measured unknown(Binding binding) {
        return new Measured(null, null, null, binding, false, false, null, MeasuredKind.NONE, 0, null);
    }

    /** A knee with its interval and the number of replicates at each end of the bracket. */
    public static Measured knee(double point, double low, double high, Binding binding, int replicates) {
        return new Measured(point, low, high, binding, false, false, null, MeasuredKind.KNEE, replicates, null);
    }

    /** Capacity is at least {@code bound}; {@code saturated} names the machine's limit, or null when nothing bound. */
    public static Measured lowerBound(double bound, Binding binding, String saturated, Double extrapolatedEstimate) {
        return new Measured(bound, bound, null, binding, true, false, extrapolatedEstimate,
                saturated == null ? MeasuredKind.LOWER_BOUND : MeasuredKind.MACHINE_LIMITED, 0, saturated);
    }

    /** The interval's upper end, or +infinity when unbounded. */
    public double highOrInfinity() { return high == null ? Double.POSITIVE_INFINITY : high; }
}
