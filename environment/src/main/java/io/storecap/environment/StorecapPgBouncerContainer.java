package io.storecap.environment;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * storecap's PgBouncer image (docker/pgbouncer) as a Testcontainers container: transaction mode,
 * configured from environment variables, waiting for PgBouncer's own "process up" line and then
 * for its admin console to answer SHOW VERSION through the published port. Published on 127.0.0.1
 * at a fixed host port so a killed pooler comes back where clients expect it.
 */
public final class StorecapPgBouncerContainer extends GenericContainer<StorecapPgBouncerContainer> {
    static final int PORT = 6432;

    private int hostPort;
    private String dbHost = "postgres";
    private String database = LocalPostgres.DATABASE;
    private String appUser = LocalPostgres.APP_USER;
    private String appPassword;
    private String adminUser = LocalPgBouncer.ADMIN_USER;
    private String adminPassword;
    private int poolSize = 90;
    private int maxClientConn = 10000;
    private int maxPreparedStatements = 200;

    private final ProbeWaitStrategy<PgBouncerVersion> serving = serving(Duration.ofSeconds(15));

    public StorecapPgBouncerContainer(String image) {
        super(DockerImageName.parse(image));
        waitingFor(new WaitAllStrategy(WaitAllStrategy.Mode.WITH_INDIVIDUAL_TIMEOUTS_ONLY)
                .withStrategy(Wait.forLogMessage(".*process up: PgBouncer.*\\s", 1).withStartupTimeout(Duration.ofSeconds(60)))
                .withStrategy(serving));
    }

    /** Met when the admin console answers SHOW VERSION through the published port. */
    private ProbeWaitStrategy<PgBouncerVersion> serving(Duration timeout) {
        return new ProbeWaitStrategy<>("PgBouncer", this::consoleVersion, 10, timeout);
    }

    private PgBouncerVersion consoleVersion() throws IOException {
        try (PgBouncerConsole c = PgBouncerConsole.connect("127.0.0.1", hostPort, adminUser, adminPassword, 2000)) {
            for (Map<String, String> row : c.query("SHOW VERSION")) {
                try {
                    return PgBouncerVersion.find(row.values().iterator().next());
                } catch (IllegalArgumentException | java.util.NoSuchElementException notThisRow) {
                    // look on
                }
            }
            throw new IOException("SHOW VERSION gave no version");
        }
    }

    /** The version its console reported when the container started. */
    public PgBouncerVersion version() { return serving.answer(); }

    /**
     * Waits, after the container was started again behind Testcontainers' back (a pooler brought
     * back after a kill), until its console answers again; its log already holds the old "process up".
     */
    public void awaitServing(Duration timeout) { serving(timeout).waitUntilReady(this); }

    public StorecapPgBouncerContainer withHostPort(int port) {
        this.hostPort = port;
        return self();
    }

    /** The Postgres behind it, by its alias on the shared network. */
    public StorecapPgBouncerContainer withDatabase(String host, String db, String user, String password) {
        this.dbHost = host;
        this.database = db;
        this.appUser = user;
        this.appPassword = password;
        return self();
    }

    public StorecapPgBouncerContainer withAdmin(String user, String password) {
        this.adminUser = user;
        this.adminPassword = password;
        return self();
    }

    public StorecapPgBouncerContainer withPoolSize(int n) {
        this.poolSize = n;
        return self();
    }

    public StorecapPgBouncerContainer withMaxClientConn(int n) {
        this.maxClientConn = n;
        return self();
    }

    /** max_prepared_statements; 0 turns tracking off (clients must then avoid named server-side statements). */
    public StorecapPgBouncerContainer withMaxPreparedStatements(int n) {
        this.maxPreparedStatements = n;
        return self();
    }

    public int hostPort() { return hostPort; }

    @Override
    protected void configure() {
        if (hostPort <= 0) throw new IllegalStateException("withHostPort(...) first: the published port must survive a kill and restart");
        if (appPassword == null || adminPassword == null) throw new IllegalStateException("withDatabase(...) and withAdmin(...) first");
        addEnv("DB_HOST", dbHost);
        addEnv("DB_PORT", String.valueOf(StorecapPostgresContainer.PORT));
        addEnv("DB_NAME", database);
        addEnv("DB_USER", appUser);
        addEnv("DB_PASSWORD", appPassword);
        addEnv("ADMIN_USER", adminUser);
        addEnv("ADMIN_PASSWORD", adminPassword);
        addEnv("DEFAULT_POOL_SIZE", String.valueOf(poolSize));
        addEnv("MAX_CLIENT_CONN", String.valueOf(maxClientConn));
        addEnv("MAX_PREPARED_STATEMENTS", String.valueOf(maxPreparedStatements));
        withCreateContainerCmdModifier(c -> {
            HostConfig hc = c.getHostConfig() == null ? HostConfig.newHostConfig() : c.getHostConfig();
            hc.withPortBindings(new PortBinding(com.github.dockerjava.api.model.Ports.Binding.bindIpAndPort("127.0.0.1", hostPort),
                    ExposedPort.tcp(PORT)));
            c.withHostConfig(hc).withExposedPorts(ExposedPort.tcp(PORT));
        });
    }
}
