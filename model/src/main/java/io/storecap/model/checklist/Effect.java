package io.storecap.model.checklist;

/**
 * What turning a step on changed: on - off, with its 95 % interval, and what that interval says.
 *
 * @param value     on - off
 * @param low       the interval's low end (null when a side could not be bounded)
 * @param high      the interval's high end
 * @param band      half-width of the negligible band ({@link Metric#band})
 * @param size      what the interval says about the size
 * @param direction better or worse (by the metric's sense), or NONE for a negligible or unclear effect
 * @param confidence the interval's confidence: 0.95 nominally; a quantile's interval gives its exact
 *                  coverage, which discrete order statistics make at least 0.95, or a little less
 *                  where an extreme value stands in for a bound the count cannot give
 * @param drift     how much the interval was widened on each side for the difference between two
 *                  environments of the same configuration (the A/A check), in the metric's unit; 0: not
 */
public record Effect(double value, Double low, Double high, double band, Size size, Direction direction, double confidence, double drift) {

    /** What the interval says. */
    public enum Size {
        /** the whole interval lies within the band around zero */
        NEGLIGIBLE,
        /** the whole interval lies beyond the band, on one side */
        LARGE,
        /** the interval excludes zero but reaches into the band */
        SMALL,
        /** the interval holds zero and reaches past the band, or an open end leaves it undecided */
        UNCLEAR;

        public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public enum Direction {
        BETTER, WORSE, NONE;

        public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Classifies an interval of on - off for a metric whose better direction is {@code lowerIsBetter}. */
    public static Effect of(double value, Double low, Double high, double band, boolean lowerIsBetter) {
        return of(value, low, high, band, lowerIsBetter, 0.95, 0);
    }

    /** As {@link #of(double, Double, Double, double, boolean)}, with the interval's confidence and any drift allowance in it. */
    public static Effect of(double value, Double low, Double high, double band, boolean lowerIsBetter, double confidence, double drift) {
        if (!(confidence > 0 && confidence < 1)) throw new IllegalArgumentException("confidence must be in (0, 1), was " + confidence);
        if (drift < 0) throw new IllegalArgumentException("a drift allowance must be >= 0, was " + drift);
        if (band < 0) throw new IllegalArgumentException("band must be >= 0, was " + band);
        // an open end (a side that could not be bounded, a capacity that never failed) still lets the
        // other end show a size: [40, ?] is beyond a band of 10; only "negligible" needs both ends
        Size size;
        if (low != null && high != null && low >= -band && high <= band) size = Size.NEGLIGIBLE;
        else if ((low != null && low > band) || (high != null && high < -band)) size = Size.LARGE;
        else if ((low != null && low > 0) || (high != null && high < 0)) size = Size.SMALL;
        else size = Size.UNCLEAR;
        Direction d = Direction.NONE;
        if (size == Size.LARGE || size == Size.SMALL) {
            boolean lower = high != null && high < 0;
            d = lower == lowerIsBetter ? Direction.BETTER : Direction.WORSE;
        }
        return new Effect(value, low, high, band, size, d, confidence, drift);
    }

    /**
     * This effect with its interval widened by {@code allowance} on each side (an open end stays open)
     * and classified again: what the A/A check says two environments of one configuration differ by
     * is not the step's doing.
     */
    public Effect widened(double allowance, boolean lowerIsBetter) {
        if (allowance <= 0) return this;
        return of(value, low == null ? null : low - allowance, high == null ? null : high + allowance, band, lowerIsBetter, confidence,
                drift + allowance);
    }

    /** Whether the interval shows the step does not matter here. */
    public boolean negligible() { return size == Size.NEGLIGIBLE; }
}
