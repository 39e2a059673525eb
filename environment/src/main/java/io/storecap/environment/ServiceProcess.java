package io.storecap.environment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The reference service as its own JVM process (a real HTTP server over loopback, measured apart
 * from the load generator). Settings go as {@code --key=value}; secrets go through the environment
 * so they never show in a process listing or a log.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private String classpath = System.getProperty("java.class.path");
    private String heap = "768m";
    private Path log;
    private Process process;
    private int port;

    private ServiceProcess() {}

    public static ServiceProcess create() { return new ServiceProcess(); }

    /** A service setting, e.g. withSetting("mode", "serverless"); see ServiceConfig. */
    public ServiceProcess withSetting(String key, Object value) {
        settings.put(key, String.valueOf(value));
        return this;
    }

    /** Several settings at once (a run's service options). */
    public ServiceProcess withSettings(java.util.Map<String, String> more) {
        more.forEach(this::withSetting);
        return this;
    }

    /** A secret setting (db-password, app-secret, admin-token), passed as STORECAP_* environment variable. */
    public ServiceProcess withSecret(String key, String value) {
        secrets.put("STORECAP_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), value);
        return this;
    }

    public ServiceProcess withClasspath(String cp) { this.classpath = cp; return this; }

    public ServiceProcess withHeap(String heap) { this.heap = heap; return this; }

    /** Where the service's stdout/stderr go. */
    public ServiceProcess withLog(Path log) { this.log = log; return this; }

    public ServiceProcess start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap, "-Xss512k", "-XX:+UseSerialGC",
                "-cp", classpath, "io.storecap.service.ServiceMain"));
        settings.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        if (!settings.containsKey("port")) cmd.add("--port=0");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(secrets);
        try {
            process = pb.start();
            Watchdog.watch(process.pid());
        } catch (IOException e) {
            throw new EnvironmentException("cannot start the reference service with " + java + ": " + e.getMessage(), e);
        }
        Cleanup.register(this);
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pump(listening), "service-log");
        pump.setDaemon(true);
        pump.start();
        try {
            port = listening.get(60, TimeUnit.SECONDS);
            return this;
        } catch (Exception e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.toString();
            close();
            throw new EnvironmentException("the reference service did not start: " + why
                    + (log != null ? " (see " + log + ")" : ""), e);
        }
    }

    private void pump(CompletableFuture<Integer> listening) {
        StringBuilder early = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer w = log == null ? Writer.nullWriter() : Files.newBufferedWriter(log)) {
            String line;
            while ((line = r.readLine()) != null) {
                w.write(line);
                w.write('\n');
                w.flush();
                if (!listening.isDone()) {
                    if (line.startsWith("LISTENING ")) listening.complete(Integer.parseInt(line.split(" ")[1]));
                    else if (early.length() < 4000) early.append(line).append('\n');
                }
            }
        } catch (IOException | RuntimeException e) {
            listening.completeExceptionally(e);
        }
        if (!listening.isDone())
            listening.completeExceptionally(new EnvironmentException("exited before listening: " + early.toString().strip()));
    }

    public int port() { return port; }

    public String baseUrl() { return "http://127.0.0.1:" + port; }

    /** The service JVM's pid (for CPU accounting). */
    public long pid() { return process == null ? -1 : process.pid(); }

    public boolean isAlive() { return process != null && process.isAlive(); }

    @Override
    public void close() {
        if (process == null) return;
        ChildProcesses.stop(process, 10);
        process = null;
    }

    @Override
    public String toString() { return "ServiceProcess(port " + port + ")"; }
}
