package io.storecap.model;

/**
 * A measured capacity: the threshold in stores with its interval and the constraint that binds.
 *
 * @param threshold    best estimate, in stores; null when it could not be determined (see reason)
 * @param low          lower end of the 95 % interval
 * @param high         upper end of the 95 % interval; null when unbounded
 * @param binding      the constraint that sets it: "connections", "refusals", "p95", "errors",
 *                     "pooler-clients", "stair-top" (nothing bound within the tested range),
 *                     "test-machine" (the test machine saturated first), or "no-run"
 * @param lowerBound   true when no limit was reached within the stair: capacity is at least threshold
 * @param extrapolated true when the threshold lies beyond the largest store count measured
 * @param extrapolatedEstimate on a lower bound: where the connection fit, extrapolated past the
 *                     measured levels, expects the limit (an extrapolation, never a measurement);
 *                     null otherwise or when there is no fit
 */
public record Measured(Double threshold, Double low, Double high, String binding, boolean lowerBound,
                       boolean extrapolated, Double extrapolatedEstimate) {

    public Measured(Double threshold, Double low, Double high, String binding, boolean lowerBound, boolean extrapolated) {
        this(threshold, low, high, binding, lowerBound, extrapolated, null);
    }

    public static Measured unknown(String binding) { return new Measured(null, null, null, binding, false, false, null); }

    /** The interval's upper end, or +infinity when unbounded. */
    public double highOrInfinity() { return high == null ? Double.POSITIVE_INFINITY : high; }
}
