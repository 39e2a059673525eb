package io.storecap.cli.fidelity;

import io.storecap.environment.PostgresHandle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Counts one side's Postgres backends every {@link #PERIOD_MS} ms, from pg_stat_activity: the client
 * backends of the app role with that side's application_name, whatever their state (active, idle,
 * idle in transaction). Times are ms since the side's start ({@code t0}, System.nanoTime), taken
 * as each count's query is sent. Its own connection is a superuser's, under another name.
 */
final class BackendSampler implements AutoCloseable {
    static final long PERIOD_MS = 100;
    private static final String COUNT = "SELECT count(*) FROM pg_stat_activity"
            + " WHERE application_name = ? AND usename = ? AND backend_type = 'client backend'";

    /** One count: ms since the side's start, backends. */
    record Sample(long ms, int backends) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Connection connection;
    private final PreparedStatement count;
    private final long t0;
    private final Thread thread;
    private volatile boolean stop;
    private volatile SQLException failure;

    private BackendSampler(PostgresHandle pg, String applicationName, long t0) throws SQLException {
        this.t0 = t0;
        connection = pg.adminConnection("storecap-fidelity-sampler", 5, 10);
        count = connection.prepareStatement(COUNT);
        count.setString(1, applicationName);
        count.setString(2, pg.appUser());
        thread = new Thread(this::loop, "fidelity-sampler-" + applicationName);
        thread.setDaemon(true);
    }

    /** Starts counting the backends named {@code applicationName}, at once and then every period. */
    static BackendSampler start(PostgresHandle pg, String applicationName, long t0) throws SQLException {
        BackendSampler s = new BackendSampler(pg, applicationName, t0);
        s.sampleOnce();
        s.thread.start();
        return s;
    }

    private void loop() {
        long next = System.nanoTime();
        while (!stop) {
            next += TimeUnit.MILLISECONDS.toNanos(PERIOD_MS);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (stop) return;
            try {
                sampleOnce();
            } catch (SQLException e) {
                failure = e;
                return;
            }
        }
    }

    private void sampleOnce() throws SQLException {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        try (ResultSet rs = count.executeQuery()) {
            rs.next();
            int n = rs.getInt(1);
            synchronized (samples) {
                samples.add(new Sample(ms, n));
            }
        }
    }

    /** The counts so far, oldest first; fails if counting failed. */
    List<Sample> samples() {
        if (failure != null) throw new IllegalStateException("counting backends in pg_stat_activity failed: " + failure.getMessage(), failure);
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the sampler's own connection; nothing to keep
        }
    }
}
