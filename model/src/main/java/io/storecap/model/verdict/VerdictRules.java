package io.storecap.model.verdict;

import io.storecap.model.ClaimedRange;
import io.storecap.model.Measured;
import io.storecap.model.MeasuredKind;
import io.storecap.model.Verdict;




























/**
 * The verdict words, from the kind of measurement and the claim. With the knee's interval
 * [low, high] (or a lower bound L) and the claim [min, max] (max = infinity for "min+"):
 * <pre>
 * bounded claim:  knee  high &lt; min -&gt; OPTIMISTIC; low &gt; max -&gt; CONSERVATIVE; else (overlap) CONFIRMED
 *                 bound L &gt; max -&gt; CONSERVATIVE; else NOT_REFUTED
 * open claim:     knee  low &gt;= min -&gt; CONFIRMED; high &lt; min -&gt; OPTIMISTIC; else INCONCLUSIVE
 *                 bound L &gt;= min -&gt; CONFIRMED; else NOT_REFUTED
 * knee with no point (every counted level failed, the lowest at H): H &lt; min -&gt; OPTIMISTIC, else INCONCLUSIVE
 * no measurement: INCONCLUSIVE
 * </pre>
 */
public final class VerdictRules {
    private VerdictRules() {}

    public static Verdict of(Measured m, ClaimedRange claimed) {
        if (m == null || m.kind() == null || m.kind() == MeasuredKind.NONE || m.low() == null) return Verdict.INCONCLUSIVE;
        double min = claimed.min();
        if (m.kind().lowerBoundOnly()) {
            double bound = m.low();
            if (claimed.openEnded()) return bound >= min ? Verdict.CONFIRMED : Verdict.NOT_REFUTED;
            return bound > claimed.max() ? Verdict.CONSERVATIVE : Verdict.NOT_REFUTED;
        }
        double low = m.low(), high = m.highOrInfinity();
        if (high < min) return Verdict.OPTIMISTIC;
        if (m.threshold() == null) return Verdict.INCONCLUSIVE; // failures only, their lowest load not below the claim
        if (claimed.openEnded()) return low >= min ? Verdict.CONFIRMED : Verdict.INCONCLUSIVE;
        if (low > claimed.max()) return Verdict.CONSERVATIVE;
        return Verdict.CONFIRMED;
    }
}
