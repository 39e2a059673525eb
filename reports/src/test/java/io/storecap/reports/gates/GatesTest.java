package io.storecap.reports.gates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.storecap.model.ConfigException;
import io.storecap.model.ConfigSchema;
import io.storecap.model.Json;
import io.storecap.reports.FixturesAccess;
import io.storecap.reports.SummaryJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.*;

class GatesTest {

    static ObjectNode summary;

    @BeforeAll
    static void build() {
        summary = FixturesAccess.summary();
    }

    static List<GateResult> eval(String yaml) {
        return GateEvaluator.evaluate(summary, GatesFile.parse(yaml, "test.yaml").gates());
    }

    @Test
    void theDefaultGatesFileCarriesTheSeedTargetsAndPassesOnAHealthyStudy() {
        GatesFile f = GatesFile.read(Path.of("../config/gates.yaml"));
        assertTrue(f.gates().size() >= 4);
        assertTrue(f.gates().stream().anyMatch(g -> g instanceof Gate.ClaimGate c && c.claim().equals("free-pooled")
                && c.threshold().op().equals(">=") && c.threshold().value() == 500));
        assertTrue(f.gates().stream().anyMatch(g -> g instanceof Gate.MetricGate m && m.metric() == Metric.P95_MS
                && m.atStores() == 1000 && m.limit().value() == 500));
        assertTrue(f.gates().stream().anyMatch(g -> g instanceof Gate.MetricGate m && m.metric() == Metric.ERROR_RATE
                && m.limit().value() == 0.01));
        assertTrue(f.gates().stream().anyMatch(g -> g instanceof Gate.MetricGate m && m.metric() == Metric.WEBHOOK_LOST
                && m.limit().value() == 0));
        List<GateResult> r = GateEvaluator.evaluate(summary, f.gates());
        assertTrue(r.stream().allMatch(GateResult::passed), () -> r.toString());
    }

    @Test
    void aClaimThresholdGateThatIsStricterThanTheResultFailsSayingByHowMuch() {
        List<GateResult> r = eval("gates:\n  - claim: free-pooled\n    threshold: \">= 700\"\n");
        assertFalse(r.get(0).passed());
        assertEquals("gate 1 (claim free-pooled threshold >= 700): measured 612.4 stores, 87.6 short", r.get(0).message());
        assertTrue(eval("gates:\n  - claim: free-pooled\n    threshold: \">= 600\"\n").get(0).passed());
        assertTrue(eval("gates:\n  - claim: free-direct\n    threshold: \"<= 10\"\n").get(0).message().endsWith("4.6 over"));
    }

    @Test
    void verdictGates() {
        GateResult bad = eval("gates:\n  - claim: free-direct\n    verdict: [CONFIRMED, CONSERVATIVE]\n").get(0);
        assertFalse(bad.passed());
        assertTrue(bad.message().contains("verdict OPTIMISTIC, allowed CONFIRMED, CONSERVATIVE"), bad.message());
        assertTrue(eval("gates:\n  - claim: launch-direct\n    verdict: [confirmed, conservative]\n").get(0).passed());
        GateResult both = eval("gates:\n  - claim: free-pooled\n    threshold: \">= 800\"\n    verdict: CONFIRMED\n").get(0);
        assertFalse(both.passed());
        assertTrue(both.message().contains("187.6 short"), both.message());
    }

    @Test
    void metricGateAtAStoreCountReadsEveryRunThatHasThatLevel() {
        GateResult r = eval("gates:\n  - metric: p95_ms\n    at_stores: 1000\n    max: 200\n").get(0);
        assertFalse(r.passed());
        assertTrue(r.message().startsWith("gate 1 (metric p95_ms at 1,000 stores <= 200 ms): "), r.message());
        assertTrue(r.message().contains("free-pooled") && r.message().contains("over"), r.message());
        assertFalse(r.message().contains("launch-pooled"), "launch-pooled is within 200 ms at 1000: " + r.message());
        assertFalse(r.message().contains("free-direct"), "free-direct has no 1000 level and others do: " + r.message());

        GateResult scoped = eval("gates:\n  - metric: p95_ms\n    at_stores: 1000\n    claim: launch-pooled\n    max: 200\n").get(0);
        assertTrue(scoped.passed(), scoped.message());
        assertTrue(scoped.message().contains("launch-pooled"), scoped.message());
    }

    @Test
    void whenNoRunHasTheLevelTheNearestLevelBelowIsUsedWithANote() {
        GateResult r = eval("gates:\n  - metric: connections\n    at_stores: 1200\n    max: 1000\n").get(0);
        assertTrue(r.passed(), r.message());
        assertTrue(r.message().contains("nearest below"), r.message());
        GateResult none = eval("gates:\n  - metric: p95_ms\n    at_stores: 1\n    max: 200\n").get(0);
        assertFalse(none.passed(), "a gate that measures nothing must not pass");
        assertTrue(none.message().contains("not measured"), none.message());
    }

    @Test
    void perKindErrorRateAndWholeRunMetrics() {
        assertTrue(eval("gates:\n  - metric: p99_ms\n    kind: webhook\n    at_stores: 1000\n    claim: launch-pooled\n    max: 5000\n").get(0).passed());
        GateResult err = eval("gates:\n  - metric: error_rate\n    claim: free-direct\n    max: \"1%\"\n").get(0);
        assertFalse(err.passed(), "free-direct refuses connections above 15 stores");
        assertTrue(err.message().contains("%"), err.message());
        assertTrue(eval("gates:\n  - metric: webhook_lost\n    max: 0\n").get(0).passed());

        ObjectNode lost = summary.deepCopy();
        ((ObjectNode) lost.get("runs").get(1).get("reconciliation")).put("lost", 3);
        GateResult r = GateEvaluator.evaluate(lost, GatesFile.parse("gates:\n  - metric: webhook_lost\n    max: 0\n", "t").gates()).get(0);
        assertFalse(r.passed());
        assertTrue(r.message().contains("free-pooled") && r.message().contains("3 webhooks, 3 webhooks over"), r.message());
    }

    @Test
    void anUndeterminedThresholdFailsAThresholdGate() {
        ObjectNode s = summary.deepCopy();
        ((ObjectNode) s.get("claims").get(0).get("measured")).putNull("threshold");
        GateResult r = GateEvaluator.evaluate(s, GatesFile.parse("gates:\n  - claim: free-direct\n    threshold: \">= 1\"\n", "t").gates()).get(0);
        assertFalse(r.passed());
        assertTrue(r.message().contains("threshold not determined"), r.message());
    }

    @Test
    void aGateNamingAnUnknownClaimOrRunIsBadInputNotAFailure() {
        GatesException e = assertThrows(GatesException.class, () -> eval("gates:\n  - claim: nope\n    threshold: \">= 1\"\n"));
        assertTrue(e.getMessage().contains("claim 'nope' is not in") && e.getMessage().contains("free-pooled"), e.getMessage());
        e = assertThrows(GatesException.class, () -> eval("gates:\n  - metric: p95_ms\n    run: ghost\n    max: 1\n"));
        assertTrue(e.getMessage().contains("run 'ghost'"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gates:\\n  - claim: free-pooled\\n    threshold: '>== 500'\\n | test.yaml: gate 1: field 'threshold': '>== 500' is not a comparison",
            "gates:\\n  - claim: free-pooled\\n    threshold: 500\\n | field 'threshold'",
            "gates:\\n  - metric: p96_ms\\n    max: 1\\n | field 'metric': 'p96_ms' is not one of p95_ms",
            "gates:\\n  - metric: p95_ms\\n    at_stores: 1000\\n | give exactly one of 'max:', 'min:' or 'threshold:'",
            "gates:\\n  - metric: p95_ms\\n    max: 1\\n    min: 0\\n | give exactly one of",
            "gates:\\n  - metric: p95_ms\\n    max: fast\\n | field 'max': 'fast' is not a number",
            "gates:\\n  - metric: p95_ms\\n    max: '>= 3'\\n | field 'max' takes a number",
            "gates:\\n  - metric: p95_ms\\n    at_stores: many\\n    max: 1\\n | field 'at_stores'",
            "gates:\\n  - metric: webhook_lost\\n    at_stores: 10\\n    max: 0\\n | field 'at_stores' does not apply to webhook_lost",
            "gates:\\n  - metric: connections\\n    kind: webhook\\n    max: 1\\n | field 'kind' does not apply",
            "gates:\\n  - claim: x\\n    thresold: '>= 5'\\n | gate 1: unknown field 'thresold'",
            "gates:\\n  - claim: x\\n | give 'threshold:'",
            "gates:\\n  - claim: x\\n    verdict: [MAYBE]\\n | field 'verdict': 'MAYBE' is not one of",
            "gates:\\n  - threshold: '>= 5'\\n | gate 1: needs 'claim:'",
            "gates:\\n  - claim: a\\n    threshold: '>= 1'\\n  - claim: b\\n    threshold: '=> 1'\\n | gate 2: field 'threshold'",
            "gates: {claim: x}\\n | 'gates' must be a list",
            "gates: []\\n | 'gates' is empty",
            "foo: 1\\n | unknown top-level key 'foo'",
            "gates: [\\n | not valid YAML",
            "'' | the file is empty",
            "- claim: x\\n | the top level must be a mapping",
    })
    void badGatesFilesNameTheFileTheGateAndTheField(String yaml, String expected) {
        GatesException e = assertThrows(GatesException.class, () -> GatesFile.parse(yaml.replace("\\n", "\n"), "test.yaml"));
        assertTrue(e.getMessage().startsWith("test.yaml: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected.trim()), "expected '" + expected.trim() + "' in: " + e.getMessage());
    }

    @Test
    void theSchemaListsEveryMetricAndItsProblemsComeAsGatesExceptions() {
        List<String> listed = new java.util.ArrayList<>();
        ConfigSchema.GATES.schemaNode().at("/$defs/metricGate/properties/metric/enum").forEach(m -> listed.add(m.asText()));
        assertEquals(java.util.Arrays.stream(Metric.values()).map(m -> m.id).toList(), listed,
                "config/schema/gates.schema.json lists the metrics of Metric");
        GatesException e = assertThrows(GatesException.class, () -> GatesFile.parse(
                "gates:\n  - claim: free-pooled\n    threshold: '>= 500'\n  - metric: p95_ms\n    max: 1\n    at_store: 1000\n", "g.yaml"));
        assertTrue(e.getCause() instanceof ConfigException, "the schema's check");
        assertEquals("g.yaml: gate 2: unknown field 'at_store'; allowed fields are name, metric, at_stores, max, min, threshold, "
                + "run, claim, kind (check the spelling)", e.getMessage());
    }

    @Test
    void junitXmlIsWellFormedWithOneTestcasePerGate(@TempDir Path dir) throws Exception {
        List<GateResult> results = List.of(
                GateResult.pass("gate 1 (claim a threshold >= 1)", "measured 5 stores"),
                GateResult.fail("gate 2 (metric p95_ms <= 200 ms)", "x at 1,000 stores: 340 ms, 140 ms over <&\"'>"));
        Path out = dir.resolve("sub/gates.xml");
        JUnitXml.write(out, results);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("storecap-gates", suite.getAttribute("name"));
        assertEquals("2", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        NodeList cases = doc.getElementsByTagName("testcase");
        assertEquals(2, cases.getLength());
        assertEquals("gate 2 (metric p95_ms <= 200 ms)", ((Element) cases.item(1)).getAttribute("name"));
        NodeList failures = doc.getElementsByTagName("failure");
        assertEquals(1, failures.getLength());
        assertEquals(results.get(1).message(), ((Element) failures.item(0)).getAttribute("message"));
    }

    /** Sets a claim's measured interval in a copy of the summary (kind knee unless said). */
    static ObjectNode withInterval(ObjectNode s, String claim, String kind, Double threshold, Double low, Double high) {
        ObjectNode copy = s.deepCopy();
        for (JsonNode c : copy.get("claims")) {
            if (!c.get("id").asText().equals(claim)) continue;
            ObjectNode m = (ObjectNode) c.get("measured");
            m.put("kind", kind);
            m.put("lowerBound", !kind.equals("knee") && !kind.equals("none"));
            for (var e : java.util.Map.of("threshold", java.util.Optional.ofNullable(threshold), "low", java.util.Optional.ofNullable(low),
                    "high", java.util.Optional.ofNullable(high)).entrySet())
                if (e.getValue().isPresent()) m.put(e.getKey(), e.getValue().get()); else m.putNull(e.getKey());
            return copy;
        }
        throw new AssertionError("no claim " + claim);
    }

    static GateResult baselineOf(List<GateResult> r, String claim) {
        return r.stream().filter(x -> x.name().equals("baseline " + claim)).findFirst().orElseThrow(() -> new AssertionError(r.toString()));
    }

    @Test
    void baselineFailsOnlyAClaimWhoseNewIntervalLiesWhollyBelowTheOld() {
        // free-pooled measured 612.4 (548-671): an old knee of 700 (680-760) is wholly above it
        List<GateResult> r = Baseline.compare(summary, withInterval(summary, "free-pooled", "knee", 700.0, 680.0, 760.0));
        GateResult fp = baselineOf(r, "free-pooled");
        assertTrue(fp.failed(), fp.message());
        assertTrue(fp.message().contains("now 612 (548–671), baseline 700 (680–760): the new interval lies wholly below"), fp.message());
        assertTrue(fp.message().contains("threshold -87.6 stores, -12.5 %"), fp.message());
        assertEquals(1, r.stream().filter(GateResult::failed).count(), r.toString());
        assertTrue(r.stream().filter(x -> x != fp).allMatch(GateResult::passed), "the other claims equal themselves: " + r);

        // a bigger drop of the point estimate whose intervals still overlap is no regression (no percentage rule any more)
        GateResult overlap = baselineOf(Baseline.compare(summary, withInterval(summary, "free-pooled", "knee", 800.0, 600.0, 900.0)), "free-pooled");
        assertTrue(overlap.passed(), overlap.message());
        assertTrue(overlap.message().contains("the intervals overlap"), overlap.message());
    }

    @Test
    void aClaimMeasuredInOneStudyOnlyIsNotComparableNeverAPass(@TempDir Path tmp) throws Exception {
        ObjectNode lost = withInterval(summary, "free-pooled", "none", null, null, null);
        GateResult r = baselineOf(Baseline.compare(lost, summary), "free-pooled");
        assertEquals(GateResult.Outcome.NOT_COMPARABLE, r.outcome(), r.message());
        assertFalse(r.passed(), "not comparable is not a pass");
        assertFalse(r.failed(), "nor a regression");
        assertTrue(r.message().contains("this study did not measure it; the baseline had 612 (548–671)"), r.message());

        ObjectNode fewer = summary.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) fewer.get("claims")).remove(0);
        List<GateResult> both = Baseline.compare(fewer, summary);
        assertEquals(summary.get("claims").size(), both.size(), "a claim gone from the new study is still listed");
        assertEquals(GateResult.Outcome.NOT_COMPARABLE, baselineOf(both, "free-direct").outcome());
        assertEquals(GateResult.Outcome.NOT_COMPARABLE, baselineOf(Baseline.compare(summary, fewer), "free-direct").outcome(),
                "a claim the baseline lacks is not comparable either");

        Path out = tmp.resolve("junit.xml");
        JUnitXml.write(out, both);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("1", suite.getAttribute("skipped"), "not comparable is written as skipped");
        assertEquals("0", suite.getAttribute("failures"));
        assertEquals(1, doc.getElementsByTagName("skipped").getLength());
    }

    @Test
    void aBaselineThatIsNotASummaryIsBadInput() {
        JsonNode notSummary = Json.JSON.createObjectNode().put("hello", 1);
        GatesException e = assertThrows(GatesException.class, () -> Baseline.compare(summary, notSummary));
        assertTrue(e.getMessage().contains("baseline: no 'claims' array; pass the summary.json of an earlier storecap study"), e.getMessage());
        ObjectNode newer = summary.deepCopy().put("schemaVersion", SummaryJson.SCHEMA_VERSION + 1);
        e = assertThrows(GatesException.class, () -> Baseline.compare(summary, newer));
        assertTrue(e.getMessage().contains("is newer than this storecap understands"), e.getMessage());
    }

    @Test
    void theSummaryShapeIsCheckedBeforeGates() {
        JsonNode notSummary = Json.JSON.createObjectNode().put("hello", 1);
        GatesException e = assertThrows(GatesException.class, () -> GateEvaluator.evaluate(notSummary, "x.json", List.of()));
        assertTrue(e.getMessage().contains("x.json: no 'claims' array"), e.getMessage());
        assertEquals(SummaryJson.SCHEMA_VERSION, summary.get("schemaVersion").asInt());
    }
}
