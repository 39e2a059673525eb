package io.storecap.model.queue;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Gunther's Universal Scalability Law fitted by nonlinear least squares:
 * <pre>  X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1))</pre>
 * (N. J. Gunther, Guerrilla Capacity Planning, Springer 2007, eq. 4.31, with lambda = X(1) as a
 * free parameter as the R package usl does since 2.0, rather than normalising by a measured X(1);
 * the same model as codahale/usl4j).
 * <p>
 * Method: the least-squares minimum over lambda &gt; 0, sigma &ge; 0, kappa &ge; 0 (negative values
 * have no physical meaning; R usl bounds them the same way), solved as a bounded problem: the full
 * model and each reduced model with a coefficient at its bound 0 (kappa = 0: Amdahl's law; sigma = 0;
 * both 0: linear) are fitted by Levenberg-Marquardt (Commons Math) on the analytic Jacobian
 * dX/dlambda = N/D, dX/dsigma = -lambda N (N-1)/D^2, dX/dkappa = -lambda N^2 (N-1)/D^2, with
 * D = 1 + sigma (N-1) + kappa N (N-1), from several starts (the surface is flat in kappa), and the
 * feasible fit with the smallest residual sum of squares (SSE) is kept; see {@link UslLeastSquares}.
 * On data without a retrograde region this puts kappa at exactly 0 and sigma and lambda at the
 * Amdahl fit, the minimum R's usl (nlxb with bounds) reports.
 * <p>
 * Standard errors come from the asymptotic covariance s^2 (J'J)^-1 of the full three-coefficient
 * model at the estimate, with s^2 = SSE / (n - 3) (as R's summary of an nls fit and R usl report,
 * also when a coefficient is on its bound). Intervals, at 95 %, with t = t(0.975, n - 3):
 * <ul>
 *   <li>a coefficient inside its range: estimate &plusmn; t x standard error, the lower end cut at 0
 *       where it would fall below (sigma, kappa and lambda cannot be negative);</li>
 *   <li>sigma or kappa on its bound (estimate exactly 0): one-sided, [0, upper], where upper is where
 *       the profile of the SSE (the least-squares minimum with that coefficient held there and the
 *       others refitted within their bounds) reaches SSE (1 + t^2 / (n - 3)), the F-test threshold
 *       that gives back estimate &plusmn; t x standard error on a linear model. A symmetric Wald
 *       interval would be meaningless there: half of it is outside the parameter space. The
 *       reported standard error of that coefficient is still the Wald one.</li>
 * </ul>
 * Peak concurrency is floor(sqrt((1 - sigma) / kappa)) and the maximum throughput X there
 * (as codahale/usl4j).
 *
 * @param result            the published numbers
 * @param sigmaStdError     standard error of sigma
 * @param kappaStdError     standard error of kappa
 * @param lambdaStdError    standard error of lambda
 * @param residualStdError  s = sqrt(SSE / (n - 3))
 * @param n                 number of points
 */
public record UslFit(UslResult result, double sigmaStdError, double kappaStdError, double lambdaStdError,
                     double residualStdError, int n) {

    /** Kappa below this is reported as 0: no peak. */
    public static final double KAPPA_ZERO = 1e-12;

    /** Sigma below this is reported as 0. */
    static final double SIGMA_ZERO = 1e-12;

    /** Fits X(N) to the points; at least {@link UslCsv#MIN_POINTS} are needed. */
    public static UslFit of(double[] concurrency, double[] throughput) {
        int n = concurrency.length;
        if (throughput.length != n) throw new IllegalArgumentException("concurrency and throughput differ in length");
        if (n < UslCsv.MIN_POINTS)
            throw new IllegalArgumentException("too few points: " + n + "; the USL fit needs at least " + UslCsv.MIN_POINTS);
        boolean anyThroughput = false;
        for (int i = 0; i < n; i++) {
            if (!(concurrency[i] > 0) || !(throughput[i] >= 0) || !Double.isFinite(concurrency[i]) || !Double.isFinite(throughput[i]))
                throw new IllegalArgumentException("point " + (i + 1) + ": concurrency must be > 0 and throughput >= 0");
            anyThroughput |= throughput[i] > 0;
        }
        if (!anyThroughput) throw new IllegalArgumentException("every throughput is 0; there is nothing to fit");

        UslLeastSquares ls = new UslLeastSquares(concurrency.clone(), throughput.clone());
        UslLeastSquares.Point best = ls.minimum();
        if (best == null) throw new IllegalArgumentException("the USL fit did not converge on this data");
        // kappa below 1e-12 puts the peak beyond a million concurrent units, i.e. there is no retrograde
        // region in any measurable range: such a fit is the bound's, so refit with it held at 0 (same for sigma)
        double sigmaHeld = Double.NaN, kappaHeld = Double.NaN;
        for (int pass = 0; pass < 2; pass++) {
            boolean tinySigma = best.sigma() > 0 && best.sigma() < SIGMA_ZERO, tinyKappa = best.kappa() > 0 && best.kappa() < KAPPA_ZERO;
            if (!tinySigma && !tinyKappa) break;
            if (tinySigma) sigmaHeld = 0;
            if (tinyKappa) kappaHeld = 0;
            UslLeastSquares.Point refit = ls.minimum(sigmaHeld, kappaHeld);
            if (refit == null) break;
            best = refit;
        }
        double lambda = best.lambda(), sigma = best.sigma(), kappa = best.kappa();
        if (kappa < KAPPA_ZERO) kappa = 0;
        if (sigma < SIGMA_ZERO) sigma = 0;
        double sse = ls.sse(lambda, sigma, kappa);
        int df = n - 3;
        double s2 = sse / df;
        RealMatrix j = ls.jacobian(lambda, sigma, kappa);
        RealMatrix cov;
        try {
            cov = new QRDecomposition(j.transpose().multiply(j), 1e-15).getSolver().getInverse().scalarMultiply(s2);
        } catch (SingularMatrixException e) {
            throw new IllegalArgumentException("the points do not pin down sigma, kappa and lambda apart; measure at least three "
                    + "different concurrency levels");
        }
        double seL = Math.sqrt(cov.getEntry(0, 0)), seS = Math.sqrt(cov.getEntry(1, 1)), seK = Math.sqrt(cov.getEntry(2, 2));
        double t = new TDistribution(df).inverseCumulativeProbability(0.975);
        double threshold = sse * (1 + t * t / df);
        double[] sigmaCi = sigma > 0 ? wald(sigma, t * seS) : new double[]{0, onBound(ls, true, sse, threshold, t * seS)};
        double[] kappaCi = kappa > 0 ? wald(kappa, t * seK) : new double[]{0, onBound(ls, false, sse, threshold, t * seK)};
        double mean = 0;
        for (double v : throughput) mean += v;
        mean /= n;
        double sst = 0;
        for (double v : throughput) sst += (v - mean) * (v - mean);
        double r2 = sst > 0 ? 1 - sse / sst : 1;
        Long peak = kappa > 0 ? (long) Math.floor(Math.sqrt(Math.max(0, 1 - sigma) / kappa)) : null;
        Double max;
        if (peak != null) max = throughput(lambda, sigma, kappa, Math.max(1, peak));
        else max = sigma > 0 ? lambda / sigma : null;
        UslResult r = new UslResult(sigma, kappa, lambda, sigmaCi, kappaCi, wald(lambda, t * seL), r2, peak, max);
        return new UslFit(r, seS, seK, seL, Math.sqrt(s2), n);
    }

    /** estimate &plusmn; half-width, not below 0. */
    private static double[] wald(double estimate, double halfWidth) {
        return new double[]{Math.max(0, estimate - halfWidth), estimate + halfWidth};
    }

    /** The upper end of the one-sided interval of a coefficient at 0: the profile's, else the Wald one. */
    private static double onBound(UslLeastSquares ls, boolean sigma, double sse, double threshold, double waldHalfWidth) {
        if (!(sse > 0)) return Double.isFinite(waldHalfWidth) ? waldHalfWidth : 0; // an exact fit: no spread to profile
        double upper = ls.profileUpper(sigma, threshold, waldHalfWidth);
        return Double.isFinite(upper) ? upper : waldHalfWidth;
    }

    /** X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1)). */
    public static double throughput(double lambda, double sigma, double kappa, double n) {
        return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }
}
