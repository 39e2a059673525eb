package io.storecap.environment;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * A running Postgres (and PgBouncer, when asked) from any provider, as a run uses it. Start one
 * with {@link Environments#start(EnvironmentSpec)}; closing it stops everything it started (it is
 * also registered with {@link Cleanup}, so SIGINT/SIGTERM stop it too).
 */
public interface DatabaseEnvironment extends AutoCloseable {

    Provider provider();

    EnvironmentSpec spec();

    /** Where the app and telemetry connect to Postgres. */
    PostgresHandle postgres();

    /** The pooler, or null when the spec has none. */
    PgBouncerHandle pgbouncer();

    /**
     * Facts for the run report: provider, versions, image names and ids, CPU and memory limits,
     * max_connections. Never passwords.
     */
    Map<String, String> describe();

    /** Whether the harness may create the schema and seed stores (always, except external targets not allowing it). */
    default boolean schemaChangesAllowed() { return true; }

    /** The app's JDBC URL on the given route: the pooler's when pooled, else Postgres'. */
    default String appJdbcUrl(boolean pooled) {
        if (!pooled) return postgres().appJdbcUrl();
        if (pgbouncer() == null) throw new IllegalStateException("the pooled route needs a pooler: start the environment withPooler(true)");
        return pgbouncer().appJdbcUrl();
    }

    /** A superuser connection to the app database, for telemetry-like reads and test setup. */
    default Connection adminConnection() throws SQLException {
        return postgres().adminConnection("storecap-admin", 5, 0);
    }

    /** A direct connection as the app role. */
    default Connection appConnection() throws SQLException {
        return postgres().appConnection("storecap-harness", 5, 0);
    }

    /** Fault: kills the pooler with SIGKILL. Clients see their connections drop; new ones are refused until {@link #startPooler()}. */
    void killPooler();

    /** Starts the pooler again on the same port, with the same configuration; returns when it accepts logins. */
    void startPooler();

    /** Fault: restarts Postgres (fast shutdown, start on the same port, data kept); returns when it accepts connections. */
    void restartPostgres();

    /** Stops everything this environment started. Idempotent. */
    @Override
    void close();
}
