package io.storecap.reports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.model.Json;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * This study against a baseline study, claim by claim ({@link ClaimChange}): this study's claims in
 * order, then those only the baseline has, so a claim that went missing is listed as not comparable
 * rather than dropped. The page's "vs baseline" column, the charts' baseline series, summary.json's
 * {@code baseline} block and the baseline gate all read it.
 */
public record StudyComparison(BaselineStudy baseline, List<ClaimChange> claims) {
    public StudyComparison {
        claims = List.copyOf(claims);
    }

    /** This study's model against the baseline. */
    public static StudyComparison of(BaselineStudy baseline, StudyModel model) {
        return of(baseline, model.claims().stream().map(ClaimInterval::of).toList());
    }

    /** These intervals (this study's claims, in order) against the baseline. */
    public static StudyComparison of(BaselineStudy baseline, List<ClaimInterval> now) {
        List<ClaimChange> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ClaimInterval c : now) if (seen.add(c.id())) out.add(ClaimChange.of(c.id(), baseline.claim(c.id()), c));
        for (ClaimInterval o : baseline.claims()) if (seen.add(o.id())) out.add(ClaimChange.of(o.id(), o, null));
        return new StudyComparison(baseline, out);
    }

    /** The change of one claim, or null when neither study has it. */
    public ClaimChange claim(String id) {
        for (ClaimChange c : claims) if (c.id().equals(id)) return c;
        return null;
    }

    public ClaimChange claim(ClaimResult c) { return claim(c.id()); }

    public long count(ClaimChange.Change change) { return claims.stream().filter(c -> c.change() == change).count(); }

    /** Claims the baseline has and this study does not. */
    public List<ClaimChange> onlyInBaseline() { return claims.stream().filter(c -> c.now() == null).toList(); }

    /** "old/summary.json (study 20260101-120000, commit 3a9cd7d, written 2026-01-01T12:30:00Z)". */
    public String describeBaseline() {
        List<String> facts = new ArrayList<>();
        if (baseline.studyId() != null) facts.add("study " + baseline.studyId());
        if (baseline.commit() != null) facts.add("commit " + baseline.commit());
        if (baseline.generatedAt() != null) facts.add("written " + baseline.generatedAt());
        return baseline.source() + (facts.isEmpty() ? "" : " (" + String.join(", ", facts) + ")");
    }

    /** "1 regression, 3 overlapping, 1 not comparable" (zero counts left out). */
    public String tally() {
        List<String> parts = new ArrayList<>();
        long r = count(ClaimChange.Change.REGRESSION), o = count(ClaimChange.Change.OVERLAP), h = count(ClaimChange.Change.HIGHER),
                n = count(ClaimChange.Change.NOT_COMPARABLE);
        if (r > 0) parts.add(r + (r == 1 ? " regression" : " regressions"));
        if (o > 0) parts.add(o + " overlapping");
        if (h > 0) parts.add(h + " higher");
        if (n > 0) parts.add(n + " not comparable");
        return parts.isEmpty() ? "no claims" : String.join(", ", parts);
    }

    /** summary.json's {@code baseline} block (docs/SUMMARY-SCHEMA.md). */
    ObjectNode toJson() {
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("source", baseline.source());
        o.put("studyId", baseline.studyId());
        o.put("commit", baseline.commit());
        o.put("generatedAt", baseline.generatedAt());
        o.put("rule", "a regression only when the new 95 % interval lies wholly below the baseline's");
        o.put("regressions", count(ClaimChange.Change.REGRESSION));
        o.put("notComparable", count(ClaimChange.Change.NOT_COMPARABLE));
        var arr = o.putArray("claims");
        for (ClaimChange c : claims) {
            ObjectNode x = arr.addObject();
            x.put("id", c.id());
            x.set("old", side(c.old()));
            x.set("new", side(c.now()));
            SummaryJson.putNum(x, "delta", c.delta());
            SummaryJson.putNum(x, "deltaPct", c.deltaPct());
            x.put("change", c.change().id());
            if (c.regression() == null) x.putNull("regression"); else x.put("regression", c.regression());
            x.put("reason", c.reason());
        }
        return o;
    }

    private static com.fasterxml.jackson.databind.JsonNode side(ClaimInterval c) {
        if (c == null) return Json.JSON.nullNode();
        ObjectNode o = Json.JSON.createObjectNode();
        o.put("kind", c.kind().id());
        SummaryJson.putNum(o, "threshold", c.threshold());
        SummaryJson.putNum(o, "low", c.low());
        SummaryJson.putNum(o, "high", c.high());
        o.put("binding", c.binding());
        o.put("tier", c.tier());
        o.put("route", c.route());
        o.put("text", c.text());
        return o;
    }
}
