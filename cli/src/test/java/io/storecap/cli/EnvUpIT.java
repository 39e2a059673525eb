package io.storecap.cli;

import io.storecap.environment.Await;
import io.storecap.environment.EnvUp;
import io.storecap.environment.LocalFaultsIT;
import io.storecap.environment.Provider;
import io.storecap.environment.TelemetrySamplerIT;
import io.storecap.environment.Watchdog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** env up prints how to reach what it started, stops it, and names bad arguments. */
class EnvUpIT {
    private static final Pattern APP_MAY_OPEN = Pattern.compile("the app may open (\\d+)");
    private static final Pattern DIRECT_JDBC = Pattern.compile("JDBC (jdbc:postgresql://\\S+)  user (\\S+)  password (\\S+)");
    private static final Pattern SUPERUSER_PORT = Pattern.compile("superuser  postgresql://postgres@127\\.0\\.0\\.1:(\\d+)/");

    static String run(int expectedExit, String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        // ./storecap env up ARGS (the older tests also named the subcommand)
        List<String> line = new ArrayList<>(List.of("env", "up"));
        line.addAll(List.of(args).subList(args.length > 0 && args[0].equals("up") ? 1 : 0, args.length));
        PrintStream oldOut = System.out;
        System.setOut(ps);
        int code;
        try {
            code = Cli.run(ps, ps, line.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, out);
        return out;
    }

    @Test
    void printsDirectPooledAndAdminUrlsThenStops() {
        String out = run(0, "up", "--provider", "local", "--tier", "free", "--pooler", "--seconds", "1", "--tiers", "../config/tiers.yaml");
        assertTrue(out.contains("  direct     postgresql://storecap_app:"), out);
        assertTrue(out.contains("  pooled     postgresql://storecap_app:"), out);
        assertTrue(out.contains("  admin      postgresql://storecap_admin:") && out.contains("/pgbouncer"), out);
        assertTrue(out.contains("pgbench -c 50"), out);
        assertTrue(out.contains("max_connections 100 (3 reserved"), out);
        assertTrue(out.contains("the app may open 97") && out.contains("expect 'too many clients' past 97"), out);
        assertTrue(out.contains("stopped"), out);
    }

    /**
     * The number env up prints is the number the app really gets: it opens connections as the app
     * role until Postgres refuses one (53300). The server runs with a slot more than the tier for
     * the telemetry sampler; without env up holding that slot the app got one connection more.
     */
    @Test
    void theAppOpensExactlyAsManyConnectionsAsPrinted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tiers.yaml"), """
                tiers:
                  - id: tiny
                    maxConnections: 10
                    reserved: 3
                    poolerPoolSize: 5
                """);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(); // its methods are synchronized: written by env up, read here
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int[] exit = {-1};
        Thread envUp = new Thread(() -> exit[0] = EnvUp.up(new EnvUp.Options(Provider.LOCAL, "tiny", dir.resolve("tiers.yaml"),
                false, true, false, null, null, 300), out), "env-up-under-test");
        envUp.start();
        List<Connection> held = new ArrayList<>();
        try {
            Await.until(Duration.ofSeconds(90), () -> text(buf).contains("Stops by itself") || !envUp.isAlive(),
                    () -> "env up did not come up: " + text(buf));
            String printed = text(buf);
            assertTrue(envUp.isAlive(), printed);
            Matcher n = APP_MAY_OPEN.matcher(printed);
            assertTrue(n.find(), printed);
            int mayOpen = Integer.parseInt(n.group(1));
            assertEquals(10 - 3, mayOpen, printed);
            Matcher url = DIRECT_JDBC.matcher(printed);
            assertTrue(url.find(), printed);

            SQLException refused = null;
            while (refused == null && held.size() < 50) {
                try {
                    held.add(LocalFaultsIT.Faults.connect(url.group(1), url.group(2), url.group(3)));
                } catch (SQLException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "never refused: " + held.size() + " connections");
            assertEquals("53300", refused.getSQLState(), refused.getMessage());
            assertEquals(mayOpen, held.size(), "the app holds what env up printed, no more, no less:\n" + printed);
        } finally {
            for (Connection c : held) c.close();
            envUp.interrupt(); // env up stops on interrupt, as on Ctrl-C
            envUp.join(60_000);
        }
        assertFalse(envUp.isAlive(), "env up stopped after an interrupt");
        assertEquals(0, exit[0], text(buf));
        assertTrue(text(buf).contains("storecap env up: stopped"), text(buf));
    }

    /**
     * SIGTERM (as from kill or a service manager) to an env up process: its shutdown hooks stop
     * Postgres and PgBouncer, once each, and nothing in its output says a stop failed (two hooks used
     * to stop the same postmaster and one of them reported NoSuchFileException on postmaster.pid).
     */
    @Test
    void sigtermStopsEverythingWithoutAFailure(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path output = dir.resolve("env-up.log");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Cli.class.getName(),
                "env", "up", "--provider", "local", "--tier", "free", "--pooler", "--seconds", "300", "--tiers", "../config/tiers.yaml")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            Await.until(Duration.ofSeconds(90), () -> read(output).contains("Stops by itself") || !child.isAlive(),
                    () -> "env up did not come up: " + read(output));
            assertTrue(child.isAlive(), read(output));
            // its own processes, not every postgres on the machine: pgbouncer is its child; the postmaster,
            // daemonised by pg_ctl, is found from its data directory, and its backends are its children
            List<ProcessHandle> own = new ArrayList<>(child.descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("pgbouncer")).toList());
            assertEquals(1, own.size(), "one pgbouncer: " + read(output));
            ProcessHandle postmaster = postmaster(read(output));
            own.add(postmaster);
            postmaster.descendants().forEach(own::add);

            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "env up exits after SIGTERM: " + read(output));
            String log = read(output) + "(exit code " + child.exitValue() + ")";
            assertTrue(log.contains("storecap env up: stopping local environment"), log);
            assertFalse(log.toLowerCase(Locale.ROOT).contains("failed"), "no stop failed:\n" + log);
            Await.until(Duration.ofSeconds(10), () -> own.stream().noneMatch(Watchdog::isRunning),
                    () -> "Postgres and PgBouncer of env up stopped; still running: " + TelemetrySamplerIT.running(own));
        } finally {
            child.destroyForcibly();
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "(cannot read " + f + ": " + e + ")";
        }
    }

    /** The postmaster of the env up whose output this is: its data directory's postmaster.pid names it. */
    static ProcessHandle postmaster(String printed) throws Exception {
        Matcher m = SUPERUSER_PORT.matcher(printed);
        assertTrue(m.find(), printed);
        try (Connection c = LocalFaultsIT.Faults.connect("jdbc:postgresql://127.0.0.1:" + m.group(1) + "/storecap", "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW data_directory")) {
            rs.next();
            long pid = Long.parseLong(Files.readAllLines(Path.of(rs.getString(1), "postmaster.pid")).get(0).trim());
            return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("postmaster " + pid + " is not running"));
        }
    }

    private static String text(ByteArrayOutputStream buf) { return buf.toString(StandardCharsets.UTF_8); }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(run(2, "--tier", "nope", "--tiers", "../config/tiers.yaml").contains("unknown tier 'nope'"));
        assertTrue(run(2, "--provider", "docker", "--tiers", "../config/tiers.yaml").contains("unknown provider 'docker'"));
        assertTrue(run(2, "--tiers", "/nonexistent/tiers.yaml").contains("no tiers file"));
        assertTrue(run(2, "--frobnicate").contains("unknown option '--frobnicate'"));
    }
}
