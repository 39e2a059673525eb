package io.storecap.runner;

import io.storecap.environment.PostgresHandle;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cron-beside-pooler anti-pattern: migrations and cron jobs that connect straight to Postgres
 * (a DIRECT_URL beside the pooled DATABASE_URL, as Prisma's docs advise for migrations) while
 * PgBouncer may hold 90 % of the slots. Each job keeps one connection and runs a short query every
 * second; a refused connection is counted and retried a second later.
 */
final class CronJobs implements AutoCloseable {
    private final PostgresHandle postgres;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean running = true;

    private CronJobs(PostgresHandle postgres) { this.postgres = postgres; }

    static CronJobs start(PostgresHandle postgres, int jobs) {
        CronJobs c = new CronJobs(postgres);
        for (int i = 0; i < jobs; i++) {
            Thread t = new Thread(c::loop, "cron-" + i);
            t.setDaemon(true);
            c.threads.add(t);
            t.start();
        }
        return c;
    }

    private void loop() {
        Connection conn = null;
        while (running) {
            try {
                if (conn == null || conn.isClosed()) {
                    conn = postgres.appConnection("storecap-cron", 5, 0);
                    connected.incrementAndGet();
                }
                try (Statement s = conn.createStatement()) {
                    s.execute("SELECT count(*) FROM \"Settings\"");
                }
            } catch (SQLException e) {
                if ("53300".equals(e.getSQLState())) refused.incrementAndGet();
                close(conn);
                conn = null;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                break;
            }
        }
        close(conn);
    }

    private static void close(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // broken already
        }
    }

    long connected() { return connected.get(); }

    long refused() { return refused.get(); }

    @Override
    public void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
