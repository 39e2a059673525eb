package io.storecap.reports.gates;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code storecap gate --summary FILE [--gates FILE] [--baseline OLD_SUMMARY] [--max-drop-pct N] [--junit OUT.xml]}.
 * Exit codes: 0 every gate passed, 1 a gate failed, 2 bad input (the message names the file and field).
 */
public final class GateCommand {
    private GateCommand() {}

    public static final int PASS = 0, FAILED = 1, BAD_INPUT = 2;

    /**
     * What to check.
     *
     * @param summary    summary.json of the study to check (required)
     * @param gates      gates YAML; null for none
     * @param baseline   an earlier summary.json: fail when a claim's threshold dropped; null for none
     * @param junit      where to also write the results as JUnit XML; null for nowhere
     * @param maxDropPct largest allowed drop against the baseline, in percent
     */
    public record Options(Path summary, Path gates, Path baseline, Path junit, double maxDropPct) {
        public Options {
            if (summary == null) throw new GatesException("--summary FILE is required");
            if (gates == null && baseline == null)
                throw new GatesException("nothing to check: give --gates FILE and/or --baseline OLD_SUMMARY");
            if (!(maxDropPct >= 0)) throw new GatesException("--max-drop-pct must be >= 0, was " + maxDropPct);
        }
    }

    /** Checks the summary; 0 every gate passed, 1 a gate failed, 2 bad input (named on {@code err}). */
    public static int execute(Options o, PrintStream out, PrintStream err) {
        try {
            JsonNode summary = readJson(o.summary(), "--summary");
            List<GateResult> results = new ArrayList<>();
            if (o.gates() != null) results.addAll(GateEvaluator.evaluate(summary, o.summary().toString(), GatesFile.read(o.gates()).gates()));
            if (o.baseline() != null)
                results.addAll(Baseline.compare(summary, o.summary().toString(), readJson(o.baseline(), "--baseline"),
                        o.baseline().toString(), o.maxDropPct()));
            long failed = results.stream().filter(r -> !r.passed()).count();
            for (GateResult r : results) (r.passed() ? out : err).println((r.passed() ? "PASS " : "FAIL ") + r.message());
            out.println(results.size() + (results.size() == 1 ? " gate, " : " gates, ") + failed + " failed");
            if (o.junit() != null) {
                JUnitXml.write(o.junit(), results);
                out.println("JUnit XML: " + o.junit());
            }
            return failed == 0 ? PASS : FAILED;
        } catch (GatesException e) {
            err.println("storecap gate: " + e.getMessage());
            return BAD_INPUT;
        }
    }

    private static JsonNode readJson(Path file, String option) {
        if (!Files.isRegularFile(file))
            throw new GatesException(option + " " + file + ": no such file");
        try {
            return Json.JSON.readTree(file.toFile());
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
            throw new GatesException(option + " " + file + ": not valid JSON: " + msg, e);
        }
    }
}
