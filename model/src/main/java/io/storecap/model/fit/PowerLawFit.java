package io.storecap.model.fit;


/**
 * y = a x^b, fitted as the straight line ln y = ln a + b ln x (so errors are multiplicative, which
 * suits counts whose spread grows with their size). Bands are the log-space OLS bands mapped back
 * through exp: exp is monotone, so a 95 % band in ln y is a 95 % band in y (around the median
 * a x^b). Candidate beside {@link LinearFit}; see {@link FitSelection} for how one is chosen.
 *
 * @param a     scale: y at x = 1
 * @param b     exponent: 1 is linear growth, below 1 sub-linear (connections shared as load grows)
 * @param n     number of points
 * @param logFit the straight-line fit in log-log space
 */
public record PowerLawFit(double a, double b, int n, LinearFit logFit) implements Curve {

    /** Fits y = a x^b; every x and y must be positive. */
    public static PowerLawFit of(double[] x, double[] y) {
        double[] lx = new double[x.length], ly = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] > 0) || !(y[i] > 0))
                throw new IllegalArgumentException("a power law needs positive x and y, got (" + x[i] + ", " + y[i] + ")");
            lx[i] = Math.log(x[i]);
            ly[i] = Math.log(y[i]);
        }
        LinearFit f = LinearFit.of(lx, ly);
        return new PowerLawFit(Math.exp(f.intercept()), f.slope(), f.n(), f);
    }

    @Override public String kind() { return "power"; }
    @Override public double predict(double x) { return a * Math.pow(x, b); }
    @Override public double lowerConfidence(double x) { return Math.exp(logFit.lowerConfidence(Math.log(x))); }
    @Override public double upperConfidence(double x) { return Math.exp(logFit.upperConfidence(Math.log(x))); }
    @Override public double lowerPrediction(double x) { return Math.exp(logFit.lowerPrediction(Math.log(x))); }
    @Override public double upperPrediction(double x) { return Math.exp(logFit.upperPrediction(Math.log(x))); }
    @Override public double domainStart() { return 1e-6; }
}
