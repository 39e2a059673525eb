package io.storecap.environment;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler sees what Postgres and PgBouncer really hold, and leaves nothing running. */
public class TelemetrySamplerIT {

    @Test
    void countsAppBackendsAndPoolerClients() throws Exception {
        // the processes this test starts, by pid and start time: the machine may run other postgres and pgbouncer of its own
        List<ProcessHandle> own = new ArrayList<>();
        try (LocalPostgres pg = LocalPostgres.create().withMaxConnections(20).withReserved(3).start();
             LocalPgBouncer bouncer = LocalPgBouncer.in(pg.handle()).withPoolSize(4).start();
             TelemetrySampler sampler = TelemetrySampler.of(pg.handle()).withPgBouncer(bouncer.handle()).withPeriodMs(50).start()) {
            ProcessHandle postmaster = ProcessHandle.of(pg.postmasterPid()).orElseThrow(() -> new AssertionError("no postmaster pid"));
            own.add(postmaster);
            own.add(bouncer.process().toHandle());
            List<Connection> direct = new ArrayList<>();
            List<Connection> pooled = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++)
                    direct.add(DriverManager.getConnection(pg.handle().appJdbcUrl(), pg.handle().appUser(), pg.handle().appPassword()));
                for (int i = 0; i < 6; i++) {
                    Connection c = DriverManager.getConnection(bouncer.handle().appJdbcUrl(), pg.handle().appUser(), pg.handle().appPassword());
                    try (Statement s = c.createStatement()) {
                        s.execute("SELECT 1");
                    }
                    pooled.add(c);
                }
                Sample s = sampler.sample();
                assertEquals(6, s.clActive() + s.clWaiting(), "PgBouncer's SHOW POOLS counts the 6 pooled clients: " + s);
                // 3 direct connections plus the server connections PgBouncer opened (at most its pool of 4)
                assertTrue(s.appBackends() >= 4 && s.appBackends() <= 3 + 4, "app backends in pg_stat_activity: " + s);
                assertTrue(s.svActive() + s.svIdle() >= 1, "PgBouncer holds server connections: " + s);
                // the postmaster's children now: the backends of these connections among them
                postmaster.descendants().forEach(own::add);
            } finally {
                for (Connection c : direct) c.close();
                for (Connection c : pooled) c.close();
            }
            Await.until(Duration.ofSeconds(10), () -> sampler.samples().size() >= 3,
                    () -> "samples are taken periodically (every 50 ms); have " + sampler.samples().size());
        }
        assertEquals(List.of(), running(own), "no pgbouncer, postmaster or backend of this test left behind");
    }

    /** Those still running (not a zombie: an exited postmaster may wait a moment for init to collect it). */
    public static List<String> running(List<ProcessHandle> processes) {
        return processes.stream().filter(Watchdog::isRunning).map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }
}
