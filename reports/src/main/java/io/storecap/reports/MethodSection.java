package io.storecap.reports;

import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.model.ValidationRow;
import io.storecap.model.serverless.ServerlessCalibration;
import io.storecap.model.study.StudyModel;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.storecap.reports.Fmt.esc;
import static io.storecap.reports.Fmt.round2;

/**
 * How the numbers were made: the method in steps, then the model's out-of-sample validation and the
 * calibrated serverless model's what-ifs.
 */
final class MethodSection {
    private MethodSection() {}

    static void write(StringBuilder b, StudyModel model, List<RunResult> runs) {
        b.append("<section id=\"method\">\n<h2>Method</h2>\n");
        steps(b, runs);
        validation(b, model);
        whatIfs(b, model);
        b.append("</section>\n");
    }

    /** The method in steps, with the stair, level lengths and service settings the runs used. */
    private static void steps(StringBuilder b, List<RunResult> runs) {
        TreeSet<Integer> stair = new TreeSet<>();
        TreeSet<Double> held = new TreeSet<>(), settle = new TreeSet<>();
        Set<String> modes = new LinkedHashSet<>();
        for (RunResult r : runs) {
            RunConfig c = r.config();
            stair.addAll(c.levels());
            held.add(c.levelSeconds());
            settle.add(c.settleSeconds());
            modes.add(c.mode() + " mode, connection_limit " + c.connectionLimit() + ", idle TTL " + Fmt.num(c.idleTtlSeconds()) + " s");
        }
        b.append("<ol>\n")
                .append("<li>A reference service with the app's endpoints and connection behaviour (")
                .append(esc(String.join("; ", modes))).append(") ran against real Postgres, straight or through a real PgBouncer in transaction mode.</li>\n")
                .append("<li>Gatling drove an open workload up a stair of store counts (")
                .append(esc(stair.stream().map(String::valueOf).collect(Collectors.joining(", "))))
                .append("), each level held ").append(esc(range(held))).append(" s at the arrival rate the traffic profile gives for that many stores; ")
                .append("the first ").append(esc(range(settle))).append(" s of each level were left out of the connection figures.</li>\n")
                .append("<li>A sampler on a reserved superuser connection read the connections Postgres and PgBouncer actually held, several times a second.</li>\n")
                .append("<li>Per configuration, peak server connections were fitted against stores by least squares with a 95 % confidence band. ")
                .append("A threshold is the largest store count at which every limit holds: connections within the tier's usable slots, ")
                .append("no refused connections, p95 and error rate within the targets. “Limited by” names the limit that binds first.</li>\n")
                .append("<li>A verdict compares the threshold and its interval with the claimed range. A limit reached because the ")
                .append("test machine itself saturated is reported as such, never as a tier limit.</li>\n</ol>\n");
    }

    private static void validation(StringBuilder b, StudyModel model) {
        if (!model.validation().isEmpty()) {
            b.append("<h3>Model validation: predictions for levels the fit never saw</h3>\n<table class=\"levels\">\n<thead><tr>")
                    .append("<th>claim</th><th>fitted on (stores)</th><th>shape</th><th>held-out level</th><th>predicted (95 %)</th>")
                    .append("<th>measured</th><th>error</th><th>inside interval</th></tr></thead>\n<tbody>\n");
            for (ValidationRow r : model.validation())
                b.append("<tr><td>").append(esc(r.claimId())).append("</td><td>")
                        .append(esc(r.fittedOn().stream().map(String::valueOf).collect(Collectors.joining(", ")))).append("</td><td>")
                        .append(esc(r.model())).append("</td><td class=\"num\">").append(r.stores()).append("</td><td class=\"num\">")
                        .append(esc(Fmt.num(round2(r.predicted())) + " (" + Fmt.num(round2(r.low())) + "–" + Fmt.num(round2(r.high())) + ")"))
                        .append("</td><td class=\"num\">").append(esc(Fmt.num(round2(r.measured())))).append("</td><td class=\"num\">")
                        .append(esc(r.errorPercent() == null ? "-" : Fmt.num(round2(r.errorPercent())) + " %")).append("</td><td class=\"")
                        .append(r.withinInterval() ? "t-MET\">✓ yes" : "t-MISSED\">✗ no").append("</td></tr>\n");
            b.append("</tbody>\n</table>\n");
        }
    }

    private static void whatIfs(StringBuilder b, StudyModel model) {
        List<ServerlessCalibration> cals = model.serverless().stream().filter(c -> !c.whatIfs().isEmpty()).toList();
        if (!cals.isEmpty()) {
            b.append("<h3>What if: the calibrated serverless model at settings no run used</h3>\n<table class=\"levels\">\n<thead><tr>")
                    .append("<th>configuration</th><th>scenario</th><th>peak connections (95 %)</th><th>warm instances</th>")
                    .append("<th>extrapolation</th></tr></thead>\n<tbody>\n");
            for (ServerlessCalibration c : cals)
                for (ServerlessCalibration.WhatIf w : c.whatIfs())
                    b.append("<tr><td>").append(esc(c.configurationId())).append("</td><td>").append(esc(w.scenario()))
                            .append("</td><td class=\"num\">").append(esc(Fmt.num((double) Math.round(w.prediction().peakConnectionsP95()))))
                            .append("</td><td class=\"num\">").append(esc(Fmt.num((double) Math.round(w.prediction().meanWarmInstances()))))
                            .append("</td><td>").append(esc(w.extrapolated() ? String.join("; ", w.extrapolation()) : "within the measured range"))
                            .append("</td></tr>\n");
            b.append("</tbody>\n</table>\n");
        }
    }

    private static String range(TreeSet<Double> s) {
        if (s.isEmpty()) return "-";
        return s.first().equals(s.last()) ? Fmt.num(s.first()) : Fmt.num(s.first()) + "–" + Fmt.num(s.last());
    }
}
