package io.storecap.simulations;

import io.storecap.model.Quantiles;
import io.storecap.model.RequestStats;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Response times per level and request kind, recorded by the simulation itself. Gatling 3.13+
 * keeps its statistics in a binary log and HTML only, so the per-level numbers the model needs are
 * taken here, from Gatling's own response-time measurement, and written as JSON.
 */
public final class LatencyRecorder {
    private final int levels;
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    public LatencyRecorder(int levels) { this.levels = levels; }

    /** A growable list of (latency, ok) pairs; appends are rare enough per series to lock. */
    private static final class Series {
        private long[] values = new long[256];
        private int n;
        private long ko;

        synchronized void add(long ms, boolean ok) {
            if (n == values.length) values = Arrays.copyOf(values, n * 2);
            values[n++] = ms;
            if (!ok) ko++;
        }

        synchronized long[] okAndAll() { return Arrays.copyOf(values, n); }

        synchronized long ko() { return ko; }
    }

    public void record(int levelIndex, String kind, long latencyMs, boolean ok) {
        series.computeIfAbsent(levelIndex + "|" + kind, k -> new Series()).add(latencyMs, ok);
    }

    /** Stats of one level: all kinds together, and per kind. */
    public Map<String, RequestStats> level(int levelIndex) {
        Map<String, RequestStats> out = new LinkedHashMap<>();
        long[] all = new long[0];
        long ko = 0;
        for (Map.Entry<String, Series> e : new java.util.TreeMap<>(series).entrySet()) {
            String[] k = e.getKey().split("\\|", 2);
            if (Integer.parseInt(k[0]) != levelIndex) continue;
            long[] v = e.getValue().okAndAll();
            out.put(k[1], stats(v, e.getValue().ko()));
            long[] merged = Arrays.copyOf(all, all.length + v.length);
            System.arraycopy(v, 0, merged, all.length, v.length);
            all = merged;
            ko += e.getValue().ko();
        }
        Map<String, RequestStats> result = new LinkedHashMap<>();
        result.put("all", stats(all, ko));
        result.putAll(out);
        return result;
    }

    public int levels() { return levels; }

    private static Double lower(long[] sorted) {
        Long l = Quantiles.lowerBound(sorted, 0.95, 0.95);
        return l == null ? null : l.doubleValue();
    }

    /** Percentiles by the nearest-rank method over every recorded value (ok and failed). */
    static RequestStats stats(long[] values, long ko) {
        if (values.length == 0) return RequestStats.EMPTY;
        long[] v = values.clone();
        Arrays.sort(v);
        double sum = 0;
        for (long x : v) sum += x;
        Long p95Upper = Quantiles.upperBound(v, 0.95, 0.95);
        return new RequestStats(v.length, v.length - ko, ko, sum / v.length, Quantiles.nearestRank(v, 0.50),
                Quantiles.nearestRank(v, 0.95), Quantiles.nearestRank(v, 0.99), v[v.length - 1],
                p95Upper == null ? null : p95Upper.doubleValue(), lower(v));
    }
}
