package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.model.Json;
import io.storecap.model.RunResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fixture study rendered against a baseline study (its own summary.json, changed the way a
 * regression, a lower bound that stops short and a removed claim look): the verdict table's
 * "vs baseline" column with the regression's row flagged, summary.json's baseline block, and the
 * charts' baseline series holding the baseline's numbers.
 */
class BaselineReportTest {

    @TempDir
    static Path dir;
    static Fixtures.Study study;
    static BaselineStudy baseline;
    static Report report;
    static String html;
    static JsonNode summary;

    @BeforeAll
    static void write() throws Exception {
        study = Fixtures.study();
        ObjectNode old = SummaryJson.build(study.model(), study.runs(), study.tiers(), study.ctx().withStudy("20261120-090000", "abc1234"));
        // free-pooled (now 612, 548-671) was 700 (680-760): wholly below, a regression
        measured(old, "free-pooled").put("threshold", 700.0).put("low", 680.0).put("high", 760.0);
        // scale-pooled (now a lower bound >= 1,950) was a knee at 2,650 (2,500-2,800): the bound stops short, not comparable
        measured(old, "scale-pooled").put("kind", "knee").put("lowerBound", false).put("threshold", 2650.0).put("low", 2500.0).put("high", 2800.0);
        // a claim the new study no longer has
        ObjectNode gone = ((ObjectNode) old.get("claims").get(0)).deepCopy().put("id", "retired-claim");
        ((ArrayNode) old.get("claims")).add(gone);
        // the baseline's free-pooled run was slower at every level
        for (JsonNode r : old.get("runs"))
            if (r.get("config").get("id").asText().equals("free-pooled"))
                for (JsonNode l : r.get("levels")) ((ObjectNode) l).put("p95Ms", l.get("p95Ms").asDouble() * 2);
        Path file = dir.resolve("old/summary.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.JSON.writeValueAsString(old));
        baseline = BaselineStudy.read(file, "--baseline");
        report = ReportWriter.write(dir.resolve("report"), study.model(), study.runs(), study.tiers(), study.ctx(), baseline);
        html = Files.readString(report.index(), StandardCharsets.UTF_8);
        summary = Json.JSON.readTree(report.summary().toFile());
    }

    static ObjectNode measured(ObjectNode s, String claim) {
        for (JsonNode c : s.get("claims")) if (c.get("id").asText().equals(claim)) return (ObjectNode) c.get("measured");
        throw new AssertionError("no claim " + claim);
    }

    static String row(String claim) {
        int at = html.indexOf("data-claim=\"" + claim + "\"");
        assertTrue(at > 0, "a row for " + claim);
        return html.substring(html.lastIndexOf("<tr", at), html.indexOf("</tr>", at));
    }

    @Test
    void theVerdictTableHasTheColumnAndFlagsTheRegressionsRow() {
        String table = html.substring(html.indexOf("id=\"verdict-table\""), html.indexOf("</table>", html.indexOf("id=\"verdict-table\"")));
        assertTrue(table.contains("<th class=\"vs-baseline\">vs baseline</th>"), "the column's heading");
        assertEquals(study.model().claims().size(), table.split("<td class=\"vs-baseline\"").length - 1, "one cell per claim");
        assertTrue(row("free-pooled").startsWith("<tr class=\"regression\""), row("free-pooled"));
        assertTrue(row("free-pooled").contains("▼ regression") && row("free-pooled").contains("was 700 (680–760); −87.6 stores (−12.5 %)"),
                row("free-pooled"));
        assertEquals(1, table.split("<tr class=\"regression\"").length - 1, "only the regression is flagged");
        assertTrue(row("scale-pooled").contains("not comparable") && row("scale-pooled").contains("was 2,650 (2,500–2,800)"), row("scale-pooled"));
        assertFalse(row("scale-pooled").startsWith("<tr class=\"regression\""), "a bound that stops short is not flagged");
        assertTrue(row("launch-pooled").contains("≈ overlaps"), row("launch-pooled"));
        assertTrue(html.contains("id=\"baseline-note\">Compared with the baseline <code>" + Fmt.esc(baseline.source())
                + " (study 20261120-090000, commit abc1234"), "the baseline is named with its study and commit");
        int only = html.indexOf("id=\"baseline-only\"");
        assertTrue(only > 0 && html.substring(only, html.indexOf("</ul>", only)).contains("retired-claim: not comparable: not in this study"),
                "a claim only the baseline has is listed, not dropped");
    }

    @Test
    void summaryJsonCarriesTheBaselineBlock() {
        JsonNode b = summary.get("baseline");
        assertEquals(baseline.source(), b.get("source").asText());
        assertEquals("20261120-090000", b.get("studyId").asText());
        assertEquals("abc1234", b.get("commit").asText());
        assertEquals(1, b.get("regressions").asInt());
        assertEquals(2, b.get("notComparable").asInt(), "scale-pooled and retired-claim");
        assertEquals(study.model().claims().size() + 1, b.get("claims").size());
        JsonNode fp = claim(b, "free-pooled");
        assertTrue(fp.get("regression").asBoolean());
        assertEquals("regression", fp.get("change").asText());
        assertEquals(700.0, fp.get("old").get("threshold").asDouble());
        assertEquals(680.0, fp.get("old").get("low").asDouble());
        assertEquals(612.4, fp.get("new").get("threshold").asDouble());
        assertEquals(-87.6, fp.get("delta").asDouble(), 1e-9);
        assertTrue(fp.get("reason").asText().contains("wholly below"), fp.toString());
        assertFalse(claim(b, "launch-pooled").get("regression").asBoolean());
        assertTrue(claim(b, "launch-pooled").get("regression").isBoolean());
        assertTrue(claim(b, "scale-pooled").get("regression").isNull(), "not comparable is null, never false");
        assertTrue(claim(b, "retired-claim").get("new").isNull());
        assertTrue(summary.get("metadata").has("studyId") && summary.get("metadata").has("commit"));
    }

    static JsonNode claim(JsonNode block, String id) {
        for (JsonNode c : block.get("claims")) if (c.get("id").asText().equals(id)) return c;
        throw new AssertionError("no " + id + " in " + block);
    }

    @Test
    void theChartsDrawTheBaselineBesideThisStudy() {
        StudyComparison cmp = StudyComparison.of(baseline, study.model());
        XYChart cap = CapacityCharts.thresholds(study.model(), cmp);
        XYSeries fp = cap.getSeriesMap().get("free-pooled baseline interval");
        assertNotNull(fp, "the baseline's interval of free-pooled: " + cap.getSeriesMap().keySet());
        assertArrayEquals(new double[]{680, 760}, fp.getXData(), 1e-9);
        assertTrue(cap.getSeriesMap().containsKey("baseline study (line: its 95 % interval)"), "in the legend once");

        RunResult run = study.runs().stream().filter(r -> r.config().id().equals("free-pooled")).findFirst().orElseThrow();
        XYChart latency = LatencyCharts.latency(study.runs(), baseline);
        XYSeries old = latency.getSeriesMap().get("free-pooled (baseline)");
        assertNotNull(old, latency.getSeriesMap().keySet().toString());
        List<BaselineStudy.Level> levels = baseline.levels("free-pooled");
        assertEquals(run.levels().size(), old.getYData().length, "every level of the baseline run");
        for (int i = 0; i < levels.size(); i++)
            assertEquals(run.levels().get(i).requests().p95Ms() * 2, old.getYData()[i], 1e-6, "level " + levels.get(i).stores());

        XYChart conn = ConnectionCharts.connections(run, study.model().claims().stream().filter(c -> c.id().equals("free-pooled")).toList(),
                study.tiers(), Set.of("free"), levels);
        assertTrue(conn.getSeriesMap().containsKey("baseline: peak Postgres conn.") && conn.getSeriesMap().containsKey("baseline: PgBouncer clients"),
                conn.getSeriesMap().keySet().toString());
        assertTrue(report.charts().stream().filter(c -> c.id().equals("latency")).allMatch(c -> c.caption().contains("the baseline study")),
                "the caption says what the lighter line is");
    }

    @Test
    void withoutABaselineThePageAndSummaryAreAsBefore(@TempDir Path plain) throws Exception {
        Report r = ReportWriter.write(plain, study.model(), study.runs(), study.tiers(), study.ctx());
        String page = Files.readString(r.index());
        assertFalse(page.contains("<th class=\"vs-baseline\">") || page.contains("id=\"baseline-note\""), "no column without a baseline");
        assertTrue(Json.JSON.readTree(r.summary().toFile()).get("baseline").isNull());
        assertFalse(LatencyCharts.latency(study.runs()).getSeriesMap().keySet().stream().anyMatch(k -> k.contains("baseline")));
    }

    @Test
    void aFileThatIsNotASummaryIsRefusedNamingTheFileAndTheFix() throws Exception {
        Path notSummary = dir.resolve("timing.json");
        Files.writeString(notSummary, "{\"mode\": \"quick\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BaselineStudy.read(notSummary, "--baseline"));
        assertTrue(e.getMessage().startsWith("--baseline " + notSummary + ": no 'claims' array; pass the summary.json of an earlier storecap study"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BaselineStudy.read(dir.resolve("nope.json"), "--baseline"));
        assertTrue(e.getMessage().contains("nope.json: no such file"), e.getMessage());
    }
}
