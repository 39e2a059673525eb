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

    public static final String USAGE = """
            usage: storecap gate --summary FILE [--gates FILE] [--baseline OLD_SUMMARY] [--max-drop-pct N] [--junit OUT.xml]
              --summary FILE        summary.json of the study to check (required)
              --gates FILE          gates YAML (see config/gates.yaml)
              --baseline FILE       an earlier summary.json: fail when a claim's threshold dropped
              --max-drop-pct N      largest allowed drop against the baseline, in percent (default 10)
              --junit FILE          also write the results as JUnit XML
            exit: 0 all gates passed, 1 a gate failed, 2 bad input""";

    public static int run(String[] args) { return run(args, System.out, System.err); }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Options o = Options.parse(args);
            if (o.help) { out.println(USAGE); return PASS; }
            JsonNode summary = readJson(o.summary, "--summary");
            List<GateResult> results = new ArrayList<>();
            if (o.gates != null) results.addAll(GateEvaluator.evaluate(summary, o.summary.toString(), GatesFile.read(o.gates).gates()));
            if (o.baseline != null)
                results.addAll(Baseline.compare(summary, o.summary.toString(), readJson(o.baseline, "--baseline"),
                        o.baseline.toString(), o.maxDropPct));
            long failed = results.stream().filter(r -> !r.passed()).count();
            for (GateResult r : results) (r.passed() ? out : err).println((r.passed() ? "PASS " : "FAIL ") + r.message());
            out.println(results.size() + (results.size() == 1 ? " gate, " : " gates, ") + failed + " failed");
            if (o.junit != null) {
                JUnitXml.write(o.junit, results);
                out.println("JUnit XML: " + o.junit);
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

    private static final class Options {
        Path summary, gates, baseline, junit;
        double maxDropPct = Baseline.DEFAULT_MAX_DROP_PCT;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) { o.help = true; continue; }
                String value;
                String name = a;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) { name = a.substring(0, eq); value = a.substring(eq + 1); }
                else {
                    if (i + 1 >= args.length) throw new GatesException(a.startsWith("--") ? a + " needs a value\n" + USAGE
                            : "unexpected argument '" + a + "'\n" + USAGE);
                    value = args[++i];
                }
                switch (name) {
                    case "--summary" -> o.summary = Path.of(value);
                    case "--gates" -> o.gates = Path.of(value);
                    case "--baseline" -> o.baseline = Path.of(value);
                    case "--junit" -> o.junit = Path.of(value);
                    case "--max-drop-pct" -> {
                        try {
                            o.maxDropPct = Double.parseDouble(value.replace("%", "").trim());
                        } catch (NumberFormatException e) {
                            throw new GatesException("--max-drop-pct: '" + value + "' is not a number (e.g. 10)");
                        }
                        if (!(o.maxDropPct >= 0)) throw new GatesException("--max-drop-pct: must be >= 0, was " + value);
                    }
                    default -> throw new GatesException("unknown option '" + name + "'\n" + USAGE);
                }
            }
            if (o.help) return o;
            if (o.summary == null) throw new GatesException("--summary FILE is required\n" + USAGE);
            if (o.gates == null && o.baseline == null)
                throw new GatesException("nothing to check: give --gates FILE and/or --baseline OLD_SUMMARY\n" + USAGE);
            return o;
        }
    }
}
