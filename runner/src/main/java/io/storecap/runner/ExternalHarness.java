package io.storecap.runner;

import io.storecap.environment.Cleanup;
import io.storecap.environment.DatabaseEnvironment;
import io.storecap.environment.EnvironmentSpec;
import io.storecap.environment.Environments;
import io.storecap.environment.ProcessCpu;
import io.storecap.environment.TelemetrySampler;
import io.storecap.model.RouteMap;
import io.storecap.model.RoutesFile;
import io.storecap.model.RunConfig;
import io.storecap.model.Tier;
import io.storecap.simulations.LoadControl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A knee search's target when it is a deployment someone runs ({@link ExternalTarget}): nothing is
 * started but the telemetry sampler, on read-only connections to the deployment's database (the app
 * role's backends in pg_stat_activity; the pooler's SHOW POOLS where its console answers). The
 * stores are the deployment's own (a file, or the route map's read-only query). There is no time
 * scale (k = 1) and no instance to retire or count: each level follows a cool-down instead, and the
 * run says warm instances are unknown rather than inventing them.
 */
final class ExternalHarness implements SearchTarget {
    private final ExternalTarget target;
    private final LoadControl control = LoadControl.open();
    private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private DatabaseEnvironment env;
    private TelemetrySampler sampler;
    private Path storesFile;
    private int stores;

    private ExternalHarness(ExternalTarget target) { this.target = target; }

    /** The opener of a search against {@code target}. */
    static SearchRun.Opener opener(ExternalTarget target) {
        return (config, profile, search, runDir) -> open(target, config, runDir);
    }

    static ExternalHarness open(ExternalTarget target, RunConfig config, Path runDir) {
        ExternalHarness h = new ExternalHarness(target);
        Cleanup.register(h);
        try {
            h.begin(config, runDir);
            return h;
        } catch (RuntimeException e) {
            Cleanup.close(h);
            throw e;
        }
    }

    private void begin(RunConfig config, Path runDir) {
        long t = System.nanoTime();
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create the run folder " + runDir + ": " + e.getMessage());
        }
        Tier tier = config.tier();
        env = Environments.start(EnvironmentSpec.forTier(tier).withExternal(target.external()));
        environment.putAll(env.describe());
        environment.put("baseUrl", target.baseUrl().getScheme() + "://" + target.baseUrl().getAuthority());
        environment.put("routes", target.routes().getFileName().toString());
        environment.put("runtime", "external: the deployment's own (instances, pools and connection_limit not visible to storecap)");
        environment.put("timeScale", "1 (a deployment runs at production speed: nothing is stretched)");
        environment.put("warmInstances", "unknown (a deployment's function instances are not visible to storecap)");
        environment.put("refusals", "not visible (the app's own errors count in the error rate; connections are Postgres' view)");
        environment.put("maxRps", ExternalTarget.num(target.maxRps()) + " (hard cap: no second carries more requests)");
        environment.put("coolDownSeconds", ExternalTarget.num(target.coolDownSeconds()));
        if (!target.headers().isEmpty())
            environment.put("headers", String.join(", ", target.headers().keySet()) + " (sent with every request; values not recorded)");
        if (env.pgbouncer() == null && target.pooledDb() == null)
            environment.put("poolerTelemetry", "none: no --pooled-db-url; Postgres' view only (pooler clients unknown)");
        environment.put("java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        environment.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        int max = env.postgres().maxConnections(), reserved = env.postgres().reserved();
        if (max != tier.maxConnections() || reserved != tier.reserved())
            notes.add("The database has max_connections " + max + " (" + reserved + " reserved); tier '" + tier.id() + "' says "
                    + tier.maxConnections() + " (" + tier.reserved() + "): the verdict is judged against the tier's figures.");
        notes.add("Run against the deployment at " + environment.get("baseUrl") + " (" + environment.get("target") + "): time scale 1,"
                + " warm instances unknown, webhooks not reconciled (storecap reads only pg_stat_activity there).");
        stageSeconds.put("provisioning", (System.nanoTime() - t) / 1e9);

        t = System.nanoTime();
        storesFile = runDir.resolve("stores.txt");
        List<String> shops = target.storesFile() != null ? fromFile(target.storesFile()) : fromDatabase();
        stores = shops.size();
        try {
            Files.write(storesFile, shops);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + storesFile + ": " + e.getMessage(), e);
        }
        stageSeconds.put("stores", (System.nanoTime() - t) / 1e9);
        sampler = TelemetrySampler.of(env.postgres()).withPgBouncer(env.pgbouncer()).withCsv(runDir.resolve("samples.csv")).start();
    }

    private List<String> fromFile(Path file) {
        List<String> shops;
        try {
            shops = Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("--stores " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        environment.put("stores", shops.size() + " from " + file.getFileName());
        return check(shops, "--stores " + file);
    }

    /** The route map's stores query, on the read-only telemetry connection. */
    private List<String> fromDatabase() {
        RouteMap routes = RoutesFile.load(target.routes());
        String query = routes.storesQuery();
        if (query == null || query.isBlank())
            throw new IllegalArgumentException(target.routes().getFileName() + " has no storesQuery: add one, or list the stores with --stores FILE");
        List<String> shops = new ArrayList<>();
        try (Connection c = env.adminConnection(); Statement s = c.createStatement()) {
            s.setMaxRows(1_000_000);
            try (ResultSet rs = s.executeQuery(query)) {
                while (rs.next()) if (rs.getString(1) != null) shops.add(rs.getString(1).trim());
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("the stores query of " + target.routes().getFileName() + " failed on " + environment.get("target")
                    + ": " + e.getMessage() + " (fix storesQuery, or list the stores with --stores FILE)", e);
        }
        environment.put("stores", shops.size() + " listed from the database (" + query + ")");
        return check(shops, "the stores query of " + target.routes().getFileName());
    }

    /** The deployment's stores, never invented ones: none is an error, and each must be a shop domain. */
    private static List<String> check(List<String> shops, String source) {
        if (shops.isEmpty())
            throw new IllegalArgumentException(source + " lists no store: a study against a deployment uses the stores it has and invents none");
        for (String s : shops)
            if (!io.storecap.service.Webhooks.validShop(s))
                throw new IllegalArgumentException(source + ": '" + s + "' is not a shop domain (name.myshopify.com)");
        return List.copyOf(new java.util.LinkedHashSet<>(shops));
    }

    @Override public Map<String, Double> stageSeconds() { return stageSeconds; }

    @Override public int stores() { return stores; }

    /**
     * No time scale to set (k must be 1) and no instance to retire: the cool-down before every level,
     * the first too (a claim's search may follow another's, or the deployment's own traffic).
     */
    @Override
    public void beforeLevel(double k, double idleTtlMs) {
        if (k != 1) throw new IllegalStateException("a deployment runs at time scale 1, the search asked for " + k);
        if (target.coolDownSeconds() <= 0) return;
        try {
            Thread.sleep(Math.round(target.coolDownSeconds() * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in the cool-down before a level", e);
        }
    }

    /** No instance is visible, and no pooler client without the pooler's console: unknown, not zero. */
    @Override
    public io.storecap.model.LevelResult seen(io.storecap.model.LevelResult level) {
        return level.unseen(true, env == null || env.pgbouncer() == null);
    }

    @Override public boolean queuedWebhooks() { return false; }

    @Override public WebhookChecks webhooks() { return null; }

    @Override public LoadControl control() { return control; }

    @Override
    public Map<String, String> simulationProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("storecap.baseUrl", target.baseUrl().toString().replaceAll("/+$", ""));
        p.put("storecap.allowRemote", String.valueOf(target.allowRemote()));
        if (target.appSecret() != null) p.put("storecap.appSecret", target.appSecret());
        if (target.adminToken() != null) p.put("storecap.adminToken", target.adminToken());
        p.put("storecap.routes", target.routes().toAbsolutePath().toString());
        p.put("storecap.storesFile", storesFile.toAbsolutePath().toString());
        p.put("storecap.maxRps", String.format(Locale.ROOT, "%s", target.maxRps()));
        if (!target.headers().isEmpty()) p.put(io.storecap.simulations.ExtraHeaders.PROPERTY, io.storecap.simulations.ExtraHeaders.encode(target.headers()));
        return p;
    }

    @Override public ProcessCpu processCpu() { return ProcessCpu.create(); }

    @Override public TelemetrySampler sampler() { return sampler; }

    @Override public Map<String, String> environment() { return Map.copyOf(environment); }

    @Override public List<String> notes() { return List.copyOf(notes); }

    @Override
    public void close() {
        control.close();
        Cleanup.close(sampler);
        Cleanup.close(env);
        sampler = null;
        env = null;
    }

    @Override
    public String toString() { return "deployment " + target.baseUrl(); }
}
