package io.storecap.runner;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/grafana/storecap-dashboard.json is a Grafana 10+ dashboard on a Prometheus datasource
 * variable, and every query in it reads metrics the exporter really serves: the names are taken
 * from a scrape of a live exporter showing a run, not from a list kept by hand.
 */
class GrafanaDashboardTest {
    static final Path FILE = Path.of("..", "docs", "grafana", "storecap-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\bstorecap_[a-zA-Z0-9_]+");
    private static JsonNode dashboard;
    private static Set<String> served;

    @BeforeAll
    static void load() throws Exception {
        dashboard = Json.JSON.readTree(Files.readString(FILE));
        try (LiveMetrics live = LiveMetrics.start(MetricsPort.FREE, 3_600_000)) {
            LiveRun run = LiveMetricsTest.fixedRun();
            live.attach(run);
            LiveMetricsTest.record(run);
            live.roll();
            served = LiveScrape.of(live.url()).names();
        }
    }

    @Test
    void everyPanelQueriesMetricsTheExporterServes() {
        List<String> unknown = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (JsonNode p : panels()) {
            assertTrue(p.path("targets").size() > 0, "panel '" + p.path("title").asText() + "' has no query");
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText();
                Matcher m = METRIC.matcher(expr);
                boolean any = false;
                while (m.find()) {
                    any = true;
                    used.add(m.group());
                    if (!served.contains(m.group())) unknown.add(p.path("title").asText() + ": " + m.group());
                }
                assertTrue(any, "panel '" + p.path("title").asText() + "' queries no storecap metric: " + expr);
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            Matcher m = METRIC.matcher(v.path("definition").asText());
            while (m.find()) if (!served.contains(m.group())) unknown.add("variable " + v.path("name").asText() + ": " + m.group());
        }
        assertEquals(List.of(), unknown, "the dashboard reads metrics the exporter does not serve; it serves " + served);
        for (String needed : List.of("storecap_postgres_app_connections", "storecap_postgres_usable_connections",
                "storecap_service_warm_instances", "storecap_interval_latency_seconds", "storecap_request_errors_total", "storecap_level_stores"))
            assertTrue(used.contains(needed), "no panel shows " + needed);
    }

    @Test
    void itIsAGrafana10DashboardOnAPrometheusDatasourceVariable() {
        assertTrue(dashboard.path("schemaVersion").asInt() >= 38, "Grafana 10 writes schemaVersion 38 or later");
        assertFalse(dashboard.path("title").asText().isBlank());
        assertFalse(dashboard.path("uid").asText().isBlank());
        JsonNode ds = null;
        for (JsonNode v : dashboard.path("templating").path("list"))
            if (v.path("type").asText().equals("datasource")) ds = v;
        assertTrue(ds != null && ds.path("query").asText().equals("prometheus"), "a datasource variable of type prometheus");
        String ref = "${" + ds.path("name").asText() + "}";
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : panels()) {
            String title = p.path("title").asText();
            assertTrue(ids.add(p.path("id").asInt()), "panel ids are unique: " + title);
            assertTrue(List.of("timeseries", "stat").contains(p.path("type").asText()), title + ": " + p.path("type"));
            JsonNode g = p.path("gridPos");
            assertTrue(g.path("w").asInt() > 0 && g.path("h").asInt() > 0 && g.path("x").asInt() + g.path("w").asInt() <= 24, title + ": " + g);
            assertEquals(ref, p.path("datasource").path("uid").asText(), title + " uses the datasource variable");
            for (JsonNode t : p.path("targets")) {
                assertEquals(ref, t.path("datasource").path("uid").asText(), title);
                assertFalse(t.path("refId").asText().isBlank(), title);
            }
        }
    }

    private static List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        dashboard.path("panels").forEach(all::add);
        assertFalse(all.isEmpty(), FILE + " has no panels");
        return all;
    }
}
