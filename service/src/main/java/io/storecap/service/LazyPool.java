package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A function instance's connection pool, with Prisma's semantics rather than HikariCP's: at most
 * {@code connection_limit} connections, opened lazily on first need, kept until the instance is
 * reclaimed, a wait of at most {@code pool_timeout} for a free one (then P2024), and a refused
 * connect (53300) failing the query at once. HikariCP instead retries a failed connect until its
 * connectionTimeout, which would hold a refused request for seconds and change the concurrency
 * (and so the number of instances) that the emulation is meant to reproduce.
 */
final class LazyPool implements ConnectionSource, AutoCloseable {
    private final String url;
    private final Properties props;
    private final long poolTimeoutMs;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Metrics metrics;
    private volatile boolean closed;

    private final double rttMs;
    private final TimeScale scale;
    private final int limit;

    /** {@code poolTimeoutMs} and {@code rttMs} are production values; {@code scale} stretches them. */
    LazyPool(String url, Properties props, int limit, long poolTimeoutMs, double rttMs, TimeScale scale, Metrics metrics) {
        this.rttMs = rttMs;
        this.scale = scale;
        this.url = url;
        this.props = props;
        this.poolTimeoutMs = poolTimeoutMs;
        this.limit = limit;
        this.permits = new Semaphore(limit, true);
        this.metrics = metrics;
    }

    @Override
    public Connection borrow() throws SQLException {
        try {
            if (!permits.tryAcquire(scale.ms(poolTimeoutMs), TimeUnit.MILLISECONDS))
                throw new Failure.PoolTimeoutException("Timed out fetching a new connection from the connection pool"
                        + " (connection_limit " + limit + ", pool_timeout " + poolTimeoutMs + " ms)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", "57014");
        }
        metrics.connectionsBorrowed.increment();
        Connection c;
        synchronized (idle) {
            c = idle.pollFirst();
        }
        if (c != null) return c;
        try {
            c = new org.postgresql.Driver().connect(url, props);
            if (c == null) throw new SQLException("pgjdbc did not accept the url " + ServiceConfig.mask(url), "08001");
            c = NetworkDelay.wrap(c, rttMs, scale);
            open.incrementAndGet();
            metrics.connectionsOpened.increment();
            return c;
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    @Override
    public void giveBack(Connection c, boolean broken) {
        if (broken || closed) {
            closeQuietly(c);
        } else {
            synchronized (idle) {
                idle.push(c);
            }
        }
        permits.release();
    }

    int openConnections() { return open.get(); }

    @Override
    public int limit() { return limit; }

    /** Closes the idle connections (those in use stay open): the pool emptied after a response. */
    void closeIdle() {
        synchronized (idle) {
            Connection c;
            while ((c = idle.pollFirst()) != null) closeQuietly(c);
        }
    }

    private void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken; nothing to return
        }
        open.decrementAndGet();
        metrics.connectionsClosed.increment();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            Connection c;
            while ((c = idle.pollFirst()) != null) closeQuietly(c);
        }
    }
}
