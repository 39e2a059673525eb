package io.storecap.model;

/**
 * Store counts a claim promises: {@code min..max}, or {@code min+} when {@code max} is null ("1000+").
 * A claim written "~400" is stored as an explicit range (the claims file says how it was read).
 */
public record ClaimedRange(int min, Integer max) {
    public ClaimedRange {
        if (min < 0) throw new IllegalArgumentException("claimed.min must be >= 0, was " + min);
        if (max != null && max < min)
            throw new IllegalArgumentException("claimed.max (" + max + ") must be >= claimed.min (" + min + ")");
    }

    public static ClaimedRange of(int min, Integer max) { return new ClaimedRange(min, max); }

    public boolean openEnded() { return max == null; }

    /** The top of the range, or min for an open-ended claim: the stair must pass it. */
    public int top() { return max == null ? min : max; }

    public String text() { return max == null ? min + "+" : (min == max ? "~" + min : min + "-" + max); }
}
