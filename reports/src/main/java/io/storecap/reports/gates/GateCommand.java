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
 * {@code storecap gate --summary FILE [--gates FILE] [--baseline OLD_SUMMARY] [--junit OUT.xml]}.
 * Exit codes: 0 no gate failed, 1 a gate failed (a limit missed, or a claim's new interval wholly
 * below the baseline's), 2 bad input (the message names the file and field). A baseline claim that
 * is not comparable is printed and written as such, and does not change the exit code.
 */
public final class GateCommand {
    private GateCommand() {}

    public static final int PASS = 0, FAILED = 1, BAD_INPUT = 2;

    /**
     * What to check.
     *
     * @param summary    summary.json of the study to check (required)
     * @param gates      gates YAML; null for none
     * @param baseline   an earlier summary.json: fail a claim whose new interval lies wholly below its old one; null for none
     * @param junit      where to also write the results as JUnit XML; null for nowhere
     */
    public record Options(Path summary, Path gates, Path baseline, Path junit) {
        public Options {
            if (summary == null) throw new GatesException("--summary FILE is required");
            if (gates == null && baseline == null)
                throw new GatesException("nothing to check: give --gates FILE and/or --baseline OLD_SUMMARY");
        }
    }

    /** Checks the summary; 0 every gate passed, 1 a gate failed, 2 bad input (named on {@code err}). */
    public static int execute(Options o, PrintStream out, PrintStream err) {
        try {
            JsonNode summary = readJson(o.summary(), "--summary");
            List<GateResult> results = new ArrayList<>();
            if (o.gates() != null) results.addAll(GateEvaluator.evaluate(summary, o.summary().toString(), GatesFile.read(o.gates()).gates()));
            if (o.baseline() != null)
                results.addAll(Baseline.compare(summary, o.summary().toString(), Baseline.parse(readJson(o.baseline(), "--baseline"),
                        "--baseline " + o.baseline(), o.baseline().toString())));
            long failed = results.stream().filter(GateResult::failed).count();
            long notComparable = results.stream().filter(r -> r.outcome() == GateResult.Outcome.NOT_COMPARABLE).count();
            for (GateResult r : results) (r.passed() ? out : err).println(r.word() + " " + r.message());
            out.println(results.size() + (results.size() == 1 ? " gate, " : " gates, ") + failed + " failed"
                    + (notComparable == 0 ? "" : ", " + notComparable + " not comparable"));
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
