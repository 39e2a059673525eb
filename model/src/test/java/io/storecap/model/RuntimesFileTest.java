package io.storecap.model;

import io.storecap.model.study.CapacityModel;
import io.storecap.model.study.RuntimeVerdict;
import io.storecap.model.study.StudyModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config/runtimes.yaml, a runtime applied to a run, and the runs of one claim under several runtimes. */
class RuntimesFileTest {
    static final Path CONFIG = Path.of("..", "config");

    @Test
    void theShippedRuntimesParseWithTheirReasonsAndSources() {
        RuntimesFile.Runtimes rs = RuntimesFile.load(CONFIG.resolve("runtimes.yaml"));
        assertEquals("vercel-classic-prisma6", rs.defaultId());
        assertTrue(rs.byId().keySet().containsAll(List.of("vercel-classic-prisma6", "vercel-fluid-prisma6", "vercel-fluid-prisma7-attachpool")));
        for (RuntimePreset r : rs.byId().values()) {
            assertFalse(r.sources().isEmpty(), r.id() + " names its sources");
            r.settings().forEach((k, s) -> assertFalse(s.reason().isBlank(), r.id() + "." + k + " has a reason"));
        }
        assertEquals(List.of(rs.defaultRuntime()), rs.select(List.of()));
        var e = assertThrows(IllegalArgumentException.class, () -> rs.select(List.of("aws-lambda")));
        assertTrue(e.getMessage().contains("--runtime aws-lambda: no such runtime; known: vercel-classic-prisma6"), e.getMessage());
    }

    @Test
    void aRuntimeSetsTheRunsFieldsAndServiceOptionsAndNamesItself() {
        RuntimePreset fluid7 = RuntimesFile.load(CONFIG.resolve("runtimes.yaml")).byId().get("vercel-fluid-prisma7-attachpool");
        RunConfig base = RunConfig.builder("free-direct", new Tier("free", "Free", 100, 3, 90, 10000, 0, null), Route.DIRECT)
                .levels(List.of(50)).connectionLimit(5).coldStartMs(250).serviceOptions(Map.of("webhook-mode", "queued")).build();
        RunConfig run = fluid7.applyTo(base);
        assertEquals("vercel-fluid-prisma7-attachpool", run.runtime());
        assertEquals(10, run.connectionLimit(), "Prisma 7 ignores connection_limit: node-postgres' max 10");
        assertEquals(1000, run.coldStartMs());
        assertEquals("prisma7", run.serviceOptions().get("pool"));
        assertEquals("on", run.serviceOptions().get("attach-database-pool"));
        assertEquals("queued", run.serviceOptions().get("webhook-mode"), "the study's own options stay");
        assertFalse(run.serviceOptions().containsKey("connection-limit"), "run fields are not passed twice");
        assertNull(base.runtime());
    }

    @Test
    void badFilesAreRefusedWithTheFieldAndTheFix() {
        String ok = """
                default: a
                runtimes:
                  - id: a
                    name: A
                    summary: one
                    settings: {pool: {value: prisma6, reason: why}}
                    sources: [https://example.org/doc]
                """;
        assertEquals("a", RuntimesFile.parse(ok, "runtimes.yaml").defaultId());
        var e = assertThrows(ConfigException.class, () -> RuntimesFile.parse(ok.replace("default: a", "default: b"), "runtimes.yaml"));
        assertTrue(e.getMessage().contains("default: 'b' is not one of the runtimes (a)"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RuntimesFile.parse(ok.replace("reason: why", "why: because"), "runtimes.yaml"));
        assertTrue(e.getMessage().startsWith("runtimes.yaml: ") && e.getMessage().contains("why"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RuntimesFile.parse(ok.replace("{pool: {value: prisma6", "{connection-limit: {value: five"),
                "runtimes.yaml"));
        assertTrue(e.getMessage().contains("connection-limit must be a whole number, was 'five'"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RuntimesFile.parse(ok.replace("    sources: [https://example.org/doc]\n", ""), "runtimes.yaml"));
        assertTrue(e.getMessage().contains("sources"), e.getMessage());
    }

    @Test
    void aClaimRunUnderTwoRuntimesGetsAVerdictPerRuntimeAndTheBaselineGivesTheClaims() {
        Claim claim = new Claim("free-direct", "free", Route.DIRECT, new ClaimedRange(20, 25), null);
        Tier free = new Tier("free", "Free", 100, 3, 90, 10000, 0, null);
        RunResult kind = Runs.run("free-direct", free, Route.DIRECT, 1000, Runs.level(40, 10), Runs.level(80, 20), Runs.level(160, 40));
        RunResult harsh = Runs.run("free-direct", free, Route.DIRECT, 1000, Runs.level(40, 30), Runs.level(80, 60), Runs.level(160, 97));
        RunConfig hc = harsh.config().toBuilder().id("free-direct@zombies").runtime("zombies").build();
        harsh = new RunResult("free-direct@zombies", hc, harsh.profile(), harsh.environment(), harsh.levels(), null, null, null,
                harsh.startedEpochMs(), harsh.finishedEpochMs() + 1, List.of());
        assertEquals("free-direct", RunRoles.claimId(harsh));
        assertTrue(RunRoles.isRuntimeVariant(harsh) && !RunRoles.isBaseline(harsh));
        List<RunResult> runs = new ArrayList<>(List.of(kind, harsh));
        StudyModel m = CapacityModel.evaluate(List.of(claim), Map.of("free", free), runs, ModelSettings.defaults());
        assertEquals(kind.runId(), m.claims().get(0).runId(), "the verdict comes from the baseline run");
        List<RuntimeVerdict> rows = m.runtimes();
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(0).baseline() && !rows.get(1).baseline());
        assertEquals("zombies", rows.get(1).runtime());
        assertEquals("free-direct@zombies", rows.get(1).result().runId());
        assertTrue(rows.get(1).result().assumptions().get(0).startsWith("runtime zombies: serverless mode"),
                "every result says the runtime it holds under: " + rows.get(1).result().assumptions());
    }
}
