package io.storecap.environment;

import io.storecap.model.Tier;
import io.storecap.model.TiersFile;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Returns the exit code: 0 after a clean stop, 2 for bad arguments, 1 when the environment cannot start. */
    public static int run(String[] args, PrintStream out) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("storecap env up: " + e.getMessage());
            out.println(USAGE);
            return 2;
        }
        if (o.help) {
            out.println(USAGE);
            return 0;
        }
        EnvironmentSpec spec;
        try {
            Map<String, Tier> tiers = TiersFile.load(o.tiersFile);
            Tier tier = tiers.get(o.tier);
            if (tier == null)
                throw new IllegalArgumentException("unknown tier '" + o.tier + "' in " + o.tiersFile + ": use one of " + String.join(", ", tiers.keySet()));
            spec = EnvironmentSpec.forTier(tier).withProvider(o.provider).withPooler(o.pooler)
                    .withPreparedStatements(o.prepared).withBuildImages(o.buildImages);
            if (o.cpus != null || o.memoryMb != null)
                spec = spec.withLimits(o.cpus != null ? o.cpus : spec.cpus(), o.memoryMb != null ? o.memoryMb : spec.memoryMb());
            if (spec.provider() == Provider.EXTERNAL)
                throw new IllegalArgumentException("env up starts an environment; an external target is already running: connect to it directly");
        } catch (RuntimeException e) {
            out.println("storecap env up: " + e.getMessage());
            return 2;
        }

        DatabaseEnvironment env;
        try {
            out.println("storecap env up: starting " + o.tier + " (provider " + spec.provider().id() + (o.pooler ? ", with PgBouncer" : "") + ")...");
            env = Environments.start(spec);
        } catch (RuntimeException e) {
            out.println("storecap env up: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Ctrl-C: Cleanup's own hook closes the environment too; this one only says so
            out.println();
            out.println("storecap env up: stopping " + env.provider().id() + " environment");
            Cleanup.close(env);
            stopped.countDown();
        }, "env-up-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            print(env, o.tier, out);
            out.println(o.seconds > 0 ? "Stops by itself in " + o.seconds + " s (or Ctrl-C)." : "Press Ctrl-C to stop everything.");
            out.flush();
            if (o.seconds > 0) stopped.await(o.seconds, TimeUnit.SECONDS);
            else stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it closes the environment
            }
            Cleanup.close(env);
        }
        out.println("storecap env up: stopped");
        return 0;
    }

    static void print(DatabaseEnvironment env, String tier, PrintStream out) {
        PostgresHandle pg = env.postgres();
        PgBouncerHandle b = env.pgbouncer();
        Map<String, String> d = env.describe();
        out.println();
        out.println("storecap environment: tier " + tier + ", provider " + env.provider().id());
        out.println("  Postgres " + pg.version() + ", max_connections " + pg.maxConnections() + " (" + pg.reserved()
                + " reserved for superusers), CPU " + d.getOrDefault("cpuLimit", "?") + ", memory MB " + d.getOrDefault("memoryLimitMb", "?"));
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
                    + (pg.maxConnections() - pg.reserved()));
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

    static final String USAGE = """
            usage: ./storecap env up [--provider auto|local|containers] [--tier ID] [--pooler] [--no-prepared-statements]
                                     [--cpus N] [--memory-mb N] [--tiers FILE] [--build-images] [--seconds N]
              Starts Postgres (and PgBouncer with --pooler) sized for a tier of config/tiers.yaml and prints
              how to connect, until Ctrl-C. Containers get the tier's Neon compute size (1 CU = 1 vCPU, 4 GB).""";

    static final class Options {
        Provider provider = Provider.AUTO;
        String tier = "free";
        Path tiersFile;
        boolean pooler;
        boolean prepared = true;
        boolean buildImages;
        boolean help;
        Double cpus;
        Integer memoryMb;
        long seconds;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = null;
                int eq = a.indexOf('=');
                if (a.startsWith("--") && eq > 0) {
                    v = a.substring(eq + 1);
                    a = a.substring(0, eq);
                }
                switch (a) {
                    case "up" -> { /* the subcommand word, when the CLI passes it on */ }
                    case "--provider" -> o.provider = Provider.parse(v != null ? v : value(args, ++i, a));
                    case "--tier" -> o.tier = v != null ? v : value(args, ++i, a);
                    case "--tiers" -> o.tiersFile = Path.of(v != null ? v : value(args, ++i, a));
                    case "--pooler" -> o.pooler = true;
                    case "--no-prepared-statements" -> o.prepared = false;
                    case "--build-images" -> o.buildImages = true;
                    case "--cpus" -> o.cpus = number(v != null ? v : value(args, ++i, a), a);
                    case "--memory-mb" -> o.memoryMb = (int) Math.round(number(v != null ? v : value(args, ++i, a), a));
                    case "--seconds" -> o.seconds = Math.round(number(v != null ? v : value(args, ++i, a), a));
                    case "-h", "--help", "help" -> o.help = true;
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
            if (o.tiersFile == null) {
                String root = System.getProperty("storecap.root");
                o.tiersFile = root != null ? Path.of(root, "config", TiersFile.DEFAULT_NAME) : Path.of("config", TiersFile.DEFAULT_NAME);
            }
            if (!o.help && !Files.isRegularFile(o.tiersFile))
                throw new IllegalArgumentException("no tiers file at " + o.tiersFile.toAbsolutePath() + ": pass --tiers FILE or run from the project folder");
            return o;
        }

        private static String value(String[] args, int i, String opt) {
            if (i >= args.length) throw new IllegalArgumentException(opt + " needs a value");
            return args[i];
        }

        private static double number(String s, String opt) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(opt + " needs a number, was '" + s + "'");
            }
        }
    }
}
