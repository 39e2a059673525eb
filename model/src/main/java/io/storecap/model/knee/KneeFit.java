package io.storecap.model.knee;

import java.util.List;

/**
 * The knee from pass/fail observations by load: a probit model in log-load,
 * <pre>P(fail | load) = Phi((ln load - mu) / sigma)</pre>
 * fitted by maximum likelihood, with the knee = exp(mu) (the load at which a level fails half the
 * time) and its 95 % interval from the profile likelihood: every mu whose best log-likelihood over
 * sigma lies within {@link #HALF_CHI2} of the maximum (Venzon and Moolgavkar 1988), a drop
 * calibrated by simulation to cover at least 95 % at these sample sizes. With
 * cleanly separated replicates (all passes below all failures) the likelihood is flat between the
 * highest pass and the lowest failure; the point is then their geometric midpoint, and the
 * interval ends where the replicates at either end make a further move unlikely. Replicates that
 * disagree widen it. sigma is searched from {@link #MIN_SIGMA} (0.5 % of load: closer than that,
 * arrival noise alone decides) to 2.
 *
 * <p>Pure grid search (a coarse pass in steps of 2 % of load, then 0.1 % where the likelihood is
 * high; 80 sigmas on a log grid): no optimiser that can stop short of the flat region's edge.
 */
public final class KneeFit {
    /** One level: its load (stores, production-equivalent, as achieved) and whether it failed. */
    public record Observation(double load, boolean failed) {
        public Observation {
            if (!(load > 0)) throw new IllegalArgumentException("an observation's load must be > 0, was " + load);
        }
    }

    /** The knee in stores with its 95 % interval. */
    public record Knee(double point, double low, double high) {}

    static final double MIN_SIGMA = 0.005;
    private static final double MAX_SIGMA = 2;
    private static final int SIGMAS = 48;
    private static final double STEP = 0.001;
    /**
     * The likelihood drop that bounds the interval. The asymptotic 1.92 (chi-square(1) 95 % / 2)
     * covers the true knee only 70-93 % of the time at a search's sample sizes (20-30 levels, 3
     * replicates) when the transition is sharp; 2.71 (the 98 % quantile / 2) covers it at least
     * 95 % of the time for transition widths from 1 % to 15 % of load (KneeFitTest).
     */
    static final double HALF_CHI2 = 2.706;

    private KneeFit() {}

    /** The knee, or null unless there is at least one pass and one failure. */
    public static Knee fit(List<Observation> obs) { return fit(obs, HALF_CHI2); }

    static Knee fit(List<Observation> obs, double halfChi2) {
        boolean anyPass = obs.stream().anyMatch(o -> !o.failed());
        boolean anyFail = obs.stream().anyMatch(Observation::failed);
        if (!anyPass || !anyFail) return null;
        int n = obs.size();
        double[] x = new double[n];
        boolean[] y = new boolean[n];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x[i] = Math.log(obs.get(i).load());
            y[i] = obs.get(i).failed();
            lo = Math.min(lo, x[i]);
            hi = Math.max(hi, x[i]);
        }
        double[] sigmas = new double[SIGMAS];
        for (int i = 0; i < SIGMAS; i++) sigmas[i] = MIN_SIGMA * Math.pow(MAX_SIGMA / MIN_SIGMA, i / (SIGMAS - 1.0));
        // a coarse pass over the whole range finds where the likelihood is high; a fine pass resolves it
        double[] coarse = profile(x, y, sigmas, lo - 1, hi + 1, 0.02);
        double coarseBest = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < coarse.length; j++) coarseBest = Math.max(coarseBest, coarse[j]);
        int first = -1, last = -1;
        for (int j = 0; j < coarse.length; j++) {
            if (coarse[j] >= coarseBest - halfChi2 - 2) {
                if (first < 0) first = j;
                last = j;
            }
        }
        double from = lo - 1 + (first - 1) * 0.02, to = lo - 1 + (last + 1) * 0.02;
        double step = Math.max(STEP, (to - from) / 600); // at most 600 points: 0.1 % of load, coarser when the likelihood is broad
        double[] fine = profile(x, y, sigmas, from, to, step);
        double best = Double.NEGATIVE_INFINITY;
        for (double p : fine) best = Math.max(best, p);
        // the flat top (within rounding) gives the point; the 1.92 drop gives the interval
        int topFirst = -1, topLast = -1, ciFirst = -1, ciLast = -1;
        for (int j = 0; j < fine.length; j++) {
            if (fine[j] >= best - 1e-6) {
                if (topFirst < 0) topFirst = j;
                topLast = j;
            }
            if (fine[j] >= best - halfChi2) {
                if (ciFirst < 0) ciFirst = j;
                ciLast = j;
            }
        }
        double point = from + (topFirst + topLast) / 2.0 * step;
        return new Knee(Math.exp(point), Math.exp(from + ciFirst * step), Math.exp(from + ciLast * step));
    }

    /** The profile log-likelihood (best over sigma) at mu = from, from + step, ..., to. */
    private static double[] profile(double[] x, boolean[] y, double[] sigmas, double from, double to, double step) {
        int m = (int) Math.ceil((to - from) / step) + 1;
        double[] out = new double[m];
        for (int j = 0; j < m; j++) {
            double mu = from + j * step;
            double p = Double.NEGATIVE_INFINITY;
            for (double s : sigmas) p = Math.max(p, logLikelihood(x, y, mu, s));
            out[j] = p;
        }
        return out;
    }

    static double logLikelihood(double[] x, boolean[] y, double mu, double sigma) {
        double ll = 0;
        for (int i = 0; i < x.length; i++) {
            double z = (x[i] - mu) / sigma;
            ll += y[i] ? logPhi(z) : logPhi(-z);
        }
        return ll;
    }

    /** ln Phi(z), in log space throughout so the far tails neither underflow nor lose precision. */
    static double logPhi(double z) {
        double x = -z / Math.sqrt(2);
        if (x >= 0) return Math.log(0.5) + logErfc(x);
        return Math.log1p(-0.5 * Math.exp(logErfc(-x)));
    }

    /**
     * ln erfc(x) for x &gt;= 0: the Chebyshev fit of Numerical Recipes (erfcc, fractional error
     * below 1.2e-7 everywhere), kept in log form.
     */
    static double logErfc(double x) {
        double t = 1.0 / (1.0 + 0.5 * x);
        return Math.log(t) - x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277))))))));
    }
}
