package io.storecap.environment;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user's own deployment, by JDBC URL. storecap reads from it (server settings, and
 * pg_stat_activity through the telemetry sampler, its pooler's SHOW POOLS where the console answers)
 * and changes nothing unless the spec allows schema changes: its connections there are read-only
 * sessions the server enforces. It never kills or restarts it. A target that is not on this machine
 * is refused unless allowRemote is set, and that check runs before anything is contacted.
 */
final class ExternalEnvironment implements DatabaseEnvironment {
    private final EnvironmentSpec spec;
    private final PostgresHandle postgres;
    private final PgBouncerHandle pgbouncer;
    private final Map<String, String> facts = new LinkedHashMap<>();

    private ExternalEnvironment(EnvironmentSpec spec, PostgresHandle postgres, PgBouncerHandle pgbouncer) {
        this.spec = spec;
        this.postgres = postgres;
        this.pgbouncer = pgbouncer;
    }

    static ExternalEnvironment start(EnvironmentSpec spec) {
        EnvironmentSpec.External x = spec.external();
        List<Target> targets = allowedTargets(x); // before anything is contacted
        Target direct = targets.get(0);
        Target pooled = targets.size() > 1 ? targets.get(1) : null;
        String params = parameters(x.directUrl(), !x.allowSchemaChanges());
        PostgresHandle probe = new PostgresHandle(direct.host(), direct.port(), direct.database(), x.user(), x.password(),
                x.adminUser(), x.adminPassword(), 0, 0, "", params);
        int maxConnections;
        int reserved;
        String version;
        try (Connection c = probe.adminConnection("storecap-probe", 5, 10); Statement s = c.createStatement()) {
            version = show(s, "server_version");
            maxConnections = Integer.parseInt(show(s, "max_connections"));
            reserved = Integer.parseInt(show(s, "superuser_reserved_connections"));
        } catch (SQLException e) {
            throw new EnvironmentException("cannot reach the external target " + direct.host() + ":" + direct.port() + "/" + direct.database()
                    + " as " + x.adminUser() + ": " + e.getMessage() + " (is it running, and are the URL, role and password right?)", e);
        }
        PostgresHandle pg = new PostgresHandle(direct.host(), direct.port(), direct.database(), x.user(), x.password(),
                x.adminUser(), x.adminPassword(), maxConnections, reserved, version, params);
        Map<String, String> facts = new LinkedHashMap<>();
        PgBouncerHandle b = pooled == null ? null : poolerConsole(pooled, x, spec.preparedStatements(), facts);
        ExternalEnvironment env = new ExternalEnvironment(spec, pg, b);
        env.facts.put("provider", Provider.EXTERNAL.id());
        env.facts.put("postgres", version);
        env.facts.put("target", direct.host() + ":" + direct.port() + "/" + direct.database());
        if (pooled != null) env.facts.put("pooledTarget", pooled.host() + ":" + pooled.port() + "/" + pooled.database());
        env.facts.put("maxConnections", String.valueOf(maxConnections));
        env.facts.put("reserved", String.valueOf(reserved));
        env.facts.put("schemaChanges", x.allowSchemaChanges() ? "allowed" : "none (read-only telemetry)");
        env.facts.put("telemetry", "pg_stat_activity of role " + x.user() + " at " + direct.host() + ":" + direct.port() + "/"
                + direct.database() + ", read as " + x.adminUser() + (x.allowSchemaChanges() ? "" : " on read-only connections"));
        env.facts.putAll(facts);
        env.facts.put("cpuLimit", "unknown (the target's own)");
        return env;
    }

    /**
     * The pooler's admin console when it answers SHOW POOLS (PgBouncer's own), with the fact saying
     * so; null when it does not (a managed pooler such as Neon's has none), with the fact saying that
     * only Postgres' view is sampled.
     */
    private static PgBouncerHandle poolerConsole(Target pooled, EnvironmentSpec.External x, boolean prepared, Map<String, String> facts) {
        String at = pooled.host() + ":" + pooled.port();
        try (PgBouncerConsole c = PgBouncerConsole.connect(pooled.host(), pooled.port(), x.poolerUser(), x.poolerPassword(), 3000)) {
            c.query("SHOW POOLS");
            facts.put("poolerTelemetry", "PgBouncer's console at " + at + " (SHOW POOLS as " + x.poolerUser() + ")");
            return new PgBouncerHandle(pooled.host(), pooled.port(), pooled.database(), x.poolerUser(), x.poolerPassword(), 0, 0,
                    "external", prepared);
        } catch (IOException | RuntimeException e) {
            facts.put("poolerTelemetry", "none: the pooler's console at " + at + " did not answer SHOW POOLS as " + x.poolerUser()
                    + " (" + e.getMessage() + "); Postgres' view only (pooler clients unknown)");
            return null;
        }
    }

    /**
     * The URL's own parameters (sslmode and the like), and, unless schema changes are allowed,
     * pgjdbc's read-only session: every statement storecap sends there runs in a read-only
     * transaction the server enforces (readOnlyMode=always also covers autocommit).
     */
    static String parameters(String jdbcUrl, boolean readOnly) {
        int q = jdbcUrl.indexOf('?');
        String own = q < 0 ? "" : jdbcUrl.substring(q + 1);
        if (!readOnly) return own;
        return (own.isEmpty() ? "" : own + "&") + "readOnly=true&readOnlyMode=always";
    }

    /**
     * The direct target and, when given, the pooled one, parsed from their URLs; refused when one
     * is not on this machine and allowRemote is off. Opens no socket and looks up no name.
     */
    static List<Target> allowedTargets(EnvironmentSpec.External x) {
        Target direct = Target.parse("directUrl", x.directUrl());
        List<Target> targets = x.pooledUrl() == null ? List.of(direct) : List.of(direct, Target.parse("pooledUrl", x.pooledUrl()));
        for (Target t : targets) {
            if (!t.loopback() && !x.allowRemote())
                throw new EnvironmentException("refusing the external target " + t.host() + ":" + t.port() + " (" + t.field()
                        + "): it is not on this machine, and storecap loads only loopback targets unless told otherwise."
                        + " If this really is your staging deployment, set allowRemote (--allow-remote / -Dstorecap.allowRemote=true)");
        }
        return targets;
    }

    private static String show(Statement s, String setting) throws SQLException {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** host, port and database of a JDBC URL, and whether it is this machine (decided without a DNS lookup). */
    record Target(String field, String host, int port, String database) {
        static Target parse(String field, String jdbcUrl) {
            URI u;
            try {
                u = URI.create(jdbcUrl.substring("jdbc:".length()));
            } catch (IllegalArgumentException e) {
                throw new EnvironmentException("external target: " + field + " is not a valid URL: " + jdbcUrl);
            }
            String host = u.getHost();
            if (host == null || host.isBlank())
                throw new EnvironmentException("external target: " + field + " has no host (and a list of hosts is not supported): " + jdbcUrl);
            String db = u.getPath() == null || u.getPath().length() <= 1 ? "postgres" : u.getPath().substring(1);
            return new Target(field, host, u.getPort() < 0 ? 5432 : u.getPort(), db);
        }

        boolean loopback() {
            String h = host.toLowerCase(java.util.Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
            return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.matches("127(\\.\\d{1,3}){3}");
        }
    }

    @Override public Provider provider() { return Provider.EXTERNAL; }

    @Override public EnvironmentSpec spec() { return spec; }

    @Override public PostgresHandle postgres() { return postgres; }

    @Override public PgBouncerHandle pgbouncer() { return pgbouncer; }

    @Override public Map<String, String> describe() { return Collections.unmodifiableMap(new LinkedHashMap<>(facts)); }

    @Override public boolean schemaChangesAllowed() { return spec.external().allowSchemaChanges(); }

    @Override public String appJdbcUrl(boolean pooled) {
        // the user's URLs as given, with their parameters (sslmode and the like)
        if (!pooled) return spec.external().directUrl();
        if (spec.external().pooledUrl() == null) throw new IllegalStateException("the pooled route needs the target's pooledUrl");
        return spec.external().pooledUrl();
    }

    @Override
    public void killPooler() { throw refuseFault("kill its pooler"); }

    @Override
    public void startPooler() { throw refuseFault("start its pooler"); }

    @Override
    public void restartPostgres() { throw refuseFault("restart its Postgres"); }

    private static UnsupportedOperationException refuseFault(String what) {
        return new UnsupportedOperationException("storecap does not " + what + " on an external target: it faults only what it started"
                + " (use the local or containers provider for the fault suite)");
    }

    @Override
    public void close() {
        // nothing was started
    }

    @Override
    public String toString() { return "external environment (" + facts.get("target") + ")"; }
}
