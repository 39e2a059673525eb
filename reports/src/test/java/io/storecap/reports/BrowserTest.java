package io.storecap.reports;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The report in a real browser (Debian's headless chromium): the DOM has the verdict table and the
 * chart images, the first screen shows the coloured verdicts, and further down the charts really
 * rendered (their colours appear in a full-page screenshot).
 */
class BrowserTest {

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theReportRendersInHeadlessChromium(@TempDir Path dir) throws Exception {
        Path chromium = Chromium.find().orElse(null);
        Assumptions.assumeTrue(chromium != null, "chromium not found: apt-get install chromium (./storecap test installs it)");
        Fixtures.Study s = Fixtures.study();
        Report report = ReportWriter.write(dir.resolve("report"), s.model(), s.runs(), s.tiers(), s.ctx());

        String dom = Chromium.dumpDom(chromium, report.index());
        assertTrue(dom.contains("id=\"verdict-table\""), "verdict table in the rendered DOM");
        int rows = count(dom, Pattern.compile("<tr data-claim=\"[^\"]+\""));
        assertEquals(s.model().claims().size(), rows, "one verdict row per claim");
        Matcher img = Pattern.compile("<img src=\"(charts/[^\"]+\\.png)\"").matcher(dom);
        int images = 0;
        while (img.find()) {
            images++;
            assertTrue(Files.isRegularFile(report.outDir().resolve(img.group(1))), img.group(1));
        }
        assertEquals(report.charts().size(), images, "every chart is an <img> in the DOM");
        assertTrue(dom.indexOf("verdict-table") < dom.indexOf("<img"), "verdicts before charts");

        Path first = dir.resolve("first.png");
        Chromium.screenshot(chromium, report.index(), first, 1366, 900);
        BufferedImage shot = ImageIO.read(first.toFile());
        assertNotNull(shot, "screenshot is a PNG");
        assertEquals(1366, shot.getWidth());
        assertTrue(ReportWriterTest.distinctColours(shot, 30) >= 30, "screenshot is not blank");
        // All four verdict colours of the fixture are on the first screen: the table is visible without scrolling.
        for (int rgb : new int[]{0x15803d, 0xb91c1c, 0x1d4ed8, 0x6b7280})
            assertTrue(has(shot, rgb, 0, shot.getHeight(), 60), String.format("verdict colour #%06x on the first screen", rgb));

        Path full = dir.resolve("full.png");
        Chromium.screenshot(chromium, report.index(), full, 1366, 9000);
        BufferedImage page = ImageIO.read(full.toFile());
        // PgBouncer-client diamonds (#7c3aed) exist only inside the chart PNGs: seeing them proves the images loaded.
        assertTrue(has(page, 0x7c3aed, 900, page.getHeight(), 40), "chart images rendered below the first screen");
    }

    private static int count(String s, Pattern p) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    /** At least {@code need} pixels within a small distance of the colour, in rows y0..y1. */
    private static boolean has(BufferedImage img, int rgb, int y0, int y1, int need) {
        int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff, n = 0;
        for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y1); y++)
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                if (Math.abs((p >> 16 & 0xff) - r) <= 10 && Math.abs((p >> 8 & 0xff) - g) <= 10 && Math.abs((p & 0xff) - b) <= 10
                        && ++n >= need) return true;
            }
        return false;
    }
}
