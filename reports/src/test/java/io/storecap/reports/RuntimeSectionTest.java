package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.capacity.ClaimResult;
import io.storecap.model.study.RuntimeVerdict;
import io.storecap.model.study.StudyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "verdict by runtime" table and summary.json's runtimes[]: there when a claim ran under two runtimes, absent otherwise. */
class RuntimeSectionTest {

    @Test
    void aClaimUnderTwoRuntimesGetsATableRowPerRuntimeAndSummaryJsonNamesThem(@TempDir Path out) throws Exception {
        Fixtures.Study s = Fixtures.study();
        StudyModel m = s.model();
        ClaimResult a = m.claims().get(0), b = m.claims().get(1);
        List<RuntimeVerdict> rows = List.of(
                new RuntimeVerdict(a.id(), "vercel-classic-prisma6", true, a, Map.of("pool", "prisma6", "instance-concurrency", "1")),
                new RuntimeVerdict(a.id(), "vercel-fluid-prisma7-attachpool", false, b,
                        Map.of("pool", "prisma7", "attach-database-pool", "on", "instance-concurrency", "50", "webhook-mode", "queued")));
        StudyModel withRuntimes = new StudyModel(m.claims(), m.notes(), m.validation(), m.tierCapacities(), m.serverless(),
                m.explanations(), rows);
        Report r = ReportWriter.write(out, withRuntimes, s.runs(), s.tiers(), s.ctx());
        String html = Files.readString(r.index());
        assertTrue(html.contains("<h2>Verdict by runtime</h2>"), "the section is there");
        assertTrue(html.contains("data-runtime=\"vercel-classic-prisma6\"") && html.contains("data-runtime=\"vercel-fluid-prisma7-attachpool\""));
        assertTrue(html.contains("attach-database-pool on, instance-concurrency 50, pool prisma7"), "the settings that tell runtimes apart");
        assertFalse(html.contains("webhook-mode queued"), "settings every runtime shares are left to run.json");
        JsonNode summary = Json.JSON.readTree(r.summary().toFile());
        assertEquals(2, summary.get("runtimes").size());
        assertEquals("vercel-fluid-prisma7-attachpool", summary.get("runtimes").get(1).get("runtime").asText());
        assertEquals(b.verdict().name(), summary.get("runtimes").get(1).get("verdict").asText());
        assertEquals("prisma7", summary.get("runtimes").get(1).get("settings").get("pool").asText());
    }

    @Test
    void oneRuntimeMakesNoSection(@TempDir Path out) throws Exception {
        Fixtures.Study s = Fixtures.study();
        Report r = ReportWriter.write(out, s.model(), s.runs(), s.tiers(), s.ctx());
        assertFalse(Files.readString(r.index()).contains("Verdict by runtime"));
        assertEquals(0, Json.JSON.readTree(r.summary().toFile()).get("runtimes").size());
    }
}
