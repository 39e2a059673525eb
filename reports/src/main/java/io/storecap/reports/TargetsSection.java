package io.storecap.reports;

import io.storecap.model.Route;
import io.storecap.model.RunResult;

import java.util.List;

import static io.storecap.reports.Fmt.esc;
import static io.storecap.reports.Fmt.tierWord;

/** The plan's performance targets against what the reference runs measured. */
final class TargetsSection {
    private TargetsSection() {}

    static void write(StringBuilder b, List<Targets.Row> rows, List<RunResult> runs) {
        List<RunResult> ref = Targets.referenceRuns(runs);
        b.append("<section id=\"targets\">\n<h2>The plan's performance targets</h2>\n<p>Measured on ")
                .append(ref.stream().anyMatch(r -> r.config().route() == Route.POOLED) ? "the PgBouncer runs" : "every run")
                .append(", at the level nearest the store count named; the cell says when that level differs.</p>\n");
        if (ref.isEmpty()) {
            b.append("<p>No runs, so nothing was measured.</p>\n</section>\n");
            return;
        }
        b.append("<table class=\"targets\">\n<thead><tr><th>Target</th><th>Goal</th>");
        for (RunResult r : ref) b.append("<th>").append(esc(r.config().id())).append("<br><span class=\"sub\">")
                .append(esc(tierWord(r.config().tier().id()))).append("</span></th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (Targets.Row row : rows) {
            b.append("<tr><td>").append(esc(row.target())).append("</td><td class=\"num\">").append(esc(row.goal())).append("</td>");
            for (Targets.Cell c : row.cells()) {
                String mark = switch (c.status()) { case MET -> "✓ "; case MISSED -> "✗ "; default -> ""; };
                b.append("<td class=\"t-").append(c.status().name()).append("\">").append(mark).append(esc(c.text()));
                if (c.atStores() != null && row.stores() != null && !c.atStores().equals(row.stores()))
                    b.append(" <span class=\"sub\">at ").append(esc(Fmt.num((double) c.atStores()))).append(" stores</span>");
                b.append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n</section>\n");
    }
}
