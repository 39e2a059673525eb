package io.storecap.model;

/**
 * The answer to one claim of the scaling plan. Which evidence supports which word (the rules are
 * in {@link VerdictRules}):
 * <ul>
 *   <li>a knee with an interval can make any verdict;</li>
 *   <li>a lower bound (nothing bound, or the test machine saturated first) can only show that the
 *       tier holds at least that much: CONSERVATIVE above a bounded claim, CONFIRMED at or above an
 *       open claim's minimum, NOT_REFUTED otherwise.</li>
 * </ul>
 */
public enum Verdict {
    /** The knee's interval overlaps the claimed range (or, for an open claim, lies at or above its minimum). */
    CONFIRMED,
    /** The knee's whole interval lies below the claim: the tier holds fewer stores. */
    OPTIMISTIC,
    /** The knee's interval, or a lower bound, lies wholly above a bounded claim: the tier holds more. */
    CONSERVATIVE,
    /** A lower bound that does not reach past the claim: nothing contradicts it, nothing confirms it. */
    NOT_REFUTED,
    /** The data cannot decide (no run, no sufficient level, or a knee interval straddling an open claim's minimum). */
    INCONCLUSIVE
}
