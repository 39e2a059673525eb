package io.storecap.cli.fidelity;

import io.storecap.environment.Cleanup;
import io.storecap.environment.DatabaseEnvironment;
import io.storecap.environment.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The emulation of the same preset: the reference service (its own JVM, {@link ServiceProcess})
 * with {@code --pool=prisma7} and one function instance ({@code --max-instances=1}, a high
 * {@code --instance-concurrency}, an idle TTL far beyond a case, no cold start), driven through
 * {@code POST /internal/fidelity}, which runs the queries inside that instance through its pool.
 * Its connections are named {@value #APPLICATION_NAME} (every connection a function instance opens is).
 */
final class EmulatedInstance implements Side {
    static final String APPLICATION_NAME = "storecap-fn";
    private static final String ADMIN_TOKEN = "fidelity-admin-0123";

    private final ServiceProcess service;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EmulatedInstance(ServiceProcess service) { this.service = service; }

    /**
     * The service settings of a case. {@code attachDatabasePool} on keeps the instance awake for the
     * pool's idle timeout after each release, as a running Node process is; off suspends it as each
     * response ends. connection-limit 5 is there to show Prisma 7 ignores it (pg's max is 10).
     */
    static Map<String, String> settings(boolean attachDatabasePool) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("mode", "serverless");
        s.put("pool", "prisma7");
        s.put("attach-database-pool", attachDatabasePool ? "on" : "off");
        s.put("max-instances", "1");
        s.put("instance-concurrency", "64");
        s.put("connection-limit", "5");
        s.put("idle-ttl-ms", "600000");
        s.put("cold-start-ms", "0");
        s.put("zombie-hold-ms", "0");
        s.put("dispatch", "mru");
        return s;
    }

    static EmulatedInstance start(DatabaseEnvironment env, boolean attachDatabasePool, Path log) {
        ServiceProcess svc = ServiceProcess.create().withSetting("jdbc-url", env.postgres().appJdbcUrl())
                .withSetting("db-user", env.postgres().appUser()).withSettings(settings(attachDatabasePool))
                .withSecret("db-password", env.postgres().appPassword()).withSecret("app-secret", "fidelity-secret-0123")
                .withSecret("admin-token", ADMIN_TOKEN).withHeap("256m").withLog(log).start();
        EmulatedInstance e = new EmulatedInstance(svc);
        try {
            e.warmUp();
        } catch (RuntimeException x) {
            e.close();
            throw x;
        }
        return e;
    }

    /**
     * Two requests that touch no instance and no database, so the case's first request does not pay
     * the fresh JVM's first JSON answer and HTTP exchange (a few hundred ms), which the Node process,
     * started at its READY line, does not pay either.
     */
    private void warmUp() {
        try {
            for (String p : new String[] {"/healthz", "/metrics"})
                http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + p)).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new IllegalStateException("the reference service did not answer " + service.baseUrl() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted warming up the reference service", e);
        }
    }

    @Override public String label() { return "emulated"; }

    @Override public String applicationName() { return APPLICATION_NAME; }

    @Override
    public void query(int n, int sleepMs) throws IOException, InterruptedException {
        post("/internal/fidelity?queries=" + n + "&sleep-ms=" + sleepMs);
    }

    /** Nothing to do: with attach-database-pool off the emulated instance is suspended as each response ends. */
    @Override
    public void freeze() {}

    /** The instance retired as a reclaimed one is ({@code POST /internal/deploy}), its connections following the zombie hold, 0 here. */
    @Override
    public void reclaim() throws IOException, InterruptedException {
        post("/internal/deploy");
    }

    private void post(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(service.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(120))
                .header("X-Admin-Token", ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200)
            throw new IllegalStateException("the reference service answered " + r.statusCode() + " to POST " + pathAndQuery + ": " + r.body());
    }

    @Override
    public void close() { Cleanup.close(service); }

    @Override
    public String toString() { return "emulated Prisma 7 instance (" + service + ")"; }
}
