package io.storecap.model.queue;

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
 * The bounded least-squares problem behind {@link UslFit}: minimise
 * <pre>  SSE(lambda, sigma, kappa) = sum_i (X_i - lambda N_i / (1 + sigma (N_i - 1) + kappa N_i (N_i - 1)))^2</pre>
 * over lambda &gt; 0, sigma &ge; 0, kappa &ge; 0 (Gunther, Guerrilla Capacity Planning, Springer 2007).
 * <p>
 * Method: the box {sigma &ge; 0, kappa &ge; 0} has four faces (its interior; the edge kappa = 0; the
 * edge sigma = 0; the corner sigma = kappa = 0). The bounded minimum is a stationary point of the
 * model restricted to the one face whose relative interior holds it (the Karush-Kuhn-Tucker
 * conditions), so each face's reduced model is fitted <em>unconstrained</em> by Levenberg-Marquardt
 * from several starts, fits that leave the box are dropped, and the feasible fit with the smallest
 * SSE is the answer. The reduced models are X = lambda N / (1 + sigma (N - 1)) (Amdahl, kappa = 0),
 * X = lambda N / (1 + kappa N (N - 1)) (sigma = 0) and X = lambda N (both 0), whose lambda has the
 * closed form sum(X N) / sum(N^2). (Clamping the coefficients at 0 inside the iterations instead stops
 * short of the minimum when it lies on a bound: the step is cut, the other coefficients not re-solved.)
 * <p>
 * Either coefficient can also be held at a given value, which {@link #profileUpper} uses to trace
 * the profile of SSE in that coefficient.
 */
final class UslLeastSquares {
    private static final double[] SIGMA_STARTS_WITH_KAPPA = {0.001, 0.01, 0.05, 0.2};
    private static final double[] KAPPA_STARTS_WITH_SIGMA = {1e-7, 1e-5, 1e-4, 1e-3, 1e-2};
    private static final double[] SIGMA_STARTS = {1e-4, 1e-3, 0.01, 0.05, 0.2, 0.5, 1};
    private static final double[] KAPPA_STARTS = {1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2};

    private final double[] n;
    private final double[] x;

    UslLeastSquares(double[] concurrency, double[] throughput) {
        this.n = concurrency;
        this.x = throughput;
    }

    /** A candidate: the coefficients and their residual sum of squares. */
    record Point(double lambda, double sigma, double kappa, double sse) {}

    /** The least-squares minimum over lambda &gt; 0, sigma &ge; 0, kappa &ge; 0. */
    Point minimum() { return minimum(Double.NaN, Double.NaN); }

    /**
     * The least-squares minimum with sigma held at {@code sigmaHeld} and kappa at {@code kappaHeld}
     * where those are not NaN, the others free within their bounds; null if no fit converged.
     */
    Point minimum(double sigmaHeld, double kappaHeld) {
        boolean sigmaFree = Double.isNaN(sigmaHeld), kappaFree = Double.isNaN(kappaHeld);
        double sigma0 = sigmaFree ? 0 : sigmaHeld, kappa0 = kappaFree ? 0 : kappaHeld;
        // the corner of the free coefficients: lambda alone, in closed form
        Point best = point(bestLambda(sigma0, kappa0), sigma0, kappa0);
        if (!feasible(best)) best = null;
        if (sigmaFree) best = better(best, face(true, false, sigma0, kappa0, SIGMA_STARTS, null));
        if (kappaFree) best = better(best, face(false, true, sigma0, kappa0, null, KAPPA_STARTS));
        if (sigmaFree && kappaFree)
            best = better(best, face(true, true, sigma0, kappa0, SIGMA_STARTS_WITH_KAPPA, KAPPA_STARTS_WITH_SIGMA));
        return best;
    }

    /**
     * The upper end of the profile interval of a coefficient whose estimate sits on its bound 0:
     * the smallest value v &gt; 0 at which the least-squares minimum with that coefficient held at v
     * (the others refitted within their bounds) reaches {@code threshold}. Starts its bracket at
     * {@code guess}; returns NaN if the profile never reaches the threshold.
     *
     * @param sigma true for sigma, false for kappa
     */
    double profileUpper(boolean sigma, double threshold, double guess) {
        double lo = 0, hi = guess > 0 && Double.isFinite(guess) ? guess : (sigma ? 1e-3 : 1e-7);
        int doublings = 0;
        while (profileSse(sigma, hi) < threshold) {
            lo = hi;
            hi *= 2;
            if (++doublings > 200) return Double.NaN;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (profileSse(sigma, mid) < threshold) lo = mid;
            else hi = mid;
        }
        return hi;
    }

    private double profileSse(boolean sigma, double value) {
        Point p = sigma ? minimum(value, Double.NaN) : minimum(Double.NaN, value);
        return p == null ? Double.POSITIVE_INFINITY : p.sse();
    }

    /** The least-squares lambda for fixed sigma and kappa: sum(X f) / sum(f^2) with f = N / D. */
    double bestLambda(double sigma, double kappa) {
        double xf = 0, ff = 0;
        for (int i = 0; i < n.length; i++) {
            double f = n[i] / denominator(sigma, kappa, n[i]);
            xf += x[i] * f;
            ff += f * f;
        }
        return xf / ff;
    }

    /** SSE at a point. */
    double sse(double lambda, double sigma, double kappa) {
        double s = 0;
        for (int i = 0; i < n.length; i++) {
            double r = x[i] - UslFit.throughput(lambda, sigma, kappa, n[i]);
            s += r * r;
        }
        return s;
    }

    /** The n x 3 Jacobian of X(N) in (lambda, sigma, kappa). */
    RealMatrix jacobian(double lambda, double sigma, double kappa) {
        RealMatrix j = new Array2DRowRealMatrix(n.length, 3);
        for (int i = 0; i < n.length; i++) {
            double m = n[i], d = denominator(sigma, kappa, m);
            j.setEntry(i, 0, m / d);
            j.setEntry(i, 1, -lambda * m * (m - 1) / (d * d));
            j.setEntry(i, 2, -lambda * m * m * (m - 1) / (d * d));
        }
        return j;
    }

    private static double denominator(double sigma, double kappa, double m) {
        return 1 + sigma * (m - 1) + kappa * m * (m - 1);
    }

    private Point point(double lambda, double sigma, double kappa) {
        return new Point(lambda, sigma, kappa, sse(lambda, sigma, kappa));
    }

    private boolean feasible(Point p) {
        if (!(p.lambda() > 0 && p.sigma() >= 0 && p.kappa() >= 0 && Double.isFinite(p.sse()))) return false;
        for (double m : n) if (!(denominator(p.sigma(), p.kappa(), m) > 0)) return false;
        return true;
    }

    private static Point better(Point a, Point b) {
        if (a == null) return b;
        if (b == null) return a;
        return b.sse() < a.sse() ? b : a;
    }

    /**
     * One face: lambda and the coefficients marked free fitted without bounds (the others at their
     * fixed values), from each start; the best fit that stays in the box, or null.
     */
    private Point face(boolean fitSigma, boolean fitKappa, double sigmaFixed, double kappaFixed,
                       double[] sigmaStarts, double[] kappaStarts) {
        int k = 1 + (fitSigma ? 1 : 0) + (fitKappa ? 1 : 0);
        MultivariateJacobianFunction model = p -> {
            double lambda = p.getEntry(0);
            double sigma = fitSigma ? p.getEntry(1) : sigmaFixed;
            double kappa = fitKappa ? p.getEntry(k - 1) : kappaFixed;
            RealVector value = new ArrayRealVector(n.length);
            RealMatrix jac = new Array2DRowRealMatrix(n.length, k);
            for (int i = 0; i < n.length; i++) {
                double m = n[i], d = denominator(sigma, kappa, m);
                value.setEntry(i, lambda * m / d);
                jac.setEntry(i, 0, m / d);
                if (fitSigma) jac.setEntry(i, 1, -lambda * m * (m - 1) / (d * d));
                if (fitKappa) jac.setEntry(i, k - 1, -lambda * m * m * (m - 1) / (d * d));
            }
            return new Pair<>(value, jac);
        };
        Point best = null;
        for (double s0 : fitSigma ? sigmaStarts : new double[]{sigmaFixed}) {
            for (double k0 : fitKappa ? kappaStarts : new double[]{kappaFixed}) {
                double[] start = new double[k];
                start[0] = bestLambda(s0, k0);
                if (fitSigma) start[1] = s0;
                if (fitKappa) start[k - 1] = k0;
                LeastSquaresOptimizer.Optimum o;
                try {
                    o = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
                            .model(model).target(x).start(start)
                            .maxEvaluations(10_000).maxIterations(10_000).build());
                } catch (RuntimeException e) {
                    continue; // this start did not converge; others will
                }
                RealVector p = o.getPoint();
                Point c = point(p.getEntry(0), fitSigma ? p.getEntry(1) : sigmaFixed, fitKappa ? p.getEntry(k - 1) : kappaFixed);
                if (feasible(c)) best = better(best, c);
            }
        }
        return best;
    }
}
