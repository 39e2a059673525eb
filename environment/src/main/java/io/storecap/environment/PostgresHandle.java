package io.storecap.environment;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A running Postgres as the harness sees it: where the app connects (an ordinary role that owns
 * the app database, as on Neon) and where telemetry connects (a superuser, inside the reserved
 * slots).
 *
 * @param host           host, 127.0.0.1 for local processes
 * @param port           port
 * @param database       the app's database
 * @param appUser        the app's ordinary role
 * @param appPassword    its password
 * @param adminUser      a superuser for telemetry and setup
 * @param adminPassword  its password (empty for trust)
 * @param maxConnections max_connections the app experiences (the tier's figure)
 * @param reserved       superuser_reserved_connections
 * @param version        server version string
 * @param urlParameters  JDBC URL parameters every connection carries ("" for none): an external
 *                       target's own (sslmode, ...) and storecap's read-only settings
 */
public record PostgresHandle(String host, int port, String database, String appUser, String appPassword,
                             String adminUser, String adminPassword, int maxConnections, int reserved,
                             String version, String urlParameters) {
    public PostgresHandle {
        urlParameters = urlParameters == null ? "" : urlParameters;
    }

    /** A Postgres storecap runs itself: no URL parameters. */
    public PostgresHandle(String host, int port, String database, String appUser, String appPassword,
                          String adminUser, String adminPassword, int maxConnections, int reserved, String version) {
        this(host, port, database, appUser, appPassword, adminUser, adminPassword, maxConnections, reserved, version, "");
    }

    /**
     * The connections the app's role may open: max_connections - reserved. The server runs with
     * one slot more, for the telemetry sampler's superuser connection, so this holds while that
     * connection is open (a run's sampler, or env up's stand-in for it).
     */
    public int appConnections() { return maxConnections - reserved; }

    public String appJdbcUrl() { return "jdbc:postgresql://" + host + ":" + port + "/" + database + (urlParameters.isEmpty() ? "" : "?" + urlParameters); }

    public String adminJdbcUrl() { return appJdbcUrl(); }

    /** A superuser connection (telemetry, setup), named {@code applicationName} in pg_stat_activity. */
    public Connection adminConnection(String applicationName, int connectTimeoutSeconds, int socketTimeoutSeconds) throws SQLException {
        return connect(adminJdbcUrl(), adminUser, adminPassword, applicationName, connectTimeoutSeconds, socketTimeoutSeconds);
    }

    /** A direct connection as the app's role. */
    public Connection appConnection(String applicationName, int connectTimeoutSeconds, int socketTimeoutSeconds) throws SQLException {
        return connect(appJdbcUrl(), appUser, appPassword, applicationName, connectTimeoutSeconds, socketTimeoutSeconds);
    }

    /** Timeouts in seconds; a socket timeout of 0 waits as long as a query runs. */
    private static Connection connect(String url, String user, String password, String applicationName,
                                      int connectTimeoutSeconds, int socketTimeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", String.valueOf(connectTimeoutSeconds));
        p.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
        return DriverManager.getConnection(url, p);
    }

    @Override
    public String toString() {
        return "Postgres " + version + " at " + host + ":" + port + "/" + database
                + " (max_connections " + maxConnections + ", reserved " + reserved + ")";
    }
}
