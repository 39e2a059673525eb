package io.storecap.reports.gates;

import io.storecap.model.Verdict;

import java.util.List;
import java.util.stream.Collectors;

/** One entry of a gates file: a limit on a claim's result or on an observed metric. */
public sealed interface Gate permits Gate.ClaimGate, Gate.MetricGate {

    /** 1-based position in the gates file; messages say "gate 2". */
    int number();

    /** Optional label from the file. */
    String label();

    /** What the gate checks, e.g. "claim free-pooled threshold >= 500". */
    String describe();

    default String name() {
        return "gate " + number() + " (" + (label() == null ? "" : label() + ": ") + describe() + ")";
    }

    /**
     * A limit on a claim: its measured threshold (stores), its verdict, or both.
     *
     * @param threshold limit on measured.threshold; null when only the verdict is checked
     * @param verdicts  allowed verdicts; empty when only the threshold is checked
     */
    record ClaimGate(int number, String label, String claim, Comparison threshold, List<Verdict> verdicts) implements Gate {
        public ClaimGate {
            verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder("claim ").append(claim);
            if (threshold != null) b.append(" threshold ").append(threshold.describe(v -> io.storecap.reports.Fmt.num(v)));
            if (!verdicts.isEmpty()) b.append(threshold != null ? " and" : "").append(" verdict in ")
                    .append(verdicts.stream().map(Enum::name).collect(Collectors.joining(", ")));
            return b.toString();
        }
    }

    /**
     * A limit on an observed metric.
     *
     * @param atStores the level to read (the nearest level at or below when a run lacks it); null: every level
     * @param run      only this run (run id or configuration id); null: any
     * @param claim    only the run behind this claim; null: any
     * @param kind     a request kind (byKind key) instead of all requests; null: all requests
     */
    record MetricGate(int number, String label, Metric metric, Integer atStores, String run, String claim, String kind,
                      Comparison limit) implements Gate {
        @Override
        public String describe() {
            StringBuilder b = new StringBuilder("metric ").append(metric.id);
            if (kind != null) b.append(" of ").append(kind);
            if (atStores != null) b.append(" at ").append(io.storecap.reports.Fmt.num((double) atStores)).append(" stores");
            if (claim != null) b.append(" on ").append(claim);
            if (run != null) b.append(" in run ").append(run);
            b.append(' ').append(limit.describe(metric::formatLimit));
            return b.toString();
        }
    }
}
