package io.storecap.model.queue;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Gunther's Universal Scalability Law fitted by nonlinear least squares:
 * <pre>  X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1))</pre>
 * (N. J. Gunther, Guerrilla Capacity Planning, Springer 2007, eq. 4.31, with lambda = X(1) as a
 * free parameter as the R package usl does since 2.0, rather than normalising by a measured X(1)).
 * <p>
 * Method: Levenberg-Marquardt (Commons Math) on the analytic Jacobian
 * dX/dlambda = N/D, dX/dsigma = -lambda N (N-1)/D^2, dX/dkappa = -lambda N^2 (N-1)/D^2, with
 * D = 1 + sigma (N-1) + kappa N (N-1); sigma and kappa are kept &ge; 0 (negative values have no
 * physical meaning; R usl bounds them the same way). Several starting points are tried and the
 * lowest residual sum of squares kept, because the surface is flat in kappa. Standard errors come
 * from the asymptotic covariance s^2 (J'J)^-1 with s^2 = SSE / (n - 3), and the 95 % intervals are
 * estimate &plusmn; t(0.975, n - 3) x standard error (as R's summary of an nls fit reports).
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

    /** Fits X(N) to the points; at least {@link UslCsv#MIN_POINTS} are needed. */
    public static UslFit of(double[] concurrency, double[] throughput) {
        int n = concurrency.length;
        if (throughput.length != n) throw new IllegalArgumentException("concurrency and throughput differ in length");
        if (n < UslCsv.MIN_POINTS)
            throw new IllegalArgumentException("too few points: " + n + "; the USL fit needs at least " + UslCsv.MIN_POINTS);
        double lambda0 = 0;
        for (int i = 0; i < n; i++) {
            if (!(concurrency[i] > 0) || throughput[i] < 0)
                throw new IllegalArgumentException("point " + (i + 1) + ": concurrency must be > 0 and throughput >= 0");
            lambda0 = Math.max(lambda0, throughput[i] / concurrency[i]);
        }
        if (!(lambda0 > 0)) throw new IllegalArgumentException("every throughput is 0; there is nothing to fit");

        MultivariateJacobianFunction model = p -> {
            double lambda = p.getEntry(0), sigma = p.getEntry(1), kappa = p.getEntry(2);
            RealVector value = new ArrayRealVector(n);
            RealMatrix jac = new Array2DRowRealMatrix(n, 3);
            for (int i = 0; i < n; i++) {
                double x = concurrency[i];
                double d = 1 + sigma * (x - 1) + kappa * x * (x - 1);
                value.setEntry(i, lambda * x / d);
                jac.setEntry(i, 0, x / d);
                jac.setEntry(i, 1, -lambda * x * (x - 1) / (d * d));
                jac.setEntry(i, 2, -lambda * x * x * (x - 1) / (d * d));
            }
            return new Pair<>(value, jac);
        };
        LeastSquaresOptimizer.Optimum best = null;
        double bestSse = Double.POSITIVE_INFINITY;
        for (double s0 : new double[]{0.001, 0.01, 0.05, 0.2}) {
            for (double k0 : new double[]{1e-7, 1e-5, 1e-4, 1e-3, 1e-2}) {
                LeastSquaresOptimizer.Optimum o;
                try {
                    o = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                            .model(model)
                            .target(throughput)
                            .start(new double[]{lambda0, s0, k0})
                            .parameterValidator(p -> {
                                // keep the contention and coherency terms physical (>= 0), lambda positive
                                p.setEntry(0, Math.max(p.getEntry(0), 1e-12));
                                p.setEntry(1, Math.max(p.getEntry(1), 0));
                                p.setEntry(2, Math.max(p.getEntry(2), 0));
                                return p;
                            })
                            .maxEvaluations(10_000)
                            .maxIterations(10_000)
                            .build());
                } catch (RuntimeException e) {
                    continue; // this start did not converge; others will
                }
                double sse = o.getCost() * o.getCost();
                if (sse < bestSse) { bestSse = sse; best = o; }
            }
        }
        if (best == null) throw new IllegalArgumentException("the USL fit did not converge on this data");
        RealVector p = best.getPoint();
        double lambda = p.getEntry(0), sigma = p.getEntry(1), kappa = p.getEntry(2);
        // LM steps off the 0 bound by rounding noise; below 1e-12 the peak would lie beyond a million
        // concurrent units, i.e. there is no retrograde region in any measurable range
        if (kappa < KAPPA_ZERO) kappa = 0;
        if (sigma < 1e-12) sigma = 0;
        int df = n - 3;
        double s2 = bestSse / df;
        RealMatrix cov = best.getCovariances(1e-15).scalarMultiply(s2);
        double seL = Math.sqrt(cov.getEntry(0, 0)), seS = Math.sqrt(cov.getEntry(1, 1)), seK = Math.sqrt(cov.getEntry(2, 2));
        double t = new TDistribution(df).inverseCumulativeProbability(0.975);
        double mean = 0;
        for (double v : throughput) mean += v;
        mean /= n;
        double sst = 0;
        for (double v : throughput) sst += (v - mean) * (v - mean);
        double r2 = sst > 0 ? 1 - bestSse / sst : 1;
        Long peak = kappa > 0 ? (long) Math.floor(Math.sqrt(Math.max(0, 1 - sigma) / kappa)) : null;
        Double max;
        if (peak != null) max = throughput(lambda, sigma, kappa, Math.max(1, peak));
        else max = sigma > 0 ? lambda / sigma : null;
        UslResult r = new UslResult(sigma, kappa, lambda, new double[]{sigma - t * seS, sigma + t * seS},
                new double[]{kappa - t * seK, kappa + t * seK}, new double[]{lambda - t * seL, lambda + t * seL}, r2, peak, max);
        return new UslFit(r, seS, seK, seL, Math.sqrt(s2), n);
    }

    /** X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1)). */
    public static double throughput(double lambda, double sigma, double kappa, double n) {
        return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }
}
