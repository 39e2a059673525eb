package io.storecap.model;

/** The answer to one claim of the scaling plan. */
public enum Verdict {
    /** The measured threshold (with its interval) agrees with the claimed range. */
    CONFIRMED,
    /** Capacity is lower than claimed. */
    OPTIMISTIC,
    /** Capacity is higher than claimed. */
    CONSERVATIVE,
    /** The data cannot decide (no run, the test machine saturated, or the interval straddles the claim). */
    INCONCLUSIVE
}
