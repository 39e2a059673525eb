package io.storecap.simulations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a Gatling run of the stair needs, from system properties ({@code -Dstorecap.x=...} on the
 * mvn command line reaches the simulation JVM). Without {@code storecap.baseUrl} the simulation
 * is refused; the runner module's LocalStairSimulation starts its own environment and service.
 *
 * @param baseUrl      the service to load; null = start a local one
 * @param levels       the stair of store counts
 * @param levelSeconds how long each level lasts
 * @param profile      the traffic profile file
 * @param runDir       where levels.json, webhooks.json (and in managed mode everything) go
 * @param appSecret    the webhook signing secret the service expects
 * @param adminToken   the super-admin token
 * @param p95Ms        Gatling assertion: global p95 below this
 * @param maxErrorPct  Gatling assertion: failed requests below this percentage
 * @param route        managed mode: direct or pooled
 * @param maxConnections managed mode: Postgres max_connections
 */
public record SimulationSettings(String baseUrl, List<Integer> levels, double levelSeconds, Path profile, Path runDir,
                                 String appSecret, String adminToken, double p95Ms, double maxErrorPct,
                                 String route, int maxConnections) {

    public static SimulationSettings fromSystemProperties() { return from(System.getProperties()); }

    public static SimulationSettings from(Properties p) {
        String levelsText = p.getProperty("storecap.levels", "10,25,50,100");
        List<Integer> levels = new ArrayList<>();
        for (String s : levelsText.split(",")) {
            try {
                levels.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("storecap.levels must be store counts separated by commas, e.g. 10,25,50; was '" + levelsText + "'");
            }
        }
        double levelSeconds = dbl(p, "storecap.levelSeconds", 20);
        if (levelSeconds < 1) throw new IllegalArgumentException("storecap.levelSeconds must be >= 1, was " + levelSeconds);
        String runDir = p.getProperty("storecap.runDir");
        String baseUrl = p.getProperty("storecap.baseUrl");
        if (baseUrl != null) checkTarget(baseUrl, Boolean.parseBoolean(p.getProperty("storecap.allowRemote", "false")));
        return new SimulationSettings(baseUrl, List.copyOf(levels), levelSeconds,
                configFile(p.getProperty("storecap.profile"), "profile.yaml"),
                runDir == null ? Path.of("target", "storecap", "gatling-run-" + System.currentTimeMillis()) : Path.of(runDir),
                p.getProperty("storecap.appSecret"), p.getProperty("storecap.adminToken"),
                dbl(p, "storecap.p95Ms", 500), dbl(p, "storecap.maxErrorPct", 1.0),
                p.getProperty("storecap.route", "pooled"), (int) dbl(p, "storecap.maxConnections", 100));
    }

    /**
     * Load goes to this machine unless the user says otherwise: a non-loopback target (your staging
     * deployment) needs {@code -Dstorecap.allowRemote=true}, so a typo cannot load someone else's server.
     */
    public static void checkTarget(String baseUrl, boolean allowRemote) {
        java.net.URI uri;
        try {
            uri = java.net.URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("storecap.baseUrl '" + baseUrl + "' is not a URL: " + e.getMessage());
        }
        if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")))
            throw new IllegalArgumentException("storecap.baseUrl must be an http(s) URL with a host, was '" + baseUrl + "'");
        String host = uri.getHost();
        boolean loopback = host.equals("localhost") || host.matches("127(\\.\\d{1,3}){3}") || host.equals("[::1]") || host.equals("::1");
        if (!loopback && !allowRemote)
            throw new IllegalArgumentException("storecap.baseUrl points at " + host + ", which is not this machine. Load tests"
                    + " send real traffic: if " + host + " is your own staging deployment, add -Dstorecap.allowRemote=true");
    }

    /** A config file: as given, else config/NAME found from the working directory upwards. */
    public static Path configFile(String given, String name) {
        if (given != null && !given.isBlank()) return Path.of(given);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("config").resolve(name);
            if (Files.exists(f)) return f;
        }
        throw new IllegalArgumentException("no config/" + name + " found from " + Path.of("").toAbsolutePath()
                + ": run from the project, or pass its path with -Dstorecap." + name.replace(".yaml", "") + "=FILE");
    }

    private static double dbl(Properties p, String key, double dflt) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) return dflt;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
        }
    }
}
