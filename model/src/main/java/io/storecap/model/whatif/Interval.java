package io.storecap.model.whatif;

/**
 * A prediction with its interval.
 *
 * @param point best estimate (median)
 * @param low   lower end
 * @param high  upper end
 */
public record Interval(double point, double low, double high) {
    public boolean contains(double x) { return x >= low && x <= high; }
}
