package io.storecap.cli;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * bench.md (and docs/BENCHMARKS.md with --write-docs): the figures table, where the CPU goes per
 * transaction by phase, for each goal missed what limits it, and the raw figures.
 */
final class BenchMarkdown {
    private BenchMarkdown() {}

    static String of(String command, BenchFigures f) {
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\nProduced by `").append(command).append("` on ").append(LocalDate.now()).append(". Machine and versions: ").append(f.json.get("machine"))
                .append(".\n\nEvery ratio is against a baseline measured in the same run.\n\n")
                .append("| figure | measured | baseline | ratio | goal | what |\n|---|---|---|---|---|---|\n");
        for (BenchFigures.Row r : f.rows) b.append(r.markdown()).append("\n");
        if (!f.cpuSplits.isEmpty()) {
            // the same columns for every phase, in order of first appearance
            List<String> cols = f.cpuSplits.values().stream().flatMap(m -> m.keySet().stream()).distinct()
                    .sorted(Comparator.comparing((String k) -> k.equals("total"))).toList();
            b.append("\n## Where the CPU goes\n\nCPU milliseconds per transaction by process (from /proc), all cores counted; ")
                    .append("when the cores are saturated, throughput is at most ").append(cpus()).append(" x 1000 / total ")
                    .append("transactions a second.\n\n| phase | ")
                    .append(String.join(" | ", cols)).append(" |\n|---|").append("---|".repeat(cols.size())).append("\n");
            f.cpuSplits.forEach((phase, m) -> {
                b.append("| ").append(phase);
                for (String c : cols) b.append(" | ").append(m.containsKey(c) ? String.format(Locale.ROOT, "%.3f", m.get(c)) : "-");
                b.append(" |\n");
            });
        }
        b.append(limits(f));
        b.append("\nRaw figures: `").append(f.raw).append("`\n");
        return b.toString();
    }

    /** A study's stages as "provisioning 7.2 s, seeding 1.3 s, ...". */
    static String stages(Object stages) {
        if (!(stages instanceof Map<?, ?> m)) return String.valueOf(stages);
        return m.entrySet().stream().map(e -> e.getKey() + " " + (e.getValue() instanceof Number n
                ? String.format(Locale.ROOT, "%.1f s", n.doubleValue()) : e.getValue())).collect(Collectors.joining(", "));
    }

    private static int cpus() { return Runtime.getRuntime().availableProcessors(); }

    /** For each goal missed, what limits it and by how much, from this run's own figures. */
    private static String limits(BenchFigures f) {
        List<String> lines = new ArrayList<>();
        Map<String, Object> json = f.json, raw = f.raw;
        Object r = json.get("serviceVsPgbench");
        Map<String, Double> svc = f.cpuSplits.get(Bench.SERVICE_POOLED), base = f.cpuSplits.get(Bench.PGBENCH_POOLED);
        if (r instanceof Double ratio && ratio < 0.5 && svc != null && base != null) {
            double total = svc.get("total"), gen = svc.getOrDefault(BenchDatabase.HARNESS, 0.0);
            double db = svc.getOrDefault("postgres", 0.0) + svc.getOrDefault("pgbouncer", 0.0);
            double dbBase = base.getOrDefault("postgres", 0.0) + base.getOrDefault("pgbouncer", 0.0);
            double tps = (Double) raw.get("serviceServerPooledTps"), pgTps = (Double) raw.get("pgbenchPooledTps");
            double projected = tps * total / (total - gen);
            Map<String, Double> w = f.wire.getOrDefault(Bench.SERVICE_POOLED, Map.of()), wb = f.wire.getOrDefault(Bench.PGBENCH_POOLED, Map.of());
            lines.add(String.format(Locale.ROOT, "- **serviceVsPgbench %.2f: goal 0.5 missed by %.0f%%.** Both measurements keep the machine's %d cores "
                            + "busy, so throughput is the CPU a second divided by the CPU a transaction costs. Through the service a transaction "
                            + "costs %.3f CPU-ms against pgbench's %.3f (%.1fx): the load generator (Gatling, in the harness JVM) %.3f where "
                            + "pgbench's client takes %.3f; the service JVM (HTTP, JSON, JDBC, pool) %.3f; Postgres and PgBouncer %.3f "
                            + "against %.3f for the same SQL (at the pooler %.2f against %.2f queries and %.0f against %.0f bytes received per "
                            + "transaction), the same work costing more on cores shared with two JVMs. With the load generator on other "
                            + "cores the service would reach about %.0f tps, %.2f of pgbench: a projection from the CPU split, not a measurement.",
                    ratio, 100 * (1 - ratio / 0.5), cpus(), total, base.get("total"), total / base.get("total"), gen,
                    base.getOrDefault("pgbench", 0.0), svc.getOrDefault("service", 0.0), db, dbBase,
                    w.getOrDefault("query_countPerTransaction", Double.NaN), wb.getOrDefault("query_countPerTransaction", Double.NaN),
                    w.getOrDefault("receivedPerTransaction", Double.NaN), wb.getOrDefault("receivedPerTransaction", Double.NaN),
                    projected, projected / pgTps));
        }
        if (json.get("samplerP99Ms") instanceof Double p99 && p99 >= 100)
            lines.add(String.format(Locale.ROOT, "- **samplerP99Ms %.0f: goal 100 missed by %.0f%%.** A sample reads Postgres, PgBouncer and "
                    + "/metrics at once, so its time is the slowest read (p99 by source, from the sample's start: %s); at p99 "
                    + "that read waits for a core the load keeps busy (the sampler's own CPU is %.1f%% of one core).", p99,
                    100 * (p99 / 100 - 1), raw.get("samplerSourceP99Ms"),
                    json.get("samplerCpuShare") instanceof Double share ? 100 * share : Double.NaN));
        for (String key : List.of("quickStudySeconds", "fullStudySeconds")) {
            double goal = key.startsWith("quick") ? 600 : 2700;
            if (json.get(key) instanceof Double sec && sec > goal && raw.get(key.replace("Seconds", "Stages")) instanceof Map<?, ?> stages)
                lines.add(String.format(Locale.ROOT, "- **%s %.0f: goal %.0f missed by %.0f%%.** By stage: %s. The load stage is the "
                        + "searches themselves (levels per claim x their length: config/study.yaml modes.*.search); fewer replicates or "
                        + "a wider bracket trade the knee's interval for time.",
                        key, sec, goal, 100 * (sec / goal - 1), stages(stages)));
        }
        if (lines.isEmpty()) return "\n## Goals\n\nEvery goal measured in this run is met.\n";
        return "\n## Goals missed: what limits them\n\n" + String.join("\n", lines) + "\n";
    }
}
