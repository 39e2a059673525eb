package io.storecap.model.fit;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Ordinary least squares y = a + b x with the quantities needed for its 95 % intervals.
 * Confidence half-width at x: t * s * sqrt(1/n + (x - xMean)^2 / Sxx); prediction half-width adds 1
 * under the root (Montgomery, Peck and Vining, Introduction to Linear Regression Analysis, 2.4).
 *
 * @param intercept        a
 * @param slope            b
 * @param rSquared         coefficient of determination
 * @param n                number of points
 * @param residualStdError s = sqrt(SSE / (n - 2))
 * @param xMean            mean of x
 * @param sxx              sum of (x - xMean)^2
 * @param tCritical        two-sided 97.5 % quantile of Student's t with n - 2 degrees of freedom
 */
public record LinearFit(double intercept, double slope, double rSquared, int n, double residualStdError,
                        double xMean, double sxx, double tCritical) implements Curve {

    /** Smallest number of points a fit with intervals needs (n - 2 >= 1 degrees of freedom). */
    public static final int MIN_POINTS = 3;

    /**
     * Fits y = a + b x by least squares (Commons Math {@link SimpleRegression}) with the t quantile
     * for 95 % two-sided intervals.
     *
     * @throws IllegalArgumentException with fewer than 3 points, unequal lengths, or all x equal
     */
    public static LinearFit of(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs " + y.length);
        if (x.length < MIN_POINTS) throw new IllegalArgumentException("a fit with intervals needs at least 3 points, got " + x.length);
        SimpleRegression r = new SimpleRegression(true);
        for (int i = 0; i < x.length; i++) r.addData(x[i], y[i]);
        double sxx = r.getXSumSquares();
        if (!(sxx > 0)) throw new IllegalArgumentException("all x values are equal; a slope cannot be fitted");
        double xMean = 0;
        for (double v : x) xMean += v;
        xMean /= x.length;
        int n = x.length;
        double s = Math.sqrt(Math.max(0, r.getSumSquaredErrors()) / (n - 2));
        double t = new TDistribution(n - 2).inverseCumulativeProbability(0.975);
        double r2 = r.getTotalSumSquares() > 0 ? r.getRSquare() : 1.0;
        return new LinearFit(r.getIntercept(), r.getSlope(), r2, n, s, xMean, sxx, t);
    }

    /**
     * The same fit with its residual standard error at least {@code minimum}: for data that are
     * rounded (counts), whose residuals can all be 0 while a new observation still varies by the
     * rounding. Only the intervals change; the coefficients and the selection criterion do not.
     */
    public LinearFit withMinimumResidual(double minimum) {
        return residualStdError >= minimum ? this : new LinearFit(intercept, slope, rSquared, n, minimum, xMean, sxx, tCritical);
    }

    public double predict(double x) { return intercept + slope * x; }

    public double confidenceHalfWidth(double x) {
        return tCritical * residualStdError * Math.sqrt(1.0 / n + sq(x - xMean) / sxx);
    }

    public double predictionHalfWidth(double x) {
        return tCritical * residualStdError * Math.sqrt(1.0 + 1.0 / n + sq(x - xMean) / sxx);
    }

    /** Sum of squared residuals, s^2 (n - 2). */
    public double sumSquaredErrors() { return sq(residualStdError) * (n - 2); }

    @Override public String kind() { return "linear"; }
    @Override public double lowerConfidence(double x) { return predict(x) - confidenceHalfWidth(x); }
    @Override public double upperConfidence(double x) { return predict(x) + confidenceHalfWidth(x); }
    @Override public double lowerPrediction(double x) { return predict(x) - predictionHalfWidth(x); }
    @Override public double upperPrediction(double x) { return predict(x) + predictionHalfWidth(x); }

    private static double sq(double v) { return v * v; }
}
