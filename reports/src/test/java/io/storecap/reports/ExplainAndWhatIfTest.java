package io.storecap.reports;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The report's "Why the plan's numbers", time series from samples.csv, the validation table, and the whatif command. */
class ExplainAndWhatIfTest {

    @Test
    void theReportExplainsThePlansNumbersAndDrawsTheTimeSeries(@TempDir Path dir) throws Exception {
        Fixtures.Study s = Fixtures.study();
        var dirs = Fixtures.writeSamples(dir.resolve("runs"), s.runs());
        Report r = ReportWriter.write(dir.resolve("report"), s.model(), s.runs(), s.tiers(), s.ctx().withRunDirs(dirs));
        JsonNode summary = Json.JSON.readTree(Files.readString(r.summary()));
        JsonNode ex = summary.get("explanations");
        assertEquals(s.model().explanations().size(), ex.size());
        JsonNode fd = ex.get(0);
        assertEquals("free-direct", fd.get("claimId").asText());
        assertEquals("client-per-request", fd.get("patterns").get(0).get("pattern").asText());
        assertTrue(fd.get("patterns").get(0).get("withPattern").get("threshold").isNumber());
        assertTrue(fd.get("conditions").size() > 0);
        assertTrue(summary.get("validation").size() > 0, "validation rows with their error");
        assertTrue(summary.get("validation").get(0).has("errorPercent"));

        String html = Files.readString(r.index(), StandardCharsets.UTF_8);
        int verdicts = html.indexOf("id=\"verdict-table\""), why = html.indexOf("<section id=\"why\">"), assumptions = html.indexOf("id=\"assumptions\"");
        assertTrue(verdicts > 0 && why > verdicts && assumptions > why, "Why comes after the verdicts, before the assumptions");
        String section = html.substring(why, assumptions);
        assertTrue(section.contains("Measured: "), "plain words first");
        assertTrue(section.indexOf("Measured: ") < section.indexOf("<table class=\"levels patterns\""), "words before the table");
        assertTrue(section.contains("client-per-request"));
        assertTrue(section.contains("Modelled conditions for free-direct"));
        assertTrue(html.contains("Model validation: predictions for levels the fit never saw"));
        assertTrue(html.contains(" ¢"), "cost per store in cents");

        for (var run : s.runs()) {
            String id = "timeseries-" + Charts.slug(run.runId());
            assertTrue(r.charts().stream().anyMatch(c -> c.id().equals(id)), id);
            assertTrue(Files.size(r.outDir().resolve("charts/" + id + ".png")) > 10_000);
        }
    }

    @Test
    void whatIfAnswersInWordsAndJsonAndRefusesBadOptions() throws Exception {
        Fixtures.Study s = Fixtures.study();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = WhatIfCommand.execute("launch", Route.DIRECT, 300, 1, null, 300.0, null, null, null, false,
                s.runs(), s.tiers(), new PrintStream(buf, true, StandardCharsets.UTF_8));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("Postgres conns") && text.contains("threshold") && text.contains("WARNING: extrapolation"), text);
        assertTrue(text.contains("idle TTL 5 min was not measured"), text);

        buf.reset();
        code = WhatIfCommand.execute("free", Route.POOLED, 700, 1, null, null, null, null, null, true,
                s.runs(), s.tiers(), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(0, code, buf.toString(StandardCharsets.UTF_8));
        JsonNode j = Json.JSON.readTree(buf.toString(StandardCharsets.UTF_8));
        assertTrue(j.get("poolerClients").get("high").asDouble() >= j.get("poolerClients").get("low").asDouble());
        assertTrue(j.get("p95Basis").asText().contains("Erlang C"), j.get("p95Basis").asText());

        // the command line's refusal of a bad duration is checked through the CLI (cli's CliTest); the rule is here
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> WhatIfCommand.duration("5 parsecs", "--ttl"));
        assertTrue(bad.getMessage().contains("--ttl '5 parsecs' is not a duration"), bad.getMessage());

        assertEquals(300, WhatIfCommand.duration("5m", "--ttl"), 1e-9);
        assertEquals(10, WhatIfCommand.duration("10s", "--ttl"), 1e-9);
        assertEquals(3600, WhatIfCommand.duration("1h", "--ttl"), 1e-9);
        assertEquals(0.5, WhatIfCommand.duration("500ms", "--ttl"), 1e-9);
        assertEquals(90, WhatIfCommand.duration("90", "--ttl"), 1e-9);
    }
}
