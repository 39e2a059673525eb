package io.storecap.model.queue;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * An optimiser independent of {@link UslFit}'s, for tests: the bounded USL least-squares minimum
 * found another way. Lambda is profiled out in closed form (for fixed sigma and kappa the model is
 * linear in lambda: lambda = sum(X f) / sum(f^2) with f = N / D), leaving SSE(sigma, kappa) on the
 * box sigma &ge; 0, kappa &ge; 0; that surface is scanned on a dense grid that includes both bounds
 * (kappa scaled by N_max^2 so that both axes are of order 1), and the best few grid points are
 * refined by Powell's BOBYQA (Commons Math), a derivative-free trust-region method that honours the
 * bounds itself. No Levenberg-Marquardt, no face enumeration, no Jacobian.
 */
final class UslReference {
    /** The minimum: coefficients and SSE. */
    record Min(double lambda, double sigma, double kappa, double sse) {}

    private static final double SIGMA_MAX = 10, SCALED_KAPPA_MAX = 1000;

    private UslReference() {}

    /** The least-squares minimum over lambda, sigma &ge; 0, kappa &ge; 0. */
    static Min minimum(double[] n, double[] x) {
        double nMax = 0;
        for (double v : n) nMax = Math.max(nMax, v);
        double scale = nMax * nMax;
        MultivariateFunction f = p -> profiledSse(n, x, p[0], p[1] / scale);
        // grid: 0 and 120 log-spaced values per axis
        double[] sigmas = axis(1e-5, SIGMA_MAX), kappas = axis(1e-6, SCALED_KAPPA_MAX);
        int keep = 5;
        double[][] starts = new double[keep][];
        double[] startSse = new double[keep];
        java.util.Arrays.fill(startSse, Double.POSITIVE_INFINITY);
        for (double s : sigmas) {
            for (double k : kappas) {
                double v = f.value(new double[]{s, k});
                for (int i = 0; i < keep; i++) {
                    if (v < startSse[i]) {
                        System.arraycopy(startSse, i, startSse, i + 1, keep - i - 1);
                        System.arraycopy(starts, i, starts, i + 1, keep - i - 1);
                        startSse[i] = v;
                        starts[i] = new double[]{s, k};
                        break;
                    }
                }
            }
        }
        double bestSse = Double.POSITIVE_INFINITY;
        double[] best = null;
        for (double[] start : starts) {
            double radius = Math.max(1e-3, 0.1 * Math.max(start[0], start[1]));
            PointValuePair o = new BOBYQAOptimizer(5, radius, 1e-13).optimize(new MaxEval(100_000),
                    new ObjectiveFunction(f), GoalType.MINIMIZE, new InitialGuess(start),
                    new SimpleBounds(new double[]{0, 0}, new double[]{SIGMA_MAX, SCALED_KAPPA_MAX}));
            if (o.getValue() < bestSse) { bestSse = o.getValue(); best = o.getPoint(); }
        }
        double sigma = best[0], kappa = best[1] / scale;
        return new Min(lambda(n, x, sigma, kappa), sigma, kappa, bestSse);
    }

    /**
     * The least-squares minimum with one coefficient held at {@code value} (sigma if
     * {@code holdSigma}, else kappa), over lambda and the other coefficient &ge; 0: a grid over the
     * other, then golden-section search between the grid neighbours of the best grid point.
     */
    static Min minimumHolding(double[] n, double[] x, boolean holdSigma, double value) {
        double nMax = 0;
        for (double v : n) nMax = Math.max(nMax, v);
        double scale = holdSigma ? nMax * nMax : 1;
        java.util.function.DoubleUnaryOperator f = other -> holdSigma
                ? profiledSse(n, x, value, other / scale) : profiledSse(n, x, other, value);
        double[] grid = holdSigma ? axis(1e-6, SCALED_KAPPA_MAX) : axis(1e-6, SIGMA_MAX);
        int bestI = 0;
        for (int i = 1; i < grid.length; i++) if (f.applyAsDouble(grid[i]) < f.applyAsDouble(grid[bestI])) bestI = i;
        double a = grid[Math.max(0, bestI - 1)], b = grid[Math.min(grid.length - 1, bestI + 1)];
        double g = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 300 && b - a > 1e-15; i++) {
            double c = b - g * (b - a), d = a + g * (b - a);
            if (f.applyAsDouble(c) < f.applyAsDouble(d)) b = d;
            else a = c;
        }
        double other = 0.5 * (a + b);
        if (f.applyAsDouble(0) <= f.applyAsDouble(other)) other = 0;
        double sigma = holdSigma ? value : other, kappa = holdSigma ? other / scale : value;
        return new Min(lambda(n, x, sigma, kappa), sigma, kappa, profiledSse(n, x, sigma, kappa));
    }

    static double sse(double[] n, double[] x, double lambda, double sigma, double kappa) {
        double s = 0;
        for (int i = 0; i < n.length; i++) {
            double r = x[i] - lambda * n[i] / (1 + sigma * (n[i] - 1) + kappa * n[i] * (n[i] - 1));
            s += r * r;
        }
        return s;
    }

    private static double lambda(double[] n, double[] x, double sigma, double kappa) {
        double xf = 0, ff = 0;
        for (int i = 0; i < n.length; i++) {
            double f = n[i] / (1 + sigma * (n[i] - 1) + kappa * n[i] * (n[i] - 1));
            xf += x[i] * f;
            ff += f * f;
        }
        return xf / ff;
    }

    private static double profiledSse(double[] n, double[] x, double sigma, double kappa) {
        return sse(n, x, lambda(n, x, sigma, kappa), sigma, kappa);
    }

    private static double[] axis(double from, double to) {
        int steps = 120;
        double[] a = new double[steps + 1];
        for (int i = 0; i < steps; i++) a[i + 1] = from * Math.pow(to / from, i / (double) (steps - 1));
        return a;
    }
}
