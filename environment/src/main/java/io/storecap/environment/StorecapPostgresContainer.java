package io.storecap.environment;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.DockerImageName;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * storecap's Postgres image (docker/postgres) as a Testcontainers container, configured like
 * {@code PostgreSQLContainer}: fluent settings, applied at start, and two wait strategies in turn:
 * the server's "ready to accept connections" (the image's setup runs in single-user mode, so the
 * line appears once per start), then a query as the superuser through the published port, which
 * also reads the server's version.
 * <p>
 * The port is published on 127.0.0.1 at a host port chosen here rather than by Docker, because a
 * restart fault stops and starts the same container and clients must find it where it was.
 */
public final class StorecapPostgresContainer extends GenericContainer<StorecapPostgresContainer> {
    static final int PORT = 5432;
    private static final long MIB = 1024L * 1024L;

    private int serverMaxConnections = 101;
    private int reserved = 3;
    private int hostPort;
    private double cpus;
    private int memoryMb;
    private String superuserPassword;
    private String appUser = LocalPostgres.APP_USER;
    private String appPassword;
    private String database = LocalPostgres.DATABASE;

    private final ProbeWaitStrategy<String> serving = serving(Duration.ofSeconds(30));

    public StorecapPostgresContainer(String image) {
        super(DockerImageName.parse(image));
        waitingFor(new WaitAllStrategy(WaitAllStrategy.Mode.WITH_INDIVIDUAL_TIMEOUTS_ONLY)
                .withStrategy(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 1)
                        .withStartupTimeout(Duration.ofSeconds(90)))
                .withStrategy(serving));
    }

    /** Met when the superuser's {@code SHOW server_version} answers through the published port. */
    private ProbeWaitStrategy<String> serving(Duration timeout) {
        return new ProbeWaitStrategy<>("Postgres", this::queryServerVersion, 5, timeout);
    }

    private String queryServerVersion() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", superuserPassword);
        p.setProperty("ApplicationName", "storecap-readiness");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "5");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + hostPort + "/" + database, p);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** server_version, as the readiness query read it when the container started. */
    public String serverVersion() { return serving.answer(); }

    /**
     * Waits, after the container was stopped and started again behind Testcontainers' back (a
     * restart fault), until the server answers queries again. Its log already holds the first
     * start's "ready" line, so only the query counts here.
     */
    public void awaitServing(Duration timeout) { serving(timeout).waitUntilReady(this); }

    /** max_connections as the server runs it (the tier's figure + 1 for telemetry) and superuser_reserved_connections. */
    public StorecapPostgresContainer withConnections(int serverMax, int reservedSlots) {
        this.serverMaxConnections = serverMax;
        this.reserved = reservedSlots;
        return self();
    }

    public StorecapPostgresContainer withHostPort(int port) {
        this.hostPort = port;
        return self();
    }

    /** CPU in vCPUs (NanoCPUs) and memory in MiB (Memory, and MemorySwap equal so nothing swaps); 0 = none. */
    public StorecapPostgresContainer withLimits(double vcpus, int memMb) {
        this.cpus = vcpus;
        this.memoryMb = memMb;
        return self();
    }

    public StorecapPostgresContainer withCredentials(String superuserPw, String appRole, String appPw, String db) {
        this.superuserPassword = superuserPw;
        this.appUser = appRole;
        this.appPassword = appPw;
        this.database = db;
        return self();
    }

    public int hostPort() { return hostPort; }

    @Override
    protected void configure() {
        if (hostPort <= 0) throw new IllegalStateException("withHostPort(...) first: the published port must survive restarts");
        if (superuserPassword == null || appPassword == null) throw new IllegalStateException("withCredentials(...) first");
        addEnv("POSTGRES_PASSWORD", superuserPassword);
        addEnv("APP_USER", appUser);
        addEnv("APP_PASSWORD", appPassword);
        addEnv("APP_DB", database);
        List<String> cmd = new ArrayList<>(List.of(
                "-c", "max_connections=" + serverMaxConnections,
                "-c", "superuser_reserved_connections=" + reserved));
        setCommand(cmd.toArray(String[]::new));
        withCreateContainerCmdModifier(c -> {
            HostConfig hc = c.getHostConfig() == null ? HostConfig.newHostConfig() : c.getHostConfig();
            hc.withPortBindings(new PortBinding(com.github.dockerjava.api.model.Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
                    ExposedPort.tcp(PORT)));
            if (cpus > 0) hc.withNanoCPUs(Math.round(cpus * 1e9));
            if (memoryMb > 0) hc.withMemory(memoryMb * MIB).withMemorySwap(memoryMb * MIB);
            // Docker's default /dev/shm is 64 MB; parallel queries and many backends need more
            hc.withShmSize(256 * MIB);
            c.withHostConfig(hc).withExposedPorts(ExposedPort.tcp(PORT));
        });
    }
}
