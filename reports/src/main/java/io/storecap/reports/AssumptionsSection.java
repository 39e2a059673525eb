package io.storecap.reports;

import io.storecap.model.Tier;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.storecap.reports.Fmt.esc;

/** What the verdicts assume: the traffic profile, the tiers (see {@link TiersTable}) and each claim's own assumptions. */
final class AssumptionsSection {
    private AssumptionsSection() {}

    static void write(StringBuilder b, StudyModel model, Map<String, Tier> tiers, ReportContext ctx) {
        b.append("<section id=\"assumptions\">\n<h2>Assumptions</h2>\n")
                .append("<p>The verdicts hold for this traffic. Different traffic (a busier peak, longer-lived function ")
                .append("instances, a larger connection_limit) moves every threshold.</p>\n<h3>Traffic profile</h3>\n");
        profile(b, ctx.profile());
        TiersTable.write(b, model, tiers);
        List<ClaimResult> withAssumptions = model.claims().stream().filter(c -> !c.assumptions().isEmpty()).toList();
        if (!withAssumptions.isEmpty()) {
            b.append("<h3>What each verdict assumes</h3>\n<table class=\"kv\">\n<tbody>\n");
            for (ClaimResult c : withAssumptions)
                b.append("<tr><th>").append(esc(c.id())).append("</th><td>").append(esc(String.join("; ", c.assumptions())))
                        .append("</td></tr>\n");
            b.append("</tbody>\n</table>\n");
        }
        b.append("</section>\n");
    }

    /** The profile as tables: a map of maps (kind -> {baseline, peak, reason}) becomes a grid, the rest key/value rows. */
    private static void profile(StringBuilder b, Map<String, Object> profile) {
        if (profile.isEmpty()) {
            b.append("<p>The runs recorded no traffic profile.</p>\n");
            return;
        }
        Map<String, String> flat = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : profile.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m && !m.isEmpty() && m.values().stream().allMatch(v -> v instanceof Map)) {
                grid(b, e.getKey(), m);
            } else {
                flatten(e.getKey(), e.getValue(), flat);
            }
        }
        if (!flat.isEmpty()) {
            b.append("<table class=\"kv\">\n<tbody>\n");
            flat.forEach((k, v) -> b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
            b.append("</tbody>\n</table>\n");
        }
    }

    private static void grid(StringBuilder b, String name, Map<?, ?> rows) {
        Set<String> cols = new LinkedHashSet<>();
        for (Object v : rows.values()) ((Map<?, ?>) v).keySet().forEach(k -> cols.add(String.valueOf(k)));
        b.append("<table class=\"grid\">\n<caption>").append(esc(name)).append("</caption>\n<thead><tr><th></th>");
        for (String c : cols) b.append("<th>").append(esc(c)).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (Map.Entry<?, ?> r : rows.entrySet()) {
            Map<?, ?> m = (Map<?, ?>) r.getValue();
            b.append("<tr><th>").append(esc(r.getKey())).append("</th>");
            for (String c : cols) {
                Object v = m.get(c);
                b.append(v instanceof Number ? "<td class=\"num\">" : "<td class=\"text\">").append(esc(scalar(v))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody>\n</table>\n");
    }

    private static void flatten(String key, Object v, Map<String, String> out) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            for (Map.Entry<?, ?> e : m.entrySet()) flatten(key + "." + e.getKey(), e.getValue(), out);
        } else {
            out.put(key, scalar(v));
        }
    }

    private static String scalar(Object v) {
        if (v == null) return "";
        if (v instanceof Number n) return Fmt.num(n.doubleValue());
        if (v instanceof Collection<?> c) return c.stream().map(AssumptionsSection::scalar).collect(Collectors.joining(", "));
        if (v instanceof Map<?, ?> m) return m.entrySet().stream().map(e -> e.getKey() + ": " + scalar(e.getValue()))
                .collect(Collectors.joining("; "));
        return String.valueOf(v);
    }
}
