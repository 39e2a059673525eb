package io.storecap.reports;

import java.util.List;

import static io.storecap.reports.Fmt.esc;

/**
 * The verdict table's part of a baseline comparison: the line above the table naming the baseline
 * and the rule, one "vs baseline" cell per claim, and the claims only the baseline has.
 */
final class BaselineColumn {
    private BaselineColumn() {}

    static void intro(StringBuilder b, StudyComparison cmp) {
        b.append("<p class=\"baseline-note\" id=\"baseline-note\">Compared with the baseline <code>")
                .append(esc(cmp.describeBaseline())).append("</code>: ").append(esc(cmp.tally()))
                .append(". A regression is flagged only when this study's 95 % interval lies wholly below the baseline's; ")
                .append("intervals that overlap are the same capacity as far as the replicates can tell, and a lower bound ")
                .append("that stops below the baseline's interval is not comparable. The charts draw the baseline's levels as a lighter series.</p>\n");
    }

    static String cell(ClaimChange c) {
        if (c == null) return "<td class=\"vs-baseline\"></td>";
        String word = switch (c.change()) {
            case REGRESSION -> "▼ regression";
            case OVERLAP -> "≈ overlaps";
            case HIGHER -> "▲ higher";
            case NOT_COMPARABLE -> "not comparable";
        };
        StringBuilder s = new StringBuilder("<td class=\"vs-baseline\" title=\"").append(esc(c.reason())).append("\">")
                .append("<span class=\"cmp c-").append(c.change().id()).append("\">").append(word).append("</span>");
        if (c.old() != null) s.append("<br><span class=\"sub\">was ").append(esc(c.old().text()));
        else s.append("<br><span class=\"sub\">not in the baseline");
        Double d = c.delta(), pct = c.deltaPct();
        if (d != null && c.change() != ClaimChange.Change.NOT_COMPARABLE && c.old().kind() == c.now().kind()) { // a bound less a knee says little
            double r = Math.round(d * 10) / 10.0;
            if (r == 0) s.append("; no change");
            else s.append("; ").append(r > 0 ? "+" : "−").append(esc(Fmt.num(Math.abs(r)))).append(" stores")
                    .append(pct == null ? "" : " (" + (pct >= 0 ? "+" : "−") + Fmt.num(Math.abs(Math.round(pct * 10) / 10.0)) + " %)");
        }
        return s.append("</span></td>").toString();
    }

    static void onlyInBaseline(StringBuilder b, StudyComparison cmp) {
        List<ClaimChange> gone = cmp.onlyInBaseline();
        if (gone.isEmpty()) return;
        b.append("<ul class=\"notes\" id=\"baseline-only\">\n");
        for (ClaimChange c : gone)
            b.append("<li>").append(esc(c.id())).append(": ").append(esc(c.reason())).append("</li>\n");
        b.append("</ul>\n");
    }
}
