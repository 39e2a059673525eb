package io.storecap.reports;

import io.storecap.model.checklist.Alerts;
import io.storecap.model.checklist.ChecklistResult;
import io.storecap.model.checklist.ChecklistStep;
import io.storecap.model.checklist.Comparison;
import io.storecap.model.checklist.Effect;
import io.storecap.model.checklist.Estimate;
import io.storecap.model.checklist.Metric;
import io.storecap.model.checklist.Ranking;
import io.storecap.model.checklist.TargetCheck;

import java.util.Locale;

import static io.storecap.reports.Fmt.esc;

/**
 * "The plan's checklist, measured": each step off and on side by side with its interval and what the
 * interval says; the options' capacity per dollar and where the plan's alerts first fire; the steps
 * ranked by what they buy per hour and per dollar; the seed's targets at the store counts they name.
 */
public final class ChecklistSection {
    private ChecklistSection() {}

    public static void write(StringBuilder b, ChecklistResult r) {
        b.append("<section id=\"checklist\">\n<h2>The plan's checklist, measured</h2>\n")
                .append("<p>Each step with the step off and on, on the same tier, traffic and runtime. An effect is on − off with its 95 % interval;")
                .append(" it is <b>negligible</b> when the whole interval lies within the band stated beside it, <b>large</b> when the whole")
                .append(" interval lies beyond it. What the cells measured, and how, is below the ranking and the targets.</p>\n");
        negligible(b, r);
        ranking(b, r);
        targets(b, r);
        options(b, r);
        steps(b, r);
        b.append("<h3>How the cells ran</h3>\n<ul class=\"notes\">\n");
        for (String n : r.notes()) b.append("<li>").append(esc(n)).append("</li>\n");
        b.append("</ul>\n");
        b.append("</section>\n");
    }

    /** Up front: what the intervals show does not matter, and what they show is large. */
    private static void negligible(StringBuilder b, ChecklistResult r) {
        StringBuilder none = new StringBuilder(), large = new StringBuilder();
        for (ChecklistStep s : r.steps()) {
            if (s.aaCheck()) continue;
            for (Comparison c : s.comparisons()) {
                StringBuilder to = c.effect().negligible() ? none : c.effect().size() == Effect.Size.LARGE ? large : null;
                if (to == null) continue;
                to.append("<li><b>").append(esc(s.id())).append("</b> ").append(esc(c.metric().words)).append(": ")
                        .append(esc(value(c.metric(), c.off().value()) + " → " + value(c.metric(), c.on().value()) + ", effect "
                                + interval(c.metric(), c.effect().low(), c.effect().high()) + qualifiers(c)))
                        .append(c.effect().negligible() ? esc(", within " + c.metric().bandWords()) : esc(", " + c.effect().direction().id()))
                        .append("</li>\n");
            }
        }
        aa(b, r);
        b.append("<div class=\"cols\"><div><h3>Shown not to matter here</h3>\n<p class=\"sub\">The whole interval lies within the band.</p>\n<ul>")
                .append(none.length() == 0 ? "<li>nothing: no effect's interval lies within its band</li>" : none.toString())
                .append("</ul></div>\n<div><h3>Shown to be large</h3>\n<p class=\"sub\">The whole interval lies beyond the band.</p>\n<ul>")
                .append(large.length() == 0 ? "<li>nothing: no effect's interval lies beyond its band</li>" : large.toString())
                .append("</ul></div></div>\n");
    }

    /** The A/A check in one line: the spread of each metric over the base's environments, which every effect allows for. */
    private static void aa(StringBuilder b, ChecklistResult r) {
        java.util.Map<String, double[]> range = new java.util.LinkedHashMap<>();
        java.util.Map<String, Metric> metric = new java.util.HashMap<>();
        int environments = 1;
        for (ChecklistStep s : r.steps()) {
            if (!s.aaCheck()) continue;
            if (!s.id().contains("dashboard")) environments++;
            for (Comparison c : s.comparisons()) {
                if (c.metric() == Metric.ERROR_RATE) continue;
                String k = c.metric().words + (s.id().contains("dashboard") ? " of a dashboard load" : "");
                metric.put(k, c.metric());
                double[] x = range.computeIfAbsent(k, z -> new double[]{Double.MAX_VALUE, -Double.MAX_VALUE});
                for (double v : new double[]{c.off().value(), c.on().value()}) {
                    x[0] = Math.min(x[0], v);
                    x[1] = Math.max(x[1], v);
                }
            }
        }
        if (range.isEmpty()) {
            b.append("<p class=\"sub\">No A/A check in these cells: the intervals cover sampling within a cell, not what differs between"
                    + " environments.</p>\n");
            return;
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        range.forEach((k, x) -> parts.add(k + " " + value(metric.get(k), x[0]) + " to " + value(metric.get(k), x[1])));
        b.append("<p><b>A/A check</b>: the base in ").append(environments).append(" environments with the same arrivals gave ")
                .append(esc(String.join("; ", parts))).append(". Every effect below is widened by that spread (\"incl. ±X A/A drift\").</p>\n");
    }

    private static void steps(StringBuilder b, ChecklistResult r) {
        b.append("<h3>Each step off and on</h3>\n<div class=\"scroll\"><table class=\"checklist\">\n<thead><tr><th>Step</th><th>Cells</th>")
                .append("<th>Measured</th><th>Off</th><th>On</th><th>Effect (on − off)</th><th>What it says</th></tr></thead>\n<tbody>\n");
        for (ChecklistStep s : r.steps()) {
            int rows = 1 + s.others().size();
            b.append("<tr id=\"step-").append(esc(s.id())).append("\"><td rowspan=\"").append(rows).append("\"><b>").append(esc(s.id()))
                    .append("</b><br><span class=\"sub\">").append(esc(s.title())).append("</span></td><td rowspan=\"").append(rows)
                    .append("\">").append(esc(s.condition())).append("<br><span class=\"sub\">off: ").append(esc(s.offLabel()))
                    .append("<br>on: ").append(esc(s.onLabel())).append("</span></td>");
            row(b, s.primary(), true);
            for (Comparison c : s.others()) {
                b.append("<tr class=\"other\">");
                row(b, c, false);
            }
        }
        b.append("</tbody>\n</table></div>\n");
    }

    private static void row(StringBuilder b, Comparison c, boolean main) {
        b.append("<td>").append(main ? "<b>" : "").append(esc(c.metric().words)).append(main ? "</b>" : "").append("</td>");
        side(b, c.metric(), c.off());
        side(b, c.metric(), c.on());
        b.append("<td class=\"num\">").append(esc(value(c.metric(), c.effect().value()))).append("<br><span class=\"sub\">")
                .append(esc(interval(c.metric(), c.effect().low(), c.effect().high()) + qualifiers(c))).append("</span></td><td class=\"e-")
                .append(c.effect().size().id()).append("\">").append(esc(says(c.effect()))).append("<br><span class=\"sub\">band ")
                .append(esc(c.metric().bandWords())).append("</span></td></tr>\n");
    }

    /** One side: the value, then its interval and count beneath. */
    private static void side(StringBuilder b, Metric m, Estimate e) {
        b.append("<td class=\"num\">");
        if (e.count() == 0) b.append("not measured");
        else b.append(esc(value(m, e.value()))).append("<br><span class=\"sub\">").append(esc(interval(m, e.low(), e.high())))
                .append(" n=").append(esc(String.format(Locale.ROOT, "%,d", e.count()))).append("</span>");
        b.append("</td>");
    }

    /** The interval's confidence where it is not 95 %, and the A/A drift allowed for in it. */
    static String qualifiers(Comparison c) {
        Effect e = c.effect();
        String q = "";
        if (e.confidence() < 0.9495) q += String.format(Locale.ROOT, " (%.1f %%)", e.confidence() * 100);
        if (e.drift() > 0) q += " incl. ±" + value(c.metric(), e.drift()) + " A/A drift";
        return q;
    }

    static String says(Effect e) {
        return switch (e.size()) {
            case NEGLIGIBLE -> "negligible";
            case LARGE -> "large, " + e.direction().id();
            case SMALL -> "small, " + e.direction().id();
            case UNCLEAR -> e.low() == null || e.high() == null ? "unclear (too few to bound)" : "unclear (could be either way)";
        };
    }

    static String interval(Metric m, Double lo, Double hi) {
        return "[" + (lo == null ? "?" : value(m, lo)) + ", " + (hi == null ? "?" : value(m, hi)) + "]";
    }

    static String value(Metric m, double v) {
        return switch (m.unit) {
            case "ms" -> Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%,d ms", Math.round(v)) : Fmt.num(Math.round(v * 100) / 100.0) + " ms";
            case "share" -> Fmt.num(Math.round(v * 10_000) / 100.0) + " %";
            case "stores" -> String.format(Locale.ROOT, "%,d", Math.round(v));
            default -> Fmt.num(Math.round(v * 10) / 10.0);
        };
    }

    private static void options(StringBuilder b, ChecklistResult r) {
        if (r.configs().isEmpty()) return;
        b.append("<h3>Options A, B, C: capacity per dollar and the plan's alerts</h3>\n<p>Each configuration's ladder of loads: the")
                .append(" highest level that held below the first that failed (the study's level judge), and where the plan's alert rules would")
                .append(" first fire (interpolated in log(stores) between the last quiet level and the first firing one). The better connection")
                .append(" threshold is the peak connections at 80 % of the knee (the bracket's geometric middle).</p>\n")
                .append("<div class=\"scroll\"><table class=\"alerts\">\n<thead><tr><th>Configuration</th><th>$ / month</th><th>Capacity</th>")
                .append("<th>Stores per $</th>");
        for (Alerts.Rule rule : Alerts.Rule.values()) b.append("<th>").append(esc(rule.words)).append("</th>");
        b.append("<th>A better connection alert</th></tr></thead>\n<tbody>\n");
        for (ChecklistResult.ConfigAlerts a : r.configs()) {
            b.append("<tr><td>").append(esc(a.id())).append("<br><span class=\"sub\">").append(esc(a.words())).append("</span></td><td class=\"num\">")
                    .append(esc(Fmt.usd(a.monthlyCostUsd()))).append("</td><td>").append(esc(a.capacity().words())).append("</td><td class=\"num\">")
                    .append(esc(a.storesPerDollar() == null ? (a.monthlyCostUsd() <= 0 ? "no cost" : "-") : Fmt.num(Math.round(a.storesPerDollar() * 10) / 10.0)))
                    .append("</td>");
            for (Alerts.FirstFire f : a.alerts().values()) b.append("<td>").append(esc(f.words())).append("</td>");
            b.append("<td>").append(esc(a.suggestedConnections() == null ? "no knee within the levels measured"
                    : "> " + Math.round(a.suggestedConnections()) + " connections")).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table></div>\n");
    }

    private static void ranking(StringBuilder b, ChecklistResult r) {
        if (r.ranking().isEmpty()) return;
        b.append("<h3>The steps ranked by what they buy</h3>\n<p>Stores of capacity first, then milliseconds of p95 (or p99 for webhooks),")
                .append(" per hour of work and per dollar a month, with the hours and costs of config/checklist.yaml. Only an effect whose")
                .append(" interval shows it better counts; a negligible one does not matter at this traffic.</p>\n<table class=\"ranking\">\n<thead><tr><th>#</th><th>Step</th>")
                .append("<th>Buys</th><th>At your traffic (p95 at the plan's store count)</th><th>Hours</th><th>$ / month</th><th>Per hour</th><th>Per dollar</th></tr></thead>\n<tbody>\n");
        for (Ranking.Ranked k : r.ranking()) {
            Ranking.StepValue s = k.step();
            String buys = !k.matters() ? s.nothingBecause() : k.storesPerHour() != null
                    ? (s.capacityLowerBound() ? "≥ " : "") + String.format(Locale.ROOT, "%,d stores", Math.round(s.capacityGainStores()))
                    : String.format(Locale.ROOT, "%,d ms", Math.round(s.p95GainMs()));
            String perHour = k.storesPerHour() != null ? String.format(Locale.ROOT, "%,d stores", Math.round(k.storesPerHour()))
                    : k.msPerHour() != null ? String.format(Locale.ROOT, "%,.1f ms", k.msPerHour()) : "-";
            String perDollar = s.monthlyCostUsd() <= 0 ? "no cost" : k.storesPerDollar() != null
                    ? String.format(Locale.ROOT, "%,.0f stores", k.storesPerDollar()) : k.msPerDollar() != null
                    ? String.format(Locale.ROOT, "%,.1f ms", k.msPerDollar()) : "-";
            b.append("<tr").append(k.matters() ? "" : " class=\"runnote\"").append("><td>").append(k.rank()).append("</td><td>")
                    .append(esc(s.id())).append("<br><span class=\"sub\">").append(esc(s.words())).append("</span></td><td>").append(esc(buys))
                    .append("</td><td>").append(esc(atTraffic(s))).append("</td><td class=\"num\">").append(esc(Fmt.num(s.hours()))).append("</td><td class=\"num\">")
                    .append(esc(Fmt.usd(s.monthlyCostUsd()))).append("</td><td class=\"num\">").append(esc(perHour)).append("</td><td class=\"num\">")
                    .append(esc(perDollar)).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    static String atTraffic(Ranking.StepValue s) {
        Effect e = s.atTraffic();
        if (e == null) return "not measured";
        Metric m = Metric.P95_MS;
        return s.atYourTraffic() + ": " + value(m, e.value()) + " " + interval(m, e.low(), e.high());
    }

    private static void targets(StringBuilder b, ChecklistResult r) {
        b.append("<h3>The seed's targets at the store counts they name</h3>\n<table class=\"targets\">\n<thead><tr><th>Target</th><th>Goal</th>")
                .append("<th>Stores</th><th>Measured (95 % interval)</th><th>Rests on</th><th>Status</th></tr></thead>\n<tbody>\n");
        for (TargetCheck t : r.targets()) {
            Estimate e = t.measured();
            Metric m = t.goal().contains("%") && !t.goal().contains("/") ? Metric.ERROR_RATE : t.goal().contains(" ms") || t.goal().contains(" s")
                    ? Metric.P95_MS : Metric.CONNECTIONS;
            String measured = e == null || e.count() == 0 ? "not measured" : value(m, e.value()) + " " + interval(m, e.low(), e.high());
            if (t.id().equals("webhook-rate") && e != null)
                measured = String.format(Locale.ROOT, "%,d / hour [%,d, %,d]", Math.round(e.value()), Math.round(e.low()), Math.round(e.high()));
            b.append("<tr><td>").append(esc(t.target())).append("</td><td class=\"num\">").append(esc(t.goal())).append("</td><td class=\"num\">")
                    .append(t.stores() == null ? "-" : esc(String.format(Locale.ROOT, "%,d", t.stores()))).append("</td><td class=\"num\">")
                    .append(esc(measured)).append("</td><td class=\"text\">").append(esc(t.note())).append("</td><td class=\"t-")
                    .append(t.status().name()).append("\">").append(esc(switch (t.status()) {
                        case BELOW -> "below the plan's estimate";
                        case ABOVE -> "above the plan's estimate";
                        default -> t.status().id();
                    })).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }
}
