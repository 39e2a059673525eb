package io.storecap.environment;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The containers provider: storecap's Postgres and PgBouncer images (docker/) under Testcontainers,
 * on a private network, Postgres limited to the tier's CPU and memory (Neon compute units), both
 * published on 127.0.0.1 only.
 * <p>
 * Readiness is the containers' own wait strategies (a log line, then a query or console command
 * through the published port; see {@link StorecapPostgresContainer}, {@link StorecapPgBouncerContainer}).
 * <p>
 * Ryuk (Testcontainers' reaper) cannot run without a registry, so this class removes its own
 * containers: on close, from {@link Cleanup}'s shutdown hook on SIGINT/SIGTERM, and, for a run
 * that was killed outright, at the next start ({@link ContainerReaper}).
 */
public final class ContainersEnvironment implements DatabaseEnvironment {
    private static final Logger log = LoggerFactory.getLogger(ContainersEnvironment.class);
    /** Every container and network storecap starts carries this label (value "true"). */
    public static final String LABEL = ContainerReaper.LABEL;

    private final EnvironmentSpec spec;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private DockerClient docker;
    private Network network;
    private StorecapPostgresContainer pg;
    private StorecapPgBouncerContainer bouncer;
    private PostgresHandle postgresHandle;
    private PgBouncerHandle bouncerHandle;

    private ContainersEnvironment(EnvironmentSpec spec) { this.spec = spec; }

    /** Starts Postgres (and PgBouncer) in containers, or fails saying what is missing and how to fix it. */
    static ContainersEnvironment start(EnvironmentSpec spec) {
        DockerStatus status = DockerAccess.probe(spec);
        if (!status.usable()) throw new EnvironmentException("the containers provider cannot run: " + status.message());
        ContainersEnvironment env = Cleanup.register(new ContainersEnvironment(spec));
        try {
            env.begin();
            return env;
        } catch (RuntimeException e) {
            Cleanup.close(env);
            throw e;
        }
    }

    private void begin() {
        long t0 = System.nanoTime();
        docker = DockerClientFactory.instance().client();
        ContainerReaper.removeLeftovers(docker);
        Map<String, String> labels = ContainerReaper.labels();
        network = Network.builder().createNetworkCmdModifier(c -> c.withLabels(labels)).build();
        network.getId(); // created now, so a failure shows here and close() knows to remove it

        double cpus = spec.cpus();
        int machineCpus = Runtime.getRuntime().availableProcessors();
        String cpuNote = "";
        if (cpus > machineCpus) {
            // Docker refuses a quota above the machine's CPUs: run at what the machine has and say so in the report
            cpuNote = " (asked " + fmt(cpus) + "; this machine has " + machineCpus + ")";
            log.warn("Postgres asked for {} vCPUs but this machine has {}: limiting to {}", fmt(cpus), machineCpus, machineCpus);
            cpus = machineCpus;
        }
        String superPw = secret("su-");
        String appPw = secret("app-");
        pg = new StorecapPostgresContainer(spec.postgresImage())
                .withNetwork(network).withNetworkAliases("postgres")
                .withLabels(labels)
                .withHostPort(Ports.free())
                .withConnections(spec.maxConnections() + 1, spec.reserved())
                .withLimits(cpus, spec.memoryMb())
                .withCredentials(superPw, LocalPostgres.APP_USER, appPw, LocalPostgres.DATABASE);
        startContainer(pg, "Postgres"); // returns once a query answers through the published port
        String version = pg.serverVersion();
        postgresHandle = new PostgresHandle("127.0.0.1", pg.hostPort(), LocalPostgres.DATABASE, LocalPostgres.APP_USER, appPw,
                "postgres", superPw, spec.maxConnections(), spec.reserved(), version);
        facts.put("provider", Provider.CONTAINERS.id());
        facts.put("postgres", version);
        facts.put("postgresImage", spec.postgresImage() + " (" + ContainerFacts.imageId(docker, spec.postgresImage()) + ")");
        facts.put("maxConnections", String.valueOf(spec.maxConnections()));
        facts.put("reserved", String.valueOf(spec.reserved()));
        CgroupLimits applied = cgroupLimits();
        facts.put("cpuLimit", (applied.cpus() > 0 ? fmt(applied.cpus()) + " vCPU" : "none") + cpuNote + " (cgroup of the Postgres container)");
        facts.put("memoryLimitMb", applied.memoryBytes() > 0 ? String.valueOf(applied.memoryBytes() / (1024 * 1024)) : "none");
        log.info("started {} in a container ({}, memory {} MB)", postgresHandle, facts.get("cpuLimit"), facts.get("memoryLimitMb"));

        if (spec.pooler()) {
            String adminPw = secret("adm-");
            bouncer = new StorecapPgBouncerContainer(spec.pgbouncerImage())
                    .withNetwork(network)
                    .withLabels(labels)
                    .withHostPort(Ports.free())
                    .withDatabase("postgres", LocalPostgres.DATABASE, LocalPostgres.APP_USER, appPw)
                    .withAdmin(LocalPgBouncer.ADMIN_USER, adminPw)
                    .withPoolSize(spec.effectivePoolSize())
                    .withMaxClientConn(spec.maxClientConn())
                    .withMaxPreparedStatements(spec.preparedStatements() ? 200 : 0);
            startContainer(bouncer, "PgBouncer"); // returns once its console answers SHOW VERSION
            PgBouncerVersion bv = bouncer.version();
            boolean keep = spec.preparedStatements() && bv.tracksPreparedStatements();
            bouncerHandle = new PgBouncerHandle("127.0.0.1", bouncer.hostPort(), LocalPostgres.DATABASE, LocalPgBouncer.ADMIN_USER,
                    adminPw, spec.effectivePoolSize(), spec.maxClientConn(), bv.toString(), keep);
            facts.put("pgbouncer", bv.toString());
            facts.put("pgbouncerImage", spec.pgbouncerImage() + " (" + ContainerFacts.imageId(docker, spec.pgbouncerImage()) + ")");
            facts.put("poolSize", String.valueOf(spec.effectivePoolSize()));
            facts.put("preparedStatements", bouncerHandle.preparedStatementsText());
            log.info("started {} in a container", bouncerHandle);
        }
        facts.put("dockerEngine", ContainerFacts.engineVersion(docker));
        facts.put("startSeconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
    }

    /** Starts a container and runs its wait strategies; on failure says why, with the end of its log. */
    private static void startContainer(GenericContainer<?> c, String what) {
        try {
            c.start();
        } catch (RuntimeException e) {
            throw new EnvironmentException(what + " did not start in its container (" + c.getDockerImageName() + "): "
                    + ContainerFacts.rootMessage(e) + logTail(c)
                    + ". If the image is stale, rebuild it: " + DockerAccess.BUILD_SCRIPT + " --force", e);
        }
    }

    /** Runs a container's readiness wait after a fault restarted it; on failure says why, with the end of its log. */
    private static void awaitServing(GenericContainer<?> c, String what, int port, Runnable wait) {
        try {
            wait.run();
        } catch (RuntimeException e) {
            throw new EnvironmentException(what + " in container " + shortId(c) + " did not answer on 127.0.0.1:" + port + ": "
                    + e.getMessage() + logTail(c), e);
        }
    }

    private static String logTail(GenericContainer<?> c) {
        try {
            String logs = c.getContainerId() == null ? "" : c.getLogs();
            return logs.isBlank() ? "" : "; its log ends: " + ContainerFacts.tail(logs);
        } catch (RuntimeException ignored) {
            return ""; // the container is already gone
        }
    }

    /**
     * The CPU and memory limits as the kernel applies them to the Postgres container, read from its
     * cgroup (v2 cpu.max / memory.max, or v1 cfs quota / limit_in_bytes). 0 = no limit.
     */
    public CgroupLimits cgroupLimits() { return ContainerFacts.cgroupLimits(pg); }

    /** The Postgres container's CPU use and throttling, read on the host from its cgroup ({@link ContainerCpu}). */
    public ContainerCpu postgresCpu() { return cpuOf(pg, "Postgres"); }

    /** The PgBouncer container's CPU use; null when this environment has no pooler. */
    public ContainerCpu pgbouncerCpu() { return bouncer == null ? null : cpuOf(bouncer, "PgBouncer"); }

    private ContainerCpu cpuOf(GenericContainer<?> c, String what) {
        if (c == null || c.getContainerId() == null) throw new IllegalStateException(what + " is not started");
        Long pid = docker.inspectContainerCmd(c.getContainerId()).exec().getState().getPidLong();
        if (pid == null || pid <= 0) throw new EnvironmentException(what + " container " + shortId(c) + " has no process: it is not running");
        return ContainerCpu.ofPid(pid);
    }

    /** Runs a command in the Postgres container (tests and diagnostics). */
    ExecResult execInPostgres(String... command) throws IOException, InterruptedException {
        return pg.execInContainer(command);
    }

    /** CPU (vCPUs) and memory (bytes) limits read from a container's cgroup; 0 = none. */
    public record CgroupLimits(double cpus, long memoryBytes) {}

    @Override public Provider provider() { return Provider.CONTAINERS; }

    @Override public EnvironmentSpec spec() { return spec; }

    @Override public PostgresHandle postgres() {
        if (postgresHandle == null) throw new IllegalStateException("Postgres is not started");
        return postgresHandle;
    }

    @Override public PgBouncerHandle pgbouncer() { return bouncerHandle; }

    @Override public Map<String, String> describe() { return Collections.unmodifiableMap(new LinkedHashMap<>(facts)); }

    /** Container ids, for the report and for tests. */
    public String postgresContainerId() { return pg == null ? null : pg.getContainerId(); }

    public String pgbouncerContainerId() { return bouncer == null ? null : bouncer.getContainerId(); }

    @Override
    public void killPooler() {
        String id = requirePooler();
        if (running(id)) docker.killContainerCmd(id).withSignal("SIGKILL").exec();
        long deadline = System.currentTimeMillis() + 10_000;
        while (running(id)) {
            if (System.currentTimeMillis() > deadline) throw new EnvironmentException("PgBouncer container " + id + " still runs 10 s after SIGKILL");
            sleep(50);
        }
        log.info("killed PgBouncer (container {})", shortId(bouncer));
    }

    @Override
    public void startPooler() {
        String id = requirePooler();
        if (!running(id)) docker.startContainerCmd(id).exec();
        awaitServing(bouncer, "PgBouncer", bouncerHandle.port(), () -> bouncer.awaitServing(Duration.ofSeconds(30)));
        log.info("started PgBouncer again on 127.0.0.1:{}", bouncerHandle.port());
    }

    @Override
    public void restartPostgres() {
        String id = postgresContainerId();
        if (id == null) throw new IllegalStateException("Postgres is not started");
        // the image's STOPSIGNAL is SIGINT, Postgres' fast shutdown; after 30 s Docker would SIGKILL
        if (running(id)) docker.stopContainerCmd(id).withTimeout(30).exec();
        docker.startContainerCmd(id).exec();
        awaitServing(pg, "Postgres", postgresHandle.port(), () -> pg.awaitServing(Duration.ofSeconds(60)));
        log.info("restarted Postgres on 127.0.0.1:{}", postgresHandle.port());
    }

    private String requirePooler() {
        if (bouncer == null) throw new IllegalStateException("this environment has no pooler: start it withPooler(true)");
        return bouncer.getContainerId();
    }

    private boolean running(String id) {
        InspectContainerResponse.ContainerState s = docker.inspectContainerCmd(id).exec().getState();
        return Boolean.TRUE.equals(s.getRunning());
    }

    private static String secret(String prefix) {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    private static String fmt(double d) { return ContainerFacts.fmt(d); }

    private static String shortId(GenericContainer<?> c) { return ContainerFacts.shortId(c); }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted while waiting", e);
        }
    }

    @Override
    public synchronized void close() {
        stop(bouncer);
        stop(pg);
        bouncer = null;
        pg = null;
        if (network != null) {
            try {
                network.close();
            } catch (RuntimeException e) {
                log.warn("could not remove network {}: {}", network.getId(), e.toString());
            }
            network = null;
        }
    }

    private void stop(GenericContainer<?> c) {
        if (c == null) return;
        String id = c.getContainerId();
        try {
            c.stop(); // kill and remove, with its volumes
        } catch (RuntimeException e) {
            log.warn("stopping container {} failed ({}); removing it by force", id, e.toString());
        }
        if (id != null && docker != null) {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException ignored) {
                // already removed by stop(): the usual case
            }
        }
    }

    @Override
    public String toString() { return "containers environment (" + facts.getOrDefault("postgres", "not started") + ")"; }
}
