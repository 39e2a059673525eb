package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the Postgres connections of a pool, with what opening one costs on the real path: the
 * round trips of TCP, TLS and SCRAM through Neon's proxy ({@code --connect-rtts} x
 * {@code --db-latency-ms}) and, when the service holds no connection at all, a scaled-to-zero
 * compute waking ({@code --compute-wake-ms}); see {@link RuntimeSettings}. Both are slept before
 * the real connect, time-scaled. Connects that arrive while a wake is under way wait for it to end
 * (one compute wakes once). Counts every connection it opens in {@link Metrics#connectionsOpened};
 * the pools count the closes, so opened - closed is what the service holds.
 */
final class Connector {
    private final String url;
    private final Properties props;
    private final double rttMs;
    private final int connectRtts;
    private final long computeWakeMs;
    private final TimeScale scale;
    private final Metrics metrics;
    /** connects past the wake check and not yet done: with the connections held, what keeps the compute awake */
    private final AtomicInteger connecting = new AtomicInteger();
    private long wakeEndsMs;

    Connector(String url, Properties props, double rttMs, int connectRtts, long computeWakeMs, TimeScale scale, Metrics metrics) {
        this.url = url;
        this.props = props;
        this.rttMs = rttMs;
        this.connectRtts = connectRtts;
        this.computeWakeMs = computeWakeMs;
        this.scale = scale;
        this.metrics = metrics;
    }

    /** The function instances' connector: the runtime's connect cost and compute wake. */
    static Connector of(ServiceConfig cfg, Properties props, TimeScale scale, Metrics metrics) {
        return new Connector(cfg.effectiveJdbcUrl(), props, cfg.dbLatencyMs(), cfg.runtime().connectRtts(),
                cfg.runtime().computeWakeMs(), scale, metrics);
    }

    /** A plain connector (no connect cost, no wake): pools outside the function instances. */
    static Connector direct(String url, Properties props, double rttMs, TimeScale scale, Metrics metrics) {
        return new Connector(url, props, rttMs, 0, 0, scale, metrics);
    }

    /** A new connection, its statements delayed by the round trip; refusals surface at once. */
    /**
     * Opens a connection for a pool that already holds a permit for it: counts it in {@code open},
     * or gives the permit back when the connect fails (a refused connect must not shrink the pool).
     */
    Connection openHolding(java.util.concurrent.Semaphore permits, AtomicInteger open) throws SQLException {
        try {
            Connection c = open();
            open.incrementAndGet();
            return c;
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Closes a pool's connection (already broken: nothing to do), the counterpart of {@link #openHolding}. */
    void closeCounted(Connection c, AtomicInteger open) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken; nothing to return
        }
        open.decrementAndGet();
        metrics.connectionsClosed.increment();
    }

    Connection open() throws SQLException {
        boolean counted = false;
        try {
            if (connectRtts > 0 && rttMs > 0) sleepMicros(scale.micros(connectRtts * rttMs));
            if (computeWakeMs > 0) {
                counted = true;
                awaitCompute();
            }
            Connection c = new org.postgresql.Driver().connect(url, props);
            if (c == null) throw new SQLException("pgjdbc did not accept the url " + ServiceConfig.mask(url), "08001");
            metrics.connectionsOpened.increment();
            return NetworkDelay.wrap(c, rttMs, scale);
        } finally {
            if (counted) connecting.decrementAndGet();
        }
    }

    /**
     * Starts a wake when the compute is asleep (no wake under way, no connection held, no other
     * connect past this point), or joins the wake under way; returns when the compute is up.
     */
    private void awaitCompute() throws SQLException {
        long waitMs;
        synchronized (this) {
            long now = System.currentTimeMillis();
            long held = metrics.connectionsOpened.sum() - metrics.connectionsClosed.sum();
            if (now >= wakeEndsMs && held <= 0 && connecting.get() == 0) {
                wakeEndsMs = now + scale.ms(computeWakeMs);
                metrics.computeWakes.increment();
            }
            connecting.incrementAndGet();
            waitMs = wakeEndsMs - now;
        }
        if (waitMs > 0) sleepMicros(waitMs * 1000);
    }

    private static void sleepMicros(long micros) throws SQLException {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while connecting", "57014", e);
        }
    }
}
