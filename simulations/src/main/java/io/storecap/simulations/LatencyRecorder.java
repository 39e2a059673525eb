package io.storecap.simulations;

import io.storecap.model.Quantiles;
import io.storecap.model.RequestStats;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Response times per level and request kind, recorded by the simulation itself. Gatling 3.13+
 * keeps its statistics in a binary log and HTML only, so the per-level numbers the model needs are
 * taken here, from Gatling's own response-time measurement, and written as JSON (levels.json's
 * "requests": "all", then each kind).
 *
 * <p>Each level and kind has an HdrHistogram from {@value #LOWEST_MS} ms to {@value #HIGHEST_MS} ms
 * (one hour) at {@value #DIGITS} significant digits, so memory is fixed (about 100 KB a series,
 * whatever the number of requests). A level's "all" is its kinds' histograms merged. Values are
 * whole milliseconds; a latency below 0 is recorded as 0 and one above an hour as an hour.
 *
 * <p>Precision: count, ok, ko, mean and max are exact. p50, p95, p99 are nearest-rank order
 * statistics (rank ceil(q n), as {@link Quantiles#nearestRank(long[], double)} defines them) read
 * from the histogram at that rank: exact below 2048 ms, where a bucket is 1 ms wide, and above it
 * the top of the value's bucket (never below the exact order statistic, at most 0.1 % above it,
 * and never above the exact max). The distribution-free 95 % bounds of the p95 are the order
 * statistics at {@link Quantiles#upperBoundRank} and {@link Quantiles#lowerBoundRank}, read the
 * same way: the upper bound at the top of its bucket, the lower bound at the bottom of its bucket
 * (at most 0.1 % below the exact one), so both stay conservative to the histogram's precision.
 */
public final class LatencyRecorder {
    static final long LOWEST_MS = 1;
    static final long HIGHEST_MS = 3_600_000;
    static final int DIGITS = 3;

    private final int levels;
    /** Level index -> request kind -> series; a series exists once a request of it was recorded. */
    private final Map<Integer, Map<String, Series>> series = new ConcurrentHashMap<>();

    public LatencyRecorder(int levels) { this.levels = levels; }

    /**
     * One level's requests of one kind. Recording is a few array increments under the series's
     * lock: only the requests of one kind in one level contend for it.
     */
    private static final class Series {
        private final Histogram histogram = histogram();
        private long ko;
        private long sum;
        private long max;

        synchronized void add(long ms, boolean ok) {
            long v = Math.max(0, ms);
            histogram.recordValue(Math.min(v, HIGHEST_MS));
            sum += v;
            max = Math.max(max, v);
            if (!ok) ko++;
        }

        /** Adds this series into a level's totals. */
        synchronized void addTo(Totals t) {
            t.histogram.add(histogram);
            t.ko += ko;
            t.sum += sum;
            t.max = Math.max(t.max, max);
        }
    }

    /** A merged view: the histogram and the exact figures of one or more series. */
    private static final class Totals {
        final Histogram histogram = histogram();
        long ko;
        long sum;
        long max;

        void add(Totals other) {
            histogram.add(other.histogram);
            ko += other.ko;
            sum += other.sum;
            max = Math.max(max, other.max);
        }

        RequestStats stats() {
            long n = histogram.getTotalCount();
            if (n == 0) return RequestStats.EMPTY;
            int upperRank = Quantiles.upperBoundRank((int) n, 0.95, 0.95);
            int lowerRank = Quantiles.lowerBoundRank((int) n, 0.95, 0.95);
            return new RequestStats(n, n - ko, ko, (double) sum / n, quantile(0.50), quantile(0.95), quantile(0.99), max,
                    upperRank < 0 ? null : (double) Math.min(max, atRank(upperRank, false)),
                    lowerRank < 0 ? null : (double) atRank(lowerRank, true));
        }

        /** The nearest-rank q-quantile, as {@link Quantiles} picks the rank. */
        private double quantile(double q) {
            long n = histogram.getTotalCount();
            long rank = Math.max(1, Math.min(n, (long) Math.ceil(q * n)));
            return Math.min(max, atRank(rank, false));
        }

        /**
         * The value of 1-based rank {@code rank} in ascending order, to the histogram's precision:
         * the lowest or the highest value of the bucket that holds it.
         */
        private long atRank(long rank, boolean lowest) {
            for (HistogramIterationValue v : histogram.recordedValues()) {
                if (v.getTotalCountToThisValue() >= rank) {
                    long value = v.getValueIteratedTo();
                    return lowest ? histogram.lowestEquivalentValue(value) : histogram.highestEquivalentValue(value);
                }
            }
            throw new IllegalArgumentException("rank " + rank + " of " + histogram.getTotalCount() + " values");
        }
    }

    private static Histogram histogram() { return new Histogram(LOWEST_MS, HIGHEST_MS, DIGITS); }

    public void record(int levelIndex, String kind, long latencyMs, boolean ok) {
        series.computeIfAbsent(levelIndex, i -> new ConcurrentHashMap<>()).computeIfAbsent(kind, k -> new Series()).add(latencyMs, ok);
    }

    /** Stats of one level: all kinds together ("all", first), then each kind in name order. */
    public Map<String, RequestStats> level(int levelIndex) {
        Map<String, RequestStats> byKind = new LinkedHashMap<>();
        Totals all = new Totals();
        for (Map.Entry<String, Series> e : new TreeMap<>(series.getOrDefault(levelIndex, Map.of())).entrySet()) {
            Totals one = new Totals();
            e.getValue().addTo(one);
            byKind.put(e.getKey(), one.stats());
            all.add(one);
        }
        Map<String, RequestStats> result = new LinkedHashMap<>();
        result.put("all", all.stats());
        result.putAll(byKind);
        return result;
    }

    /**
     * A level's recorded values as [value ms, count] pairs, ascending, for "all" and each kind: what
     * the checklist's comparisons read their order statistics and intervals from. A value is the top
     * of its histogram bucket (exact below 2048 ms).
     */
    public Map<String, long[][]> histograms(int levelIndex) {
        Map<String, long[][]> out = new LinkedHashMap<>();
        Totals all = new Totals();
        Map<String, long[][]> kinds = new LinkedHashMap<>();
        for (Map.Entry<String, Series> e : new TreeMap<>(series.getOrDefault(levelIndex, Map.of())).entrySet()) {
            Totals one = new Totals();
            e.getValue().addTo(one);
            kinds.put(e.getKey(), pairs(one.histogram));
            all.add(one);
        }
        out.put("all", pairs(all.histogram));
        out.putAll(kinds);
        return out;
    }

    private static long[][] pairs(Histogram h) {
        java.util.List<long[]> p = new java.util.ArrayList<>();
        for (HistogramIterationValue v : h.recordedValues())
            p.add(new long[]{h.highestEquivalentValue(v.getValueIteratedTo()), v.getCountAtValueIteratedTo()});
        return p.toArray(long[][]::new);
    }

    public int levels() { return levels; }
}
