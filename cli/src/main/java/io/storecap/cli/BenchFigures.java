package io.storecap.cli;

import io.storecap.environment.ProcessCpu;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a bench run measured, as it goes out: {@link #json} is bench.json (its keys in the order
 * they were measured, {@link #raw} inside it under "raw"), {@link #rows} the figures table of
 * bench.md, {@link #cpuSplits} and {@link #wire} the CPU and pooler cost per transaction by phase.
 */
final class BenchFigures {
    /** One row of the figures table, every cell already formatted. */
    record Row(String figure, String measured, String baseline, String ratio, String goal, String what) {
        String markdown() { return "| " + String.join(" | ", figure, measured, baseline, ratio, goal, what) + " |"; }
    }

    /** The machine and versions measured on: bench.json's "machine" object, printed in bench.md as a map is. */
    record Machine(int cpus, String java, String os, String postgres, String pgbouncer) {
        static Machine current(String postgres, String pgbouncer) {
            return new Machine(Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), postgres, pgbouncer);
        }

        @Override
        public String toString() {
            return "{cpus=" + cpus + ", java=" + java + ", os=" + os + ", postgres=" + postgres + ", pgbouncer=" + pgbouncer + "}";
        }
    }

    final Map<String, Object> json = new LinkedHashMap<>();
    final Map<String, Object> raw = new LinkedHashMap<>();
    final List<Row> rows = new ArrayList<>();
    /** Phase -> process -> CPU ms per transaction, with a "total". */
    final Map<String, Map<String, Double>> cpuSplits = new LinkedHashMap<>();
    /** Phase -> PgBouncer SHOW STATS counter -> per transaction. */
    final Map<String, Map<String, Double>> wire = new LinkedHashMap<>();
    private final PrintStream out;

    BenchFigures(PrintStream out) { this.out = out; }

    void row(String figure, String measured, String baseline, String ratio, String goal, String what) {
        rows.add(new Row(figure, measured, baseline, ratio, goal, what));
    }

    /** A figure as a ratio to its baseline: into bench.json (null with a reason when there is no baseline) and the table. */
    void ratio(String key, double value, Double baseline, String what, String goal, String reason) {
        Double r = baseline == null || baseline == 0 ? null : value / baseline;
        json.put(key, r == null ? null : nanToNull(r));
        if (r == null) json.put(key + "Reason", reason == null ? "no baseline" : reason);
        row(key, fmt(value), baseline == null ? "n/a" : fmt(baseline), r == null ? "n/a" : fmt(r), goal, what);
    }

    /** Records a phase's CPU seconds by process and its CPU milliseconds per transaction. */
    void split(String phase, Map<String, Long> before, Map<String, Long> after, long tx) {
        if (!ProcessCpu.available() || tx <= 0) return;
        Map<String, Double> s = ProcessCpu.secondsBetween(before, after);
        Map<String, Double> perTx = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (v > 0) perTx.put(k, v * 1000 / tx);
        });
        double total = perTx.values().stream().mapToDouble(Double::doubleValue).sum();
        perTx.put("total", total);
        cpuSplits.put(phase, perTx);
        out.printf("  CPU ms per transaction, %s: %s%n", phase, perTx.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.3f", e.getValue())).toList());
    }

    /** What crossed the pooler per transaction in a phase: the same SQL should cost the same messages. */
    void wire(String phase, Map<String, Long> before, Map<String, Long> after, long tx) {
        if (before.isEmpty() || after.isEmpty() || tx <= 0) return;
        Map<String, Double> m = new LinkedHashMap<>();
        after.forEach((k, v) -> m.put(k.replace("total_", "") + "PerTransaction", (v - before.getOrDefault(k, 0L)) / (double) tx));
        wire.put(phase, m);
        out.printf("  at the pooler per transaction, %s: %s%n", phase, m.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.2f", e.getValue())).toList());
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static Double nanToNull(double v) { return Double.isNaN(v) || Double.isInfinite(v) ? null : v; }
}
