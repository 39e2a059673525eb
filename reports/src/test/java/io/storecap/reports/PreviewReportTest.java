package io.storecap.reports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;

/**
 * Not a check: writes the fixture report (and a first-screen screenshot) where a person can look
 * at it. {@code mvn -pl reports test -Dtest=PreviewReportTest -Dstorecap.preview.dir=/tmp/preview
 * [-Dstorecap.preview.screenshot=../docs/report-first-screen.png]}
 */
class PreviewReportTest {
    @Test
    @EnabledIfSystemProperty(named = "storecap.preview.dir", matches = ".+")
    void writePreview() throws Exception {
        Fixtures.Study s = Fixtures.study();
        Path dir = Path.of(System.getProperty("storecap.preview.dir"));
        var dirs = Fixtures.writeSamples(dir.resolve("runs"), s.runs());
        Report r = ReportWriter.write(dir, s.model(), s.runs(), s.tiers(), s.ctx().withRunDirs(dirs));
        String shot = System.getProperty("storecap.preview.screenshot");
        if (shot != null && !shot.isBlank())
            Chromium.screenshot(Chromium.find().orElseThrow(), r.index(), Path.of(shot), 1366, 900);
    }
}
