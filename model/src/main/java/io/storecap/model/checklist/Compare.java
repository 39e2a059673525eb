package io.storecap.model.checklist;

import io.storecap.model.Binomial;
import io.storecap.model.Quantiles;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * The arithmetic of a checklist comparison, one method per kind of metric, each giving both sides
 * with their 95 % intervals and the effect (on - off) with its 95 % interval:
 * <ul>
 * <li>a quantile (p95, p99) of independent observations: each side's interval from order statistics,
 * distribution-free; the effect's interval is [on.low - off.high, on.high - off.low] with each side's
 * interval at {@link #SIDE} = sqrt(0.95), so by independence both cover at once with probability at
 * least 0.95;</li>
 * <li>a proportion (error rate): Clopper-Pearson intervals, combined the same way;</li>
 * <li>a peak count (the most Postgres connections a level held): an exact Poisson (Garwood) interval,
 * combined the same way. A level's peak is one draw; the spread of the peak of a Poisson-like
 * occupancy from run to run is smaller than a Poisson count's, so the interval is conservative (the
 * samples within a level follow each other and cannot give it);</li>
 * <li>a mean, or a ratio of sums (CPU per request over time slices): a percentile bootstrap of each
 * side and of the difference, resampling the two sides independently, seeded.</li>
 * </ul>
 */
public final class Compare {
    private Compare() {}

    /** Confidence of each side's interval inside an effect, so that both hold together at 95 %. */
    public static final double SIDE = Math.sqrt(0.95);
    public static final int RESAMPLES = 2000;

    /**
     * Lowest joint confidence at which an effect's interval may use an extreme observation where an
     * order statistic at {@link #SIDE} does not exist (85 values cannot bound a p95 at 98.7 % one-sided,
     * but their largest bounds it at 98.7 % less a hair: the pair's exact coverage is then 94.99 %).
     */
    public static final double MIN_JOINT = 0.94;

    /** The q-quantile of two distributions of independent observations. */
    public static Comparison quantile(Metric m, Distribution off, Distribution on, double q) {
        Estimate a = quantileEstimate(off, q, 0.95), b = quantileEstimate(on, q, 0.95);
        Side a2 = side(off, q), b2 = side(on, q);
        double joint = a2.coverage * b2.coverage;
        // too few values even with the extremes: the sides' own rank bounds at SIDE, open where missing
        if (joint < MIN_JOINT) return new Comparison(m, a, b, minkowski(m, a, b, a2.ranks, b2.ranks, 0.95));
        return new Comparison(m, a, b, minkowski(m, a, b, a2.bounds, b2.bounds, Math.min(joint, 0.999999)));
    }

    /**
     * One side's interval inside an effect: {@code ranks} as the order statistics give it (an end null
     * where the count cannot), {@code bounds} with the smallest/largest value in such an end, and the
     * exact coverage of {@code bounds} (0 for no values).
     */
    private record Side(Estimate ranks, Estimate bounds, double coverage) {}

    /**
     * The order statistics that bound the q-quantile at {@link #SIDE}, or the smallest/largest value
     * where the count cannot give one, with the exact coverage of [X(l), X(u)]: P(l <= B <= u - 1),
     * B ~ Binomial(n, q) (distribution-free for continuous data; ties only widen it).
     */
    private static Side side(Distribution d, double q) {
        int n = (int) d.count();
        if (n == 0) {
            Estimate none = new Estimate(0, null, null, 0);
            return new Side(none, none, 0);
        }
        double oneSided = 1 - (1 - SIDE) / 2;
        int lo = Quantiles.lowerBoundRank(n, q, oneSided), hi = Quantiles.upperBoundRank(n, q, oneSided);
        double value = d.quantile(q);
        Estimate ranks = new Estimate(value, lo < 0 ? null : (double) d.atRank(lo), hi < 0 ? null : (double) d.atRank(hi), n);
        if (lo < 0) lo = 1;
        if (hi < 0) hi = n;
        var b = new org.apache.commons.math3.distribution.BinomialDistribution(null, n, q);
        double coverage = b.cumulativeProbability(hi - 1) - b.cumulativeProbability(lo - 1);
        return new Side(ranks, new Estimate(value, (double) d.atRank(lo), (double) d.atRank(hi), n), coverage);
    }

    /** The q-quantile of a distribution with its two-sided interval at {@code confidence}. */
    public static Estimate quantileEstimate(Distribution d, double q, double confidence) {
        long n = d.count();
        if (n == 0) return new Estimate(0, null, null, 0);
        double oneSided = 1 - (1 - confidence) / 2;
        int lo = Quantiles.lowerBoundRank((int) n, q, oneSided), hi = Quantiles.upperBoundRank((int) n, q, oneSided);
        return new Estimate(d.quantile(q), lo < 0 ? null : (double) d.atRank(lo), hi < 0 ? null : (double) d.atRank(hi), n);
    }

    /** An error rate: k failed of n, off and on. */
    public static Comparison proportion(Metric m, long kOff, long nOff, long kOn, long nOn) {
        Estimate a = proportionEstimate(kOff, nOff, 0.95), b = proportionEstimate(kOn, nOn, 0.95);
        return new Comparison(m, a, b, minkowski(m, a, b, proportionEstimate(kOff, nOff, SIDE), proportionEstimate(kOn, nOn, SIDE)));
    }

    /** k of n with its two-sided Clopper-Pearson interval at {@code confidence}. */
    public static Estimate proportionEstimate(long k, long n, double confidence) {
        if (k < 0 || k > n) throw new IllegalArgumentException(k + " failures of " + n + " requests");
        if (n == 0) return new Estimate(0, null, null, 0);
        double oneSided = 1 - (1 - confidence) / 2;
        return new Estimate((double) k / n, Binomial.lower(k, n, oneSided), Binomial.upper(k, n, oneSided), n);
    }

    /** A value counted exactly (webhooks lost): no sampling error. */
    public static Comparison exact(Metric m, long off, long nOff, long on, long nOn) {
        Estimate a = Estimate.exact(off, nOff), b = Estimate.exact(on, nOn);
        double d = on - off;
        return new Comparison(m, a, b, Effect.of(d, d, d, m.band(off), m.lowerIsBetter));
    }

    /** Means of independent observations (connections each dashboard load held). */
    public static Comparison mean(Metric m, double[] off, double[] on, long seed) {
        return bootstrap(m, off.length, on.length, seed, (x, r) -> mean(x == 0 ? off : on, r));
    }

    /**
     * A ratio of sums over time slices, e.g. CPU ms over requests per 1 s slice: the slices are
     * resampled whole, so a slice's CPU stays with its requests.
     */
    public static Comparison ratio(Metric m, double[] numOff, double[] denOff, double[] numOn, double[] denOn, long seed) {
        if (numOff.length != denOff.length || numOn.length != denOn.length)
            throw new IllegalArgumentException("a ratio needs as many numerators as denominators");
        return bootstrap(m, numOff.length, numOn.length, seed,
                (x, r) -> x == 0 ? ratio(numOff, denOff, r) : ratio(numOn, denOn, r));
    }

    /**
     * Means of a series sampled in time (the app's Postgres connections at 10 Hz): a circular block
     * bootstrap (Politis and Romano 1992) with blocks of ceil(sqrt(n)) samples, so the samples that
     * follow each other (an instance's connections last its idle TTL) are resampled together.
     */
    public static Comparison seriesMean(Metric m, double[] off, double[] on, long seed) {
        return bootstrap(m, off.length, on.length, seed, (x, r) -> blockMean(x == 0 ? off : on, r));
    }

    static double blockMean(double[] x, SplittableRandom r) {
        if (r == null) return mean(x, null);
        int n = x.length, b = Math.max(1, (int) Math.ceil(Math.sqrt(n)));
        double s = 0;
        for (int k = 0; k < n; ) {
            int start = r.nextInt(n);
            for (int j = 0; j < b && k < n; j++, k++) s += x[(start + j) % n];
        }
        return s / n;
    }

    /** A peak count off and on (connections), each with its exact Poisson interval. */
    public static Comparison count(Metric m, long off, long on) {
        Estimate a = countEstimate(off, 0.95), b = countEstimate(on, 0.95);
        return new Comparison(m, a, b, minkowski(m, a, b, countEstimate(off, SIDE), countEstimate(on, SIDE)));
    }

    /** A count with its two-sided exact Poisson (Garwood) interval at {@code confidence}; its count is 1 (one draw). */
    public static Estimate countEstimate(long k, double confidence) {
        if (k < 0) throw new IllegalArgumentException("a count must be >= 0, was " + k);
        double a = (1 - confidence) / 2;
        double lo = k == 0 ? 0 : new org.apache.commons.math3.distribution.GammaDistribution(null, k, 1).inverseCumulativeProbability(a);
        double hi = new org.apache.commons.math3.distribution.GammaDistribution(null, k + 1, 1).inverseCumulativeProbability(1 - a);
        return new Estimate(k, lo, hi, 1);
    }

    /** A statistic of side 0 (off) or 1 (on), over a resample drawn with r (r null: the data as measured). */
    @FunctionalInterface
    interface Statistic {
        double of(int side, SplittableRandom r);
    }

    private static Comparison bootstrap(Metric m, int nOff, int nOn, long seed, Statistic stat) {
        if (nOff == 0 || nOn == 0) {
            Estimate a = nOff == 0 ? new Estimate(0, null, null, 0) : new Estimate(stat.of(0, null), null, null, nOff);
            Estimate b = nOn == 0 ? new Estimate(0, null, null, 0) : new Estimate(stat.of(1, null), null, null, nOn);
            return new Comparison(m, a, b, Effect.of(b.value() - a.value(), null, null, m.band(a.value()), m.lowerIsBetter));
        }
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[RESAMPLES], b = new double[RESAMPLES], d = new double[RESAMPLES];
        for (int i = 0; i < RESAMPLES; i++) {
            a[i] = stat.of(0, r);
            b[i] = stat.of(1, r);
            d[i] = b[i] - a[i];
        }
        double va = stat.of(0, null), vb = stat.of(1, null);
        Estimate off = new Estimate(va, percentile(a, 0.025), percentile(a, 0.975), nOff);
        Estimate on = new Estimate(vb, percentile(b, 0.025), percentile(b, 0.975), nOn);
        return new Comparison(m, off, on, Effect.of(vb - va, percentile(d, 0.025), percentile(d, 0.975), m.band(va), m.lowerIsBetter));
    }

    /** The effect's interval from each side's interval at {@link #SIDE}: [on.low - off.high, on.high - off.low]. */
    private static Effect minkowski(Metric m, Estimate off, Estimate on, Estimate off2, Estimate on2) {
        return minkowski(m, off, on, off2, on2, 0.95);
    }

    private static Effect minkowski(Metric m, Estimate off, Estimate on, Estimate off2, Estimate on2, double confidence) {
        Double low = on2.low() == null || off2.high() == null ? null : on2.low() - off2.high();
        Double high = on2.high() == null || off2.low() == null ? null : on2.high() - off2.low();
        return Effect.of(on.value() - off.value(), low, high, m.band(off.value()), m.lowerIsBetter, confidence, 0);
    }

    static double mean(double[] x, SplittableRandom r) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[r == null ? i : r.nextInt(x.length)];
        return s / x.length;
    }

    static double ratio(double[] num, double[] den, SplittableRandom r) {
        double a = 0, b = 0;
        for (int i = 0; i < num.length; i++) {
            int j = r == null ? i : r.nextInt(num.length);
            a += num[j];
            b += den[j];
        }
        return b <= 0 ? 0 : a / b;
    }

    static double quantile(double[] x, double q) {
        double[] s = x.clone();
        Arrays.sort(s);
        return Quantiles.nearestRank(s, q);
    }

    /** The p-th percentile of bootstrap replicates (nearest rank). */
    static double percentile(double[] x, double p) { return quantile(x, p); }

    /** A helper for callers with records: the values of a field as an array. */
    public static <T> double[] values(java.util.List<T> rows, ToDoubleFunction<T> f) {
        return rows.stream().mapToDouble(f).toArray();
    }
}
