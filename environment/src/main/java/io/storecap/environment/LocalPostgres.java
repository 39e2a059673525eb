package io.storecap.environment;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Postgres as a local process from the embedded binaries on Maven Central (zonky), so no install is
 * needed. Configure fluently, then {@link #start()}:
 * <pre>{@code
 * try (LocalPostgres pg = LocalPostgres.create().withMaxConnections(100).withReserved(3).start()) { ... }
 * }</pre>
 * The server runs with max_connections + 1: the telemetry sampler holds one superuser connection
 * for the whole run, and Postgres counts it against the same slots, so the extra slot keeps the
 * app's usable connections at exactly {@code maxConnections - reserved}.
 */
public final class LocalPostgres implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    public static final String APP_USER = "storecap_app";
    public static final String DATABASE = "storecap";

    private int maxConnections = 100;
    private int reserved = 3;
    private int port;
    private String appPassword = Secrets.token("app-", 8);
    private EmbeddedPostgres pg;
    private Path dataDir;
    private PostgresHandle handle;

    private LocalPostgres() {}

    public static LocalPostgres create() { return new LocalPostgres(); }

    public LocalPostgres withMaxConnections(int n) {
        if (n < 5) throw new IllegalArgumentException("max_connections must be >= 5, was " + n);
        this.maxConnections = n;
        return this;
    }

    public LocalPostgres withReserved(int n) {
        if (n < 1) throw new IllegalArgumentException("reserved connections must be >= 1 (telemetry needs one), was " + n);
        this.reserved = n;
        return this;
    }

    public LocalPostgres withPort(int port) {
        this.port = port;
        return this;
    }

    public synchronized LocalPostgres start() {
        if (reserved >= maxConnections)
            throw new IllegalArgumentException("reserved (" + reserved + ") must be < max_connections (" + maxConnections + ")");
        int p = port == 0 ? Ports.free() : port;
        // registered before the server starts: Cleanup's shutdown hook is the one owner of the stop (zonky's own hook is off)
        Cleanup.register(this);
        try {
            dataDir = Files.createTempDirectory("storecap-pg-");
            pg = launch(p);
        } catch (IOException e) {
            Cleanup.close(this);
            throw new EnvironmentException("could not start the embedded Postgres on port " + p + ": " + e.getMessage()
                    + " (is the port in use? is /tmp writable?)", e);
        }
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + appPassword.replace("'", "''") + "'");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + APP_USER);
            String version;
            try (ResultSet rs = s.executeQuery("SHOW server_version")) {
                rs.next();
                version = rs.getString(1);
            }
            handle = new PostgresHandle("127.0.0.1", pg.getPort(), DATABASE, APP_USER, appPassword, "postgres", "",
                    maxConnections, reserved, version);
            log.info("started {}", handle);
            return this;
        } catch (SQLException e) {
            Cleanup.close(this);
            throw new EnvironmentException("embedded Postgres started but setup failed: " + e.getMessage(), e);
        }
    }

    /**
     * Starts the server on {@code port} over {@link #dataDir}. The data directory is never cleaned
     * by zonky (this class deletes it on close), so a restart finds its data again; initdb runs only
     * when the directory has no cluster yet. zonky's own shutdown hook stays off: with it, SIGTERM had
     * two threads stopping the same postmaster, and {@link #close()} could delete the data directory
     * while zonky's pg_ctl still waited for the server (NoSuchFileException on postmaster.pid).
     */
    private EmbeddedPostgres launch(int p) throws IOException {
        EmbeddedPostgres started = EmbeddedPostgres.builder()
                .setPort(p)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false) // Cleanup owns the stop: one stop, not two racing
                .setServerConfig("max_connections", String.valueOf(maxConnections + 1))
                .setServerConfig("superuser_reserved_connections", String.valueOf(reserved))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("shared_buffers", "128MB")
                .setServerConfig("log_min_messages", "fatal")
                .start();
        postmasterPid = readPostmasterPid();
        if (postmasterPid > 0) Watchdog.watchPostgres(postmasterPid);
        return started;
    }

    private long postmasterPid = -1;

    /** The postmaster's pid, -1 if unknown (for CPU accounting of the server and its backends). */
    public long postmasterPid() { return postmasterPid; }

    /** The postmaster's pid, from the first line of postmaster.pid (pg_ctl daemonises it). */
    private long readPostmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void releasePostmaster() {
        if (postmasterPid > 0) Watchdog.release(postmasterPid);
        postmasterPid = -1;
    }

    /**
     * Restarts the server as a fault would: fast shutdown (every client is disconnected, in-flight
     * transactions roll back), then a start on the same port over the same data. Returns when it
     * accepts connections again.
     */
    public synchronized LocalPostgres restart() {
        PostgresHandle h = handle();
        if (pg != null) {
            releasePostmaster();
            try {
                pg.close(); // pg_ctl stop -m fast
            } catch (IOException e) {
                log.warn("stopping Postgres for a restart failed: {}", e.toString());
            }
            pg = null;
        }
        try {
            pg = launch(h.port());
        } catch (IOException e) {
            throw new EnvironmentException("Postgres did not start again on port " + h.port() + " after a restart: " + e.getMessage()
                    + " (did another process take the port meanwhile?)", e);
        }
        log.info("restarted {}", h);
        return this;
    }

    /** Whether the server is up (false between the two halves of a failed restart). */
    public boolean isRunning() { return pg != null; }

    public PostgresHandle handle() {
        if (handle == null) throw new IllegalStateException("Postgres is not started");
        return handle;
    }

    /** A superuser connection (for telemetry and test setup). */
    public Connection adminConnection() throws SQLException {
        return handle().adminConnection("storecap-admin", 5, 0);
    }

    /**
     * Stops the server with a fast shutdown (clients are disconnected), as a restart would, then
     * removes its data. Idempotent, and one caller at a time: Ctrl-C or SIGTERM may close it from
     * two shutdown hooks at once (Cleanup's, and env up's through its environment); the second
     * waits for the first and then finds nothing left to do.
     */
    @Override
    public synchronized void close() {
        if (pg != null) {
            try {
                pg.close(); // pg_ctl stop -m fast -w: returns once the postmaster is gone
            } catch (IOException e) {
                log.warn("stopping Postgres failed: {}", e.toString());
            }
            pg = null;
            releasePostmaster();
        }
        ChildProcesses.deleteTree(dataDir);
        dataDir = null;
    }

    @Override
    public String toString() { return handle == null ? "LocalPostgres(not started)" : handle.toString(); }
}
