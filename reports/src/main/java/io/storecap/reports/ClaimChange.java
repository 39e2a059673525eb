package io.storecap.reports;

import io.storecap.model.MeasuredKind;

import java.util.Objects;

/**
 * How one claim's capacity changed against a baseline study, by the interval rule: a regression
 * only when the new 95 % interval lies wholly below the old one, because two knees whose intervals
 * overlap are the same capacity as far as the replicates can tell.
 * <ul>
 *   <li>Knee against knee: a regression when the new high end is below the old low end; higher
 *       when the new low end is above the old high end; else they overlap (no regression).</li>
 *   <li>A new knee against an old lower bound "≥ b": a regression when the new knee's whole interval
 *       is below b (the old study held at b, the new one fails below it).</li>
 *   <li>A new lower bound "≥ c" (lower-bound or machine-limited) never lies wholly below anything,
 *       since its interval has no upper end. When c reaches the old interval's low end it is no
 *       regression. When it stops below, the new study did not measure as high as the old capacity
 *       (its search top or the test machine came first), so it neither shows nor rules out a drop:
 *       not comparable, never a pass.</li>
 *   <li>A knee that only failed ("&lt; h") is the interval [0, h]: below an old knee or bound when h is
 *       below its low end; an old "&lt; h" has low end 0, so nothing regresses against it.</li>
 *   <li>Not comparable: the claim is in one study only, was measured in one only (kind none, or a knee
 *       without an interval), or changed tier or route between them.</li>
 * </ul>
 *
 * @param id     the claim id
 * @param old    the baseline's interval; null when the baseline has no such claim
 * @param now    this study's interval; null when this study has no such claim
 * @param change regression, overlap, higher or not comparable
 * @param reason one sentence saying why, with both intervals
 */
public record ClaimChange(String id, ClaimInterval old, ClaimInterval now, Change change, String reason) {

    /** The outcome of one comparison. */
    public enum Change {
        REGRESSION("regression"), OVERLAP("overlap"), HIGHER("higher"), NOT_COMPARABLE("not-comparable");

        private final String id;

        Change(String id) { this.id = id; }

        /** The id in summary.json ({@code baseline.claims[].change}). */
        public String id() { return id; }
    }

    public ClaimChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(change, "change");
    }

    /** True: a regression; false: compared and not a regression; null: not comparable. */
    public Boolean regression() {
        return change == Change.NOT_COMPARABLE ? null : change == Change.REGRESSION;
    }

    /** New threshold less old, in stores; null when either is not determined. */
    public Double delta() {
        Double a = old == null ? null : old.threshold(), b = now == null ? null : now.threshold();
        return a == null || b == null ? null : b - a;
    }

    /** {@link #delta()} as a percentage of the old threshold; null when there is none. */
    public Double deltaPct() {
        Double d = delta();
        return d == null || old.threshold() <= 0 ? null : d / old.threshold() * 100;
    }

    /** Compares one claim by the interval rule (see the class comment). */
    public static ClaimChange of(String id, ClaimInterval old, ClaimInterval now) {
        if (old == null && now == null) throw new IllegalArgumentException("claim " + id + ": nothing to compare");
        if (old == null) return notComparable(id, null, now, "not in the baseline (a claim it did not have)");
        if (now == null) return notComparable(id, old, null, "not in this study; the baseline measured " + old.text());
        if (old.tier() != null && now.tier() != null && !old.tier().equals(now.tier()))
            return notComparable(id, old, now, "the claim moved from tier " + old.tier() + " to " + now.tier());
        if (old.route() != null && now.route() != null && !old.route().equals(now.route()))
            return notComparable(id, old, now, "the claim moved from the " + old.route() + " route to " + now.route());
        if (!old.measured() && !now.measured()) return notComparable(id, old, now, "measured in neither study");
        if (!old.measured()) return notComparable(id, old, now, "the baseline did not measure it; now " + now.text());
        if (!now.measured()) return notComparable(id, old, now, "this study did not measure it; the baseline had " + old.text());
        String both = "now " + now.text() + ", baseline " + old.text();
        if (now.hi() < old.lo())
            return new ClaimChange(id, old, now, Change.REGRESSION, both + ": the new interval lies wholly below the "
                    + (old.kind().lowerBoundOnly() ? "baseline's lower bound" : "baseline's interval"));
        if (now.kind().lowerBoundOnly() && now.lo() < old.lo())
            return notComparable(id, old, now, both + ": the new lower bound stops below the baseline's low end ("
                    + (now.kind() == MeasuredKind.MACHINE_LIMITED ? "the test machine saturated first" : "nothing bound up to the search's top")
                    + "), so it neither shows nor rules out a drop");
        if (now.lo() > old.hi())
            return new ClaimChange(id, old, now, Change.HIGHER, both + ": the new interval lies wholly above the baseline's");
        return new ClaimChange(id, old, now, Change.OVERLAP, both + ": the intervals overlap, no regression shown");
    }

    private static ClaimChange notComparable(String id, ClaimInterval old, ClaimInterval now, String why) {
        return new ClaimChange(id, old, now, Change.NOT_COMPARABLE, "not comparable: " + why);
    }
}
