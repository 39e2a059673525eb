package io.storecap.model.checklist;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What environments of one configuration differ by (the A/A check: the checklist's base measured
 * again in fresh environments, mid-run and at the end), as an allowance added to each side of every
 * effect's interval. A cell's interval covers the sampling within the cell (requests, samples); it
 * cannot cover what moves between cells (a fresh Postgres, its caches, this machine's other load), so
 * a step's effect is judged only beyond what the A/A pair showed.
 * <p>
 * The allowance is the range of the values the replicates gave (largest less smallest), an observed
 * spread, not a confidence bound: a few environments cannot give the tail of the between-environment
 * difference. It scales with the value where the metric does (a latency, connections, CPU per request:
 * the range over the replicates' mean, times the off value), and is absolute for an error rate. A
 * metric the replicates did not measure gets none unless {@link #alias} lends it another's.
 *
 * @param relative metric -> range / mean of the replicates' values
 * @param absolute metric -> range, in the metric's unit
 */
public record Drift(Map<Metric, Double> relative, Map<Metric, Double> absolute) {
    /** No allowance (no A/A pair measured). */
    public static final Drift NONE = new Drift(Map.of(), Map.of());

    /** Metrics whose between-environment difference scales with their value. */
    private static final Set<Metric> SCALES = EnumSet.of(Metric.P95_MS, Metric.ACK_P99_MS, Metric.DELAY_P99_MS, Metric.MEAN_CONNECTIONS,
            Metric.CPU_MS_PER_REQUEST, Metric.CONNECTIONS_PER_LOAD);
    /** Metrics whose difference is absolute. */
    private static final Set<Metric> ADDS = EnumSet.of(Metric.ERROR_RATE);

    public Drift {
        relative = Map.copyOf(relative);
        absolute = Map.copyOf(absolute);
    }

    /**
     * From the A/A comparisons (off: the base, on: the base again in another environment; several
     * comparisons of one metric are several replicates of the same base). A peak count (already a
     * conservative Poisson interval), lost webhooks (counted exactly) and a capacity bracket get none.
     */
    public static Drift of(List<Comparison> aa) {
        Map<Metric, List<Double>> values = new EnumMap<>(Metric.class);
        Map<Metric, Double> base = new EnumMap<>(Metric.class);
        for (Comparison c : aa) {
            if (!SCALES.contains(c.metric()) && !ADDS.contains(c.metric())) continue;
            List<Double> v = values.computeIfAbsent(c.metric(), k -> new java.util.ArrayList<>());
            if (base.putIfAbsent(c.metric(), c.off().value()) == null) v.add(c.off().value());
            v.add(c.on().value());
        }
        Map<Metric, Double> rel = new EnumMap<>(Metric.class), abs = new EnumMap<>(Metric.class);
        values.forEach((m, v) -> {
            double lo = v.stream().mapToDouble(Double::doubleValue).min().orElse(0), hi = v.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            if (SCALES.contains(m) && mean > 0) rel.put(m, (hi - lo) / mean);
            else abs.put(m, hi - lo);
        });
        return new Drift(rel, abs);
    }

    /** This drift with {@code from}'s allowance lent to metrics the A/A pair did not measure (ack p99 from the p95). */
    public Drift alias(Metric from, Metric... to) {
        Map<Metric, Double> rel = new EnumMap<>(Metric.class), abs = new EnumMap<>(Metric.class);
        rel.putAll(relative);
        abs.putAll(absolute);
        for (Metric t : to) {
            if (relative.containsKey(from)) rel.putIfAbsent(t, relative.get(from));
            if (absolute.containsKey(from)) abs.putIfAbsent(t, absolute.get(from));
        }
        return new Drift(rel, abs);
    }

    /** The allowance for a metric whose off value is {@code offValue}, in the metric's unit. */
    public double allowance(Metric m, double offValue) {
        return relative.getOrDefault(m, 0.0) * Math.abs(offValue) + absolute.getOrDefault(m, 0.0);
    }

    /** The comparison with its effect's interval widened by the allowance (unchanged when there is none). */
    public Comparison apply(Comparison c) {
        double a = allowance(c.metric(), c.off().value());
        if (a <= 0) return c;
        return new Comparison(c.metric(), c.off(), c.on(), c.effect().widened(a, c.metric().lowerIsBetter));
    }

    /** Whether any metric has an allowance. */
    public boolean any() { return !relative.isEmpty() || !absolute.isEmpty(); }
}
