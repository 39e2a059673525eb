package io.storecap.runner;

import io.storecap.environment.DatabaseUrl;
import io.storecap.environment.EnvironmentSpec;
import io.storecap.model.TrafficProfile;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A deployment someone runs, as {@code ./storecap study --target URL} loads it: where its app and its
 * database are, how to reach each kind of request (the route map), its stores, its secrets, and the
 * safety limits. Built before anything is contacted, and refused then when it points at another
 * machine without {@code --allow-remote}: the check reads the URLs only (no name is looked up, no
 * socket opened).
 *
 * @param baseUrl         the app's URL (http or https)
 * @param allowRemote     whether a target that is not this machine may be loaded
 * @param db              the database, for read-only telemetry (its role must read pg_stat_activity)
 * @param pooledDb        the pooler in front of it, or null; its console is read where it answers
 * @param appRole         the role whose backends are the app's (default: the role of {@code db})
 * @param dbPassword      the password of {@code db}'s role when its URL has none (PGPASSWORD); may be empty
 * @param routes          the route map file
 * @param storesFile      the deployment's shop domains, one a line; null = listed from the database
 * @param maxRps          the hard cap on requests a second
 * @param coolDownSeconds no load before each level, so the connections of the level before can close
 * @param maxLevelSeconds the longest measured part of a level; null = the study's, at least
 *                        {@value #DEFAULT_MAX_LEVEL_SECONDS} s: at production rates (time scale 1) a
 *                        level needs 1.25 x 299 requests / its rate to count
 * @param appSecret       the app secret (HMAC of webhooks, session tokens); null when no route needs it
 * @param adminToken      the admin token; null when no route needs it
 * @param headers         headers sent with every request (e.g. Vercel's x-vercel-protection-bypass for a
 *                        protected preview); their values are never written to a run file
 */
public record ExternalTarget(URI baseUrl, boolean allowRemote, DatabaseUrl db, DatabaseUrl pooledDb, String appRole,
                             String dbPassword, Path routes, Path storesFile, double maxRps, double coolDownSeconds,
                             Double maxLevelSeconds, String appSecret, String adminToken, java.util.Map<String, String> headers) {
    /** The cap when none is given: gentle for a staging deployment. */
    public static final double DEFAULT_MAX_RPS = 20;
    /** The highest cap storecap accepts. */
    public static final double MAX_MAX_RPS = 2000;
    /** The cool-down when none is given. */
    public static final double DEFAULT_COOL_DOWN_SECONDS = 30;
    /** The floor of the longest level when none is given. */
    public static final double DEFAULT_MAX_LEVEL_SECONDS = 120;

    public ExternalTarget {
        if (baseUrl == null) throw new IllegalArgumentException("--target is required: the URL of your deployment, e.g. https://staging.example.com");
        if (!("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme())) || baseUrl.getHost() == null)
            throw new IllegalArgumentException("--target must be an http(s) URL with a host, e.g. https://staging.example.com; was '" + baseUrl + "'");
        if (db == null) throw new IllegalArgumentException("--db-url is required with --target: the database the deployment uses"
                + " (a role that can read pg_stat_activity; storecap only reads)");
        if (appRole == null || appRole.isBlank()) appRole = db.user();
        if (appRole == null || appRole.isBlank())
            throw new IllegalArgumentException("--db-url names no role: write postgresql://ROLE@host/db, or give --app-role ROLE");
        if (db.user() == null) throw new IllegalArgumentException("--db-url names no role to log in as: write postgresql://ROLE@host/db");
        if (!(maxRps >= 1 && maxRps <= MAX_MAX_RPS))
            throw new IllegalArgumentException("--max-rps must be between 1 and " + (int) MAX_MAX_RPS + " requests a second, was " + maxRps);
        if (!(coolDownSeconds >= 0)) throw new IllegalArgumentException("--cool-down must be >= 0 seconds, was " + coolDownSeconds);
        if (maxLevelSeconds != null && !(maxLevelSeconds >= 5 && maxLevelSeconds <= 3600))
            throw new IllegalArgumentException("--max-level-seconds must be between 5 and 3600, was " + maxLevelSeconds);
        if (dbPassword == null) dbPassword = "";
        headers = checkHeaders(headers);
        checkBeforeContact(baseUrl, allowRemote, db, pooledDb);
    }

    /** A deployment without extra headers. */
    public ExternalTarget(URI baseUrl, boolean allowRemote, DatabaseUrl db, DatabaseUrl pooledDb, String appRole, String dbPassword, Path routes,
                          Path storesFile, double maxRps, double coolDownSeconds, Double maxLevelSeconds, String appSecret, String adminToken) {
        this(baseUrl, allowRemote, db, pooledDb, appRole, dbPassword, routes, storesFile, maxRps, coolDownSeconds, maxLevelSeconds, appSecret,
                adminToken, java.util.Map.of());
    }

    /** Header names storecap sets itself: a --header may not replace them. */
    static final java.util.Set<String> OWN_HEADERS = java.util.Set.of("host", "content-length", "content-type", "transfer-encoding",
            "connection", "authorization", "user-agent", "accept");
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** --header names are RFC 9110 tokens, values one line, none of storecap's own; the map keeps the order given. */
    static java.util.Map<String, String> checkHeaders(java.util.Map<String, String> headers) {
        if (headers == null) return java.util.Map.of();
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (var e : headers.entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey().strip(), value = e.getValue() == null ? "" : e.getValue().strip();
            if (!TOKEN.matcher(name).matches())
                throw new IllegalArgumentException("--header '" + name + "': not a header name (letters, digits and -!#$%&'*+.^_`|~ only);"
                        + " write --header 'Name: value'");
            String lower = name.toLowerCase(Locale.ROOT);
            if (OWN_HEADERS.contains(lower) || lower.startsWith("x-shopify-"))
                throw new IllegalArgumentException("--header " + name + ": storecap sets " + name + " itself (the route map's auth, the"
                        + " webhook's Shopify headers, the body); drop it");
            if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0))
                throw new IllegalArgumentException("--header " + name + ": its value holds a line break; a header value is one line");
            if (out.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name)))
                throw new IllegalArgumentException("--header " + name + " is given twice; give each header once");
            out.put(name, value);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * Refuses a target on another machine unless allowed, naming it; reads the URLs only. Load goes to
     * this machine unless the user says otherwise, so a typo cannot load someone else's server.
     */
    static void checkBeforeContact(URI baseUrl, boolean allowRemote, DatabaseUrl db, DatabaseUrl pooledDb) {
        if (allowRemote) return;
        List<String[]> hosts = new java.util.ArrayList<>();
        hosts.add(new String[]{"--target", baseUrl.getHost()});
        hosts.add(new String[]{"--db-url", db.host()});
        if (pooledDb != null) hosts.add(new String[]{"--pooled-db-url", pooledDb.host()});
        for (String[] h : hosts)
            if (!loopback(h[1]))
                throw new IllegalArgumentException("refusing " + h[0] + ": " + h[1] + " is not this machine, and a study sends real load"
                        + " (and reads its database). If it is your own staging deployment, add --allow-remote."
                        + " Nothing was sent and no name was looked up.");
    }

    /** Whether a host is this machine, decided from its text alone (no DNS). */
    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.matches("127(\\.\\d{1,3}){3}");
    }

    /** The database as the environment module reaches an external target: read-only, the app role counted. */
    EnvironmentSpec.External external() {
        String password = db.password() != null ? db.password() : dbPassword;
        EnvironmentSpec.External x = EnvironmentSpec.External.of(db.jdbc(), appRole, "").withAdmin(db.user(), password)
                .withAllowRemote(allowRemote);
        if (pooledDb == null) return x;
        x = x.withPooledUrl(pooledDb.jdbc());
        return pooledDb.user() == null ? x : x.withPoolerConsole(pooledDb.user(), pooledDb.password() != null ? pooledDb.password() : password);
    }

    /**
     * The highest store count whose mean rate at time scale 1, with three standard deviations of
     * Poisson noise on top, stays within the cap: the search's ceiling against this target.
     */
    public int capStores(TrafficProfile profile) {
        if (!fits(profile, 1))
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--max-rps %s is below what one store sends with its peaks"
                    + " (%.2f requests a second on average): raise --max-rps", num(maxRps), profile.totalRps(1)));
        int lo = 1, hi = 2;
        while (fits(profile, hi) && hi < 100_000_000) { lo = hi; hi *= 2; }
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (fits(profile, mid)) lo = mid; else hi = mid;
        }
        return lo;
    }

    private boolean fits(TrafficProfile p, int stores) {
        double rps = p.totalRps(stores);
        return rps + 3 * Math.sqrt(rps) <= Math.floor(maxRps);
    }

    /**
     * The search's settings against this target: time scale 1 (a deployment runs at production
     * speed), the cap's ceiling, and levels long enough to count at production rates.
     */
    SearchSettings searchSettings(SearchSettings s, TrafficProfile profile) {
        int ceiling = Math.min(s.maxStores(), capStores(profile));
        List<Integer> targets = s.targetStores().stream().filter(t -> t <= ceiling).toList();
        double longest = maxLevelSeconds != null ? maxLevelSeconds : Math.max(s.maxLevelSeconds(), DEFAULT_MAX_LEVEL_SECONDS);
        return new SearchSettings(s.replicates(), s.bracketRatio(), s.rampMin(), s.rampMax(), s.targetRps(), 1, 1, s.idleTtlSeconds(),
                Math.min(s.minLevelSeconds(), longest), longest, s.maxLevels(), ceiling, s.seedStores(), targets);
    }

    static String num(double x) { return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x); }

    @Override
    public String toString() { // no secrets
        return "ExternalTarget[" + baseUrl + ", db " + db + (pooledDb == null ? "" : ", pooled " + pooledDb) + ", role " + appRole
                + ", max " + num(maxRps) + " rps" + (allowRemote ? ", remote allowed" : "") + "]";
    }
}
