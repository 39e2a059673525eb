package io.storecap.reports;

import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;

import java.util.List;

import static io.storecap.reports.Fmt.esc;
import static io.storecap.reports.Fmt.tierWord;

/**
 * The page's opening section: the TL;DR lines, the verdict table (one row per claim), its legend and
 * the model's notes. Compared with a baseline study, the table gets a "vs baseline" column and a
 * regression's row is flagged ({@code class="regression"}); claims only the baseline has are listed
 * under it as not comparable.
 */
final class VerdictSection {
    private VerdictSection() {}

    static void write(StringBuilder b, StudyModel model, List<String> tldr) { write(b, model, tldr, null); }

    static void write(StringBuilder b, StudyModel model, List<String> tldr, StudyComparison baseline) {
        b.append("<section id=\"verdicts\">\n<div class=\"tldr\" id=\"tldr\">\n<h2>In short</h2>\n<ol>\n");
        for (String line : tldr) b.append("<li>").append(esc(line)).append("</li>\n");
        b.append("</ol>\n</div>\n");
        if (baseline != null) BaselineColumn.intro(b, baseline);
        b.append("<table class=\"verdicts\" id=\"verdict-table\">\n<thead><tr><th>Claim</th><th>Claimed</th>")
                .append("<th>Measured</th><th>Knee's 95 % interval</th><th>Limited by</th><th>Verdict</th>")
                .append(baseline == null ? "" : "<th class=\"vs-baseline\">vs baseline</th>").append("<th>Why</th></tr></thead>\n<tbody>\n");
        for (ClaimResult c : model.claims()) {
            String v = c.verdict().name();
            ClaimChange change = baseline == null ? null : baseline.claim(c);
            b.append("<tr").append(change != null && change.change() == ClaimChange.Change.REGRESSION ? " class=\"regression\"" : "")
                    .append(" data-claim=\"").append(esc(c.id())).append("\" title=\"").append(esc(c.claimedText())).append("\">")
                    .append("<td><strong>").append(esc(tierWord(c.tier()))).append(" · ").append(esc(Fmt.route(c.route())))
                    .append("</strong><br><span class=\"sub\">").append(esc(c.id())).append(" · ")
                    .append(c.usableConnections()).append(" usable connections</span></td>")
                    .append("<td class=\"num\">").append(esc(c.claimed().text())).append("</td>")
                    .append("<td class=\"num big\">").append(esc(Fmt.threshold(c.measured()))).append("</td>")
                    .append("<td class=\"num\">").append(esc(Fmt.interval(c.measured())))
                    .append(c.measured() != null && c.measured().kind() == io.storecap.model.MeasuredKind.KNEE && c.measured().replicates() > 0
                            ? "<br><span class=\"sub\">" + c.measured().replicates() + " replicates</span>" : "").append("</td>")
                    .append("<td>").append(esc(Fmt.binding(c.measured() == null ? null : c.measured().binding()))).append("</td>")
                    .append("<td><span class=\"verdict v-").append(v).append("\">").append(v).append("</span></td>")
                    .append(baseline == null ? "" : BaselineColumn.cell(change))
                    .append("<td class=\"why\">").append(esc(c.reason())).append("</td></tr>\n");
        }
        if (model.claims().isEmpty())
            b.append("<tr><td colspan=\"").append(baseline == null ? 7 : 8).append("\">No claims were modelled.</td></tr>\n");
        b.append("</tbody>\n</table>\n");
        if (baseline != null) BaselineColumn.onlyInBaseline(b, baseline);
        b.append("<p class=\"legend\">")
                .append("<span class=\"verdict v-CONFIRMED\">CONFIRMED</span> capacity within the claimed range · ")
                .append("<span class=\"verdict v-OPTIMISTIC\">OPTIMISTIC</span> less capacity than claimed · ")
                .append("<span class=\"verdict v-CONSERVATIVE\">CONSERVATIVE</span> more than claimed · ")
                .append("<span class=\"verdict v-NOT_REFUTED\">NOT_REFUTED</span> a lower bound that does not reach past the claim · ")
                .append("<span class=\"verdict v-INCONCLUSIVE\">INCONCLUSIVE</span> the data cannot decide. ")
                .append("The knee is the load at which a level fails half the time, found by raising the load until a constraint bound, ")
                .append("bisecting and replicating; its interval comes from the replicates. “≥ N” is a lower bound: nothing bound ")
                .append("up to N stores (or the test machine saturated first), so it can confirm an open claim or show a bounded one conservative, never more.</p>\n");
        if (!model.notes().isEmpty()) {
            b.append("<ul class=\"notes\">\n");
            for (String n : model.notes()) b.append("<li>").append(esc(n)).append("</li>\n");
            b.append("</ul>\n");
        }
        b.append("</section>\n");
    }
}
