package io.storecap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.model.Json;
import io.storecap.reports.FixturesAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code report --baseline} and {@code study --baseline} through the whole command line, on a real
 * study's runs (the reports test-jar's real-study): an old study re-rendered against a baseline in
 * which one knee was wholly higher and one knee lies above what the new machine-limited bound
 * reached, so the page flags one regression, summary.json says which is not comparable, and the
 * exit code is 1 for the regression alone.
 */
class BaselineCommandTest {

    @TempDir
    static Path dir;
    static Path study;

    @BeforeAll
    static void copy() throws Exception {
        study = FixturesAccess.copyRealStudy(dir.resolve("20261201-101500"));
    }

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8), pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        PrintStream oldOut = System.out, oldErr = System.err;
        System.setOut(po);
        System.setErr(pe);
        try {
            return new Outcome(Cli.run(po, pe, args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String[] report(Path out, String... more) {
        String[] base = {"report", "--run", study.toString(), "--claims", study.resolve("claims.yaml").toString(),
                "--tiers", study.resolve("tiers.yaml").toString(), "--out", out.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static ObjectNode measured(ObjectNode summary, String claim) {
        for (JsonNode c : summary.get("claims")) if (c.get("id").asText().equals(claim)) return (ObjectNode) c.get("measured");
        throw new AssertionError("no claim " + claim);
    }

    @Test
    void anOldStudyReRenderedAgainstABaselineFlagsTheRegressionAndExitsOne() throws Exception {
        Outcome first = run(report(dir.resolve("first")));
        assertEquals(0, first.code(), first.out() + first.err());
        ObjectNode old = (ObjectNode) Json.JSON.readTree(dir.resolve("first/summary.json").toFile());
        assertEquals("20261201-101500", old.get("metadata").get("studyId").asText(), "the study folder names the study");
        // free-direct measured a knee of 63,361-68,160 stores: the baseline's 80,000-90,000 lies wholly above it
        measured(old, "free-direct").put("threshold", 85000.0).put("low", 80000.0).put("high", 90000.0);
        // free-pooled is machine-limited at >= 382,153: a baseline knee of 400,000-500,000 is beyond what it reached
        measured(old, "free-pooled").put("kind", "knee").put("lowerBound", false).put("threshold", 450000.0)
                .put("low", 400000.0).put("high", 500000.0);
        Path baseline = dir.resolve("baseline.json");
        Files.writeString(baseline, Json.JSON.writeValueAsString(old));

        Path out = dir.resolve("second");
        Outcome second = run(report(out, "--baseline", baseline.toString()));
        assertEquals(1, second.code(), "the regression fails the command: " + second.out() + second.err());
        assertTrue(second.err().contains("FAIL baseline free-direct: now ")
                && second.err().contains("baseline 85,000 (80,000–90,000): the new interval lies wholly below"), second.err());
        assertTrue(second.err().contains("NOT COMPARABLE baseline free-pooled"), second.err());
        assertTrue(second.out().contains("vs baseline " + baseline + " (study 20261201-101500"), second.out());

        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("<th class=\"vs-baseline\">vs baseline</th>"));
        assertTrue(html.contains("<tr class=\"regression\" data-claim=\"free-direct\""), "the regression's row is flagged");
        assertEquals(1, html.split("<tr class=\"regression\"").length - 1, "and only it");

        JsonNode block = Json.JSON.readTree(out.resolve("summary.json").toFile()).get("baseline");
        assertEquals(baseline.toString(), block.get("source").asText());
        for (JsonNode c : block.get("claims")) {
            switch (c.get("id").asText()) {
                case "free-direct" -> assertTrue(c.get("regression").asBoolean(), c.toString());
                case "free-pooled" -> assertTrue(c.get("regression").isNull(), c.toString());
                default -> assertFalse(c.get("regression").asBoolean(true), c.toString());
            }
        }
        String junit = Files.readString(out.resolve("gates-junit.xml"));
        assertTrue(junit.contains("<failure") && junit.contains("<skipped"), junit);
    }

    @Test
    void aBadBaselineStopsTheStudyBeforeAnyLoadRuns() throws Exception {
        Path notSummary = dir.resolve("timing.json");
        Files.writeString(notSummary, "{\"mode\": \"quick\"}");
        Path out = dir.resolve("never");
        Outcome r = run("study", "--quick", "--out", out.toString(), "--baseline", notSummary.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("--baseline " + notSummary + ": no 'claims' array"), r.err());
        assertFalse(Files.exists(out), "nothing is written");

        Outcome missing = run(report(dir.resolve("none"), "--baseline", dir.resolve("nope.json").toString()));
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.json: no such file; pass the summary.json of an earlier study"), missing.err());
        assertFalse(Files.exists(dir.resolve("none")));
    }
}
