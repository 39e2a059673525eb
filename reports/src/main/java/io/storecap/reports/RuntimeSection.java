package io.storecap.reports;

import io.storecap.model.study.RuntimeVerdict;
import io.storecap.model.study.StudyModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.storecap.reports.Fmt.esc;

/**
 * "Verdict by runtime": for each claim the study ran under more than one runtime
 * (config/runtimes.yaml, {@code study --runtime A,B}), the knee or bound, its interval and the verdict
 * under each, with the settings that define the runtime. The claim's own verdict (the table above)
 * is the first runtime's.
 */
final class RuntimeSection {
    private RuntimeSection() {}

    /** The settings that tell the runtimes apart, shown in the table; the rest are in run.json. */
    static final Set<String> SHOWN = Set.of("instance-concurrency", "pool", "attach-database-pool", "dispatch",
            "zombie-hold-ms", "deploys-per-hour", "connect-rtts", "keep-alive");

    static void write(StringBuilder b, StudyModel model) {
        Map<String, List<RuntimeVerdict>> byClaim = new LinkedHashMap<>();
        for (RuntimeVerdict v : model.runtimes()) byClaim.computeIfAbsent(v.claimId(), k -> new java.util.ArrayList<>()).add(v);
        if (byClaim.values().stream().noneMatch(l -> l.size() > 1)) return;
        b.append("<section id=\"runtimes\">\n<h2>Verdict by runtime</h2>\n<p>The same claim measured under each runtime the study ran: how ")
                .append("the platform dispatches requests, how many each instance serves, and how the database client holds and frees ")
                .append("connections. The verdict table above uses the first runtime.</p>\n");
        for (Map.Entry<String, List<RuntimeVerdict>> e : byClaim.entrySet()) {
            if (e.getValue().size() < 2) continue;
            b.append("<h3>").append(esc(e.getKey())).append(" (claimed ").append(esc(e.getValue().get(0).result().claimed().text()))
                    .append(")</h3>\n<table class=\"runtimes\" data-claim=\"").append(esc(e.getKey())).append("\">\n<thead><tr>")
                    .append("<th>Runtime</th><th>Measured</th><th>Knee's 95 % interval</th><th>Limited by</th><th>Verdict</th><th>Settings</th>")
                    .append("</tr></thead>\n<tbody>\n");
            for (RuntimeVerdict v : e.getValue()) {
                String verdict = v.result().verdict().name();
                StringBuilder settings = new StringBuilder();
                v.settings().entrySet().stream().filter(s -> SHOWN.contains(s.getKey())).sorted(Map.Entry.comparingByKey())
                        .forEach(s -> settings.append(settings.length() == 0 ? "" : ", ").append(s.getKey()).append(' ').append(s.getValue()));
                b.append("<tr data-runtime=\"").append(esc(v.runtime())).append("\"><td><strong>").append(esc(v.runtime())).append("</strong>")
                        .append(v.baseline() ? "<br><span class=\"sub\">the verdict above</span>" : "").append("</td>")
                        .append("<td class=\"num big\">").append(esc(Fmt.threshold(v.result().measured()))).append("</td>")
                        .append("<td class=\"num\">").append(esc(Fmt.interval(v.result().measured()))).append("</td>")
                        .append("<td>").append(esc(Fmt.binding(v.result().measured() == null ? null : v.result().measured().binding()))).append("</td>")
                        .append("<td><span class=\"verdict v-").append(verdict).append("\">").append(verdict).append("</span></td>")
                        .append("<td class=\"sub\">").append(esc(settings.toString())).append("</td></tr>\n");
            }
            b.append("</tbody>\n</table>\n");
        }
        b.append("</section>\n");
    }
}
