package io.storecap.cli;

import io.storecap.model.ClaimsFile;
import io.storecap.model.Json;
import io.storecap.model.ModelSettings;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
import io.storecap.model.verdict.LevelJudge;
import io.storecap.reports.ReportContext;
import io.storecap.reports.ReportWriter;
import io.storecap.runner.Study;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.storecap.cli.BenchFigures.fmt;

/**
 * The study itself timed by stage (quick, and full when asked), the knee rates of the quick
 * study's searches against the harness's own ceiling, and the model + report timed on the study's
 * data.
 */
final class StudyTimings {
    private final Path root;
    private final BenchFigures figures;
    /** The service's ok requests a second in server mode through PgBouncer, Gatling included: the harness's ceiling. */
    private final double ceiling;

    StudyTimings(Path root, BenchFigures figures, double ceiling) {
        this.root = root;
        this.figures = figures;
        this.ceiling = ceiling;
    }

    void run(Path outDir, boolean full, boolean skipStudy) throws Exception {
        Map<String, Object> json = figures.json;
        List<RunResult> runs = new ArrayList<>();
        for (boolean quick : full ? new boolean[]{true, false} : new boolean[]{true}) {
            String key = quick ? "quickStudySeconds" : "fullStudySeconds";
            if (skipStudy) {
                json.put(key, null);
                json.put(key + "Reason", "--skip-study");
                continue;
            }
            Path dir = outDir.resolve(quick ? "study-quick" : "study-full");
            new Study(new PrintStream(Files.newOutputStream(outDir.resolve((quick ? "quick" : "full") + "-study.log")), true))
                    .run(Study.Inputs.defaults(root), quick, List.of(), dir);
            Map<?, ?> timing = Json.JSON.readValue(dir.resolve("timing.json").toFile(), Map.class);
            double total = ((Number) timing.get("totalSeconds")).doubleValue();
            json.put(key, total);
            figures.raw.put(key.replace("Seconds", "Stages"), timing.get("stages"));
            figures.row(key, fmt(total), quick ? "600 s goal" : "2700 s goal", fmt(total / (quick ? 600 : 2700)), "<= 1",
                    "wall time by stage: " + BenchMarkdown.stages(timing.get("stages")));
            runs = new ArrayList<>(Study.loadRuns(List.of(dir)).values());
            if (quick) kneeRates(runs);
        }
        if (!full) {
            json.put("fullStudySeconds", null);
            json.put("fullStudySecondsReason", "not run: pass --full (about 20 minutes)");
        }
        if (runs.isEmpty()) {
            json.put("modelReportSeconds", null);
            json.put("modelReportSecondsReason", "no study data (--skip-study)");
        } else {
            double s = modelAndReport(runs, outDir.resolve("model-report"));
            json.put("modelReportSeconds", s);
            figures.row("modelReportSeconds", fmt(s), "5 s goal", fmt(s / 5), "<= 1",
                    "model + report on the " + (full ? "full" : "quick") + " study's " + runs.size() + " runs (median of 5)");
        }
    }

    /**
     * Per claim of the quick study: the highest emulated request rate among its levels that counted
     * (achieved / time scale) against the harness's own ceiling measured in this run (the service in
     * server mode through PgBouncer, Gatling included). Above half of it the machine, not the tier,
     * may be what a level measured: such a claim should be read as machine-limited.
     */
    private void kneeRates(List<RunResult> runs) {
        if (ceiling <= 0) return;
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (RunResult r : runs) {
            if (r.search() == null) continue;
            // levels that counted for the tier: enough requests, and not the machine's own limit
            double top = r.levels().stream().filter(l -> l.requests().count() >= LevelJudge.MIN_REQUESTS_TO_HOLD)
                    .filter(l -> LevelJudge.judge(l, r.config().tier(), r.config().route(),
                            ModelSettings.defaults()).outcome() != LevelJudge.Outcome.MACHINE)
                    .mapToDouble(l -> l.achievedRps() / l.timeScale()).max().orElse(0);
            ratios.put(r.config().id(), top / ceiling);
            figures.row("kneeRate " + r.config().id(), fmt(top), fmt(ceiling) + " req/s ceiling", fmt(top / ceiling), "<= 0.5",
                    "highest emulated rate a level of the search carried that counted for the tier (299+ requests, not machine-limited), against the service + Gatling ceiling of this run");
        }
        figures.json.put("kneeRateRatios", ratios);
    }

    /** The model and report on the study's runs, timed five times: the median, in seconds. */
    private double modelAndReport(List<RunResult> runs, Path dir) {
        var claims = ClaimsFile.load(root.resolve("config/claims.yaml"));
        Map<String, Tier> tiers = TiersFile.load(root.resolve("config/tiers.yaml"));
        double[] t = new double[5];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            StudyModel m = CapacityModel.evaluate(claims, tiers, runs, ModelSettings.defaults());
            ReportWriter.write(dir, m, runs, tiers, ReportContext.fromRuns("bench", runs));
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
