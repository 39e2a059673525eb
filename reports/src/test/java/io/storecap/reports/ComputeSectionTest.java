package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.ComputeKnee;
import io.storecap.model.ComputeKnee.RampPoint;
import io.storecap.model.Json;
import io.storecap.model.MeasuredKind;
import io.storecap.model.capacity.ComputeKnees;
import io.storecap.model.queue.UslFit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pooled claim's compute knee, handed over as runs/&lt;claim&gt;/compute.json, reaches summary.json
 * (claims[].computeKnee with the knee, its interval and the saturated resource) and the page (one
 * line per pooled claim); a pooled claim without the file says why; a direct claim has none.
 */
class ComputeSectionTest {

    static ComputeKnee measured() {
        List<RampPoint> ps = new ArrayList<>();
        for (int n : new int[]{1, 2, 4, 8, 16, 32, 64})
            for (int k = 1; k <= 3; k++) {
                double x = UslFit.throughput(1200, 0.9, 0.0005, n) * (1 + 0.01 * (k - 2));
                ps.add(RampPoint.of(ComputeKnee.MIX, n, k, 2, Math.round(2 * x), Math.round(3.2 * x), 0, 0.25, 0.1, 1.0, 0.4, 0.5));
            }
        for (int n : new int[]{1, 4})
            for (int k = 1; k <= 3; k++) ps.add(RampPoint.of(ComputeKnee.TRIVIAL, n, k, 2, 10_000, 10_000, 0, 0.25, 0.15, 1.0, 0.3, 0.4));
        return ComputeKnees.evaluate(new ComputeKnees.Inputs(104 / 3600.0, 0.25, 0.25, 90, 2, ps, 3, 100, List.of()));
    }

    @Test
    void pooledClaimsCarryTheirComputeKneeInSummaryAndPage(@TempDir Path out) throws Exception {
        Fixtures.Study s = Fixtures.study();
        Map<String, Path> dirs = new LinkedHashMap<>();
        ComputeKnee k = measured();
        assertEquals(MeasuredKind.KNEE, k.kind(), "the fixture is a knee: " + k.saturated());
        Map<String, String> runIds = new LinkedHashMap<>();
        s.model().claims().forEach(c -> runIds.put(c.id(), c.runId()));
        for (String id : List.of("free-direct", "free-pooled", "launch-pooled", "scale-pooled"))
            dirs.put(runIds.get(id), out.resolve("runs/" + runIds.get(id)));
        k.write(dirs.get(runIds.get("free-pooled")));
        ComputeKnee.notMeasured("needs Docker; --provider containers", 104 / 3600.0).write(dirs.get(runIds.get("launch-pooled")));
        Report r = ReportWriter.write(out, s.model(), s.runs(), s.tiers(), s.ctx().withRunDirs(dirs));

        JsonNode claims = Json.JSON.readTree(r.summary().toFile()).get("claims");
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        claims.forEach(c -> byId.put(c.get("id").asText(), c.get("computeKnee")));
        JsonNode free = byId.get("free-pooled");
        assertEquals("knee", free.get("kind").asText(), free.toString());
        assertEquals(k.stores(), free.get("stores").asDouble(), 1e-6);
        assertTrue(free.get("low").asDouble() < free.get("stores").asDouble() && free.get("stores").asDouble() < free.get("high").asDouble());
        assertEquals("postgres-cpu", free.get("resource").asText());
        assertTrue(free.get("saturated").asText().startsWith("Postgres CPU at 0.25 vCPU"), free.get("saturated").asText());
        for (String key : List.of("throughputMax", "perStoreTps", "cpus", "points", "usl", "pgbouncer"))
            assertTrue(free.has(key) && !free.get(key).isNull(), "claims[].computeKnee." + key);
        assertEquals(k.points().size(), free.get("points").size());
        assertEquals("none", byId.get("launch-pooled").get("kind").asText());
        assertEquals("needs Docker; --provider containers", byId.get("launch-pooled").get("reason").asText());
        assertEquals(ComputeSection.ABSENT, byId.get("scale-pooled").get("reason").asText(), "no file: says why");
        assertTrue(byId.get("free-direct").isNull(), "a direct claim is bound by connections, not compute");

        String html = Files.readString(r.index());
        assertTrue(html.contains("<h2>Compute-bound knees (pooled claims)</h2>") && html.contains("href=\"#compute\""));
        String row = html.substring(html.indexOf("<tr data-compute-claim=\"free-pooled\" data-kind=\"knee\">"));
        row = row.substring(0, row.indexOf("</tr>"));
        assertTrue(row.contains("≈ " + Fmt.stores(k.stores())) && row.contains("Postgres CPU at 0.25 vCPU"), row);
        assertTrue(html.contains("not measured: needs Docker; --provider containers"), "launch-pooled says why");
        assertFalse(html.contains("<tr data-compute-claim=\"free-direct\" data-kind"), "no compute row for a direct claim");
    }

    @Test
    void aStudyWithoutPooledClaimsHasNoSection(@TempDir Path out) throws Exception {
        Fixtures.Study s = Fixtures.study();
        var m = s.model();
        var direct = m.claims().stream().filter(c -> c.route() == io.storecap.model.Route.DIRECT).toList();
        var model = new io.storecap.model.study.StudyModel(direct, m.notes(), m.validation(), m.tierCapacities(), m.serverless(),
                m.explanations(), List.of());
        String html = Files.readString(ReportWriter.write(out, model, s.runs(), s.tiers(), s.ctx()).index());
        assertFalse(html.contains("id=\"compute\"") || html.contains("href=\"#compute\""), "no section and no link to it");
    }
}
