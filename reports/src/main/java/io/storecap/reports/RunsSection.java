package io.storecap.reports;

import io.storecap.model.LevelResult;
import io.storecap.model.Reconciliation;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;

import java.util.List;
import java.util.stream.Collectors;

import static io.storecap.reports.Fmt.esc;
import static io.storecap.reports.Fmt.round2;
import static io.storecap.reports.Fmt.tierWord;

/** The appendix: the study's environment, each run's configuration and links, and every level each run measured. */
final class RunsSection {
    private RunsSection() {}

    static void write(StringBuilder b, List<RunResult> runs, ReportContext ctx) {
        b.append("<section id=\"runs\">\n<h2>Runs and environment</h2>\n<table class=\"kv\">\n<tbody>\n")
                .append("<tr><th>study</th><td>").append(esc(ctx.studyMode())).append("</td></tr>\n")
                .append("<tr><th>started</th><td>").append(esc(Fmt.time(ctx.startedEpochMs()))).append("</td></tr>\n")
                .append("<tr><th>finished</th><td>").append(esc(Fmt.time(ctx.finishedEpochMs()))).append("</td></tr>\n");
        ctx.environment().forEach((k, v) -> b.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
        b.append("</tbody>\n</table>\n");
        if (!ctx.notes().isEmpty()) {
            b.append("<ul class=\"notes\">\n");
            ctx.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>\n"));
            b.append("</ul>\n");
        }
        b.append("<table class=\"runs\">\n<thead><tr><th>Run</th><th>Configuration</th><th>Stair (stores)</th>")
                .append("<th>Webhooks</th><th>Gatling report</th></tr></thead>\n<tbody>\n");
        for (RunResult r : runs) {
            RunConfig c = r.config();
            Reconciliation rec = r.reconciliation();
            String link = ctx.gatlingReports().get(r.runId());
            b.append("<tr><td>").append(esc(r.runId())).append("</td><td>").append(esc(c.id())).append(": ")
                    .append(esc(tierWord(c.tier().id()))).append(" (").append(c.tier().maxConnections()).append(" connections), ")
                    .append(esc(Fmt.route(c.route()))).append(", ").append(esc(c.mode().id())).append(", connection_limit ")
                    .append(c.connectionLimit()).append(", ").append(esc(c.provider())).append("</td><td>")
                    .append(esc(c.levels().stream().map(String::valueOf).collect(Collectors.joining(", ")))).append("</td><td>")
                    .append(rec.sent() == 0 ? "-" : esc(Fmt.num((double) rec.sent()) + " sent, " + Fmt.num((double) rec.lost())
                            + " lost, " + Fmt.num((double) rec.duplicated()) + " duplicated")).append("</td><td>")
                    .append(link == null ? "-" : "<a href=\"" + esc(link) + "\">Gatling report</a>").append("</td></tr>\n");
            if (!r.notes().isEmpty())
                b.append("<tr class=\"runnote\"><td></td><td colspan=\"4\">").append(esc(String.join(" ", r.notes()))).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n");
        for (RunResult r : runs) levels(b, r);
        b.append("</section>\n");
    }

    private static void levels(StringBuilder b, RunResult r) {
        b.append("<details class=\"levels\"><summary>Levels of ").append(esc(r.runId())).append("</summary>\n")
                .append("<table class=\"levels\">\n<thead><tr><th>stores</th><th>target rps</th><th>achieved rps</th>")
                .append("<th>p95</th><th>errors</th><th>server conn. mean / p95 / max</th><th>PgBouncer clients max</th>")
                .append("<th>refusals</th><th>CPU max</th></tr></thead>\n<tbody>\n");
        for (LevelResult l : r.levels()) {
            b.append("<tr><td class=\"num\">").append(l.stores()).append("</td><td class=\"num\">").append(esc(Fmt.num(round2(l.targetRps()))))
                    .append("</td><td class=\"num\">").append(esc(Fmt.num(round2(l.achievedRps())))).append("</td><td class=\"num\">")
                    .append(esc(Fmt.ms(l.requests().p95Ms()))).append("</td><td class=\"num\">").append(esc(Fmt.pct(l.requests().errorRate())))
                    .append("</td><td class=\"num\">").append(esc(Fmt.num(round2(l.serverConnections().mean())) + " / "
                            + Fmt.num(round2(l.serverConnections().p95())) + " / " + Fmt.num(round2(l.serverConnections().max()))))
                    .append("</td><td class=\"num\">").append(esc(r.config().route() == Route.POOLED ? Fmt.num(round2(l.poolerClients().max())) : "-"))
                    .append("</td><td class=\"num\">").append(l.totalRefusals()).append("</td><td class=\"num\">")
                    .append(esc(Fmt.pct(l.cpuMax()))).append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n</details>\n");
    }
}
