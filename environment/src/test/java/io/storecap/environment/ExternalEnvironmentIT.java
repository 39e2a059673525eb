package io.storecap.environment;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment storecap did not start, by URL (here a Postgres and PgBouncer on this machine
 * standing in for it): telemetry reads it on read-only sessions the server enforces, counts the
 * app role's backends, reads the pooler's console where it answers and says so where it does not.
 */
class ExternalEnvironmentIT {

    @Test
    void readsWithoutWritingCountsTheAppRoleAndSaysWhatThePoolerShows() throws Exception {
        try (LocalPostgres pg = LocalPostgres.create().withMaxConnections(20).withReserved(3).start();
             LocalPgBouncer bouncer = LocalPgBouncer.in(pg.handle()).withPoolSize(4).start()) {
            PostgresHandle local = pg.handle();
            DatabaseUrl db = DatabaseUrl.parse("--db-url", "postgresql://" + local.adminUser() + "@127.0.0.1:" + local.port() + "/"
                    + local.database() + "?ApplicationName=mine");
            EnvironmentSpec.External x = EnvironmentSpec.External.of(db.jdbc(), local.appUser(), "")
                    .withAdmin(db.user(), "")
                    .withPooledUrl("jdbc:postgresql://127.0.0.1:" + bouncer.handle().port() + "/" + local.database())
                    .withPoolerConsole(bouncer.handle().adminUser(), bouncer.handle().adminPassword());
            List<Connection> app = new ArrayList<>();
            try (DatabaseEnvironment env = Environments.start(EnvironmentSpec.defaults().withExternal(x));
                 TelemetrySampler sampler = TelemetrySampler.of(env.postgres()).withPgBouncer(env.pgbouncer()).start()) {
                assertEquals(Provider.EXTERNAL, env.provider());
                assertEquals(String.valueOf(21), env.describe().get("maxConnections"), "the server's own max_connections (20 and the sampler's slot)");
                assertTrue(env.describe().get("poolerTelemetry").startsWith("PgBouncer's console at 127.0.0.1:"), env.describe().toString());
                assertTrue(env.describe().get("telemetry").contains("role " + local.appUser()) && env.describe().get("telemetry").contains("read-only"),
                        env.describe().toString());
                assertTrue(env.postgres().adminJdbcUrl().contains("ApplicationName=mine&readOnly=true&readOnlyMode=always"),
                        "the URL's own parameters kept: " + env.postgres().adminJdbcUrl());
                try (Connection c = env.adminConnection(); Statement s = c.createStatement()) {
                    SQLException refused = assertThrows(SQLException.class, () -> s.execute("CREATE TABLE written_by_storecap (x int)"));
                    assertEquals("25006", refused.getSQLState(), "the server refuses a write in a read-only session: " + refused.getMessage());
                    assertThrows(SQLException.class, () -> s.execute("SELECT set_config('default_transaction_read_only', 'off', false);"
                            + " CREATE TABLE written_by_storecap (x int)"), "the session stays read-only");
                }
                for (int i = 0; i < 3; i++)
                    app.add(DriverManager.getConnection(local.appJdbcUrl(), local.appUser(), local.appPassword()));
                Sample s = sampler.sample();
                assertEquals(3, s.appBackends(), "the app role's backends, not the sampler's own: " + s);
            } finally {
                for (Connection c : app) c.close();
            }
            try (Connection c = DriverManager.getConnection(local.adminJdbcUrl(), local.adminUser(), "");
                 var rs = c.createStatement().executeQuery("SELECT to_regclass('written_by_storecap')")) {
                rs.next();
                assertNull(rs.getString(1), "nothing was written to the target");
            }

            // a pooler without a console (here: Postgres itself behind the pooled URL): Postgres' view only, said so
            try (DatabaseEnvironment env = Environments.start(EnvironmentSpec.defaults().withExternal(
                    x.withPooledUrl("jdbc:postgresql://127.0.0.1:" + local.port() + "/" + local.database())))) {
                assertNull(env.pgbouncer(), "no console, no pooler telemetry");
                String said = env.describe().get("poolerTelemetry");
                assertNotNull(said);
                assertTrue(said.startsWith("none: the pooler's console at 127.0.0.1:") && said.endsWith("Postgres' view only (pooler clients unknown)"), said);
            }
        }
    }

    @Test
    void urlsAreReadAsProvidersWriteThemWithoutContactingAnything() {
        DatabaseUrl u = DatabaseUrl.parse("--db-url", "postgresql://app%40x:s%3Acret@ep-cool-1.eu-central-1.aws.neon.tech/neondb?sslmode=require");
        assertEquals("app@x", u.user());
        assertEquals("s:cret", u.password());
        assertEquals("jdbc:postgresql://ep-cool-1.eu-central-1.aws.neon.tech:5432/neondb?sslmode=require", u.jdbc());
        assertTrue(!u.toString().contains("s:cret") && u.toString().contains("***"), u.toString());
        assertEquals("postgresql://app:***@h/db", DatabaseUrl.redacted("postgresql://app:pw@h/db"));
        DatabaseUrl j = DatabaseUrl.parse("--db-url", "jdbc:postgresql://127.0.0.1:6543/app");
        assertNull(j.user());
        assertEquals(6543, j.port());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("--db-url", "mysql://h/db")).getMessage()
                .contains("--db-url must start with postgresql://"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DatabaseUrl.parse("--db-url", "postgresql:///db")).getMessage()
                .contains("--db-url has no host"));
        assertEquals("sslmode=require&readOnly=true&readOnlyMode=always", ExternalEnvironment.parameters(u.jdbc(), true));
        assertEquals("sslmode=require", ExternalEnvironment.parameters(u.jdbc(), false), "schema changes allowed: not read-only");
    }
}
