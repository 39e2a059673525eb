package io.storecap.model.fit;

import java.util.function.DoubleUnaryOperator;

/** Where a curve first reaches a level: a scan for the bracket, then bisection to 1e-6 relative. */
public final class Crossings {
    private Crossings() {}

    /**
     * The smallest x in [from, to] with f(x) >= level, or NaN when f stays below it. The scan is
     * geometric so both a 10-store and a 100,000-store crossing get resolved; bands are smooth, so
     * 4000 steps cannot step over a crossing-and-return of any width that matters in stores.
     */
    public static double first(DoubleUnaryOperator f, double level, double from, double to) {
        if (!(to > from)) throw new IllegalArgumentException("crossing search needs to > from, got [" + from + ", " + to + "]");
        if (f.applyAsDouble(from) >= level) return from;
        double start = Math.max(from, 1e-9);
        int steps = 4000;
        double ratio = Math.pow(to / start, 1.0 / steps);
        double prev = from;
        for (int i = 1; i <= steps; i++) {
            double x = i == steps ? to : start * Math.pow(ratio, i);
            if (f.applyAsDouble(x) >= level) return bisect(f, level, prev, x);
            prev = x;
        }
        return Double.NaN;
    }

    private static double bisect(DoubleUnaryOperator f, double level, double below, double above) {
        for (int i = 0; i < 200 && above - below > 1e-6 * Math.max(1, Math.abs(above)); i++) {
            double mid = 0.5 * (below + above);
            if (f.applyAsDouble(mid) >= level) above = mid; else below = mid;
        }
        return above;
    }
}
