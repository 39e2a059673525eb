package io.storecap.reports.gates;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.reports.Fmt;

import java.util.ArrayList;
import java.util.List;

/**
 * Capacity regression against an earlier summary.json: each claim's threshold may not drop by more
 * than a set percentage. A claim the baseline could not measure is not compared.
 */
public final class Baseline {
    private Baseline() {}

    public static final double DEFAULT_MAX_DROP_PCT = 10;

    public static List<GateResult> compare(JsonNode current, JsonNode baseline, double maxDropPct) {
        return compare(current, "summary.json", baseline, "baseline", maxDropPct);
    }

    public static List<GateResult> compare(JsonNode current, String currentSource, JsonNode baseline, String baselineSource,
                                           double maxDropPct) {
        if (!(maxDropPct >= 0) || !Double.isFinite(maxDropPct))
            throw new GatesException("--max-drop-pct must be a number >= 0, was " + maxDropPct);
        GateEvaluator.requireShape(current, currentSource);
        GateEvaluator.requireShape(baseline, baselineSource);
        List<GateResult> out = new ArrayList<>();
        String limit = Fmt.num(maxDropPct) + " %";
        for (JsonNode b : baseline.get("claims")) {
            String id = b.path("id").asText(null);
            if (id == null) throw new GatesException(baselineSource + ": a claim has no 'id'");
            String name = "baseline " + id + " (threshold may drop at most " + limit + ")";
            JsonNode bt = b.path("measured").path("threshold");
            if (!bt.isNumber() || bt.asDouble() <= 0) {
                out.add(GateResult.pass(name, "the baseline has no threshold to compare with"));
                continue;
            }
            JsonNode c = GateEvaluator.findClaim(current, id);
            double was = bt.asDouble();
            if (c == null) {
                out.add(GateResult.fail(name, "the claim is missing from " + currentSource + " (was " + Fmt.num(round1(was)) + " stores)"));
                continue;
            }
            JsonNode ct = c.path("measured").path("threshold");
            if (!ct.isNumber()) {
                out.add(GateResult.fail(name, "threshold no longer determined (was " + Fmt.num(round1(was)) + " stores; limited by "
                        + c.path("measured").path("binding").asText("?") + ")"));
                continue;
            }
            double now = ct.asDouble();
            double drop = (was - now) / was * 100;
            String detail = Fmt.num(round1(was)) + " -> " + Fmt.num(round1(now)) + " stores, "
                    + (round1(drop) == 0 ? "no change" : drop > 0 ? Fmt.num(round1(drop)) + " % drop" : Fmt.num(round1(-drop)) + " % rise")
                    + (b.path("measured").path("lowerBound").asBoolean(false) || c.path("measured").path("lowerBound").asBoolean(false)
                    ? " (a lower bound: nothing gave way within the stair)" : "");
            out.add(drop > maxDropPct ? GateResult.fail(name, detail + ", " + Fmt.num(round1(drop - maxDropPct)) + " points over the limit")
                    : GateResult.pass(name, detail));
        }
        return out;
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }
}
