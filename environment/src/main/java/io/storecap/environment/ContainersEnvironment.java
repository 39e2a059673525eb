package io.storecap.environment;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The containers provider: storecap's Postgres and PgBouncer images (docker/) under Testcontainers,
 * on a private network, Postgres limited to the tier's CPU and memory (Neon compute units), both
 * published on 127.0.0.1 only.
 * <p>
 * Ryuk (Testcontainers' reaper) cannot run without a registry, so this class removes its own
 * containers: on close, from {@link Cleanup}'s shutdown hook on SIGINT/SIGTERM, and, for a run
 * that was killed outright, at the next start: every container and network carries labels naming
 * the host and the JVM (pid and start time) that made it, and those whose JVM is gone are removed.
 */
public final class ContainersEnvironment implements DatabaseEnvironment {
    private static final Logger log = LoggerFactory.getLogger(ContainersEnvironment.class);
    /** Every container and network storecap starts carries this label (value "true"). */
    public static final String LABEL = "io.storecap.harness";
    static final String LABEL_HOST = LABEL + ".host";
    static final String LABEL_PID = LABEL + ".pid";
    static final String LABEL_PID_START = LABEL + ".pid-start";
    private static final String CGROUP_LIMITS = "if [ -f /sys/fs/cgroup/cpu.max ]; then cat /sys/fs/cgroup/cpu.max;"
            + " else echo \"$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)\"; fi;"
            + " if [ -f /sys/fs/cgroup/memory.max ]; then cat /sys/fs/cgroup/memory.max;"
            + " else cat /sys/fs/cgroup/memory/memory.limit_in_bytes; fi";

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

    /** The labels that let a later run tell this JVM's containers from a live run's. */
    static Map<String, String> labels() {
        ProcessHandle me = ProcessHandle.current();
        return Map.of(LABEL, "true", LABEL_HOST, hostName(), LABEL_PID, String.valueOf(me.pid()),
                LABEL_PID_START, startOf(me));
    }

    private void begin() {
        long t0 = System.nanoTime();
        docker = DockerClientFactory.instance().client();
        removeLeftovers(docker);
        Map<String, String> labels = labels();
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
        startContainer(pg, "Postgres");
        postgresHandle = new PostgresHandle("127.0.0.1", pg.hostPort(), LocalPostgres.DATABASE, LocalPostgres.APP_USER, appPw,
                "postgres", superPw, spec.maxConnections(), spec.reserved(), "?");
        String version = awaitPostgres(30_000);
        postgresHandle = new PostgresHandle("127.0.0.1", pg.hostPort(), LocalPostgres.DATABASE, LocalPostgres.APP_USER, appPw,
                "postgres", superPw, spec.maxConnections(), spec.reserved(), version);
        facts.put("provider", Provider.CONTAINERS.id());
        facts.put("postgres", version);
        facts.put("postgresImage", spec.postgresImage() + " (" + imageId(spec.postgresImage()) + ")");
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
            startContainer(bouncer, "PgBouncer");
            String bv = awaitPgBouncer(bouncer.hostPort(), LocalPgBouncer.ADMIN_USER, adminPw, 15_000);
            int[] v = parseVersion(bv);
            boolean keep = spec.preparedStatements() && (v[0] > 1 || v[1] >= 21);
            bouncerHandle = new PgBouncerHandle("127.0.0.1", bouncer.hostPort(), LocalPostgres.DATABASE, LocalPgBouncer.ADMIN_USER,
                    adminPw, spec.effectivePoolSize(), spec.maxClientConn(), bv, keep);
            facts.put("pgbouncer", bv);
            facts.put("pgbouncerImage", spec.pgbouncerImage() + " (" + imageId(spec.pgbouncerImage()) + ")");
            facts.put("poolSize", String.valueOf(spec.effectivePoolSize()));
            facts.put("preparedStatements", LocalEnvironment.preparedText(bouncerHandle));
            log.info("started {} in a container", bouncerHandle);
        }
        facts.put("dockerEngine", engineVersion());
        facts.put("startSeconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
    }

    private static void startContainer(GenericContainer<?> c, String what) {
        try {
            c.start();
        } catch (RuntimeException e) {
            String logs = "";
            try {
                if (c.getContainerId() != null) logs = c.getLogs();
            } catch (RuntimeException ignored) {
                // the container is already gone
            }
            throw new EnvironmentException(what + " did not start in its container (" + c.getDockerImageName() + "): "
                    + rootMessage(e) + (logs.isBlank() ? "" : "; its log ends: " + tail(logs))
                    + ". If the image is stale, rebuild it: " + DockerAccess.BUILD_SCRIPT + " --force", e);
        }
    }

    /** Polls until the superuser can run a query (a published port accepts TCP even while the server is down); returns server_version. */
    private String awaitPostgres(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        SQLException last = null;
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = adminConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                return rs.getString(1);
            } catch (SQLException e) {
                last = e;
                sleep(200);
            }
        }
        throw new EnvironmentException("Postgres in container " + shortId(pg) + " did not accept connections on 127.0.0.1:" + pg.hostPort()
                + " within " + timeoutMs + " ms: " + (last == null ? "no attempt" : last.getMessage())
                + "; its log ends: " + tail(pg.getLogs()));
    }

    /** Polls until the admin console answers SHOW VERSION; returns e.g. "1.24.1". */
    private String awaitPgBouncer(int port, String user, String password, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        IOException last = null;
        while (System.currentTimeMillis() < deadline) {
            try (PgBouncerConsole c = PgBouncerConsole.connect("127.0.0.1", port, user, password, 2000)) {
                for (Map<String, String> row : c.query("SHOW VERSION")) {
                    String v = row.values().iterator().next();
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)").matcher(v);
                    if (m.find()) return m.group(1);
                }
                throw new IOException("SHOW VERSION gave no version");
            } catch (IOException e) {
                last = e;
                sleep(100);
            }
        }
        throw new EnvironmentException("PgBouncer in container " + shortId(bouncer) + " did not answer on 127.0.0.1:" + port
                + " within " + timeoutMs + " ms: " + (last == null ? "no attempt" : last.getMessage())
                + "; its log ends: " + tail(bouncer.getLogs()));
    }

    static int[] parseVersion(String v) {
        String[] p = v.split("\\.");
        return new int[]{Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0, p.length > 2 ? Integer.parseInt(p[2]) : 0};
    }

    /**
     * The CPU and memory limits as the kernel applies them to the Postgres container, read from its
     * cgroup (v2 cpu.max / memory.max, or v1 cfs quota / limit_in_bytes). 0 = no limit.
     */
    public CgroupLimits cgroupLimits() {
        try {
            ExecResult r = pg.execInContainer("sh", "-c", CGROUP_LIMITS);
            List<String> lines = r.getStdout().strip().lines().toList();
            if (r.getExitCode() != 0 || lines.size() < 2)
                throw new EnvironmentException("cannot read the cgroup limits in container " + shortId(pg) + ": " + r.getStderr().strip());
            String[] cpu = lines.get(0).trim().split("\\s+");
            double cpus = cpu[0].equals("max") || cpu[0].startsWith("-") ? 0 : Double.parseDouble(cpu[0]) / Double.parseDouble(cpu[1]);
            String mem = lines.get(1).trim();
            long bytes = mem.equals("max") ? 0 : Long.parseLong(mem);
            if (bytes >= Long.MAX_VALUE / 2) bytes = 0; // cgroup v1 writes a huge number for "unlimited"
            return new CgroupLimits(cpus, bytes);
        } catch (IOException e) {
            throw new EnvironmentException("cannot read the cgroup limits in container " + shortId(pg) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted", e);
        }
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
        awaitPgBouncer(bouncerHandle.port(), bouncerHandle.adminUser(), bouncerHandle.adminPassword(), 30_000);
        log.info("started PgBouncer again on 127.0.0.1:{}", bouncerHandle.port());
    }

    @Override
    public void restartPostgres() {
        String id = postgresContainerId();
        if (id == null) throw new IllegalStateException("Postgres is not started");
        // the image's STOPSIGNAL is SIGINT, Postgres' fast shutdown; after 30 s Docker would SIGKILL
        if (running(id)) docker.stopContainerCmd(id).withTimeout(30).exec();
        docker.startContainerCmd(id).exec();
        awaitPostgres(60_000);
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

    private String imageId(String image) {
        try {
            String id = docker.inspectImageCmd(image).exec().getId();
            return id == null ? "?" : id.substring(0, Math.min(id.length(), 19));
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private String engineVersion() {
        try {
            var v = docker.versionCmd().exec();
            return "Docker " + v.getVersion() + " (API " + v.getApiVersion() + ")";
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /**
     * Removes the containers and networks that a storecap JVM on this host started and that outlived
     * it (killed with SIGKILL, or a crash before its shutdown hook ran). A live run's are left alone.
     */
    static int removeLeftovers(DockerClient docker) {
        String host = hostName();
        int removed = 0;
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec()) {
            Map<String, String> l = c.getLabels();
            if (!host.equals(l.get(LABEL_HOST)) || alive(l)) continue;
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
                log.warn("removed container {} ({}) left behind by an earlier storecap run (pid {}, no longer running)",
                        c.getId().substring(0, 12), c.getImage(), l.get(LABEL_PID));
            } catch (RuntimeException e) {
                log.warn("could not remove leftover container {}: {}", c.getId().substring(0, 12), e.toString());
            }
        }
        for (com.github.dockerjava.api.model.Network n : docker.listNetworksCmd().withFilter("label", List.of(LABEL + "=true")).exec()) {
            Map<String, String> l = n.getLabels() == null ? Map.of() : n.getLabels();
            if (!host.equals(l.get(LABEL_HOST)) || alive(l)) continue;
            try {
                docker.removeNetworkCmd(n.getId()).exec();
            } catch (RuntimeException e) {
                log.warn("could not remove leftover network {}: {}", n.getName(), e.toString());
            }
        }
        return removed;
    }

    /** Whether the JVM that labelled a resource still runs (same pid and same start time, so a reused pid does not count). */
    private static boolean alive(Map<String, String> l) {
        try {
            long pid = Long.parseLong(l.getOrDefault(LABEL_PID, "-1"));
            return ProcessHandle.of(pid).map(p -> startOf(p).equals(l.get(LABEL_PID_START))).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours to judge: leave it
        }
    }

    private static String startOf(ProcessHandle p) {
        return p.info().startInstant().map(i -> String.valueOf(i.toEpochMilli())).orElse("?");
    }

    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) return h.trim();
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String secret(String prefix) {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d).replaceAll("0+$", "");
    }

    private static String shortId(GenericContainer<?> c) {
        String id = c == null ? null : c.getContainerId();
        return id == null ? "?" : id.substring(0, Math.min(12, id.length()));
    }

    private static String tail(String logs) {
        List<String> lines = logs.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

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
