package io.storecap.model.checklist;

import java.util.List;

/**
 * One step of the plan's checklist under one condition (a store count, a scenario): the same tier,
 * traffic and runtime with the step off and on, its main comparison and the others measured beside.
 *
 * @param id        stable key, e.g. "pooling@1000" (summary.json)
 * @param step      the plan's step, e.g. "pooling"
 * @param title     the step in the plan's words
 * @param condition what the cells ran ("1000 stores, peak traffic")
 * @param stores    the store count of the cells
 * @param offLabel  the configuration without the step
 * @param onLabel   the configuration with it
 * @param primary   the comparison the step is about
 * @param others    further comparisons of the same cells
 */
public record ChecklistStep(String id, String step, String title, String condition, int stores, String offLabel, String onLabel,
                            Comparison primary, List<Comparison> others) {
    /** The step id of the A/A check's rows: the base against itself in another environment. */
    public static final String AA_CHECK = "repeat";

    public ChecklistStep {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a checklist step needs an id");
        if (primary == null) throw new IllegalArgumentException("checklist step '" + id + "' needs its main comparison");
        others = others == null ? List.of() : List.copyOf(others);
    }

    /** The main comparison, then the others. */
    public List<Comparison> comparisons() {
        List<Comparison> all = new java.util.ArrayList<>(others.size() + 1);
        all.add(primary);
        all.addAll(others);
        return all;
    }

    /** Whether this row is the A/A check rather than a step of the plan. */
    public boolean aaCheck() { return AA_CHECK.equals(step); }
}
