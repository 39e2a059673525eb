package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.RunResult;
import io.storecap.model.capacity.ClaimResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A manual preview tool, not part of the usual run: writes the fixture report (and a first-screen
 * screenshot) where a person can look at it, and checks that what it wrote is a whole report: the
 * page with a verdict row per claim and every chart it shows on disk, summary.json parsing with the
 * same claims and charts, each run's time series drawn from the samples it wrote, and the screenshot
 * at the size asked for. {@code mvn -pl reports test -Dtest=PreviewReportTest
 * -Dstorecap.preview.dir=/tmp/preview [-Dstorecap.preview.screenshot=../docs/report-first-screen.png]}
 */
class PreviewReportTest {
    static final int SHOT_WIDTH = 1366, SHOT_HEIGHT = 900;

    @Test
    @EnabledIfSystemProperty(named = "storecap.preview.dir", matches = ".+")
    void writePreview() throws Exception {
        Fixtures.Study s = Fixtures.study();
        Path dir = Path.of(System.getProperty("storecap.preview.dir"));
        var dirs = Fixtures.writeSamples(dir.resolve("runs"), s.runs());
        Report r = ReportWriter.write(dir, s.model(), s.runs(), s.tiers(), s.ctx().withRunDirs(dirs));

        assertEquals(dir.resolve("index.html"), r.index());
        assertEquals(dir.resolve("summary.json"), r.summary());
        assertTrue(Files.isRegularFile(r.index()) && Files.isRegularFile(r.summary()), "index.html and summary.json written");

        String html = Files.readString(r.index(), StandardCharsets.UTF_8);
        int table = html.indexOf("id=\"verdict-table\"");
        assertTrue(table > 0, "the page has the verdict table");
        String rows = html.substring(table, html.indexOf("</table>", table));
        for (ClaimResult c : s.model().claims()) {
            int row = rows.indexOf("<tr data-claim=\"" + Fmt.esc(c.id()) + "\"");
            assertTrue(row > 0, "verdict row for " + c.id());
            assertTrue(rows.substring(row, rows.indexOf("</tr>", row)).contains("v-" + c.verdict().name()), c.id() + " shows its verdict");
        }
        assertEquals(s.model().claims().size(), rows.split("<tr data-claim=").length - 1, "one verdict row per claim");

        JsonNode summary = Json.JSON.readTree(Files.readString(r.summary(), StandardCharsets.UTF_8));
        assertEquals(s.model().claims().size(), summary.get("claims").size(), "summary.json has every claim");
        for (int i = 0; i < s.model().claims().size(); i++)
            assertEquals(s.model().claims().get(i).id(), summary.get("claims").get(i).get("id").asText());
        assertEquals(r.charts().size(), summary.get("charts").size(), "summary.json lists every chart");

        assertFalse(r.charts().isEmpty());
        for (ChartFile c : r.charts()) {
            assertTrue(html.contains("<img src=\"" + Fmt.esc(c.png()) + "\""), "the page shows " + c.png());
            assertTrue(Files.size(r.outDir().resolve(c.png())) > 0, c.png() + " written");
            assertTrue(Files.size(r.outDir().resolve(c.svg())) > 0, c.svg() + " written");
        }
        for (RunResult run : s.runs()) {
            assertTrue(Files.isRegularFile(dirs.get(run.runId()).resolve("samples.csv")), "samples of " + run.runId());
            String id = "timeseries-" + Charts.slug(run.runId());
            assertTrue(r.charts().stream().anyMatch(c -> c.id().equals(id)), "time series drawn from the samples: " + id);
        }

        String shot = System.getProperty("storecap.preview.screenshot");
        if (shot != null && !shot.isBlank()) {
            Path png = Path.of(shot);
            Chromium.screenshot(Chromium.find().orElseThrow(), r.index(), png, SHOT_WIDTH, SHOT_HEIGHT);
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, shot + " is not a PNG");
            assertEquals(SHOT_WIDTH, img.getWidth());
            assertEquals(SHOT_HEIGHT, img.getHeight());
        }
    }
}
