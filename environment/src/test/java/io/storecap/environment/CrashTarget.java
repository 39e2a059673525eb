package io.storecap.environment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

/** A stand-in harness for {@link WatchdogIT}: starts Postgres, PgBouncer and Redis, prints their pids, waits to be killed. */
public final class CrashTarget {
    public static void main(String[] args) throws Exception {
        LocalPostgres pg = LocalPostgres.create().withMaxConnections(20).start();
        LocalPgBouncer bouncer = LocalPgBouncer.in(pg.handle()).withPoolSize(5).start();
        LocalRedis redis = LocalRedis.create().start();
        String dataDir;
        try (Connection c = pg.adminConnection(); ResultSet rs = c.createStatement().executeQuery("SHOW data_directory")) {
            rs.next();
            dataDir = rs.getString(1);
        }
        long postmaster = Long.parseLong(Files.readAllLines(Path.of(dataDir, "postmaster.pid")).get(0).trim());
        System.out.println("PIDS " + postmaster + " " + bouncer.process().pid() + " " + redis.process().pid());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
