package io.storecap.model.serverless;

/**
 * How many function instances an arrival rate keeps warm, with cold starts and the platform's
 * dispatch, in steady state. Busy instances N ~ Poisson(a), a = lambda x S_eff (Little's law,
 * M/G/infinity). The pieces, each checked against {@link PoolSimulation} in the tests:
 * <ul>
 * <li><b>Cold starts lengthen busy time</b>: a request that starts an instance is busy for S + C,
 * so S_eff = S + C f, f the fraction of requests that cold start; f depends on S_eff, and the
 * map is increasing and bounded by S + C, so iterating from S converges to the smallest fixed point.</li>
 * <li><b>Most-recently-used</b>: an instance survives while the pool needs it, W(t) = max N over the
 * last TTL (Poisson clumping, {@link ServerlessModel#meanMax}); a request cold starts when N climbs
 * to a level not reached within the last TTL: f = sum_k p(k) exp(-lambda TTL p(k)) (entries into
 * level k+1 come at rate lambda p(k); none in the TTL before). f = 1 at TTL 0.</li>
 * <li><b>Least-recently-used</b>: an idle instance is the next one picked after the other idle ones,
 * so none is reclaimed while W - a &lt; lambda TTL: the pool keeps the largest concurrency of the
 * window, up to a + lambda TTL.</li>
 * <li><b>Random</b>: idle instances share the arrivals, so each of the W - a idle ones is picked at
 * rate lambda / (W - a), and one goes unpicked for a TTL with probability exp(-lambda TTL / (W - a)):
 * instances are reclaimed at rate lambda exp(-lambda TTL / (W - a)). Over a window H that is less
 * than one reclaim while W - a &lt; lambda TTL / ln(lambda H): the pool keeps the window's largest
 * concurrency, as LRU does, up to a + lambda TTL / ln(lambda H). Never below the MRU pool.</li>
 * </ul>
 */
public final class InstanceDynamics {
    private InstanceDynamics() {}

    /** Mean busy time per request with cold starts included, at arrival rate lambda. */
    public static double effectiveSeconds(double lambda, ServerlessParameters p, double windowSeconds) {
        double s = p.functionSeconds(), c = p.coldStartSeconds();
        if (c <= 0 || lambda <= 0) return s;
        double x = s;
        for (int i = 0; i < 60; i++) {
            double next = s + c * coldFraction(lambda, x, p.idleTtlSeconds(), p.dispatch(), windowSeconds);
            if (Math.abs(next - x) <= 1e-6 * x) return next;
            x = next;
        }
        return x;
    }

    /** The fraction of requests that start a new instance, at busy time sEff per request. */
    public static double coldFraction(double lambda, double sEff, double ttl, Dispatch d, double windowSeconds) {
        double a = lambda * sEff;
        if (a <= 0) return 0;
        double mru = mruColdFraction(lambda, a, ttl);
        return switch (d) {
            case MRU -> mru;
            // these pools keep the window's peak: a cold start is a new maximum, about W of them per window
            case RANDOM, LRU -> Math.min(mru, stickyPool(lambda, sEff, ttl, windowSeconds, d) / (lambda * Math.max(windowSeconds + ttl, 1e-9)));
        };
    }

    /** Mean warm instances at arrival rate lambda (the window matters for LRU only: its pool keeps the window's peak). */
    public static double meanWarm(double lambda, ServerlessParameters p, double windowSeconds) {
        double s = effectiveSeconds(lambda, p, windowSeconds);
        double mru = ServerlessModel.meanMax(lambda, s, p.idleTtlSeconds());
        return switch (p.dispatch()) {
            case MRU -> mru;
            case RANDOM, LRU -> Math.max(mru, stickyPool(lambda, s, p.idleTtlSeconds(), windowSeconds, p.dispatch()));
        };
    }

    /** The q-quantile of the most instances warm at once over a window. */
    public static int peakInstances(double lambda, ServerlessParameters p, double windowSeconds, double q) {
        double s = effectiveSeconds(lambda, p, windowSeconds);
        int mru = ServerlessModel.maxQuantile(lambda, s, windowSeconds + p.idleTtlSeconds(), q);
        return switch (p.dispatch()) {
            case MRU -> mru;
            // the pool holds the window's peak, up to its cap
            case RANDOM, LRU -> (int) Math.min(mru, Math.ceil(lambda * s + lambda * p.idleTtlSeconds() / spread(lambda, p.idleTtlSeconds(), windowSeconds, p.dispatch())));
        };
    }

    /** f for MRU: sum over k of p(k) exp(-lambda TTL p(k)), Poisson(a) pmf in log space (a may be large). */
    static double mruColdFraction(double lambda, double a, double ttl) {
        // the pmf outside a +- 12 sd (and 30) is below 1e-30: summing it changes nothing
        int kMin = (int) Math.max(0, Math.floor(a - 12 * Math.sqrt(a) - 30));
        int kMax = (int) Math.ceil(a + 12 * Math.sqrt(a) + 30);
        double logA = Math.log(a), logP = kMin * logA - a - org.apache.commons.math3.special.Gamma.logGamma(kMin + 1.0), f = 0;
        for (int k = kMin; k <= kMax; k++) {
            if (k > kMin) logP += logA - Math.log(k);
            double pk = Math.exp(logP);
            f += pk * Math.exp(-lambda * ttl * pk);
        }
        return Math.min(1, f);
    }

    /** The LRU or random pool over a window: the window's mean peak concurrency, at most a + lambda TTL / spread. */
    static double stickyPool(double lambda, double s, double ttl, double windowSeconds, Dispatch d) {
        return Math.min(lambda * s + lambda * ttl / spread(lambda, ttl, windowSeconds, d),
                ServerlessModel.meanMax(lambda, s, windowSeconds + ttl));
    }

    /** 1 for LRU; ln(lambda H) for random (the idle spell a random pick leaves is exponential, not the LRU's fixed round). */
    private static double spread(double lambda, double ttl, double windowSeconds, Dispatch d) {
        return d == Dispatch.RANDOM ? Math.max(1, Math.log(lambda * (windowSeconds + ttl))) : 1;
    }

    /**
     * The q-quantile of the most instances warm at once in a level that starts from an empty pool,
     * ramps its rate linearly from 0 over {@code rampSeconds} and then holds it for {@code seconds},
     * all shorter than the idle TTL, as a knee-search level does: nothing is reclaimed, so the pool is
     * the most instances ever busy at once. Two things set it:
     * <ul>
     * <li>the cold-start storm of the ramp: until the first instance has started (C seconds) no
     * instance is free, so every arrival of the ramp's first C seconds starts one: Poisson with mean
     * lambda C^2 / (2 ramp) (lambda (C - ramp / 2) when the ramp is shorter than C);</li>
     * <li>the running maximum of N over the level, with S_eff = S + C min(1, E[max N] / (lambda x seconds))
     * (each new maximum is a cold start).</li>
     * </ul>
     */
    public static int freshPoolPeak(double lambda, ServerlessParameters p, double rampSeconds, double seconds, double q) {
        double s = p.functionSeconds(), x = s, c = p.coldStartSeconds();
        if (c > 0 && lambda > 0 && seconds > 0) {
            for (int i = 0; i < 60; i++) {
                double next = s + c * Math.min(1, ServerlessModel.meanMax(lambda, x, seconds) / (lambda * seconds));
                if (Math.abs(next - x) <= 1e-6 * x) { x = next; break; }
                x = next;
            }
        }
        int running = ServerlessModel.maxQuantile(lambda, x, seconds, q);
        if (c <= 0 || rampSeconds <= 0 || lambda <= 0) return running;
        double arrivals = rampSeconds >= c ? lambda * c * c / (2 * rampSeconds) : lambda * (c - rampSeconds / 2);
        if (arrivals <= 0) return running;
        int storm = new org.apache.commons.math3.distribution.PoissonDistribution(null, arrivals,
                org.apache.commons.math3.distribution.PoissonDistribution.DEFAULT_EPSILON,
                org.apache.commons.math3.distribution.PoissonDistribution.DEFAULT_MAX_ITERATIONS).inverseCumulativeProbability(q);
        return Math.max(running, storm);
    }
}
