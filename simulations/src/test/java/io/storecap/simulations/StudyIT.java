package io.storecap.simulations;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.RunResult;
import io.storecap.reports.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline on real parts, small: a tiny tier (20 connections) and a traffic profile busy
 * enough that the direct route runs out of connections within a short stair, while the same stair
 * through PgBouncer does not. Gatling drives the real service; run.json, summary.json and the
 * report come out; nothing is left running.
 */
class StudyIT {

    @Test
    void directRunsOutOfConnectionsWherePooledDoesNot(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tiers.yaml"), """
                tiers:
                  - id: tiny
                    maxConnections: 20
                    reserved: 3
                    poolerPoolSize: 10
                    monthlyCostUsd: 1
                """);
        Files.writeString(dir.resolve("claims.yaml"), """
                claims:
                  - id: tiny-direct
                    tier: tiny
                    route: direct
                    claimed: {min: 10, max: 30}
                  - id: tiny-pooled
                    tier: tiny
                    route: pooled
                    claimed: {min: 10, max: 30}
                """);
        // 1.75 requests per store per second, each keeping its function busy for a quarter second:
        // ~26 concurrent functions at 60 stores, more than the 17 connections the app may open
        Files.writeString(dir.resolve("profile.yaml"), """
                name: busy-test-profile
                perStorePerHour:
                  cart-event: {baseline: 1800, peak: 5400, reason: "test: busy enough to exhaust 17 connections"}
                  webhook: {baseline: 300, peak: 900, reason: "test: webhooks to reconcile"}
                webhookTopics: {orders/create: 1}
                shopify: {timeoutSeconds: 5, maxAttempts: 3, backoffMs: [200, 400]}
                """);
        Files.writeString(dir.resolve("study.yaml"), """
                pastClaimFactor: 1.5
                service: {mode: serverless, connectionLimit: 1, coldStartMs: 100, functionMs: 250, dbLatencyMs: 1}
                modes:
                  quick: {ladder: [5, 30, 60], levelSeconds: 6, settleSeconds: 2, idleTtlSeconds: 2}
                  full: {ladder: [5, 30, 60], levelSeconds: 6, settleSeconds: 2, idleTtlSeconds: 2}
                """);
        Study.Inputs in = new Study.Inputs(dir.resolve("claims.yaml"), dir.resolve("tiers.yaml"),
                dir.resolve("profile.yaml"), dir.resolve("study.yaml"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Report report = new Study(new PrintStream(log, true)).run(in, true, List.of(), dir.resolve("out"));
        String printed = log.toString();

        RunResult direct = Json.JSON.readValue(dir.resolve("out/runs/tiny-direct/run.json").toFile(), RunResult.class);
        RunResult pooled = Json.JSON.readValue(dir.resolve("out/runs/tiny-pooled/run.json").toFile(), RunResult.class);
        assertEquals(List.of(5, 30, 60), direct.levels().stream().map(LevelResult::stores).toList(), printed);
        LevelResult top = direct.levels().get(2);
        assertTrue(top.refusals().getOrDefault("too_many_clients", 0L) > 0,
                "the direct route is refused by Postgres at 60 stores: " + top.refusals() + "\n" + printed);
        assertTrue(top.serverConnections().max() <= 17, "the app never holds more than max_connections - reserved: " + top.serverConnections());
        assertTrue(pooled.levels().stream().allMatch(l -> l.totalRefusals() == 0), "no refusals through PgBouncer:\n" + printed);
        assertTrue(pooled.levels().get(2).poolerClients().max() > 17, "PgBouncer takes more clients than Postgres could: "
                + pooled.levels().get(2).poolerClients());
        assertTrue(pooled.levels().get(2).serverConnections().max() <= 10 + 1, "server connections stay within the pool: "
                + pooled.levels().get(2).serverConnections());
        assertEquals(0, pooled.reconciliation().lost(), "no acknowledged webhook is lost: " + pooled.reconciliation());
        assertEquals(0, pooled.reconciliation().duplicated());
        assertTrue(pooled.reconciliation().sent() > 0 && pooled.reconciliation().acknowledged() == pooled.reconciliation().sent(),
                pooled.reconciliation().toString());
        assertNotNull(pooled.gatlingReport(), "the Gatling report is linked");
        assertTrue(Files.exists(dir.resolve("out/runs/tiny-pooled").resolve(pooled.gatlingReport())));

        JsonNode summary = Json.JSON.readTree(report.summary().toFile());
        JsonNode d = summary.path("claims").get(0);
        assertEquals("tiny-direct", d.path("id").asText());
        assertEquals("refusals", d.path("measured").path("binding").asText(), d.toString());
        assertTrue(d.path("measured").path("threshold").asDouble() < 60, d.toString());
        assertTrue(Files.readString(report.index()).contains("tiny-pooled"));

        // secrets (app secret shpss_..., admin token adm_..., the app role's password app-...) never reach
        // run.json, summary.json, the report, the samples or any log of the study folder
        java.util.regex.Pattern secret = java.util.regex.Pattern.compile("shpss_[0-9a-f]{32}|adm_[0-9a-f]{32}|app-[0-9a-f]{12,16}\\b");
        try (var files = Files.walk(dir.resolve("out"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".png")).toList()) {
                String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(!secret.matcher(text).find(), "a secret appears in " + f);
            }
        }
        assertTrue(!secret.matcher(printed).find(), "a secret appears in the study's output");

        assertEquals(0, count("pgbouncer"), "no pgbouncer left running");
        assertEquals(0, count("postgres"), "no postgres left running");
        // the watchdog is meant to outlive the runs: it lives as long as this JVM
        List<String> children = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.pid() != io.storecap.environment.Watchdog.pid())
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
        assertEquals(List.of(), children, "no child process left running");
    }

    static long count(String name) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-x", name).start();
        long n = new String(p.getInputStream().readAllBytes()).lines().count();
        p.waitFor();
        return n;
    }

}
