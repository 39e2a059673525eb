package io.storecap.model.checklist;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whole-number observations (latencies in ms, delays in ms) as distinct values with their counts,
 * ascending: what the simulation's histograms hold, without keeping every request. Order statistics
 * are read from it exactly.
 */
public final class Distribution {
    private final long[] values;
    private final long[] counts;
    private final long n;

    private Distribution(long[] values, long[] counts) {
        this.values = values;
        this.counts = counts;
        long total = 0;
        for (long c : counts) total += c;
        this.n = total;
    }

    /** From value -> count pairs (any order; counts must be >= 0). */
    public static Distribution of(Map<Long, Long> valueCounts) {
        TreeMap<Long, Long> sorted = new TreeMap<>();
        valueCounts.forEach((v, c) -> {
            if (c < 0) throw new IllegalArgumentException("a count must be >= 0, was " + c + " for " + v);
            if (c > 0) sorted.merge(v, c, Long::sum);
        });
        return new Distribution(sorted.keySet().stream().mapToLong(Long::longValue).toArray(),
                sorted.values().stream().mapToLong(Long::longValue).toArray());
    }

    /** From raw observations. */
    public static Distribution ofValues(long... raw) {
        Map<Long, Long> m = new TreeMap<>();
        for (long v : raw) m.merge(v, 1L, Long::sum);
        return of(m);
    }

    /** From [value, count] pairs, as levels.json's histograms hold them. */
    public static Distribution ofPairs(long[][] pairs) {
        Map<Long, Long> m = new TreeMap<>();
        for (long[] p : pairs) {
            if (p.length != 2) throw new IllegalArgumentException("a histogram entry is [value, count], was " + Arrays.toString(p));
            m.merge(p[0], p[1], Long::sum);
        }
        return of(m);
    }

    /** Two distributions as one (a step's requests of two kinds, or two levels). */
    public Distribution plus(Distribution other) {
        Map<Long, Long> m = new TreeMap<>();
        for (int i = 0; i < values.length; i++) m.merge(values[i], counts[i], Long::sum);
        for (int i = 0; i < other.values.length; i++) m.merge(other.values[i], other.counts[i], Long::sum);
        return of(m);
    }

    public long count() { return n; }

    /** The value of 1-based rank {@code rank} in ascending order. */
    public long atRank(long rank) {
        if (rank < 1 || rank > n) throw new IllegalArgumentException("rank " + rank + " of " + n + " values");
        long seen = 0;
        for (int i = 0; i < values.length; i++) {
            seen += counts[i];
            if (seen >= rank) return values[i];
        }
        throw new IllegalStateException("unreachable");
    }

    /** The nearest-rank q-quantile (as {@link io.storecap.model.Quantiles} defines it). */
    public long quantile(double q) {
        if (n == 0) throw new IllegalArgumentException("a quantile of no values");
        return atRank(Math.max(1, Math.min(n, (long) Math.ceil(q * n))));
    }

    /** Every observation, ascending (for the bootstrap); refuses more than a million. */
    public double[] expand() {
        if (n > 1_000_000) throw new IllegalArgumentException(n + " observations are too many to expand");
        double[] out = new double[(int) n];
        int k = 0;
        for (int i = 0; i < values.length; i++) for (long c = 0; c < counts[i]; c++) out[k++] = values[i];
        return out;
    }
}
