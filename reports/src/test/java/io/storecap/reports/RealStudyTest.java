package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Claim;
import io.storecap.model.ClaimsFile;
import io.storecap.model.Json;
import io.storecap.model.ModelSettings;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.StudyModel;
import io.storecap.model.verdict.Stair;
import io.storecap.model.whatif.WhatIf;
import io.storecap.model.whatif.WhatIfAnswer;
import io.storecap.model.whatif.WhatIfQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A real quick study's run.json files (and two samples.csv), copied from target/storecap/latest into
 * src/test/resources/real-study (a knee search, seed in {@link #PINNED}'s comment): modelled and
 * reported as the study does, its verdicts and knees are the ones pinned here (the model is
 * deterministic on the same runs, so any change to them is a change of the model, to be explained),
 * the validation table with each prediction's error is in summary.json and in the page, every claim
 * is explained, the per-store traffic the verdicts rest on is in their assumptions, and the what-if
 * answers about every measured configuration.
 */
class RealStudyTest {
    static final Path ROOT = Path.of("src/test/resources/real-study");

    /**
     * claim -> {kind, verdict, low, high} as `./storecap study --quick --seed 404` gave them on
     * 2026-12-01 (2 cores; 18.6 min): the fixture's runs are that study's.
     */
    static final Map<String, Object[]> PINNED = Map.of(
            "free-direct", new Object[]{"knee", "CONSERVATIVE", 63361.8, 68160.2},
            "free-pooled", new Object[]{"machine-limited", "CONSERVATIVE", 382153.3, null},
            "launch-direct", new Object[]{"knee", "CONSERVATIVE", 99945.4, 367500.3},
            "launch-pooled", new Object[]{"machine-limited", "CONFIRMED", 213368.7, null},
            "scale-pooled", new Object[]{"machine-limited", "CONFIRMED", 282876.3, null});

    @Test
    void aRealStudyCarriesItsValidationExplanationsAndTimeSeries(@TempDir Path dir) throws Exception {
        List<Claim> claims = ClaimsFile.load(ROOT.resolve("claims.yaml"));
        Map<String, Tier> tiers = TiersFile.load(ROOT.resolve("tiers.yaml"));
        List<RunResult> runs = new ArrayList<>();
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (Claim c : claims) {
            Path d = ROOT.resolve(c.id());
            RunResult r = Json.JSON.readValue(d.resolve("run.json").toFile(), RunResult.class);
            runs.add(r);
            dirs.put(r.runId(), d);
        }
        StudyModel model = CapacityModel.evaluate(claims, tiers, runs, ModelSettings.defaults());
        for (var c : model.claims()) {
            Object[] pin = PINNED.get(c.id());
            assertNotNull(pin, "no pinned result for " + c.id());
            assertEquals(pin[0], c.measured().kind().id(), c.id() + ": " + c.reason());
            assertEquals(pin[1], c.verdict().name(), c.id() + ": " + c.reason());
            assertEquals((Double) pin[2], c.measured().low(), 1.0, c.id() + " low");
            if (pin[3] == null) assertNull(c.measured().high(), c.id());
            else assertEquals((Double) pin[3], c.measured().high(), 1.0, c.id() + " high");
            assertTrue(c.assumptions().stream().anyMatch(a -> a.startsWith("per-store rates per hour")),
                    c.id() + ": the per-store traffic the verdict rests on is among its assumptions: " + c.assumptions());
        }
        Report report = ReportWriter.write(dir, model, runs, tiers, ReportContext.fromRuns("quick", runs).withGatlingLinks(dir, dirs, runs));

        JsonNode summary = Json.JSON.readTree(Files.readString(report.summary()));
        JsonNode validation = summary.get("validation");
        assertFalse(model.validation().isEmpty(), "runs with 4+ good levels are checked out of sample");
        assertEquals(model.validation().size(), validation.size());
        for (JsonNode v : validation) {
            assertTrue(v.get("predicted").isNumber() && v.get("measured").isNumber(), v.toString());
            assertTrue(v.has("errorPercent") && v.has("withinInterval"), v.toString());
        }
        String html = Files.readString(report.index(), StandardCharsets.UTF_8);
        int table = html.indexOf("Model validation: predictions for levels the fit never saw");
        assertTrue(table > 0);
        String rows = html.substring(table, html.indexOf("</table>", table));
        assertEquals(model.validation().size(), rows.split("<tr><td>").length - 1, "one row per prediction");
        assertTrue(rows.contains(" %</td>"), "each row shows its error in %");

        assertEquals(claims.size(), summary.get("explanations").size(), "every claim is explained");
        // a censored model value is said as such: never the model's search ceiling written as if it were a threshold
        int ceiling = io.storecap.model.serverless.ServerlessCalibration.MAX_STORES;
        List<String> asValue = new ArrayList<>();
        int censored = 0;
        for (JsonNode cal : summary.get("serverless"))
            for (JsonNode row : cal.get("sensitivity")) {
                if (row.get("storesAtLimit").asInt(-1) >= ceiling) asValue.add(row.toString());
                if (row.get("beyondSearch").asBoolean()) { censored++; assertTrue(row.get("storesAtLimit").isNull(), row.toString()); }
            }
        for (JsonNode ex : summary.get("explanations"))
            for (JsonNode cond : ex.get("conditions")) {
                if (cond.get("storesAtProfileRate").asInt(-1) >= ceiling) asValue.add(cond.toString());
                if (cond.get("beyondSearch").asBoolean()) { censored++; assertTrue(cond.get("storesAtProfileRate").isNull(), cond.toString()); }
            }
        assertEquals(List.of(), asValue, "no summary value equals the search ceiling");
        assertTrue(censored > 0, "this study's pooled runs hold more than the model searches: said as beyond the search");
        assertTrue(Files.readString(report.index()).contains("(beyond the range searched)"), "the page says so too");
        assertTrue(html.contains("<section id=\"why\">"));
        for (String withSamples : List.of("free-direct", "free-pooled"))
            assertTrue(report.charts().stream().anyMatch(c -> c.id().equals("timeseries-" + withSamples)), withSamples);

        for (RunResult r : runs) {
            if (Stair.goodLevels(r, ModelSettings.defaults()).size() < 2) continue;
            int top = r.levels().get(r.levels().size() - 1).stores();
            WhatIfAnswer a = WhatIf.answer(WhatIfQuery.of(r.config().tier().id(), r.config().route(), top), runs, tiers, null);
            assertTrue(a.serverConnections().high() >= a.serverConnections().low());
            if (r.config().route() == Route.POOLED) assertNotNull(a.poolerClients());
        }
    }
}
