package io.storecap.cli.fidelity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One side's run of a case: its clock (ms since its start), the moments it marked, and then its backend counts. */
final class Trace {
    private final long t0 = System.nanoTime();
    private final Map<String, Long> marks = new LinkedHashMap<>();

    long t0() { return t0; }

    long nowMs() { return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0); }

    void mark(String name) { marks.put(name, nowMs()); }

    void sleepUntil(long ms) throws InterruptedException {
        long wait = ms - nowMs();
        if (wait > 0) Thread.sleep(wait);
    }

    void sleepFor(long ms) throws InterruptedException { Thread.sleep(ms); }

    Result result(List<BackendSampler.Sample> samples) { return new Result(samples, Map.copyOf(marks)); }

    /** What a side did: its counts and marks, and the numbers read from them. */
    record Result(List<BackendSampler.Sample> samples, Map<String, Long> marks) {
        long mark(String name) {
            Long m = marks.get(name);
            if (m == null) throw new IllegalStateException("the case did not reach '" + name + "'");
            return m;
        }

        int peak(long fromMs, long toMs) {
            return samples.stream().filter(s -> s.ms() >= fromMs && s.ms() <= toMs).mapToInt(BackendSampler.Sample::backends).max().orElse(0);
        }

        int fewest(long fromMs, long toMs) {
            return samples.stream().filter(s -> s.ms() >= fromMs && s.ms() <= toMs).mapToInt(BackendSampler.Sample::backends).min().orElse(0);
        }

        /** The last count taken at or before {@code ms} (0 when none was). */
        int lastAtOrBefore(long ms) {
            int n = 0;
            for (BackendSampler.Sample s : samples) if (s.ms() <= ms) n = s.backends();
            return n;
        }

        /** Seconds from a mark to the first count of 0 at or after it; null when it never came. */
        Double secondsToZero(String markName) {
            long from = mark(markName);
            for (BackendSampler.Sample s : samples) if (s.ms() >= from && s.backends() == 0) return (s.ms() - from) / 1000.0;
            return null;
        }

        /** The counts as [ms, backends] pairs, for fidelity.json. */
        List<long[]> timeline() { return samples.stream().map(s -> new long[] {s.ms(), s.backends()}).toList(); }
    }

    static String num(Double v) {
        if (v == null) return "never";
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return String.valueOf(v.longValue());
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
