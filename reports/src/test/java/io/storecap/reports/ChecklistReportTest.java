package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.checklist.ChecklistResult;
import io.storecap.model.checklist.ChecklistStep;
import io.storecap.model.checklist.Compare;
import io.storecap.model.checklist.Distribution;
import io.storecap.model.checklist.Estimate;
import io.storecap.model.checklist.Metric;
import io.storecap.model.checklist.Ranking;
import io.storecap.model.checklist.Reading;
import io.storecap.model.checklist.TargetCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checklist's page and summary.json say the same numbers, from one result. */
class ChecklistReportTest {
    static ChecklistResult result() {
        Distribution slow = Distribution.ofValues(LongStream.rangeClosed(100, 400).toArray());
        Distribution fast = Distribution.ofValues(LongStream.rangeClosed(10, 310).toArray());
        var indexes = new ChecklistStep("indexes@1000", "indexes", "Add the four indexes", "1,000 stores", 1000, "indexes off", "base",
                Compare.quantile(Metric.P95_MS, slow, fast, 0.95), List.of());
        var lost = new ChecklistStep("queue@peak", "queue", "Queue webhooks", "1,000 stores, peak", 1000, "immediate", "queued",
                Compare.exact(Metric.LOST, 0, 900, 0, 910), List.of());
        var direct = ChecklistResult.ConfigAlerts.of("base", "direct", 0, List.of(new Reading(1000, 10, 0, 40, true),
                new Reading(10000, 60, 0, 60, true), new Reading(30000, 97, 0.2, 900, false)));
        var ranking = Ranking.rank(List.of(new Ranking.StepValue("indexes", "Add the four indexes", null, false, 90.0, 1, 0,
                        indexes.primary().effect()),
                new Ranking.StepValue("queue", "Queue webhooks", null, false, 0.0, 6, 0, lost.primary().effect())));
        var target = TargetCheck.below("dashboard-now", "Dashboard load now", "< 1 s", 100, 1000, new Estimate(120, 100.0, 150.0, 75), "75 loads");
        return new ChecklistResult(List.of(indexes, lost), List.of(direct), ranking, List.of(target), List.of("a note"));
    }

    @Test
    void thePageAndTheSummaryCarryTheSameNumbers(@TempDir Path dir) throws Exception {
        ChecklistResult r = result();
        Report report = ChecklistReport.write(dir, r, Json.JSON.createObjectNode().put("mode", "quick").put("seed", 7));
        JsonNode s = Json.JSON.readTree(Files.readString(report.summary()));
        assertEquals("checklist", s.path("kind").asText());
        JsonNode step = s.path("checklist").get(0);
        assertEquals("indexes@1000", step.path("id").asText());
        assertEquals(r.steps().get(0).primary().off().value(), step.path("off").path("value").asDouble());
        assertEquals(301, step.path("on").path("count").asLong());
        assertEquals(r.steps().get(0).primary().effect().low(), step.path("effect").path("interval").get(0).asDouble());
        assertEquals("large", step.path("effect").path("size").asText());
        assertEquals("better", step.path("effect").path("direction").asText());
        assertEquals("negligible", s.path("checklist").get(1).path("effect").path("size").asText());
        assertEquals(10000, s.path("alerts").get(0).path("capacity").path("held").asInt());
        assertEquals("met", s.path("targets").get(0).path("status").asText());
        assertTrue(!s.path("ranking").get(1).path("matters").asBoolean(), "the negligible step does not matter");
        assertEquals(r.steps().get(0).primary().effect().confidence(), step.path("effect").path("confidence").asDouble());
        assertTrue(step.path("effect").path("confidence").asDouble() >= 0.95, "rank bounds at sqrt(0.95) a side cover at least 95 %");
        assertEquals(0, step.path("effect").path("drift").asDouble(), "no A/A rows: no allowance");
        assertEquals("better", s.path("ranking").get(0).path("atYourTraffic").asText());
        assertEquals(indexesLow(r), s.path("ranking").get(0).path("atTrafficEffect").path("interval").get(0).asDouble());

        String html = Files.readString(report.index());
        assertTrue(html.contains("The plan's checklist, measured"));
        var offSide = r.steps().get(0).primary().off();
        String off = ChecklistSection.value(Metric.P95_MS, offSide.value()) + "<br><span class=\"sub\">"
                + ChecklistSection.interval(Metric.P95_MS, offSide.low(), offSide.high()) + " n=301";
        assertTrue(html.contains(off), "the page shows the off side as summary.json has it: " + off);
        assertTrue(html.contains("does not matter at this traffic (negligible)"));
        assertTrue(html.contains("first fires near"), "the connection alert's first fire");
        assertTrue(html.contains("No A/A check in these cells"), "a page without A/A rows says so");
        assertTrue(html.indexOf("Shown not to matter here") < html.indexOf("Each step off and on"), "the verdicts lead, the table follows");
        assertTrue(html.contains("queue@peak</b> webhooks lost"), "the negligible effect is listed up front");
    }

    private static double indexesLow(ChecklistResult r) { return r.steps().get(0).primary().effect().low(); }

    @Test
    void valuesAreWrittenInTheirUnits() {
        assertEquals("-90 ms", ChecklistSection.value(Metric.P95_MS, -90));
        assertEquals("0.5 %", ChecklistSection.value(Metric.ERROR_RATE, 0.005));
        assertEquals("12.3", ChecklistSection.value(Metric.CONNECTIONS, 12.34));
        assertEquals("[?, 40 ms]", ChecklistSection.interval(Metric.P95_MS, null, 40.0));
    }
}
