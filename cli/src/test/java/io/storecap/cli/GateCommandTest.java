package io.storecap.cli;

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

    @Test
    void baselineRegressionFromTheCommandLine() throws Exception {
        String text = Files.readString(summary).replace("\"threshold\" : 612.4", "\"threshold\" : 700.0");
        assertNotEquals(Files.readString(summary), text, "fixture threshold must be in the file");
        Path base = file("baseline.json", text);
        assertEquals(1, run("--summary", summary.toString(), "--baseline", base.toString()).code());
        assertEquals(0, run("--summary", summary.toString(), "--baseline", base.toString(), "--max-drop-pct", "20").code());
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
        assertEquals(2, run("--summary", summary.toString(), "--baseline", summary.toString(), "--max-drop-pct", "ten").code());
        assertEquals(0, run("--help").code());
    }
}
