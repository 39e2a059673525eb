package io.storecap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.Await;
import io.storecap.environment.TelemetrySamplerIT;
import io.storecap.environment.Watchdog;
import io.storecap.model.Json;
import io.storecap.model.LevelResult;
import io.storecap.model.RunConfig;
import io.storecap.model.RunResult;
import io.storecap.runner.Study;
import io.storecap.simulations.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A study against a deployment, checked on this machine: {@code env up --service} runs the reference
 * service beside Postgres as a deployment (its own process, its own secrets), {@code study --target}
 * loads it through the route map as if it were remote - read-only telemetry on the database URL it
 * printed, the stores listed from that database, time scale 1, no instance visible - and the same
 * configuration studied locally finds the same knee: the connection peaks of the load levels both
 * measured agree, and the knee intervals overlap. A tiny tier (10 usable connections) puts the knee
 * at a few dozen stores, so both searches take about a minute each.
 */
class TargetStudyIT {
    private static final Pattern COMMAND = Pattern.compile("\\./storecap study (--target .*) --only CLAIM");

    @Test
    void aStudyOfTheServiceAsADeploymentAgreesWithTheLocalStudy(@TempDir Path dir) throws Exception {
        writeConfig(dir);
        int startedBefore = Watchdog.started().size();

        // the same configuration studied locally, at time scale 1 as a deployment runs
        ByteArrayOutputStream localLog = new ByteArrayOutputStream();
        new Study(new PrintStream(localLog, true, StandardCharsets.UTF_8)).run(new Study.Inputs(dir.resolve("claims.yaml"),
                dir.resolve("tiers.yaml"), dir.resolve("profile.yaml"), dir.resolve("study.yaml")),
                new Study.Options(true, List.of(), Scenario.STAIR, false, "local", false, 7L, List.of()), dir.resolve("local"));
        String localOut = localLog.toString(StandardCharsets.UTF_8);

        // the reference service as a deployment: env up --service in its own process
        Path envUpLog = dir.resolve("env-up.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process envUp = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Cli.class.getName(), "env", "up", "--service",
                "--provider", "local", "--tier", "tiny", "--tiers", dir.resolve("tiers.yaml").toString(), "--study", dir.resolve("study.yaml").toString(),
                "--profile", dir.resolve("profile.yaml").toString(), "--seconds", "900", "--env-file", dir.resolve("env/service.env").toString())
                .redirectErrorStream(true).redirectOutput(envUpLog.toFile()).start();
        List<ProcessHandle> envUpProcesses = new ArrayList<>();
        CliTest.Outcome external;
        String printed;
        try {
            Await.until(Duration.ofSeconds(120), () -> read(envUpLog).contains("Stops by itself") || !envUp.isAlive(),
                    () -> "env up --service did not come up: " + read(envUpLog));
            printed = read(envUpLog);
            assertTrue(envUp.isAlive(), printed);
            assertTrue(printed.contains("  service    http://127.0.0.1:"), printed);
            assertTrue(printed.contains("200 stores seeded"), printed);
            Matcher m = COMMAND.matcher(printed);
            assertTrue(m.find(), "env up prints the study command: " + printed);
            envUp.descendants().forEach(envUpProcesses::add);
            envUpProcesses.add(EnvUpIT.postmaster(printed));
            assertFalse(m.group(1).contains("shpss_") || m.group(1).contains("adm_"), "no secret on the command line: " + m.group(1));

            List<String> args = new ArrayList<>(List.of("study"));
            args.addAll(Arrays.asList(m.group(1).split(" ")));
            args.addAll(List.of("--quick", "--seed", "7", "--cool-down", "4", "--max-rps", "200", "--max-level-seconds", "20",
                    "--claims", dir.resolve("claims.yaml").toString(), "--tiers", dir.resolve("tiers.yaml").toString(),
                    "--profile", dir.resolve("profile.yaml").toString(), "--study", dir.resolve("study.yaml").toString(),
                    "--routes", "../config/routes.yaml", "--out", dir.resolve("external").toString()));
            external = CliTest.run(args.toArray(String[]::new));
        } finally {
            envUp.destroy(); // SIGTERM: env up stops the service, PgBouncer and Postgres
            if (!envUp.waitFor(60, TimeUnit.SECONDS)) envUp.destroyForcibly();
        }
        assertEquals(0, external.code(), external.all());
        String out = external.out();

        RunResult local = Json.JSON.readValue(dir.resolve("local/runs/tiny-direct/run.json").toFile(), RunResult.class);
        RunResult ext = Json.JSON.readValue(dir.resolve("external/runs/tiny-direct/run.json").toFile(), RunResult.class);
        String both = "local:\n" + localOut + "\nexternal:\n" + out;

        // the deployment's run: named external, its connections from the database URL env up printed, nothing emulated
        assertEquals(RunConfig.EXTERNAL, ext.config().provider());
        assertEquals(RunConfig.EXTERNAL, ext.config().runtime());
        assertTrue(ext.config().againstDeployment());
        Matcher db = Pattern.compile("--db-url postgresql://postgres@(127\\.0\\.0\\.1:\\d+/storecap)").matcher(printed);
        assertTrue(db.find(), printed);
        assertEquals(db.group(1), ext.environment().get("target"), "telemetry read the database env up printed: " + ext.environment());
        assertTrue(ext.environment().get("telemetry").contains("read-only"), ext.environment().toString());
        assertTrue(ext.environment().get("stores").startsWith("200 listed from the database"), "the stores that exist there: " + ext.environment());
        assertTrue(ext.environment().get("warmInstances").startsWith("unknown"), ext.environment().toString());
        assertTrue(ext.levels().stream().allMatch(l -> l.timeScale() == 1 && l.warmInstances().samples() == 0), "k = 1, instances unknown\n" + both);
        assertTrue(ext.levels().stream().allMatch(l -> l.requests().errorRate() < 0.5),
                "the route map's requests are accepted (HMAC, session token, admin token)\n" + both);
        assertTrue(ext.levels().stream().anyMatch(l -> l.serverConnections().max() >= 3), "connections sampled from the database\n" + both);
        assertTrue(Files.readString(dir.resolve("external/runs/tiny-direct/samples.csv")).lines().count() > 100, "the samples are kept");
        assertTrue(local.levels().stream().allMatch(l -> l.timeScale() == 1 && l.warmInstances().samples() > 0), "the local run sees its instances");

        // the same load levels, the same connections: the first measurement of each store count both ran
        Map<Integer, LevelResult> localByStores = firstByStores(local), extByStores = firstByStores(ext);
        List<Integer> common = localByStores.keySet().stream().filter(extByStores::containsKey).toList();
        assertFalse(common.isEmpty(), "the two searches share a level\n" + both);
        for (int stores : common) {
            double a = localByStores.get(stores).serverConnections().max(), b = extByStores.get(stores).serverConnections().max();
            assertTrue(Math.abs(a - b) <= 3, "peak connections at " + stores + " stores: local " + a + ", external " + b + "\n" + both);
        }

        // the same knee, within the intervals
        JsonNode lc = claim(dir.resolve("local/summary.json")), ec = claim(dir.resolve("external/summary.json"));
        System.out.println("TargetStudyIT: local " + levels(local) + " knee " + lc + "\nTargetStudyIT: external " + levels(ext) + " knee " + ec);
        assertEquals("knee", lc.path("kind").asText(), lc + "\n" + both);
        assertEquals("knee", ec.path("kind").asText(), ec + "\n" + both);
        double lLow = lc.path("low").asDouble(), lHigh = lc.path("high").asDouble(), eLow = ec.path("low").asDouble(), eHigh = ec.path("high").asDouble();
        assertTrue(lLow < lHigh && eLow < eHigh, lc + " / " + ec);
        assertTrue(lLow <= eHigh && eLow <= lHigh, "the knee intervals overlap: local " + lc + ", external " + ec + "\n" + both);

        // the same report, the run named external
        JsonNode summary = Json.JSON.readTree(dir.resolve("external/summary.json").toFile());
        JsonNode run = summary.path("runs").get(0);
        assertEquals("external", run.path("config").path("provider").asText(), run.path("config").toString());
        assertEquals("external", run.path("config").path("runtime").asText());
        assertTrue(run.path("levels").get(0).path("warmInstances").isNull(), "unknown, not zero: " + run.path("levels").get(0));
        String html = Files.readString(dir.resolve("external/index.html"));
        assertTrue(html.contains("runtime external: the deployment at http://127.0.0.1:"), "the verdict's assumptions name the deployment");

        // the deployment's secrets (env up's env file) appear in no file of the study and not in its output
        List<String> secrets = Files.readAllLines(dir.resolve("env/service.env")).stream().filter(l -> l.contains("="))
                .map(l -> l.substring(l.indexOf('=') + 1)).toList();
        assertEquals(2, secrets.size(), secrets.toString());
        try (var files = Files.walk(dir.resolve("external"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".png")).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) assertFalse(text.contains(secret), "a secret appears in " + f);
            }
        }
        for (String secret : secrets) assertFalse(external.all().contains(secret), "a secret appears in the study's output");

        // nothing left running: env up's service, PgBouncer and Postgres, and what the local study started
        Await.until(Duration.ofSeconds(15), () -> envUpProcesses.stream().noneMatch(Watchdog::isRunning),
                () -> "env up's processes stopped; still running: " + TelemetrySamplerIT.running(envUpProcesses));
        List<ProcessHandle> started = Watchdog.started();
        assertEquals(List.of(), TelemetrySamplerIT.running(started.subList(startedBefore, started.size())), "the local study's processes stopped");
        assertTrue(read(envUpLog).contains("storecap env up: stopped"), read(envUpLog));
    }

    private static String levels(RunResult r) {
        return r.levels().stream().map(l -> l.stores() + ":" + (int) l.serverConnections().max() + "/" + l.requests().count()).toList().toString();
    }

    private static Map<Integer, LevelResult> firstByStores(RunResult r) {
        Map<Integer, LevelResult> m = new LinkedHashMap<>();
        for (LevelResult l : r.levels()) m.putIfAbsent(l.stores(), l);
        return m;
    }

    private static JsonNode claim(Path summary) throws Exception {
        JsonNode c = Json.JSON.readTree(summary.toFile()).path("claims").get(0);
        assertNotNull(c, summary.toString());
        return c.path("measured");
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "(cannot read " + f + ": " + e + ")";
        }
    }

    /**
     * A tiny tier (12 connections, 2 reserved: 10 usable), one instance connection each and 80 ms
     * of function work, 1 request a second per store: the direct route runs out of connections at a
     * few dozen stores. Time scale 1 and a 2 s idle TTL in both runs (env up's service gets the same
     * settings from this study file); the external study's 4 s cool-down lets the instances of one
     * level go before the next, as the local search retires them.
     */
    static void writeConfig(Path dir) throws Exception {
        Files.writeString(dir.resolve("tiers.yaml"), """
                tiers:
                  - id: tiny
                    maxConnections: 12
                    reserved: 2
                    poolerPoolSize: 6
                    monthlyCostUsd: 1
                """);
        Files.writeString(dir.resolve("claims.yaml"), """
                claims:
                  - id: tiny-direct
                    tier: tiny
                    route: direct
                    claimed: {min: 15, max: 40}
                """);
        Files.writeString(dir.resolve("profile.yaml"), """
                name: busy-target-test
                perStorePerHour:
                  cart-event: {baseline: 1200, peak: 3000, reason: "test: busy enough to exhaust 10 connections at a few dozen stores"}
                  webhook: {baseline: 100, peak: 300, reason: "test: signed webhooks through the route map"}
                  admin-session: {baseline: 50, peak: 150, reason: "test: session tokens through the route map"}
                globalPerHour:
                  dashboard: {baseline: 360, peak: 360, reason: "test: the admin token through the route map"}
                webhookTopics: {orders/create: 1}
                shopify: {timeoutSeconds: 5, maxAttempts: 3, backoffMs: [200, 400]}
                """);
        Files.writeString(dir.resolve("study.yaml"), """
                pastClaimFactor: 1.5
                service: {mode: serverless, connectionLimit: 1, coldStartMs: 100, functionMs: 80, dbLatencyMs: 1}
                modes:
                  quick:
                    ladder: [5, 30, 60]
                    levelSeconds: 6
                    settleSeconds: 2
                    idleTtlSeconds: 2
                    search: {replicates: 2, bracketRatio: 1.5, rampMin: 2, rampMax: 4, targetRps: 400, minTimeScale: 1,
                             maxTimeScale: 1, idleTtlSeconds: 2, minLevelSeconds: 5, maxLevelSeconds: 20, maxLevels: 8,
                             maxStores: 200, seedStores: 200, targetStores: [25]}
                  full: {ladder: [5, 30, 60], levelSeconds: 6, settleSeconds: 2, idleTtlSeconds: 2}
                """);
    }
}
