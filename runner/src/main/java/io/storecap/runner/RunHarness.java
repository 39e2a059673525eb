package io.storecap.runner;

import io.storecap.environment.Cleanup;
import io.storecap.environment.DatabaseEnvironment;
import io.storecap.environment.EnvironmentSpec;
import io.storecap.environment.Environments;
import io.storecap.environment.LocalRedis;
import io.storecap.environment.Provider;
import io.storecap.environment.ServiceProcess;
import io.storecap.environment.TelemetrySampler;
import io.storecap.model.Route;
import io.storecap.model.RunConfig;
import io.storecap.model.TrafficProfile;
import io.storecap.service.Schema;
import io.storecap.service.Stores;
import io.storecap.simulations.LoadControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one run needs, started in order and stopped in reverse: Postgres sized for the tier,
 * PgBouncer on the pooled route, the seeded schema, the reference service as its own process, and
 * the telemetry sampler. Closing it (or the JVM exiting) stops all of them.
 */
public final class RunHarness implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunHarness.class);

    private final RunConfig config;
    private final String appSecret = io.storecap.environment.Secrets.token("shpss_", 16);
    private final String adminToken = io.storecap.environment.Secrets.token("adm_", 16);
    private final LoadControl control = LoadControl.open();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    private DatabaseEnvironment env;
    private ServiceProcess service;
    private TelemetrySampler sampler;
    private CronJobs cron;

    /** What the cron jobs of the cron-beside-pooler pattern met: null when the pattern is off. */
    public String cronSummary() {
        return cron == null ? null : "cron jobs beside the pooler: " + cron.connected() + " connections made, "
                + cron.refused() + " refused by Postgres (53300)";
    }

    private final double zipfExponent;
    private boolean retiresBetweenLevels;
    private LocalRedis redis;

    private RunHarness(RunConfig config, double zipfExponent) {
        this.config = config;
        this.zipfExponent = zipfExponent;
    }

    /** Starts everything for a run of {@code config} with stores 1..maxStores seeded. */
    public static RunHarness start(RunConfig config, TrafficProfile profile, int maxStores, Path runDir) {
        return start(config, profile, maxStores, runDir, false);
    }

    /**
     * The same; with {@code retiresBetweenLevels} (the knee search, which retires every instance
     * before each level) the warm-up's instances need not age out first.
     */
    public static RunHarness start(RunConfig config, TrafficProfile profile, int maxStores, Path runDir, boolean retiresBetweenLevels) {
        RunHarness h = new RunHarness(config, profile.storeSizes().zipfExponent());
        h.retiresBetweenLevels = retiresBetweenLevels;
        Cleanup.register(h);
        try {
            h.begin(maxStores, runDir);
            return h;
        } catch (RuntimeException e) {
            Cleanup.close(h);
            throw e;
        }
    }

    private void begin(int maxStores, Path runDir) {
        long t = System.nanoTime();
        try {
            Files.createDirectories(runDir);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot create the run folder " + runDir + ": " + e.getMessage());
        }
        var tier = config.tier();
        boolean pooled = config.route() == Route.POOLED;
        env = Environments.start(EnvironmentSpec.forTier(tier).withProvider(Provider.parse(config.provider())).withPooler(pooled));
        environment.putAll(env.describe());
        environment.put("provider", env.provider().id());
        String appUrl = env.appJdbcUrl(pooled);
        if (pooled) environment.put("preparedStatements", env.pgbouncer().preparedStatementsText());
        environment.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        environment.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        environment.put("memoryGb", String.valueOf(Math.round(totalMemoryGb())));
        stageSeconds.put("provisioning", (System.nanoTime() - t) / 1e9);

        t = System.nanoTime();
        if (!env.schemaChangesAllowed())
            throw new IllegalArgumentException("the " + env.provider().id() + " target does not allow schema changes: a study seeds its own stores");
        try (Connection c = env.appConnection()) {
            Schema.create(c, !"off".equals(config.serviceOptions().get("indexes")));
            // history per store follows the same Zipf sizes as the traffic: big stores have more rows
            Stores.SeedResult seeded = Stores.seed(c, maxStores, 30, zipfExponent);
            seededStores = maxStores;
            environment.put("seeded", seeded.stores() + " stores, " + seeded.historyRows() + " analytics rows in " + seeded.millis() + " ms");
        } catch (SQLException e) {
            throw new IllegalStateException("seeding " + maxStores + " stores failed: " + e.getMessage(), e);
        }
        stageSeconds.put("seeding", (System.nanoTime() - t) / 1e9);
        log.info("seeded {} stores in {} s", maxStores, String.format("%.1f", stageSeconds.get("seeding")));

        t = System.nanoTime();
        if ("on".equals(config.serviceOptions().get("dashboard-cache"))) {
            redis = Cleanup.register(LocalRedis.create().start());
            environment.put("redis", redis.version());
        }
        service = ServiceProcess.create()
                .withSetting("jdbc-url", appUrl)
                .withSetting("db-user", env.postgres().appUser())
                .withSettings(ServiceSettings.of(config))
                .withSettings(redis == null ? Map.of() : Map.of("redis-url", redis.url()))
                .withSecret("db-password", env.postgres().appPassword())
                .withSecret("app-secret", appSecret)
                .withSecret("admin-token", adminToken)
                .withLog(runDir.resolve("service.log"))
                .start();
        sampler = TelemetrySampler.of(env.postgres())
                .withPgBouncer(env.pgbouncer())
                .withServiceMetrics(URI.create(service.baseUrl() + "/metrics"))
                .withCsv(runDir.resolve("samples.csv"))
                .start();
        stageSeconds.merge("provisioning", (System.nanoTime() - t) / 1e9, Double::sum);
        if (CRON.equals(config.serviceOptions().get("pattern"))) {
            int jobs = Integer.parseInt(config.serviceOptions().getOrDefault("cron-jobs", "10"));
            cron = Cleanup.register(CronJobs.start(env.postgres(), jobs));
        }
        t = System.nanoTime();
        warmUp();
        stageSeconds.put("warm-up", (System.nanoTime() - t) / 1e9);
    }

    /**
     * Warms the service's JIT with a few hundred requests, so the first level measures the app and
     * not a cold JVM. The instances they started must be gone before the first level's statistics
     * begin: they are reclaimed one idle TTL after the warm-up, and the first settleSeconds of a
     * level are left out of the statistics anyway, so only the part of the TTL (plus the reaper's
     * period) that the settle window does not cover is waited out here.
     */
    private void warmUp() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            // at most 300 requests or 3 seconds, whichever comes first (slow emulated functions take longer)
            long deadline = System.nanoTime() + 3_000_000_000L;
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            List<java.util.concurrent.Future<?>> all = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                all.add(pool.submit(() -> {
                    int i;
                    while ((i = sent.getAndIncrement()) < 300 && System.nanoTime() < deadline) {
                        String shop = Stores.domain(1 + i % 10);
                        String path = i % 3 == 0 ? "/admin/session?shop=" + shop : "/proxy/recommendations?shop=" + shop;
                        client.send(java.net.http.HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                                .timeout(java.time.Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                    }
                    return null;
                }));
            }
            for (var f : all) f.get();
            if (!retiresBetweenLevels) Thread.sleep(warmUpWaitMs(config.idleTtlSeconds(), config.settleSeconds()));
        } catch (Exception e) {
            throw new IllegalStateException("the service did not answer its warm-up requests: " + e.getMessage()
                    + " (see service.log in the run folder)", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** How long to wait after the warm-up: the idle TTL plus the reaper's slack, less what the settle window covers. */
    static long warmUpWaitMs(double idleTtlSeconds, double settleSeconds) {
        return Math.max(500, Math.round((idleTtlSeconds + 0.5 - settleSeconds) * 1000));
    }

    static final String CRON = "cron-beside-pooler";

    private static double totalMemoryGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo")))
                if (line.startsWith("MemTotal:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
        } catch (java.io.IOException | RuntimeException ignored) {
            // not Linux: leave it out
        }
        return 0;
    }


    public String baseUrl() { return service.baseUrl(); }

    /** Stores 1..N seeded in the database; the load maps higher store numbers onto them. */
    public int seededStores() { return seededStores; }

    private int seededStores;

    /**
     * Sets the service's time scale (every emulated duration times k) and its idle TTL
     * (production-equivalent ms), and retires its function instances, so the next level starts
     * from nothing.
     */
    public void setTimeScale(double k, double idleTtlMs) {
        adminPost("/internal/time-scale?k=" + k + "&idle-ttl-ms=" + idleTtlMs, "set the time scale to " + k);
        resetPoolerServers();
    }

    /**
     * Pooled route: PgBouncer keeps idle server connections for server_idle_timeout (600 s), so a
     * level's server-connection peak would be the running maximum of every level before it. RECONNECT
     * closes each server connection once it is released: every level's peak is its own.
     */
    private void resetPoolerServers() {
        var b = env.pgbouncer();
        if (b == null) return;
        try (var console = io.storecap.environment.PgBouncerConsole.connect(b.host(), b.port(), b.adminUser(), b.adminPassword(), 2000)) {
            console.query("RECONNECT " + b.database());
        } catch (java.io.IOException e) {
            log.warn("PgBouncer RECONNECT failed (this level's server peak may include the levels before): {}", e.toString());
        }
    }

    /**
     * Deploys a new version of the app: the service retires every function instance at once, the
     * next requests cold-start new ones, and the old connections follow the zombie hold.
     */
    public void deploy() { adminPost("/internal/deploy", "deploy"); }

    private void adminPost(String pathAndQuery, String what) {
        try {
            var req = java.net.http.HttpRequest.newBuilder(URI.create(service.baseUrl() + pathAndQuery))
                    .header("X-Admin-Token", adminToken).timeout(java.time.Duration.ofSeconds(10))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
            var resp = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200)
                throw new IllegalStateException("the service refused to " + what + ": " + resp.statusCode() + " " + resp.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot " + what + " on the service: " + e.getMessage() + " (see service.log)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted trying to " + what, e);
        }
    }

    /**
     * CPU of the processes behind a level, by name ("service", "pgbouncer" when it runs as a
     * local process): PgBouncer is one thread, so its share of a core is a machine limit of its own.
     */
    public io.storecap.environment.ProcessCpu processCpu() {
        var c = io.storecap.environment.ProcessCpu.create();
        if (!io.storecap.environment.ProcessCpu.available()) return c;
        if (service != null && service.pid() > 0) c.withProcess("service", service.pid());
        ProcessHandle.current().descendants().filter(p -> p.info().command().map(x -> x.endsWith("/pgbouncer")).orElse(false))
                .findFirst().ifPresent(p -> c.withProcess("pgbouncer", p.pid()));
        return c;
    }

    public String appSecret() { return appSecret; }

    public String adminToken() { return adminToken; }

    public TelemetrySampler sampler() { return sampler; }

    public Map<String, String> environment() { return Map.copyOf(environment); }

    public Map<String, Double> stageSeconds() { return stageSeconds; }

    /** The dashboard cache's Redis, for fault injection; null when the cache is off. */
    public LocalRedis redis() {
        if (redis == null) throw new IllegalStateException("this run has no Redis: set the service option dashboard-cache=on");
        return redis;
    }

    /** The database environment, for fault injection (kill the pooler, restart Postgres). */
    public DatabaseEnvironment environmentHandle() { return env; }

    /** Whether the run queues webhooks (processed after the 200 by workers) instead of writing them at once. */
    public boolean queuedWebhooks() { return "queued".equals(config.serviceOptions().get("webhook-mode")); }

    /** Webhook reconciliation, queue drains and delays, against this run's database. */
    public WebhookChecks webhooks() { return new WebhookChecks(env, config); }

    /** What this harness shares with the simulation it runs (its level clock, the early stop). */
    public LoadControl control() { return control; }

    @Override
    public void close() {
        control.close();
        Cleanup.close(cron);
        cron = null;
        Cleanup.close(sampler);
        Cleanup.close(service);
        Cleanup.close(env);
        Cleanup.close(redis);
        redis = null;
        sampler = null;
        service = null;
        env = null;
    }
}
