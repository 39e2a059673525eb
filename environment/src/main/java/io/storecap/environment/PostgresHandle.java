package io.storecap.environment;

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
 */
public record PostgresHandle(String host, int port, String database, String appUser, String appPassword,
                             String adminUser, String adminPassword, int maxConnections, int reserved,
                             String version) {
    public String appJdbcUrl() { return "jdbc:postgresql://" + host + ":" + port + "/" + database; }

    public String adminJdbcUrl() { return "jdbc:postgresql://" + host + ":" + port + "/" + database; }

    @Override
    public String toString() {
        return "Postgres " + version + " at " + host + ":" + port + "/" + database
                + " (max_connections " + maxConnections + ", reserved " + reserved + ")";
    }
}
