package io.storecap.reports;

import io.storecap.model.explain.ClaimExplanation;
import io.storecap.model.explain.Condition;
import io.storecap.model.explain.Explanations;
import io.storecap.model.explain.PatternEffect;
import io.storecap.model.study.StudyModel;

import static io.storecap.reports.Fmt.esc;

/**
 * "Why the plan's numbers": per claim, the findings in words, the measured anti-pattern effects and
 * the modelled conditions under which the claimed range holds.
 */
final class WhySection {
    private WhySection() {}

    static void write(StringBuilder b, StudyModel model) {
        b.append("<section id=\"why\">\n<h2>Why the plan's numbers</h2>\n");
        if (model.explanations().isEmpty()) {
            b.append("<p>No claim had a run to explain.</p>\n</section>\n");
            return;
        }
        b.append("<p>A verdict says whether a number holds; this says what makes it hold. <b>Measured</b> lines compare ")
                .append("the same configuration run with and without a known connection anti-pattern. <b>Modelled</b> lines come from ")
                .append("the serverless model calibrated on the runs, searched over idle TTL, per-store peak rate, hold time and ")
                .append("connection_limit for the settings that put the threshold inside the claimed range.</p>\n");
        for (ClaimExplanation x : model.explanations()) {
            b.append("<div class=\"why\" data-claim=\"").append(esc(x.claimId())).append("\">\n<h3>").append(esc(x.claimId()))
                    .append(" <span class=\"sub\">claimed ").append(esc(x.claimedText())).append(" stores</span></h3>\n<ul class=\"findings\">\n");
            for (String f : x.findings()) b.append("<li>").append(esc(f)).append("</li>\n");
            b.append("</ul>\n");
            if (!x.patterns().isEmpty()) {
                b.append("<table class=\"levels patterns\">\n<thead><tr><th>anti-pattern</th><th>capacity with it</th><th>without it</th>")
                        .append("<th>gain from removing it</th><th>peak Postgres conn. with / without</th><th>conn. per instance with / without</th>")
                        .append("<th>conn. time per request with / without</th><th>refusals with / without</th></tr></thead>\n<tbody>\n");
                for (PatternEffect e : x.patterns()) {
                    PatternEffect.Side w = e.withPattern(), o = e.withoutPattern();
                    b.append("<tr><td><strong>").append(esc(e.pattern())).append("</strong><br><span class=\"sub\">").append(esc(e.description()))
                            .append("</span></td><td class=\"num\">").append(esc(side(w))).append("</td><td class=\"num\">").append(esc(side(o)))
                            .append("</td><td class=\"num big\">").append(esc(e.storesGained() == null ? "-" : (e.gainIsLowerBound() ? "≥ " : "")
                                    + Fmt.stores(e.storesGained()) + " stores"))
                            .append("</td><td class=\"num\">").append(esc(e.comparedAtStores() == null ? "-" : Fmt.num(w.peakConnections()) + " / "
                                    + Fmt.num(o.peakConnections()) + " at " + e.comparedAtStores() + " stores"))
                            .append("</td><td class=\"num\">").append(esc(two(w.connectionsPerInstance()) + " / " + two(o.connectionsPerInstance())))
                            .append("</td><td class=\"num\">").append(esc(Fmt.ms(w.connectionMsPerRequest()) + " / " + Fmt.ms(o.connectionMsPerRequest())))
                            .append("</td><td class=\"num\">").append(w.refusals()).append(" / ").append(o.refusals()).append("</td></tr>\n");
                }
                b.append("</tbody>\n</table>\n");
            }
            if (!x.conditions().isEmpty()) {
                b.append("<details class=\"levels\"><summary>Modelled conditions for ").append(esc(x.claimId())).append(" (")
                        .append(x.conditions().stream().filter(Condition::holdsAtProfileRate).count()).append(" of ").append(x.conditions().size())
                        .append(" hold at the profile's rate)</summary>\n<table class=\"levels conditions\">\n<thead><tr><th>pattern</th>")
                        .append("<th>idle TTL</th><th>connection_limit</th><th>hold time</th><th>model threshold at the profile's rate</th>")
                        .append("<th>per-store peak rate that puts it in ").append(esc(x.claimedText())).append("</th><th>holds as profiled</th></tr></thead>\n<tbody>\n");
                for (Condition c : x.conditions())
                    b.append("<tr><td>").append(esc(c.pattern())).append("</td><td class=\"num\">").append(esc(Explanations.duration(c.idleTtlSeconds())))
                            .append("</td><td class=\"num\">").append(c.connectionLimit()).append("</td><td class=\"num\">x")
                            .append(esc(Fmt.num(c.holdTimeMultiplier()))).append("</td><td class=\"num\">")
                            .append(esc(c.beyondSearch() ? "> " + Fmt.stores((double) io.storecap.model.serverless.ServerlessCalibration.MAX_STORES) + " (beyond the range searched)"
                                    : (c.extrapolated() ? "≈ " : "") + Fmt.num(c.storesAtProfileRate() == null ? null : (double) c.storesAtProfileRate())))
                            .append("</td><td class=\"num\">").append(esc(rate(c))).append("</td><td class=\"")
                            .append(c.holdsAtProfileRate() ? "t-MET\">✓ yes" : "t-NOT_MEASURED\">no").append("</td></tr>\n");
                b.append("</tbody>\n</table>\n</details>\n");
            }
            if (!x.notes().isEmpty()) {
                b.append("<ul class=\"notes\">\n");
                for (String n : x.notes()) b.append("<li>").append(esc(n)).append("</li>\n");
                b.append("</ul>\n");
            }
            b.append("</div>\n");
        }
        b.append("</section>\n");
    }

    private static String side(PatternEffect.Side s) {
        String t = s.threshold() == null ? "not determined" : (s.lowerBound() ? "≥ " : "") + Fmt.stores(s.threshold());
        return t + " (" + Fmt.binding(s.binding()) + ")";
    }

    private static String two(Double v) { return v == null ? "-" : Fmt.num(Math.round(v * 100) / 100.0); }

    private static String rate(Condition c) {
        if (c.rateFrom() == null) return "none in x0.01–x1000";
        String to = c.rateTo() >= 1000 ? "x1000+" : "x" + Fmt.num(Math.round(c.rateTo() * 100) / 100.0);
        if (c.rateFrom() <= 0) return "up to " + to;
        return "x" + Fmt.num(Math.round(c.rateFrom() * 100) / 100.0) + " – " + to;
    }
}
