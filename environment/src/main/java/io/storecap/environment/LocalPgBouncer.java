package io.storecap.environment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code pgbouncer} process with a generated ini, configured like Neon's built-in pooler:
 * transaction mode, max_client_conn 10000, default_pool_size 0.9 x max_connections unless set.
 * PgBouncer refuses to run as root, so as root it is started with {@code -u postgres} (or
 * {@code nobody}) and its files are made readable by that user.
 */
public final class LocalPgBouncer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalPgBouncer.class);
    static final String ADMIN_USER = "storecap_admin";

    private final PostgresHandle postgres;
    private int poolSize;
    private int maxClientConn = 10000;
    private int port;
    private boolean preparedStatements = true;
    private final String adminPassword = Secrets.token("adm-", 8);
    private Path dir;
    private Process process;
    private List<String> command;
    private int listenPort;
    private PgBouncerHandle handle;

    private LocalPgBouncer(PostgresHandle postgres) {
        this.postgres = postgres;
        this.poolSize = (int) Math.floor(0.9 * postgres.maxConnections());
    }

    /** A PgBouncer in front of the given Postgres. */
    public static LocalPgBouncer in(PostgresHandle postgres) { return new LocalPgBouncer(postgres); }

    public LocalPgBouncer withPoolSize(int n) {
        if (n < 1) throw new IllegalArgumentException("pool size must be >= 1, was " + n);
        this.poolSize = n;
        return this;
    }

    public LocalPgBouncer withMaxClientConn(int n) {
        if (n < 1) throw new IllegalArgumentException("max_client_conn must be >= 1, was " + n);
        this.maxClientConn = n;
        return this;
    }

    public LocalPgBouncer withPort(int port) {
        this.port = port;
        return this;
    }

    /** Whether to keep server-side prepared statements (needs {@link PgBouncerVersion#tracksPreparedStatements()}); default on where possible. */
    public LocalPgBouncer withPreparedStatements(boolean on) {
        this.preparedStatements = on;
        return this;
    }

    /** The pgbouncer binary, or an error that says how to install it. */
    public static Path binary() {
        return ChildProcesses.find("pgbouncer", "STORECAP_PGBOUNCER", List.of("/usr/sbin/pgbouncer", "/usr/local/sbin/pgbouncer"),
                "'sudo apt-get install -y pgbouncer' on Debian/Ubuntu, 'brew install pgbouncer' on macOS");
    }

    /** The installed version, from {@code pgbouncer --version}. */
    public static PgBouncerVersion version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            try {
                return PgBouncerVersion.find(out.lines().filter(l -> l.contains("PgBouncer")).findFirst().orElse(""));
            } catch (IllegalArgumentException e) {
                throw new EnvironmentException("cannot read the version of " + binary + " from: " + out.strip());
            }
        } catch (IOException e) {
            throw new EnvironmentException("cannot run " + binary + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentException("interrupted", e);
        }
    }

    public LocalPgBouncer start() {
        Path bin = binary();
        PgBouncerVersion version = version(bin);
        boolean keepPrepared = preparedStatements && version.tracksPreparedStatements();
        if (poolSize > postgres.maxConnections() - postgres.reserved())
            throw new IllegalArgumentException("pool size " + poolSize + " exceeds the app's usable connections "
                    + (postgres.maxConnections() - postgres.reserved()));
        int p = port == 0 ? Ports.free() : port;
        String runAs = runAsUser();
        try {
            dir = Files.createTempDirectory("storecap-pgbouncer-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path users = dir.resolve("userlist.txt");
            Files.writeString(users, quote(postgres.appUser()) + " " + quote(postgres.appPassword()) + "\n"
                    + quote(ADMIN_USER) + " " + quote(adminPassword) + "\n");
            Path ini = dir.resolve("pgbouncer.ini");
            Files.writeString(ini, String.join("\n",
                    "[databases]",
                    postgres.database() + " = host=" + postgres.host() + " port=" + postgres.port() + " dbname=" + postgres.database(),
                    "",
                    "[pgbouncer]",
                    "listen_addr = 127.0.0.1",
                    "listen_port = " + p,
                    "unix_socket_dir =",
                    "pidfile =",
                    "logfile = " + dir.resolve("pgbouncer.log"),
                    "auth_type = md5",
                    "auth_file = " + users,
                    "admin_users = " + ADMIN_USER,
                    "pool_mode = transaction",
                    "max_client_conn = " + maxClientConn,
                    "default_pool_size = " + poolSize,
                    "min_pool_size = 0",
                    "reserve_pool_size = 0",
                    "max_db_connections = " + poolSize,
                    "server_idle_timeout = 600",
                    "server_connect_timeout = 5",
                    // after a Postgres restart, try the server again within a second, not the default 15 s
                    "server_login_retry = 1",
                    "query_wait_timeout = 120",
                    "log_connections = 0",
                    "log_disconnections = 0",
                    "log_pooler_errors = 1",
                    // pgjdbc sends extra_float_digits in its startup packet; the pooler must not refuse it
                    "ignore_startup_parameters = extra_float_digits,options",
                    keepPrepared ? "max_prepared_statements = 200" : "",
                    ""));
            for (Path f : List.of(users, ini)) Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> cmd = new ArrayList<>(List.of(bin.toString()));
            if (runAs != null) cmd.addAll(List.of("-u", runAs));
            cmd.add(ini.toString());
            command = List.copyOf(cmd);
            listenPort = p;
        } catch (IOException e) {
            close();
            throw new EnvironmentException("could not start " + bin + ": " + e.getMessage(), e);
        }
        Cleanup.register(this);
        launch();
        handle = new PgBouncerHandle("127.0.0.1", p, postgres.database(), ADMIN_USER, adminPassword, poolSize,
                maxClientConn, version.toString(), keepPrepared);
        log.info("started {}", handle);
        return this;
    }

    public PgBouncerHandle handle() {
        if (handle == null) throw new IllegalStateException("PgBouncer is not started");
        return handle;
    }

    /** The process, for fault injection (kill it mid-run). */
    public Process process() { return process; }

    /** Starts the process from the written ini and waits until it listens; on failure closes and says why. */
    private void launch() {
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile())).start();
            Watchdog.watch(process.pid());
        } catch (IOException e) {
            close();
            throw new EnvironmentException("could not start " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            Ports.awaitListening(listenPort, 10_000, "pgbouncer", process);
        } catch (EnvironmentException e) {
            String logText = ChildProcesses.tail(dir.resolve("pgbouncer.log")) + ChildProcesses.tail(dir.resolve("stdout.log"));
            close();
            throw new EnvironmentException(e.getMessage() + "; its log says: " + logText, e);
        }
    }

    /**
     * Kills the pooler with SIGKILL, as a crash would: no goodbye to clients, server connections
     * dropped. Its files stay, so {@link #restart()} brings it back on the same port.
     */
    public synchronized LocalPgBouncer kill() {
        handle();
        if (process != null && process.isAlive()) {
            process.destroyForcibly(); // SIGKILL on Unix
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS))
                    throw new EnvironmentException("pgbouncer (pid " + process.pid() + ") did not die within 10 s of SIGKILL");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("interrupted while killing pgbouncer", e);
            }
        }
        if (process != null) Watchdog.release(process.pid());
        log.info("killed {}", handle);
        return this;
    }

    /** Starts the pooler again with the same configuration and port (stopping it first if it runs). */
    public synchronized LocalPgBouncer restart() {
        handle();
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EnvironmentException("interrupted while stopping pgbouncer", e);
            }
            Watchdog.release(process.pid());
        }
        launch();
        log.info("restarted {}", handle);
        return this;
    }

    /** Whether the pgbouncer process is alive. */
    public boolean isRunning() { return process != null && process.isAlive(); }

    /** PgBouncer will not run as root: pick an unprivileged user when we are root. */
    private static String runAsUser() {
        if (!"root".equals(System.getProperty("user.name"))) return null;
        for (String u : List.of("postgres", "nobody")) {
            try {
                Process p = new ProcessBuilder("id", "-u", u).redirectErrorStream(true).start();
                if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) return u;
            } catch (IOException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new EnvironmentException("running as root, and PgBouncer refuses root: create an unprivileged user"
                + " (e.g. 'useradd --system postgres') or run storecap as a normal user");
    }

    private static String quote(String s) { return "\"" + s.replace("\"", "\"\"") + "\""; }


    /** Stops the pooler and removes its files. Idempotent, and one caller at a time (Ctrl-C may close it from two shutdown hooks). */
    @Override
    public synchronized void close() {
        if (process != null) {
            ChildProcesses.stop(process, 5); // SIGTERM: PgBouncer stops cleanly
            process = null;
        }
        ChildProcesses.deleteTree(dir);
        dir = null;
    }

    @Override
    public String toString() { return handle == null ? "LocalPgBouncer(not started)" : handle.toString(); }
}
