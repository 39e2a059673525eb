package io.storecap.reports.gates;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.reports.BaselineStudy;
import io.storecap.reports.ClaimChange;
import io.storecap.reports.ClaimInterval;
import io.storecap.reports.StudyComparison;

import java.util.ArrayList;
import java.util.List;

/**
 * Capacity regression against an earlier summary.json, one gate per claim, by the interval rule of
 * {@link ClaimChange}: a claim fails only when its new 95 % interval lies wholly below the
 * baseline's (overlapping intervals are the same capacity as far as the replicates can tell). A claim
 * measured in one study and not the other, or in one study only, is not comparable: reported as
 * such, never as a pass.
 */
public final class Baseline {
    private Baseline() {}

    public static List<GateResult> compare(JsonNode current, JsonNode baseline) {
        return compare(current, "summary.json", parse(baseline, "baseline", "baseline"));
    }

    /** {@code current} is checked for its shape here; {@code baseline} was when it was read. */
    public static List<GateResult> compare(JsonNode current, String currentSource, BaselineStudy baseline) {
        GateEvaluator.requireShape(current, currentSource);
        List<ClaimInterval> now = new ArrayList<>();
        for (JsonNode c : current.get("claims")) {
            if (!c.path("id").isTextual()) throw new GatesException(currentSource + ": a claim has no 'id'");
            now.add(ClaimInterval.fromSummary(c));
        }
        List<GateResult> out = new ArrayList<>();
        for (ClaimChange c : StudyComparison.of(baseline, now).claims()) {
            String name = "baseline " + c.id();
            String detail = c.reason() + delta(c);
            out.add(switch (c.change()) {
                case REGRESSION -> GateResult.fail(name, detail);
                case OVERLAP, HIGHER -> GateResult.pass(name, detail);
                case NOT_COMPARABLE -> GateResult.notComparable(name, detail);
            });
        }
        return out;
    }

    /** A baseline tree as a {@link BaselineStudy}; what is wrong with it is bad input (exit 2). */
    public static BaselineStudy parse(JsonNode tree, String where, String source) {
        try {
            return BaselineStudy.parse(tree, where, source);
        } catch (IllegalArgumentException e) {
            throw new GatesException(e.getMessage(), e);
        }
    }

    private static String delta(ClaimChange c) {
        Double d = c.delta(), pct = c.deltaPct();
        if (d == null || c.change() == ClaimChange.Change.NOT_COMPARABLE) return "";
        return " (threshold " + (d >= 0 ? "+" : "") + io.storecap.reports.Fmt.num(Math.round(d * 10) / 10.0) + " stores"
                + (pct == null ? "" : ", " + (pct >= 0 ? "+" : "") + io.storecap.reports.Fmt.num(Math.round(pct * 10) / 10.0) + " %") + ")";
    }
}
