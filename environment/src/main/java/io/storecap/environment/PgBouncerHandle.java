package io.storecap.environment;

/**
 * A running PgBouncer in transaction mode.
 *
 * @param host                  host
 * @param port                  port the app connects to instead of Postgres
 * @param database              the pooled database name (same as Postgres')
 * @param adminUser             user allowed on the admin console (SHOW POOLS)
 * @param adminPassword         its password
 * @param poolSize              default_pool_size: server connections per (database, user)
 * @param maxClientConn         max_client_conn
 * @param version               e.g. "1.24.1"
 * @param keepsPreparedStatements true when {@link PgBouncerVersion#tracksPreparedStatements()} and
 *                              max_prepared_statements is set, so the app may keep server-side
 *                              prepared statements
 */
public record PgBouncerHandle(String host, int port, String database, String adminUser, String adminPassword,
                              int poolSize, int maxClientConn, String version, boolean keepsPreparedStatements) {

    /** The app's JDBC URL: without server-side prepared statements when PgBouncer cannot keep them. */
    public String appJdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database
                + (keepsPreparedStatements ? "" : "?prepareThreshold=0");
    }

    /** The report's words for how prepared statements go through this pooler. */
    public String preparedStatementsText() { return PgBouncerVersion.preparedStatementsText(keepsPreparedStatements); }

    /** The admin console: simple query protocol only, and no SET after connecting (it refuses SET). */
    public String adminJdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/pgbouncer?preferQueryMode=simple&assumeMinServerVersion=10";
    }

    @Override
    public String toString() {
        return "PgBouncer " + version + " at " + host + ":" + port + " (transaction mode, pool " + poolSize
                + ", max_client_conn " + maxClientConn + ")";
    }
}
