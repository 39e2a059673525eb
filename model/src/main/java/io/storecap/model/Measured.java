package io.storecap.model;

/**
 * A measured capacity: the threshold in stores with its interval and the constraint that binds.
 *
 * @param threshold    best estimate, in stores; null when it could not be determined (see reason)
 * @param low          lower end of the 95 % interval
 * @param high         upper end of the 95 % interval; null when unbounded
 * @param binding      the constraint that sets it: "connections", "refusals", "p95", "errors",
 *                     "stair-top" (nothing bound within the tested range), or "test-machine"
 * @param lowerBound   true when no limit was reached within the stair: capacity is at least threshold
 * @param extrapolated true when the estimate lies beyond the largest store count measured
 */
public record Measured(Double threshold, Double low, Double high, String binding, boolean lowerBound,
                       boolean extrapolated) {
    public static Measured unknown(String binding) { return new Measured(null, null, null, binding, false, false); }
}
