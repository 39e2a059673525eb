package io.storecap.reports;

import io.storecap.model.RunResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's telemetry (samples.csv: epochMs, latencyMs, appBackends, appActive, appIdle, appIdleInTx,
 * allBackends, clActive, clWaiting, svActive, svIdle, maxWaitMs, warmInstances, busyInstances,
 * inflight, coldStarts, refusals, cpu), reduced for a chart: consecutive samples are grouped into at
 * most {@code maxPoints} buckets and each bucket keeps the largest value of each column, so no peak is
 * lost when thousands of samples become a line.
 *
 * @param epochMs the first sample time of each bucket
 * @param columns column name -> values per bucket
 */
public record Samples(long[] epochMs, Map<String, double[]> columns) {

    public static final List<String> NUMERIC = List.of("appActive", "appIdle", "appIdleInTx", "appBackends", "clActive",
            "clWaiting", "warmInstances", "busyInstances");

    public double[] column(String name) { return columns.getOrDefault(name, new double[epochMs.length]); }

    public int size() { return epochMs.length; }

    /** Reads a run's samples from its folder; null when the run has no samples file there. */
    public static Samples of(RunResult run, Path runDir, int maxPoints) {
        if (runDir == null || run.samplesFile() == null || run.samplesFile().isBlank()) return null;
        Path f = runDir.resolve(run.samplesFile());
        if (!Files.isRegularFile(f)) return null;
        try {
            return parse(Files.readAllLines(f, StandardCharsets.UTF_8), maxPoints);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the samples " + f + ": " + e.getMessage(), e);
        }
    }

    static Samples parse(List<String> lines, int maxPoints) {
        if (lines.isEmpty()) return null;
        String[] header = lines.get(0).split(",");
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < header.length; i++) idx.put(header[i].trim(), i);
        Integer t = idx.get("epochMs");
        if (t == null) return null;
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        int n = rows.size();
        if (n == 0) return null;
        int buckets = Math.min(n, Math.max(1, maxPoints));
        long[] time = new long[buckets];
        Map<String, double[]> cols = new HashMap<>();
        for (String c : NUMERIC) if (idx.containsKey(c)) cols.put(c, new double[buckets]);
        int filled = 0;
        List<Long> times = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            String[] v = rows.get(r).split(",", -1);
            int b = (int) ((long) r * buckets / n);
            long ms;
            try { ms = Long.parseLong(v[t].trim()); } catch (RuntimeException e) { continue; }
            if (b >= filled) { time[b] = ms; filled = b + 1; }
            for (Map.Entry<String, double[]> e : cols.entrySet()) {
                int i = idx.get(e.getKey());
                if (i >= v.length) continue;
                try {
                    double x = Double.parseDouble(v[i].trim());
                    if (x > e.getValue()[b]) e.getValue()[b] = x;
                } catch (NumberFormatException ignored) { /* a blank cell: no reading */ }
            }
            times.add(ms);
        }
        return times.isEmpty() ? null : new Samples(time, cols);
    }
}
