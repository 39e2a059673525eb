package io.storecap.simulations;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Response times of the interval now under way, per request kind, for the live metrics: the
 * simulation records each response here, production-equivalent (the measured time over its
 * level's time scale, as run.json has it; memory only, no I/O on Gatling's threads), and whoever
 * publishes them closes the interval with {@link #roll()} every few seconds. HdrHistogram's
 * {@link Recorder} swaps its histogram without stopping the writers, so no response is lost or
 * counted twice across a roll. Percentiles are nearest-rank at the histogram's 3 significant digits,
 * like {@link LatencyRecorder}'s; this view is for watching a run, the model reads levels.json.
 */
public final class IntervalLatency {
    /** The kind under which every kind's responses are merged. */
    public static final String ALL = "all";

    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    private long since = System.currentTimeMillis();

    /** One kind's responses in the interval: requests, failures and the percentiles of their times. */
    public record Stats(long requests, long errors, double p50Ms, double p95Ms, double p99Ms) {}

    /**
     * A closed interval: its bounds and each kind's statistics, {@value #ALL} first (only kinds with
     * a response in the interval appear).
     */
    public record Interval(long startEpochMs, long endEpochMs, Map<String, Stats> byKind) {
        public Interval {
            byKind = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byKind));
        }

        /** Seconds the interval lasted (at least a millisecond). */
        public double seconds() { return Math.max(1, endEpochMs - startEpochMs) / 1000.0; }
    }

    private static final class Kind {
        final Recorder recorder = new Recorder(LatencyRecorder.LOWEST_MS, LatencyRecorder.HIGHEST_MS, LatencyRecorder.DIGITS);
        final AtomicLong errors = new AtomicLong();
        Histogram spare;
    }

    /** Records one response of {@code kind}; {@code ok} false for a failure (wrong status, timeout). */
    public void record(String kind, long latencyMs, boolean ok) {
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
        k.recorder.recordValue(Math.max(0, Math.min(latencyMs, LatencyRecorder.HIGHEST_MS)));
        if (!ok) k.errors.incrementAndGet();
    }

    /** Closes the interval under way and starts the next; returns the closed one's statistics. */
    public synchronized Interval roll() {
        long now = System.currentTimeMillis();
        Histogram all = new Histogram(LatencyRecorder.LOWEST_MS, LatencyRecorder.HIGHEST_MS, LatencyRecorder.DIGITS);
        long allErrors = 0;
        Map<String, Stats> byKind = new LinkedHashMap<>();
        for (Map.Entry<String, Kind> e : new TreeMap<>(kinds).entrySet()) {
            Kind k = e.getValue();
            Histogram h = k.recorder.getIntervalHistogram(k.spare);
            k.spare = h;
            long errors = k.errors.getAndSet(0);
            if (h.getTotalCount() == 0) continue;
            // an error recorded between the histogram's swap and this read lands here, a response early
            byKind.put(e.getKey(), stats(h, Math.min(errors, h.getTotalCount())));
            all.add(h);
            allErrors += Math.min(errors, h.getTotalCount());
        }
        Map<String, Stats> out = new LinkedHashMap<>();
        if (all.getTotalCount() > 0) out.put(ALL, stats(all, allErrors));
        out.putAll(byKind);
        Interval i = new Interval(since, now, out);
        since = now;
        return i;
    }

    private static Stats stats(Histogram h, long errors) {
        return new Stats(h.getTotalCount(), errors, at(h, 50), at(h, 95), at(h, 99));
    }

    /** The nearest-rank percentile, the top of its bucket, never above the largest value seen. */
    private static double at(Histogram h, double percentile) {
        return Math.min(h.getMaxValue(), h.getValueAtPercentile(percentile));
    }
}
