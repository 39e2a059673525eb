package io.storecap.cli;

import io.storecap.environment.Cleanup;
import io.storecap.environment.LocalPgBouncer;
import io.storecap.environment.LocalPostgres;
import io.storecap.environment.PgBouncerConsole;
import io.storecap.environment.ProcessCpu;
import io.storecap.environment.ServiceProcess;
import io.storecap.service.Schema;
import io.storecap.service.Stores;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local Postgres and PgBouncer a bench measures against, seeded once; what every measurement
 * needs from them: the seeded data restored, PgBouncer's counters, the CPU by process, a service
 * started on them.
 */
final class BenchDatabase implements AutoCloseable {
    /** The CPU split's name for this JVM: Gatling and the telemetry sampler run in it. */
    static final String HARNESS = "harness (Gatling, sampler)";
    private static final List<String> POOLER_STATS = List.of("total_xact_count", "total_query_count", "total_received", "total_sent");

    final LocalPostgres pg;
    final LocalPgBouncer bouncer;
    /** The last seeded cart event: later ones are the measurements' own. */
    private final long seededEvents;

    private BenchDatabase(LocalPostgres pg, LocalPgBouncer bouncer, long seededEvents) {
        this.pg = pg;
        this.bouncer = bouncer;
        this.seededEvents = seededEvents;
    }

    /** Starts Postgres and a PgBouncer pooling {@code connections}, and seeds 1000 stores; stops both if that fails. */
    static BenchDatabase start(int connections) throws SQLException {
        LocalPostgres pg = LocalPostgres.create().withMaxConnections(200).withReserved(3).start();
        LocalPgBouncer bouncer = null;
        try {
            bouncer = LocalPgBouncer.in(pg.handle()).withPoolSize(connections).start();
            try (Connection c = pg.handle().appConnection("storecap-bench", 5, 0)) {
                Schema.create(c, true);
                Stores.seed(c, 1000, 30);
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM \"CartAnalytics\"")) {
                    rs.next();
                    return new BenchDatabase(pg, bouncer, rs.getLong(1));
                }
            }
        } catch (SQLException | RuntimeException | Error e) {
            Cleanup.close(bouncer);
            Cleanup.close(pg);
            throw e;
        }
    }

    BenchFigures.Machine machine() { return BenchFigures.Machine.current(pg.handle().version(), bouncer.handle().version()); }

    /**
     * Deletes the cart events earlier measurements inserted, so every measurement reads the same
     * seeded table: the recommendations query aggregates a store's events, and a table grown by
     * the previous phase would make the later phase pay more per query.
     */
    void restoreSeed() {
        try (Connection c = pg.handle().appConnection("storecap-bench", 5, 0); var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM \"CartAnalytics\" WHERE id > " + seededEvents);
            st.execute("VACUUM ANALYZE \"CartAnalytics\"");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot restore the seeded data between measurements: " + e.getMessage(), e);
        }
    }

    /** PgBouncer's SHOW STATS totals for the app database (transactions, queries, bytes each way); empty when unreadable. */
    Map<String, Long> poolerStats() {
        var h = bouncer.handle();
        try (var console = PgBouncerConsole.connect(h.host(), h.port(), h.adminUser(), h.adminPassword(), 2000)) {
            Map<String, Long> m = new LinkedHashMap<>();
            // no row yet for a database nobody has connected to: zeros
            for (String k : POOLER_STATS) m.put(k, 0L);
            for (Map<String, String> row : console.query("SHOW STATS")) {
                if (!h.database().equals(row.get("database"))) continue;
                for (String k : POOLER_STATS) m.put(k, Long.parseLong(row.getOrDefault(k, "0")));
            }
            return m;
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** Who spends the CPU in a phase: postgres (server and backends), pgbouncer, the load generator, the service. */
    ProcessCpu cpu(ServiceProcess svc) {
        ProcessCpu c = ProcessCpu.create().withTree("postgres", pg.postmasterPid()).withProcess("pgbouncer", bouncer.process().pid())
                .withReapedChildren("pgbench").withProcess(HARNESS, ProcessHandle.current().pid());
        if (svc != null) c.withProcess("service", svc.pid());
        return c;
    }

    /** A service on this database through {@code jdbcUrl} (PgBouncer's or Postgres's own), with these settings. */
    ServiceProcess service(String jdbcUrl, Map<String, String> settings, Path log) {
        return ServiceProcess.create().withSetting("jdbc-url", jdbcUrl).withSetting("db-user", pg.handle().appUser())
                .withSettings(settings).withSecret("db-password", pg.handle().appPassword())
                .withSecret("app-secret", "bench-secret-0123").withSecret("admin-token", "bench-admin-0123").withLog(log).start();
    }

    @Override
    public void close() {
        Cleanup.close(bouncer);
        Cleanup.close(pg);
    }
}
