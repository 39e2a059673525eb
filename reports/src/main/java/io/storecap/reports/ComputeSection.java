package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.ComputeKnee;
import io.storecap.model.Json;
import io.storecap.model.MeasuredKind;
import io.storecap.model.Route;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;

import java.nio.file.Path;

import static io.storecap.reports.Fmt.esc;

/**
 * "Compute-bound knees": one line per pooled claim. Behind PgBouncer the pool caps the server
 * connections, so the pooled route's ceiling is what Postgres (or PgBouncer's one thread) can run
 * at the tier's compute size; the study measures it beside the connection search and leaves it in
 * the claim's run folder as compute.json ({@link ComputeKnee}), which this class reads for the page
 * and for summary.json's claims[].computeKnee.
 */
final class ComputeSection {
    private ComputeSection() {}

    /** Written for a pooled claim whose run folder holds no compute.json. */
    static final String ABSENT = "no compute.json in the run folder: the study measures it only with --provider containers (Docker)";

    /** A pooled claim's compute knee (a "not measured" one with the reason when there is none); null for a direct claim. */
    static ComputeKnee of(ClaimResult c, ReportContext ctx) {
        if (c.route() != Route.POOLED) return null;
        Path dir = c.runId() == null ? null : ctx.runDirs().get(c.runId());
        try {
            ComputeKnee k = ComputeKnee.read(dir);
            return k != null ? k : ComputeKnee.notMeasured(ABSENT, 0);
        } catch (IllegalArgumentException e) {
            return ComputeKnee.notMeasured(e.getMessage(), 0);
        }
    }

    /** summary.json's claims[].computeKnee: the record's fields, or null for a direct claim. */
    static JsonNode json(ClaimResult c, ReportContext ctx) {
        ComputeKnee k = of(c, ctx);
        return k == null ? Json.JSON.nullNode() : Json.JSON.valueToTree(k);
    }

    static void write(StringBuilder b, StudyModel model, ReportContext ctx) {
        if (model.claims().stream().noneMatch(c -> c.route() == Route.POOLED)) return;
        b.append("<section id=\"compute\">\n<h2>Compute-bound knees (pooled claims)</h2>\n<p>Behind PgBouncer the pool caps Postgres' ")
                .append("connections, so connections are not what runs out: the pooled route's ceiling is how much of the app's SQL Postgres ")
                .append("(or PgBouncer's one thread) can run at the tier's compute size. Measured by a closed-loop ramp of the app's own ")
                .append("statements through PgBouncer against Postgres limited to the tier's compute units, a Universal Scalability Law fit, ")
                .append("and the knee in stores = maximum throughput / one store's requests a second (95 % interval by bootstrap). ")
                .append("It is a ceiling, not an operating point: at it queues grow without bound.</p>\n")
                .append("<table class=\"compute\" id=\"compute-table\">\n<thead><tr><th>Claim</th><th>Compute</th><th>Knee</th>")
                .append("<th>95 % interval</th><th>Saturated</th><th>X_max (requests/s)</th><th>PgBouncer's own ceiling</th></tr></thead>\n<tbody>\n");
        for (ClaimResult c : model.claims()) {
            ComputeKnee k = of(c, ctx);
            if (k == null) continue;
            b.append("<tr data-compute-claim=\"").append(esc(c.id())).append("\" data-kind=\"").append(esc(k.kind().id())).append("\"><td><strong>")
                    .append(esc(c.id())).append("</strong><br><span class=\"sub\">claimed ").append(esc(c.claimed().text())).append("</span></td>");
            if (k.kind() == MeasuredKind.NONE) {
                b.append("<td colspan=\"6\" class=\"sub\">not measured: ").append(esc(k.reason())).append("</td></tr>\n");
                continue;
            }
            String knee = (k.kind() == MeasuredKind.KNEE ? "≈ " : "≥ ") + Fmt.stores(k.stores());
            String interval = k.kind() == MeasuredKind.KNEE ? Fmt.stores(k.low()) + "-" + (k.high() == null ? "?" : Fmt.stores(k.high()))
                    : k.kind().id();
            b.append("<td class=\"num\">").append(esc(Fmt.num(k.cpusAsked()) + " CU")).append(k.cpus() != null && k.cpusAsked() != null
                            && k.cpus() < k.cpusAsked() ? "<br><span class=\"sub\">ran at " + esc(Fmt.num(k.cpus())) + " vCPU</span>" : "")
                    .append("</td><td class=\"num big\">").append(esc(knee)).append("</td><td class=\"num\">").append(esc(interval))
                    .append("</td><td>").append(esc(k.saturated())).append("</td><td class=\"num\">")
                    .append(esc(Fmt.num(k.throughputMax() == null ? null : (double) Math.round(k.throughputMax()))))
                    .append("<br><span class=\"sub\">a store: ").append(esc(Fmt.num(k.perStoreTps() * 3600))).append(" an hour</span></td><td>")
                    .append(k.pgbouncer() == null ? "-" : esc("≈ " + Fmt.stores(k.pgbouncer().stores()) + " stores (" + k.pgbouncer().how() + ")"))
                    .append("</td></tr>\n");
        }
        b.append("</tbody>\n</table>\n</section>\n");
    }
}
