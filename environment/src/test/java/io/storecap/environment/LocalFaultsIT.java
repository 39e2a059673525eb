package io.storecap.environment;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fault hooks on local processes: the pooler killed and started again, Postgres restarted; both come back where they were. */
public class LocalFaultsIT {

    @Test
    void poolerKilledAndStartedAgainPostgresRestartedWithDataKept() throws Exception {
        EnvironmentSpec spec = EnvironmentSpec.defaults().withProvider(Provider.LOCAL).withMaxConnections(20, 3).withPooler(true).withPoolSize(4);
        long bouncerPid;
        int bouncerPort;
        try (DatabaseEnvironment env = Environments.start(spec)) {
            assertEquals(Provider.LOCAL, env.provider());
            Faults.exercise(env);
            bouncerPort = env.pgbouncer().port();
            LocalPgBouncer b = ((LocalEnvironment) env).localPgBouncer();
            bouncerPid = b.process().pid();
            assertTrue(b.isRunning());
        }
        assertFalse(ProcessHandle.of(bouncerPid).map(ProcessHandle::isAlive).orElse(false), "pgbouncer stopped on close");
        assertThrows(SQLException.class, () -> Faults.connect("jdbc:postgresql://127.0.0.1:" + bouncerPort + "/storecap", "x", "y"),
                "nothing listens on the pooler's port after close");
    }

    /** The same scenario on any provider (the containers test uses it too). */
    public static final class Faults {
        static void exercise(DatabaseEnvironment env) throws Exception {
            PostgresHandle pg = env.postgres();
            String pooledUrl = env.appJdbcUrl(true);
            int pooledPort = env.pgbouncer().port();
            try (Connection c = env.appConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE fault_probe (x int)");
                s.execute("INSERT INTO fault_probe VALUES (42)");
            }

            // the pooler dies: its clients lose their connections and new ones are refused
            Connection pooled = connect(pooledUrl, pg.appUser(), pg.appPassword());
            assertEquals(42, count(pooled));
            env.killPooler();
            assertThrows(SQLException.class, () -> count(pooled), "a pooled connection breaks when the pooler is killed");
            assertThrows(SQLException.class, () -> connect(pooledUrl, pg.appUser(), pg.appPassword()).close(), "no pooler, no connection");
            pooled.close();
            env.startPooler();
            assertEquals(pooledPort, env.pgbouncer().port(), "the pooler comes back on the same port");
            try (Connection again = connect(pooledUrl, pg.appUser(), pg.appPassword())) {
                assertEquals(42, count(again), "the pooled route works again");
            }

            // Postgres restarts: its clients are cut off, the data stays, new connections work
            Connection direct = env.appConnection();
            assertEquals(42, count(direct));
            env.restartPostgres();
            assertThrows(SQLException.class, () -> count(direct), "a fast shutdown disconnects clients");
            direct.close();
            try (Connection after = env.appConnection()) {
                assertEquals(42, count(after), "data kept across the restart, same port");
            }
            assertEquals(42, eventually(() -> {
                try (Connection c = connect(pooledUrl, pg.appUser(), pg.appPassword())) {
                    return count(c);
                }
            }), "the pooler reconnects to the restarted Postgres");
        }

        public static Connection connect(String url, String user, String password) throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            p.setProperty("connectTimeout", "3");
            p.setProperty("socketTimeout", "10");
            return DriverManager.getConnection(url, p);
        }

        static int count(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(x) FROM fault_probe")) {
                rs.next();
                return rs.getInt(1);
            }
        }

        interface SqlCall { int call() throws SQLException; }

        /** Retries for up to 10 s: a pooler may hand out one dead server connection before it notices the restart. */
        static int eventually(SqlCall call) throws Exception {
            long deadline = System.currentTimeMillis() + 10_000;
            while (true) {
                try {
                    return call.call();
                } catch (SQLException e) {
                    if (System.currentTimeMillis() > deadline) throw e;
                    Thread.sleep(200);
                }
            }
        }
    }
}
