package io.storecap.environment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The containers provider on storecap's own images: a Postgres with a given max_connections
 * refuses the app past its usable slots (53300) while PgBouncer in front of it does not; the tier's
 * CPU and memory limits reach the container's cgroup; max_prepared_statements is what keeps
 * prepared statements working through a transaction pooler; the fault hooks; and no container is
 * left behind. Skipped, with how to enable it, where Docker cannot run, unless CI or
 * STORECAP_REQUIRE_DOCKER is set: then it fails.
 */
class ContainersEnvironmentIT {

    static DockerStatus docker;

    @BeforeAll
    static void probeDocker() {
        docker = Environments.dockerStatus();
        if (!docker.usable()) System.err.println("ContainersEnvironmentIT: " + docker.message());
    }

    /** Per test, so a skip is reported on every test with its reason rather than as "0 tests run". */
    @BeforeEach
    void requireDocker() {
        if (docker.usable()) return;
        String how = docker.message() + ". To enable these tests: as root, run docker/build-images.sh (installs and starts Docker,"
                + " builds the images); Maven's surefire sets TESTCONTAINERS_RYUK_DISABLED and TESTCONTAINERS_HOST_OVERRIDE.";
        if ("true".equalsIgnoreCase(System.getenv("CI")) || "true".equalsIgnoreCase(System.getenv("STORECAP_REQUIRE_DOCKER"))
                || "1".equals(System.getenv("STORECAP_REQUIRE_DOCKER")))
            fail("the containers tests must run here (CI or STORECAP_REQUIRE_DOCKER is set), but: " + how);
        Assumptions.abort("containers tests skipped: " + how);
    }

    @AfterAll
    static void noContainerLeftBehind() throws Exception {
        if (docker == null || !docker.reachable()) return;
        assertEquals("[]", containersOfThisJvm(), "every container this test started is removed");
    }

    static String containersOfThisJvm() throws Exception {
        String filter = "{\"label\":[\"" + ContainerReaper.LABEL_PID + "=" + ProcessHandle.current().pid() + "\"]}";
        DockerAccess.Response r = DockerAccess.get(DockerAccess.socket(),
                "/containers/json?all=1&filters=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
        assertEquals(200, r.status(), r.body());
        return r.body().strip();
    }

    static EnvironmentSpec containers() { return EnvironmentSpec.defaults().withProvider(Provider.CONTAINERS); }

    @Test
    void directRouteIsRefusedPastTheUsableSlotsThePooledRouteIsNot() throws Exception {
        EnvironmentSpec spec = containers().withMaxConnections(12, 3).withPooler(true).withPoolSize(4);
        try (DatabaseEnvironment env = Environments.start(spec); Connection telemetry = env.adminConnection()) {
            assertEquals(Provider.CONTAINERS, env.provider());
            assertEquals("13", show(telemetry, "max_connections"), "the server runs with the tier's figure + 1 for telemetry");
            assertEquals("3", show(telemetry, "superuser_reserved_connections"));
            assertTrue(env.postgres().version().startsWith("17."), env.postgres().version());
            assertTrue(PgBouncerVersion.parse(env.pgbouncer().version()).tracksPreparedStatements(),
                    "PgBouncer >= " + PgBouncerVersion.PREPARED_STATEMENTS + ": " + env.pgbouncer().version());
            int usable = 12 - 3;
            // a short stair of concurrent clients on both routes: refusals only on the direct route, only past the
            // usable slots. Direct first: PgBouncer keeps its server connections, which would take direct slots.
            for (int clients : new int[]{5, usable, 15, 30}) {
                Level direct = level(env.appJdbcUrl(false), env, clients, telemetry);
                String what = "direct, " + clients + " clients: " + direct;
                assertEquals(0, direct.otherErrors, what);
                if (clients <= usable) {
                    assertEquals(0, direct.refused53300, what);
                    assertEquals(clients, direct.peakServerConnections, what);
                } else {
                    // in a simultaneous burst a backend that will be refused holds a slot for a moment while it
                    // checks, so a few more may be refused than the arithmetic says; never fewer
                    assertTrue(direct.refused53300 >= clients - usable && direct.refused53300 < clients, what);
                    assertTrue(direct.peakServerConnections <= usable, what);
                }
            }
            for (int clients : new int[]{5, usable, 15, 30}) {
                Level pooled = level(env.appJdbcUrl(true), env, clients, telemetry);
                assertEquals(0, pooled.refused53300 + pooled.otherErrors, "pooled, " + clients + " clients: " + pooled);
                assertTrue(pooled.peakServerConnections >= 1 && pooled.peakServerConnections <= 4,
                        "PgBouncer opens at most its pool of 4: " + pooled);
            }
            env.killPooler(); // frees its server connections for what follows
            // the telemetry superuser still gets in while the app holds every usable slot: the reserved slots
            List<Connection> held = new ArrayList<>();
            try {
                SQLException refused = null;
                while (refused == null && held.size() < 50) {
                    try {
                        held.add(env.appConnection());
                    } catch (SQLException e) {
                        refused = e;
                    }
                }
                assertNotNull(refused);
                assertEquals("53300", refused.getSQLState(), refused.getMessage());
                assertEquals(usable, held.size(), "the app holds exactly max_connections - reserved");
                try (Connection su = env.adminConnection()) {
                    assertEquals("13", show(su, "max_connections"));
                }
            } finally {
                for (Connection c : held) c.close();
            }
        }
    }

    record Level(int clients, int refused53300, int otherErrors, int peakServerConnections) {}

    /**
     * {@code clients} connections opened at once and held until every one has tried, each running a
     * query; returns how many Postgres refused with 53300 and the peak of app backends it saw.
     * {@code watch} is the one superuser connection the harness budgets for (max_connections + 1):
     * a second one would take an app slot.
     */
    static Level level(String url, DatabaseEnvironment env, int clients, Connection watch) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch tried = new CountDownLatch(clients);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        int baseline = postmasterChildren(env);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                all.add(pool.submit(() -> {
                    Connection c = null;
                    try {
                        c = LocalFaultsIT.Faults.connect(url, env.postgres().appUser(), env.postgres().appPassword());
                        try (Statement s = c.createStatement()) {
                            s.execute("SELECT pg_sleep(0.05)");
                        }
                    } catch (SQLException e) {
                        if ("53300".equals(e.getSQLState())) refused.incrementAndGet();
                        else {
                            other.incrementAndGet();
                            errors.add(e.getSQLState() + " " + e.getMessage());
                        }
                    } finally {
                        tried.countDown();
                    }
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } finally {
                        if (c != null) c.close();
                    }
                    return null;
                }));
            }
            int peak = 0;
            while (!tried.await(20, TimeUnit.MILLISECONDS)) peak = Math.max(peak, appBackends(watch, env));
            peak = Math.max(peak, appBackends(watch, env));
            release.countDown();
            for (Future<?> f : all) f.get(30, TimeUnit.SECONDS);
            if (!errors.isEmpty()) System.err.println("errors at " + clients + " clients on " + url + ": " + errors);
            // wait until the clients' backends are gone before the next level (PgBouncer's stay: they are pooled)
            if (!url.contains(":" + (env.pgbouncer() == null ? -1 : env.pgbouncer().port()) + "/")) awaitChildren(env, baseline);
            return new Level(clients, refused.get(), other.get(), peak);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The postmaster's child processes (Postgres is PID 1 in its container). A backend that has
     * closed still holds its slot until the postmaster reaps it, after pg_stat_activity forgot it,
     * so the next level waits for the process count, not for pg_stat_activity.
     */
    static int postmasterChildren(DatabaseEnvironment env) throws Exception {
        var r = ((ContainersEnvironment) env).execInPostgres("sh", "-c", "cat /proc/1/task/1/children");
        return r.getStdout().trim().isEmpty() ? 0 : r.getStdout().trim().split("\\s+").length;
    }

    static void awaitChildren(DatabaseEnvironment env, int baseline) throws Exception {
        var r = ((ContainersEnvironment) env).execInPostgres("sh", "-c",
                "for i in $(seq 200); do n=$(cat /proc/1/task/1/children | wc -w); [ \"$n\" -le " + baseline
                        + " ] && exit 0; sleep 0.05; done; echo \"$n children\"; exit 1");
        assertEquals(0, r.getExitCode(), "backends of the last level still there after 10 s: " + r.getStdout());
    }

    static int appBackends(Connection watch, DatabaseEnvironment env) throws SQLException {
        try (PreparedStatement p = watch.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE usename = ?")) {
            p.setString(1, env.postgres().appUser());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void autoPicksContainersHereAndAMissingImageNamesTheBuildScript() {
        assertEquals(Provider.CONTAINERS, Environments.resolve(EnvironmentSpec.defaults()), "Docker and the images are here");
        EnvironmentException e = org.junit.jupiter.api.Assertions.assertThrows(EnvironmentException.class,
                () -> Environments.start(containers().withImages("storecap/no-such-image:0", null)));
        assertTrue(e.getMessage().contains("storecap/no-such-image:0 is missing") && e.getMessage().contains("docker/build-images.sh"), e.getMessage());
        assertEquals(Provider.LOCAL, Environments.resolve(EnvironmentSpec.defaults().withImages("storecap/no-such-image:0", null)),
                "auto falls back to local processes when an image is missing");
    }

    @Test
    void neonQuarterComputeUnitLimitsReachTheCgroup() {
        EnvironmentSpec spec = containers().withMaxConnections(20, 3).withComputeUnits(0.25);
        try (DatabaseEnvironment env = Environments.start(spec)) {
            ContainersEnvironment.CgroupLimits applied = ((ContainersEnvironment) env).cgroupLimits();
            assertEquals(0.25, applied.cpus(), 0.001, "cpu quota / period in the container's cgroup");
            assertEquals(1024L * 1024 * 1024, applied.memoryBytes(), "memory limit in the container's cgroup: 1 GiB");
            assertTrue(env.describe().get("cpuLimit").startsWith("0.25 vCPU"), env.describe().toString());
            assertEquals("1024", env.describe().get("memoryLimitMb"));
            assertTrue(env.describe().get("postgresImage").startsWith(EnvironmentSpec.POSTGRES_IMAGE + " (sha256:"), env.describe().toString());
            assertFalse(env.describe().toString().contains(env.postgres().appPassword()), "no password in the report facts");
        }
    }

    /**
     * Two clients share PgBouncer's single server connection and each prepares the same named
     * statement (pgjdbc's S_1, forced by prepareThreshold=1). With max_prepared_statements PgBouncer
     * tracks and renames them; without it the second Parse collides on the server.
     */
    @Test
    void maxPreparedStatementsKeepsServerSidePreparedStatementsThroughThePooler() throws Exception {
        for (boolean keep : new boolean[]{true, false}) {
            EnvironmentSpec spec = containers().withMaxConnections(10, 3).withPooler(true).withPoolSize(1).withPreparedStatements(keep);
            try (DatabaseEnvironment env = Environments.start(spec)) {
                assertEquals(keep, env.pgbouncer().keepsPreparedStatements());
                assertEquals(!keep, env.pgbouncer().appJdbcUrl().contains("prepareThreshold=0"), env.pgbouncer().appJdbcUrl());
                String forced = "jdbc:postgresql://127.0.0.1:" + env.pgbouncer().port() + "/" + env.pgbouncer().database() + "?prepareThreshold=1";
                List<String> errors = new ArrayList<>();
                try (Connection a = LocalFaultsIT.Faults.connect(forced, env.postgres().appUser(), env.postgres().appPassword());
                     Connection b = LocalFaultsIT.Faults.connect(forced, env.postgres().appUser(), env.postgres().appPassword());
                     PreparedStatement pa = a.prepareStatement("SELECT ?::int + 1");
                     PreparedStatement pb = b.prepareStatement("SELECT ?::int + 1")) {
                    for (int i = 0; i < 3; i++) {
                        for (PreparedStatement p : List.of(pa, pb)) {
                            try {
                                p.setInt(1, i);
                                try (ResultSet rs = p.executeQuery()) {
                                    rs.next();
                                    assertEquals(i + 1, rs.getInt(1));
                                }
                            } catch (SQLException e) {
                                errors.add(e.getSQLState() + " " + e.getMessage());
                            }
                        }
                    }
                }
                if (keep) assertEquals(List.of(), errors, "with max_prepared_statements nothing collides");
                else assertTrue(errors.stream().anyMatch(e -> e.startsWith("42P05") || e.startsWith("26000")),
                        "without it the named statements collide on the shared server connection: " + errors);
            }
        }
    }

    @Test
    void faultHooksKillAndRestartThePoolerAndRestartPostgres() throws Exception {
        EnvironmentSpec spec = containers().withMaxConnections(20, 3).withPooler(true).withPoolSize(4);
        try (DatabaseEnvironment env = Environments.start(spec)) {
            String pgContainer = ((ContainersEnvironment) env).postgresContainerId();
            // the telemetry sampler reads the containers as it reads local processes
            try (TelemetrySampler sampler = TelemetrySampler.of(env.postgres()).withPgBouncer(env.pgbouncer()).withPeriodMs(1000).start();
                 Connection c = LocalFaultsIT.Faults.connect(env.appJdbcUrl(true), env.postgres().appUser(), env.postgres().appPassword());
                 Statement s = c.createStatement()) {
                s.execute("SELECT 1");
                Sample x = sampler.sample();
                assertEquals(1, x.clActive() + x.clWaiting(), "SHOW POOLS through the published port: " + x);
                assertTrue(x.appBackends() >= 1, "pg_stat_activity sees PgBouncer's server connection: " + x);
            }
            LocalFaultsIT.Faults.exercise(env);
            assertEquals(pgContainer, ((ContainersEnvironment) env).postgresContainerId(), "the same container, restarted");
        }
    }

    @Test
    void containersLeftByAKilledRunAreRemovedAtTheNextStart() throws Exception {
        Assumptions.assumeTrue(commandExists("docker"), "needs the docker command to plant a leftover container");
        // a pid that no longer runs: a finished child's
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String host = ContainerReaper.hostName();
        Process create = new ProcessBuilder("docker", "create",
                "--label", ContainersEnvironment.LABEL + "=true",
                "--label", ContainerReaper.LABEL_HOST + "=" + host,
                "--label", ContainerReaper.LABEL_PID + "=" + dead.pid(),
                "--label", ContainerReaper.LABEL_PID_START + "=0",
                EnvironmentSpec.PGBOUNCER_IMAGE).redirectErrorStream(true).start();
        String id = new String(create.getInputStream().readAllBytes()).strip();
        assertEquals(0, create.waitFor(), id);
        try (DatabaseEnvironment env = Environments.start(containers().withMaxConnections(10, 3))) {
            Process inspect = new ProcessBuilder("docker", "inspect", id).redirectErrorStream(true).start();
            inspect.getInputStream().readAllBytes();
            assertTrue(inspect.waitFor() != 0, "the leftover container " + id + " was removed when the environment started");
        } finally {
            new ProcessBuilder("docker", "rm", "-f", id).redirectErrorStream(true).start().waitFor();
        }
    }

    static boolean commandExists(String cmd) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!d.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(d, cmd))) return true;
        return false;
    }
}
