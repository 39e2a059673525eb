package io.storecap.model.checklist;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code study --checklist} measured and derived: the steps side by side, the plan's alert
 * rules read off the levels of each configuration, the ranking, and the seed's targets.
 *
 * @param steps   each step off and on, per condition
 * @param configs per configuration of the options ladder: its capacity, alerts and a better threshold
 * @param ranking the steps ordered by what they buy
 * @param targets the seed's targets at the store counts they name
 * @param notes   how the cells were run (seeded data, raised dashboard rate, time scales), in words
 */
public record ChecklistResult(List<ChecklistStep> steps, List<ConfigAlerts> configs, List<Ranking.Ranked> ranking,
                              List<TargetCheck> targets, List<String> notes) {
    public ChecklistResult {
        steps = List.copyOf(steps);
        configs = List.copyOf(configs);
        ranking = List.copyOf(ranking);
        targets = List.copyOf(targets);
        notes = List.copyOf(notes);
    }

    /**
     * One configuration's ladder read as an operator would: capacity, where each alert first fires,
     * and the connection count at 80 % of its knee.
     *
     * @param id                   configuration id ("direct", "pooled", ...)
     * @param words                what it is
     * @param monthlyCostUsd       its monthly cost (tier and service)
     * @param readings             the levels measured
     * @param capacity             the bracket of its knee
     * @param alerts               per rule where it first fires
     * @param suggestedConnections the connection count at 80 % of the knee (null without a knee)
     */
    public record ConfigAlerts(String id, String words, double monthlyCostUsd, List<Reading> readings, Alerts.Capacity capacity,
                               Map<String, Alerts.FirstFire> alerts, Double suggestedConnections) {
        public static ConfigAlerts of(String id, String words, double monthlyCostUsd, List<Reading> readings) {
            Map<String, Alerts.FirstFire> fires = new java.util.LinkedHashMap<>();
            for (Alerts.Rule r : Alerts.Rule.values()) fires.put(r.id(), Alerts.firstFire(r, readings));
            return new ConfigAlerts(id, words, monthlyCostUsd, List.copyOf(readings), Alerts.capacity(readings), fires,
                    Alerts.connectionsAtShareOfKnee(readings, 0.8));
        }

        /** Stores held per dollar a month (null when it costs nothing or held nothing). */
        public Double storesPerDollar() {
            return capacity.held() == null || monthlyCostUsd <= 0 ? null : capacity.held() / monthlyCostUsd;
        }
    }
}
