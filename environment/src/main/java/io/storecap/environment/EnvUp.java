package io.storecap.environment;

import io.storecap.model.Tier;
import io.storecap.model.TiersFile;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./storecap env up [--provider P] [--tier T] [--pooler]}: starts an environment sized for a
 * tier and prints how to reach it (direct, pooled, PgBouncer admin console; psql and pgbench
 * commands) until interrupted. Ctrl-C (or SIGTERM) stops everything it started.
 * <p>
 * Options: {@code --provider auto|local|containers} (default auto), {@code --tier ID} (default
 * free), {@code --tiers FILE} (default config/tiers.yaml), {@code --pooler},
 * {@code --no-prepared-statements}, {@code --cpus N} and {@code --memory-mb N} (override the
 * tier's compute size), {@code --build-images} (build missing images first), {@code --seconds N}
 * (stop by itself after N seconds, for scripts and tests).
 * <p>
 * Testcontainers reads two settings only from the environment, so they cannot be set from here:
 * the wrapper exports {@code TESTCONTAINERS_RYUK_DISABLED=true} and
 * {@code TESTCONTAINERS_HOST_OVERRIDE=localhost}; without them the containers provider says so.
 */
public final class EnvUp {
    private EnvUp() {}

    /**
     * What to start.
     *
     * @param provider    where Postgres runs (auto, local, containers)
     * @param tier        the tier of {@code tiersFile} that sizes it
     * @param tiersFile   config/tiers.yaml or the user's own
     * @param pooler      start PgBouncer in front of it
     * @param prepared    PgBouncer tracks prepared statements (false: --no-prepared-statements)
     * @param buildImages build storecap's images first (containers)
     * @param cpus        CPU limit of the containers; null for the tier's compute size
     * @param memoryMb    memory limit of the containers; null for the tier's compute size
     * @param seconds     stop by itself after this long; 0 = until Ctrl-C
     */
    public record Options(Provider provider, String tier, Path tiersFile, boolean pooler, boolean prepared, boolean buildImages,
                          Double cpus, Integer memoryMb, long seconds) {
        public Options {
            if (provider == null) provider = Provider.AUTO;
            if (tier == null) tier = "free";
            if (tiersFile == null) {
                String root = System.getProperty("storecap.root");
                tiersFile = root != null ? Path.of(root, "config", TiersFile.DEFAULT_NAME) : Path.of("config", TiersFile.DEFAULT_NAME);
            }
            if (!Files.isRegularFile(tiersFile))
                throw new IllegalArgumentException("no tiers file at " + tiersFile.toAbsolutePath() + ": pass --tiers FILE or run from the project folder");
            if (cpus != null && !(cpus > 0)) throw new IllegalArgumentException("--cpus must be > 0, was " + cpus);
            if (memoryMb != null && memoryMb < 64) throw new IllegalArgumentException("--memory-mb must be >= 64, was " + memoryMb);
            if (seconds < 0) throw new IllegalArgumentException("--seconds must be >= 0, was " + seconds);
        }
    }

    /**
     * The reference service beside the database ({@code env up --service}), started as a study's
     * harness starts it, so a {@code study --target} against it can be compared with a local study.
     *
     * @param settings the service's {@code --key=value} settings (the database URL, role and secrets are env up's)
     * @param stores   stores the database is seeded with
     * @param prepare  creates the schema and seeds the stores on the started environment; returns what it did
     * @param envFile  where the service's secrets are written for {@code study --target --env-file} (mode 600)
     * @param describe one line on its configuration, printed
     */
    public record ServiceSpec(Map<String, String> settings, int stores, java.util.function.Function<DatabaseEnvironment, String> prepare,
                              Path envFile, String describe) {
        public ServiceSpec {
            settings = Map.copyOf(settings);
            if (stores < 1) throw new IllegalArgumentException("--stores must be >= 1, was " + stores);
            java.util.Objects.requireNonNull(prepare, "prepare");
            java.util.Objects.requireNonNull(envFile, "envFile");
        }
    }

    /** Starts the environment and holds it; 0 after a clean stop, 2 for bad settings, 1 when it cannot start. */
    public static int up(Options o, PrintStream out) { return up(o, null, out); }

    /** The same with the reference service beside it when {@code service} is given. */
    public static int up(Options o, ServiceSpec service, PrintStream out) {
        EnvironmentSpec spec;
        try {
            Map<String, Tier> tiers = TiersFile.load(o.tiersFile());
            Tier tier = tiers.get(o.tier());
            if (tier == null)
                throw new IllegalArgumentException("unknown tier '" + o.tier() + "' in " + o.tiersFile() + ": use one of " + String.join(", ", tiers.keySet()));
            spec = EnvironmentSpec.forTier(tier).withProvider(o.provider()).withPooler(o.pooler())
                    .withPreparedStatements(o.prepared()).withBuildImages(o.buildImages());
            if (o.cpus() != null || o.memoryMb() != null)
                spec = spec.withLimits(o.cpus() != null ? o.cpus() : spec.cpus(), o.memoryMb() != null ? o.memoryMb() : spec.memoryMb());
            if (spec.provider() == Provider.EXTERNAL)
                throw new IllegalArgumentException("env up starts an environment; an external target is already running: connect to it directly");
        } catch (RuntimeException e) {
            out.println("storecap env up: " + e.getMessage());
            return 2;
        }

        DatabaseEnvironment env;
        try {
            out.println("storecap env up: starting " + o.tier() + " (provider " + spec.provider().id() + (o.pooler() ? ", with PgBouncer" : "") + ")...");
            env = Environments.start(spec);
        } catch (RuntimeException e) {
            out.println("storecap env up: " + e.getMessage());
            return 1;
        }
        Connection telemetrySlot = null;
        ServiceProcess svc = null;
        try {
            // with the service, the telemetry slot is left to the study that samples it (study --target)
            if (service == null) telemetrySlot = holdTelemetrySlot(env);
            else svc = startService(env, service, o.pooler(), out);
        } catch (SQLException | RuntimeException e) {
            out.println("storecap env up: " + (service == null ? "cannot take the telemetry slot on " + env.postgres() + ": "
                    : "the reference service did not start: ") + e.getMessage());
            Cleanup.close(svc);
            Cleanup.close(env);
            return 1;
        }
        ServiceProcess started = svc;
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C or SIGTERM. Cleanup's own hook closes what the environment started as well, at the same
            // time: every close is idempotent and one caller at a time, so whichever comes second finds it done
            out.println();
            out.println("storecap env up: stopping " + env.provider().id() + " environment");
            Cleanup.close(started);
            Cleanup.close(env);
            stopped.countDown();
        }, "env-up-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean interrupted = false;
        try {
            print(env, o.tier(), out);
            if (service != null) printService(env, service, started, o.pooler(), out);
            out.println(o.seconds() > 0 ? "Stops by itself in " + o.seconds() + " s (or Ctrl-C)." : "Press Ctrl-C to stop everything.");
            out.flush();
            if (o.seconds() > 0) stopped.await(o.seconds(), TimeUnit.SECONDS);
            else stopped.await();
        } catch (InterruptedException e) {
            // stop now; the flag is set again after closing, so pg_ctl's wait for the server is not cut short
            interrupted = true;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it closes the environment
            }
            Cleanup.close(telemetrySlot);
            Cleanup.close(started);
            Cleanup.close(env);
        }
        out.println("storecap env up: stopped");
        if (interrupted) Thread.currentThread().interrupt();
        return 0;
    }

    /**
     * Postgres runs with one slot more than the tier's max_connections: the telemetry sampler's
     * superuser connection, held for a whole run. env up runs no sampler, so it holds that slot
     * itself; otherwise the app could open one connection more than a run (and the tier) allows,
     * and the numbers printed would not be the ones a client meets.
     */
    static Connection holdTelemetrySlot(DatabaseEnvironment env) throws SQLException {
        return env.postgres().adminConnection("storecap-env-up (the telemetry sampler's slot)", 5, 0);
    }

    /** Seeds the database and starts the service on the chosen route, with fresh secrets written to the env file. */
    private static ServiceProcess startService(DatabaseEnvironment env, ServiceSpec s, boolean pooled, PrintStream out) {
        out.println("storecap env up: " + s.prepare().apply(env) + "; starting the reference service (" + s.describe() + ")");
        String appSecret = Secrets.token("shpss_", 16), adminToken = Secrets.token("adm_", 16);
        writeEnvFile(s.envFile(), appSecret, adminToken);
        Path log = s.envFile().resolveSibling("service.log");
        PostgresHandle pg = env.postgres();
        return ServiceProcess.create().withSetting("jdbc-url", env.appJdbcUrl(pooled)).withSetting("db-user", pg.appUser())
                .withSettings(s.settings()).withSecret("db-password", pg.appPassword()).withSecret("app-secret", appSecret)
                .withSecret("admin-token", adminToken).withLog(log).start();
    }

    /** The service's secrets, as study --target --env-file reads them; readable by this user only. */
    private static void writeEnvFile(Path file, String appSecret, String adminToken) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the file system has no POSIX permissions: the folder's own apply
            }
            Files.writeString(file, "# the reference service env up started: its secrets, for ./storecap study --target ... --env-file\n"
                    + "SHOPIFY_API_SECRET=" + appSecret + "\nSTORECAP_ADMIN_TOKEN=" + adminToken + "\n");
        } catch (java.io.IOException e) {
            throw new EnvironmentException("cannot write the service's secrets to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The service's URL and the study command that loads it as a deployment. */
    static void printService(DatabaseEnvironment env, ServiceSpec s, ServiceProcess svc, boolean pooled, PrintStream out) {
        PostgresHandle pg = env.postgres();
        PgBouncerHandle b = env.pgbouncer();
        out.println("  service    " + svc.baseUrl() + "   (the reference service: " + s.describe() + "; " + s.stores() + " stores; "
                + (pooled ? "through PgBouncer" : "direct to Postgres") + ")");
        out.println("  secrets    " + s.envFile() + "   (SHOPIFY_API_SECRET, STORECAP_ADMIN_TOKEN)");
        out.println("  log        " + s.envFile().resolveSibling("service.log"));
        out.println("  The telemetry slot is left to the study that samples it. To study the service as a deployment:");
        out.println("  ./storecap study --target " + svc.baseUrl() + " --db-url " + url(pg.adminUser(), pg.adminPassword(), pg.host(), pg.port(), pg.database())
                + " --app-role " + pg.appUser() + (b == null ? "" : " --pooled-db-url " + url(b.adminUser(), b.adminPassword(), b.host(), b.port(), b.database()))
                + " --env-file " + s.envFile() + " --only CLAIM");
        out.println();
    }

    static void print(DatabaseEnvironment env, String tier, PrintStream out) {
        PostgresHandle pg = env.postgres();
        PgBouncerHandle b = env.pgbouncer();
        Map<String, String> d = env.describe();
        out.println();
        out.println("storecap environment: tier " + tier + ", provider " + env.provider().id());
        out.println("  Postgres " + pg.version() + ", max_connections " + pg.maxConnections() + " (" + pg.reserved()
                + " reserved for superusers: the app may open " + pg.appConnections() + "), CPU " + d.getOrDefault("cpuLimit", "?")
                + ", memory MB " + d.getOrDefault("memoryLimitMb", "?"));
        if (d.containsKey("postgresImage")) out.println("  image " + d.get("postgresImage"));
        if (b != null) out.println("  PgBouncer " + b.version() + ", transaction mode, pool " + b.poolSize() + ", max_client_conn "
                + b.maxClientConn() + ", prepared statements " + d.getOrDefault("preparedStatements", "?"));
        out.println();
        String direct = url(pg.appUser(), pg.appPassword(), pg.host(), pg.port(), pg.database());
        String superuser = url(pg.adminUser(), pg.adminPassword(), pg.host(), pg.port(), pg.database());
        out.println("  direct     " + direct);
        out.println("             JDBC " + pg.appJdbcUrl() + "  user " + pg.appUser() + "  password " + pg.appPassword());
        out.println("  superuser  " + superuser + "   (telemetry's role: inside the reserved slots)");
        if (b != null) {
            String pooled = url(pg.appUser(), pg.appPassword(), b.host(), b.port(), b.database());
            String admin = url(b.adminUser(), b.adminPassword(), b.host(), b.port(), "pgbouncer");
            out.println("  pooled     " + pooled);
            out.println("             JDBC " + b.appJdbcUrl() + "  user " + pg.appUser() + "  password " + pg.appPassword());
            out.println("  admin      " + admin + "   (SHOW POOLS; SHOW STATS; SHOW CLIENTS)");
            out.println();
            out.println("  psql '" + pooled + "'");
            out.println("  psql '" + admin + "' -c 'SHOW POOLS'");
            out.println("  pgbench -i -s 10 '" + direct + "'");
            out.println("  pgbench -c 50 -j 2 -T 60 -M extended '" + pooled + "'   # 50 clients through the pooler");
            out.println("  pgbench -c 50 -j 2 -T 60 '" + direct + "'   # the same straight to Postgres: expect 'too many clients' past "
                    + pg.appConnections());
        } else {
            out.println();
            out.println("  psql '" + direct + "'");
            out.println("  pgbench -i -s 10 '" + direct + "'");
            out.println("  pgbench -c 20 -j 2 -T 60 '" + direct + "'");
        }
        out.println("  watch: psql '" + superuser + "' -c \"SELECT state, count(*) FROM pg_stat_activity WHERE usename = '"
                + pg.appUser() + "' GROUP BY 1\"");
        out.println();
    }

    static String url(String user, String password, String host, int port, String db) {
        return "postgresql://" + enc(user) + (password == null || password.isEmpty() ? "" : ":" + enc(password)) + "@" + host + ":" + port + "/" + db;
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }
}
