package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Binding;
import io.storecap.model.ClaimedRange;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.Measured;
import io.storecap.model.Route;
import io.storecap.model.RunResult;
import io.storecap.model.Verdict;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.StudyModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.*;

class ReportWriterTest {

    @TempDir
    static Path dir;
    static Fixtures.Study study;
    static Report report;
    static JsonNode summary;
    static String html;

    @BeforeAll
    static void write() throws Exception {
        study = Fixtures.study();
        report = ReportWriter.write(dir.resolve("report"), study.model(), study.runs(), study.tiers(), study.ctx());
        summary = Json.JSON.readTree(report.summary().toFile());
        html = Files.readString(report.index());
    }

    @Test
    void summaryClaimsCarryTheRequiredKeysWithTheModelsNumbers() {
        JsonNode claims = summary.get("claims");
        assertEquals(study.model().claims().size(), claims.size());
        for (int i = 0; i < claims.size(); i++) {
            ClaimResult c = study.model().claims().get(i);
            JsonNode j = claims.get(i);
            assertEquals(c.id(), j.get("id").asText());
            assertTrue(j.get("claimed").has("min") && j.get("claimed").has("max"), "claimed needs min and max keys");
            assertEquals(c.claimed().min(), j.get("claimed").get("min").asInt());
            if (c.claimed().max() == null) assertTrue(j.get("claimed").get("max").isNull(), c.id() + ": open-ended max must be null");
            else assertEquals(c.claimed().max().intValue(), j.get("claimed").get("max").asInt());
            JsonNode m = j.get("measured");
            for (String k : List.of("threshold", "low", "high", "binding")) assertTrue(m.has(k), c.id() + ": measured." + k + " missing");
            assertEquals(c.measured().threshold(), m.get("threshold").asDouble(), 0.0);
            assertEquals(c.measured().low(), m.get("low").asDouble(), 0.0);
            if (c.measured().high() == null) assertTrue(m.get("high").isNull());
            else assertEquals(c.measured().high(), m.get("high").asDouble(), 0.0);
            assertEquals(c.measured().binding().id(), m.get("binding").asText());
            assertEquals(c.measured().lowerBound(), m.get("lowerBound").asBoolean());
            assertEquals(c.verdict().name(), j.get("verdict").asText());
            assertEquals(c.reason(), j.get("reason").asText());
            assertEquals(c.usableConnections(), j.get("usableConnections").asInt());
            assertEquals(c.runId(), j.get("runId").asText());
            assertEquals(c.fit().slope(), j.get("fit").get("slope").asDouble(), 0.0);
            assertEquals(c.fits().chosen(), j.get("fits").get("chosen").asText());
            assertEquals(c.levels().size(), j.get("levels").size());
            assertEquals(c.costPerStoreUsd(), j.get("costPerStoreUsd").asDouble(), 1e-12);
            assertEquals(c.assumptions().size(), j.get("assumptions").size());
        }
        assertEquals(study.model().validation().size(), summary.get("validation").size());
        assertEquals(study.model().tierCapacities().size(), summary.get("tierCapacities").size());
        assertEquals(study.model().serverless().size(), summary.get("serverless").size());
        assertEquals(1, summary.get("schemaVersion").asInt());
        assertEquals(3, summary.get("tldr").size());
        assertEquals("quick", summary.get("metadata").get("studyMode").asText());
        assertEquals("PostgreSQL 17.11", summary.get("metadata").get("environment").get("postgres").asText());
    }

    @Test
    void summaryRunsCarryEveryLevelsStatistics() {
        JsonNode runs = summary.get("runs");
        assertEquals(study.runs().size(), runs.size());
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = study.runs().get(i);
            JsonNode j = runs.get(i);
            assertEquals(r.runId(), j.get("id").asText());
            assertEquals(r.config().route().id(), j.get("config").get("route").asText());
            assertEquals(r.reconciliation().lost(), j.get("reconciliation").get("lost").asLong());
            assertEquals(r.levels().size(), j.get("levels").size());
            for (int k = 0; k < r.levels().size(); k++) {
                LevelResult l = r.levels().get(k);
                JsonNode lj = j.get("levels").get(k);
                assertEquals(l.stores(), lj.get("stores").asInt());
                assertEquals(l.targetRps(), lj.get("targetRps").asDouble(), 0.0);
                assertEquals(l.achievedRps(), lj.get("achievedRps").asDouble(), 0.0);
                assertEquals(l.requests().p95Ms(), lj.get("p95Ms").asDouble(), 0.0);
                assertEquals(l.requests().errorRate(), lj.get("errorRate").asDouble(), 0.0);
                assertEquals(l.serverConnections().mean(), lj.get("serverConnections").get("mean").asDouble(), 0.0);
                assertEquals(l.serverConnections().p95(), lj.get("serverConnections").get("p95").asDouble(), 0.0);
                assertEquals(l.serverConnections().max(), lj.get("serverConnections").get("max").asDouble(), 0.0);
                assertEquals(l.poolerClients().max(), lj.get("poolerClients").get("max").asDouble(), 0.0);
                assertEquals(l.totalRefusals(), lj.get("totalRefusals").asLong());
                assertEquals(l.byKind().get("webhook").p99Ms(), lj.get("byKind").get("webhook").get("p99Ms").asDouble(), 0.0);
            }
        }
        assertEquals(report.charts().size(), summary.get("charts").size());
    }

    @Test
    void notFiniteNumbersBecomeNullSoEveryJsonReaderCanParseTheFile(@TempDir Path out) throws Exception {
        ClaimResult c = study.model().claims().get(0);
        ClaimResult nan = new ClaimResult(c.id(), c.tier(), c.route(), c.claimed(), c.claimedText(), c.usableConnections(),
                new Measured(Double.NaN, Double.NEGATIVE_INFINITY, null, Binding.CONNECTIONS, false, false), Verdict.INCONCLUSIVE,
                "fit failed", c.runId(), c.fit(), null, List.of(), List.of(), null);
        Report r = ReportWriter.write(out, new StudyModel(List.of(nan), List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), study.runs(), study.tiers(), study.ctx());
        String text = Files.readString(r.summary());
        assertFalse(text.contains("NaN") || text.contains("Infinity"), "summary.json must be strict JSON");
        JsonNode m = Json.JSON.readTree(text).get("claims").get(0).get("measured");
        assertTrue(m.get("threshold").isNull());
        assertTrue(m.get("low").isNull());
    }

    @Test
    void pageOpensWithTheTldrAndVerdictTableBeforeAnyChart() {
        int tldr = html.indexOf("id=\"tldr\""), table = html.indexOf("id=\"verdict-table\""), charts = html.indexOf("id=\"charts\"");
        int firstImg = html.indexOf("<img");
        assertTrue(tldr > 0 && table > tldr, "TL;DR then verdict table");
        assertTrue(charts > table && firstImg > table, "verdict table must come before the charts");
        for (ClaimResult c : study.model().claims()) {
            int row = html.indexOf("data-claim=\"" + c.id() + "\"");
            assertTrue(row > table && row < charts, "verdict row for " + c.id());
            String rowHtml = html.substring(row, html.indexOf("</tr>", row));
            assertTrue(rowHtml.contains("v-" + c.verdict().name()), c.id() + " verdict class");
            assertTrue(rowHtml.contains(Fmt.esc(Fmt.threshold(c.measured()))), c.id() + " threshold shown");
        }
        for (JsonNode line : summary.get("tldr")) assertTrue(html.contains(Fmt.esc(line.asText())), "TL;DR line on the page: " + line);
        for (String section : List.of("id=\"assumptions\"", "id=\"targets\"", "id=\"method\"", "id=\"runs\""))
            assertTrue(html.contains(section), section);
        assertTrue(html.indexOf("id=\"assumptions\"") < charts && html.indexOf("id=\"targets\"") < charts);
    }

    @Test
    void pageReferencesNothingRemoteAndEveryImageExists() {
        assertFalse(Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html).find(), "no remote src/href");
        assertFalse(Pattern.compile("(?i)url\\(\\s*['\"]?https?:|@import").matcher(html).find(), "no remote CSS");
        assertFalse(html.toLowerCase().contains("<script"), "no scripts");
        assertFalse(html.toLowerCase().contains("<link"), "CSS is inline");
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
            assertTrue(Files.isRegularFile(report.outDir().resolve(m.group(1))), "image file " + m.group(1));
        }
        assertEquals(report.charts().size(), n);
        assertTrue(html.contains("href=\"../runs/" + study.runs().get(0).runId() + "/gatling/index.html\""), "Gatling link");
    }

    @Test
    void pageEscapesEveryTextFromData(@TempDir Path out) throws Exception {
        ClaimResult c = study.model().claims().get(0);
        ClaimResult evil = new ClaimResult("free-direct", c.tier(), Route.DIRECT, ClaimedRange.of(20, 25),
                "<script>alert(1)</script> & \"friends\"", c.usableConnections(), c.measured(), c.verdict(),
                "reason with <b>tags</b> & ampersands", c.runId(), c.fit(), null, List.of(), List.of(), null);
        Report r = ReportWriter.write(out, new StudyModel(List.of(evil), List.of("note <i>x</i>"), List.of(), List.of(), List.of(), List.of(), List.of()), study.runs(), study.tiers(),
                study.ctx().withTitle("Title <em>x</em>"));
        String page = Files.readString(r.index());
        assertFalse(page.contains("<script>"));
        assertFalse(page.contains("<b>tags</b>") || page.contains("<i>x</i>") || page.contains("<em>x</em>"));
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;"));
        assertTrue(page.contains("reason with &lt;b&gt;tags&lt;/b&gt; &amp; ampersands"));
    }

    @Test
    void chartsAreValidNonBlankPngsAndParseableSvgs() throws Exception {
        assertTrue(report.charts().size() >= 4 + study.runs().size(), "thresholds, one per run, latency, errors, cost");
        Set<String> ids = new HashSet<>();
        for (ChartFile c : report.charts()) {
            assertTrue(ids.add(c.id()), "unique chart id " + c.id());
            BufferedImage img = ImageIO.read(report.outDir().resolve(c.png()).toFile());
            assertNotNull(img, c.png() + " is not a PNG");
            assertEquals(c.width(), img.getWidth());
            assertEquals(c.height(), img.getHeight());
            assertTrue(distinctColours(img, 40) >= 40, c.png() + " looks blank");
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            Document svg = f.newDocumentBuilder().parse(report.outDir().resolve(c.svg()).toFile());
            assertEquals("svg", svg.getDocumentElement().getLocalName() == null ? svg.getDocumentElement().getNodeName()
                    : svg.getDocumentElement().getLocalName());
        }
        assertTrue(ids.contains("thresholds") && ids.contains("latency") && ids.contains("errors"));
        for (RunResult r : study.runs()) assertTrue(ids.stream().anyMatch(i -> i.startsWith("connections-" + Charts.slug(r.runId()))));
    }

    @Test
    void tldrIsDerivedFromTheVerdictsNotWrittenByHand() {
        List<ClaimResult> all = new ArrayList<>();
        for (ClaimResult c : study.model().claims())
            all.add(new ClaimResult(c.id(), c.tier(), c.route(), c.claimed(), c.claimedText(), c.usableConnections(),
                    new Measured(c.claimed().min() + 1.0, null, null, Binding.CONNECTIONS, false, false), Verdict.CONFIRMED,
                    "ok", c.runId(), c.fit(), null, List.of(), List.of(), null));
        List<String> lines = Tldr.lines(new StudyModel(all, List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), study.tiers(), 1000);
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("5 hold"), lines.get(0));
        assertTrue(lines.get(1).contains("within its claimed range"), lines.get(1));
        assertTrue(lines.get(2).contains("Launch with PgBouncer ($19/month), good for 1,001 stores"), lines.get(2));

        List<String> fixture = Tldr.lines(study.model(), study.tiers(), 5000);
        assertTrue(fixture.get(0).contains("1 is too optimistic"), fixture.get(0));
        assertTrue(fixture.get(1).contains("Free without a pooler holds about 14 stores, not 20-25"), fixture.get(1));
        assertTrue(fixture.get(2).startsWith("No setup measured holds 5,000 stores"), fixture.get(2));
    }

    @Test
    void aClaimWithoutARunStillGetsARowAndAReport(@TempDir Path out) throws Exception {
        ClaimResult none = new ClaimResult("scale-pooled", "scale", Route.POOLED, ClaimedRange.of(2000, null), "2000+ stores",
                997, Measured.unknown(Binding.NO_RUN), Verdict.INCONCLUSIVE, "No run of this configuration.", null, null, null, List.of(), List.of(), null);
        Report r = ReportWriter.write(out, new StudyModel(List.of(none), List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), List.of(), study.tiers(),
                ReportContext.fromRuns("quick", List.of()));
        String page = Files.readString(r.index());
        assertTrue(page.contains("not determined") && page.contains("v-INCONCLUSIVE"));
        JsonNode s = Json.JSON.readTree(r.summary().toFile());
        assertTrue(s.get("claims").get(0).get("measured").get("threshold").isNull());
        assertEquals("no-run", s.get("claims").get(0).get("measured").get("binding").asText());
    }

    static int distinctColours(BufferedImage img, int enough) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3)
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y) & 0xffffff);
                if (seen.size() >= enough) return seen.size();
            }
        return seen.size();
    }
}
