package io.storecap.environment;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, for the dashboard cache. It keeps
 * nothing on disk ({@code --save ""}, {@code --appendonly no}) and listens on 127.0.0.1 only, in
 * protected mode. Configure fluently, then {@link #start()}:
 * <pre>{@code
 * try (LocalRedis redis = LocalRedis.create().start()) { ... redis.url() ... }
 * }</pre>
 * Registered with {@link Cleanup}, so it is stopped on close, on failure and on JVM exit. Stopping
 * and starting it again on the same port (see {@link #stop()} and {@link #start()}) emulates a
 * Redis outage for fault tests.
 */
public final class LocalRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalRedis.class);

    private int port;
    private Path dir;
    private Process process;
    private String version;

    private LocalRedis() {}

    public static LocalRedis create() { return new LocalRedis(); }

    /** The port to listen on; 0 (the default) picks a free one. */
    public LocalRedis withPort(int port) {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("Redis port must be 0..65535, was " + port);
        this.port = port;
        return this;
    }

    /** The redis-server binary, or an error that says how to install it. */
    public static Path binary() {
        return ChildProcesses.find("redis-server", "STORECAP_REDIS_SERVER",
                List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server"),
                "'sudo apt-get install -y redis-server' on Debian/Ubuntu, 'brew install redis' on macOS");
    }

    /** Starts redis-server (again, after {@link #stop()}, on the same port). */
    public synchronized LocalRedis start() {
        if (process != null && process.isAlive()) return this;
        Path bin = binary();
        if (port == 0) port = Ports.free();
        try {
            if (dir == null) dir = Files.createTempDirectory("storecap-redis-");
            List<String> cmd = List.of(bin.toString(),
                    "--port", String.valueOf(port), "--bind", "127.0.0.1", "--protected-mode", "yes",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                    "--daemonize", "no", "--loglevel", "warning", "--logfile", "");
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
            Watchdog.watch(process.pid());
        } catch (IOException e) {
            close();
            throw new EnvironmentException("could not start " + bin + ": " + e.getMessage(), e);
        }
        Cleanup.register(this);
        try {
            Ports.awaitListening(port, 10_000, "redis-server", process);
        } catch (EnvironmentException e) {
            String logText = ChildProcesses.tail(dir.resolve("redis.log"));
            close();
            throw new EnvironmentException(e.getMessage() + " (is port " + port + " in use?); its log says: " + logText, e);
        }
        version = readVersion(bin);
        log.info("started {}", this);
        return this;
    }

    public int port() {
        if (port == 0) throw new IllegalStateException("Redis is not started");
        return port;
    }

    /** The URL the service takes as {@code --redis-url}. */
    public String url() { return "redis://127.0.0.1:" + port(); }

    public String version() { return version; }

    public boolean isRunning() { return process != null && process.isAlive(); }

    /** The process, for fault injection (kill it mid-run). */
    public Process process() { return process; }

    /** Stops the server but keeps the port and folder, so {@link #start()} brings it back (a Redis outage). */
    public synchronized void stop() {
        if (process == null) return;
        ChildProcesses.stop(process, 5); // SIGTERM: with --save "" Redis exits at once without writing
        process = null;
    }

    @Override
    public synchronized void close() {
        stop();
        ChildProcesses.deleteTree(dir);
        dir = null;
    }

    private static String readVersion(Path bin) {
        try {
            Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(5, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=(\\S+)").matcher(out);
            return m.find() ? m.group(1) : out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }


    @Override
    public String toString() {
        return port == 0 ? "LocalRedis(not started)" : "Redis " + (version == null ? "" : version + " ") + "at 127.0.0.1:" + port;
    }
}
