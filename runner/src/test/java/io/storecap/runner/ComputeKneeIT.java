package io.storecap.runner;

import io.storecap.environment.DockerStatus;
import io.storecap.environment.Environments;
import io.storecap.environment.Provider;
import io.storecap.model.ComputeKnee;
import io.storecap.model.ComputeKnee.RampPoint;
import io.storecap.model.MeasuredKind;
import io.storecap.model.Tier;
import io.storecap.model.TiersFile;
import io.storecap.model.TrafficProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The compute knee on real containers: Postgres at the free tier's compute size (0.25 CU) behind
 * PgBouncer, a very short ramp of the app's SQL mix and of SELECT 1, then the fit. Checks that the
 * points, the fit and the knee are there and sane (the CPU limit applied and read back, CPU readings
 * present, a finite positive knee with its saturated resource named), that compute.json is written
 * and read back, that a failure mid-ramp still removes every container, and that the local provider
 * says why it cannot measure. Skipped, with how to enable it, where Docker cannot run, unless CI or
 * STORECAP_REQUIRE_DOCKER is set.
 */
class ComputeKneeIT {
    static DockerStatus docker;
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Three short mix levels and two trivial ones: about 14 s of load. */
    static final ComputeRamp.Settings SHORT = new ComputeRamp.Settings(List.of(1, 2, 4), List.of(1, 4), 0.5, 1, 2, 200);

    @BeforeAll
    static void probeDocker() {
        docker = Environments.dockerStatus();
    }

    @BeforeEach
    void requireDocker(org.junit.jupiter.api.TestInfo test) {
        if (test.getTestMethod().map(m -> m.getName().startsWith("local")).orElse(false) || docker.usable()) return;
        String how = docker.message() + ". To enable: as root, run docker/build-images.sh (starts Docker, builds the images)";
        if ("true".equalsIgnoreCase(System.getenv("CI")) || "true".equalsIgnoreCase(System.getenv("STORECAP_REQUIRE_DOCKER")))
            fail("the compute knee must be measured here (CI or STORECAP_REQUIRE_DOCKER is set), but: " + how);
        Assumptions.abort("compute knee IT skipped: " + how);
    }

    @AfterAll
    static void noContainerLeftBehind() {
        if (docker == null || !docker.usable()) return;
        assertEquals(List.of(), containersOfThisJvm(), "every container the compute ramps started is removed");
    }

    static List<String> containersOfThisJvm() {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.storecap.harness.pid", String.valueOf(ProcessHandle.current().pid()))).exec()
                .stream().map(c -> c.getId().substring(0, 12) + " " + c.getImage()).toList();
    }

    static Tier free() { return TiersFile.load(ROOT.resolve("config/tiers.yaml")).get("free"); }

    static TrafficProfile profile() { return TrafficProfile.load(ROOT.resolve("config/profile.yaml")); }

    @Test
    void aShortRampGivesPointsAFitAndAKneeInStores(@TempDir Path runDir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        ComputeKnee k = ComputeKneeStage.measure(out, free(), profile(), new ComputeKneeStage.Options(Provider.CONTAINERS, true, 5), SHORT);
        String printed = log.toString(StandardCharsets.UTF_8);
        System.out.println(printed + "\n" + k.line());
        assertNotEquals(MeasuredKind.NONE, k.kind(), k.reason());
        assertEquals(0.25, k.cpusAsked(), 1e-9, "the free tier stands for Neon's 0.25 CU");
        assertEquals(0.25, k.cpus(), 1e-9, "the container's cgroup applies 0.25 vCPU");
        assertEquals(90, k.poolSize());
        List<RampPoint> mix = k.points().stream().filter(p -> ComputeKnee.MIX.equals(p.ramp())).toList();
        List<RampPoint> trivial = k.points().stream().filter(p -> ComputeKnee.TRIVIAL.equals(p.ramp())).toList();
        assertEquals(6, mix.size(), "3 levels x 2 windows");
        assertEquals(4, trivial.size(), "2 levels x 2 windows");
        for (RampPoint p : k.points()) {
            assertTrue(p.transactions() > 0 && p.throughput() > 0, "every window carried requests: " + p);
            assertEquals(0, p.errors(), "the app's statements run through PgBouncer without errors: " + p);
            assertNotNull(p.postgresCores(), "Postgres' CPU is read from its cgroup: " + p);
            assertNotNull(p.pgbouncerCores(), "PgBouncer's CPU is read too: " + p);
            assertTrue(p.postgresCores() <= 0.25 * 1.3, "Postgres stays within its quota (CFS accounting slack): " + p);
        }
        assertTrue(k.statementsPerTransaction() > 1 && k.statementsPerTransaction() < 3,
                "the mix's round trips per request lie between its kinds' 1 and 3: " + k.statementsPerTransaction());
        assertNotNull(k.usl(), "the USL was fitted");
        assertTrue(k.usl().lambda() > 0, "lambda > 0: " + k.usl());
        assertTrue(k.stores() != null && k.stores() > 0 && Double.isFinite(k.stores()), "a finite positive knee: " + k.stores());
        assertEquals(k.throughputMax() / k.perStoreTps(), k.stores(), 1e-6 * k.stores());
        assertEquals(104 / 3600.0, k.perStoreTps(), 1e-9, "the default profile's per-store kinds at peak");
        assertNotNull(k.saturated(), "the saturated resource is named");
        assertNotNull(k.pgbouncer(), "PgBouncer's own ceiling is reported beside it");
        assertTrue(printed.contains("mix       1 clients") && printed.contains("select1   4 clients"), printed);

        k.write(runDir);
        assertEquals(k, ComputeKnee.read(runDir), "compute.json round-trips");
        assertEquals(List.of(), containersOfThisJvm(), "the containers are gone when the stage returns");
    }

    @Test
    void aFailureMidRampStillRemovesEveryContainer() {
        PrintStream failing = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8) {
            @Override
            public void println(String x) {
                if (x.contains("clients:")) throw new IllegalStateException("planted failure after the first level");
                super.println(x);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ComputeKneeStage.measure(failing, free(), profile(),
                new ComputeKneeStage.Options(Provider.CONTAINERS, true, 1), SHORT));
        assertEquals("planted failure after the first level", e.getMessage());
        assertEquals(List.of(), containersOfThisJvm(), "the failed stage removed its containers");
    }

    @Test
    void localProcessesCannotMeasureItAndSaySo(@TempDir Path runDir) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ComputeKnee k = ComputeKneeStage.forClaim(new PrintStream(log, true, StandardCharsets.UTF_8), free(), profile(),
                new ComputeKneeStage.Options(Provider.LOCAL, true, 1), runDir);
        assertEquals(MeasuredKind.NONE, k.kind());
        assertEquals(ComputeKneeStage.NEEDS_DOCKER, k.reason());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("compute knee: not measured (needs Docker; --provider containers)"),
                log.toString(StandardCharsets.UTF_8));
        assertEquals(k, ComputeKnee.read(runDir), "the reason is written to compute.json for the report");
    }
}
