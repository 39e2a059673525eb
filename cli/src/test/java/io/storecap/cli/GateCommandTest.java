package io.storecap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.model.Json;
import io.storecap.reports.FixturesAccess;
import io.storecap.reports.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.*;

class GateCommandTest {

    @TempDir
    static Path dir;
    static Path summary;

    @BeforeAll
    static void report() {
        Report r = FixturesAccess.writeReport(dir.resolve("report"));
        summary = r.summary();
    }

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        String[] line = new String[args.length + 1];
        line[0] = "gate";
        System.arraycopy(args, 0, line, 1, args.length);
        // through the whole command line, as ./storecap gate runs it (the command writes to System.out/err)
        PrintStream oldOut = System.out, oldErr = System.err;
        PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8), pe = new PrintStream(e, true, StandardCharsets.UTF_8);
        int code;
        System.setOut(po);
        System.setErr(pe);
        try {
            code = Cli.run(po, pe, line);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void theDefaultGatesPassAndWriteJUnitXml() throws Exception {
        Path junit = dir.resolve("out/junit.xml");
        Outcome r = run("--summary", summary.toString(), "--gates", "../config/gates.yaml", "--junit", junit.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("PASS gate 1"), r.out());
        assertTrue(r.out().contains("0 failed"), r.out());
        assertNotNull(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).getDocumentElement());
    }

    @Test
    void aStricterGatesFileExitsOneAndNamesTheGateAndTheMiss() throws Exception {
        Path strict = file("strict.yaml", "gates:\n  - metric: webhook_lost\n    max: 0\n  - claim: free-pooled\n    threshold: \">= 1000\"\n");
        Path junit = dir.resolve("strict.xml");
        Outcome r = run("--summary", summary.toString(), "--gates", strict.toString(), "--junit=" + junit);
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("FAIL gate 2 (claim free-pooled threshold >= 1,000): measured 612.4 stores, 387.6 short"), r.err());
        assertTrue(r.out().contains("2 gates, 1 failed"), r.out());
        assertTrue(Files.readString(junit).contains("<failure"), "JUnit XML carries the failure");
    }

    /** The fixture's summary with free-pooled (measured 612.4, 548-671) given another interval. */
    static Path baselineWith(String name, double threshold, double low, double high) throws Exception {
        ObjectNode tree = (ObjectNode) Json.JSON.readTree(summary.toFile());
        for (JsonNode c : tree.get("claims"))
            if (c.get("id").asText().equals("free-pooled"))
                ((ObjectNode) c.get("measured")).put("threshold", threshold).put("low", low).put("high", high);
        return file(name, Json.JSON.writeValueAsString(tree));
    }

    @Test
    void aBaselineExitsOneOnlyWhenANewIntervalLiesWhollyBelowTheOld() throws Exception {
        Path junit = dir.resolve("baseline.xml");
        Outcome below = run("--summary", summary.toString(), "--baseline", baselineWith("above.json", 700, 680, 760).toString(),
                "--junit", junit.toString());
        assertEquals(1, below.code(), below.out() + below.err());
        assertTrue(below.err().contains("FAIL baseline free-pooled: now 612 (548–671), baseline 700 (680–760): the new interval lies wholly below"),
                below.err());
        assertTrue(below.out().contains("PASS baseline launch-pooled"), below.out());
        assertTrue(Files.readString(junit).contains("<failure"), "JUnit XML carries the regression");

        // a larger drop of the point estimate (800 -> 612) with overlapping intervals is no regression
        Outcome overlap = run("--summary", summary.toString(), "--baseline", baselineWith("overlap.json", 800, 600, 900).toString());
        assertEquals(0, overlap.code(), overlap.out() + overlap.err());
        assertTrue(overlap.out().contains("PASS baseline free-pooled") && overlap.out().contains("the intervals overlap"), overlap.out());
    }

    @Test
    void aClaimMeasuredInOneStudyOnlyIsPrintedAsNotComparableAndDoesNotFail() throws Exception {
        ObjectNode tree = (ObjectNode) Json.JSON.readTree(summary.toFile());
        ObjectNode extra = ((ObjectNode) tree.get("claims").get(0)).deepCopy().put("id", "retired-claim");
        ((com.fasterxml.jackson.databind.node.ArrayNode) tree.get("claims")).add(extra);
        Outcome r = run("--summary", summary.toString(), "--baseline", file("retired.json", Json.JSON.writeValueAsString(tree)).toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("NOT COMPARABLE baseline retired-claim: not comparable: not in this study"), r.err());
        assertTrue(r.out().contains("0 failed, 1 not comparable"), r.out());
        assertFalse(r.out().contains("PASS baseline retired-claim"), "never a pass that hides it");
    }

    @Test
    void badInputExitsTwoWithAMessageNamingTheFileOrField() throws Exception {
        Outcome missing = run("--summary", dir.resolve("nope.json").toString(), "--gates", "../config/gates.yaml");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--summary") && missing.err().contains("nope.json: no such file"), missing.err());

        Path bad = file("bad.yaml", "gates:\n  - metric: p95_ms\n    at_stores: 1000\n    maks: 200\n");
        Outcome field = run("--summary", summary.toString(), "--gates", bad.toString());
        assertEquals(2, field.code());
        assertTrue(field.err().contains("bad.yaml: gate 1: unknown field 'maks'"), field.err());

        Path notJson = file("broken.json", "{ not json");
        Outcome json = run("--summary", notJson.toString(), "--gates", "../config/gates.yaml");
        assertEquals(2, json.code());
        assertTrue(json.err().contains("broken.json: not valid JSON"), json.err());

        assertEquals(2, run("--summary", summary.toString()).code(), "nothing to check");
        assertEquals(2, run("--gates", "../config/gates.yaml").code(), "--summary is required");
        assertEquals(2, run("--summary", summary.toString(), "--gates", "../config/gates.yaml", "--bogus", "1").code());
        Outcome notSummary = run("--summary", summary.toString(), "--baseline", file("timing.json", "{\"mode\": \"quick\"}").toString());
        assertEquals(2, notSummary.code());
        assertTrue(notSummary.err().contains("timing.json: no 'claims' array; pass the summary.json of an earlier storecap study"), notSummary.err());
        assertEquals(0, run("--help").code());
    }
}
