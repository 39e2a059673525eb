package io.storecap.model;

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
                        double xMean, double sxx, double tCritical) {

    public double predict(double x) { return intercept + slope * x; }

    public double confidenceHalfWidth(double x) {
        return tCritical * residualStdError * Math.sqrt(1.0 / n + sq(x - xMean) / sxx);
    }

    public double predictionHalfWidth(double x) {
        return tCritical * residualStdError * Math.sqrt(1.0 + 1.0 / n + sq(x - xMean) / sxx);
    }

    private static double sq(double v) { return v * v; }
}
