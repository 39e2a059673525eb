package io.storecap.model.checklist;

/**
 * One metric with a step off and on, side by side, and the effect of turning it on.
 *
 * @param metric what was measured
 * @param off    with the step off
 * @param on     with the step on
 * @param effect on - off, its interval and its size
 */
public record Comparison(Metric metric, Estimate off, Estimate on, Effect effect) {
    public Comparison {
        if (metric == null || off == null || on == null || effect == null)
            throw new IllegalArgumentException("a comparison needs its metric, both sides and the effect");
    }
}
