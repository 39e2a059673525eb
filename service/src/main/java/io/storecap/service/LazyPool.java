package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 *
 * <p>Frozen instances: Prisma 6's engine (quaint) does close a connection idle for
 * {@code max_idle_connection_lifetime}, 300 s by default (prisma-engines, quaint's PostgresUrl query
 * parameters; Prisma docs, "Connection pool": v6 idle timeout 300 s), but that timer only runs while
 * the instance runs, and Vercel suspends an instance between requests, so its timers do not advance
 * (Vercel, "The real serverless compute to database connection problem, solved"). An instance serving
 * one request at a time never has a connection idle for 300 s of running time, so connections are
 * kept until the instance is reclaimed, which is what this pool does: it has no idle timer at all.
 * (Only an instance kept busy for 300 s at a stretch by concurrent requests, with a connection idle
 * all along, would close it; the emulation keeps that one too.) This is {@code --pool=prisma6}; Prisma
 * 7's node-postgres pool is {@link PgPool}.
 */
final class LazyPool implements FunctionPool {
    private final Connector connector;
    private final long poolTimeoutMs;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Metrics metrics;
    private volatile boolean closed;

    private final TimeScale scale;
    private final int limit;

    /**
     * A pool that connects directly (no connect cost, no compute wake). {@code poolTimeoutMs} and
     * {@code rttMs} are production values; {@code scale} stretches them.
     */
    LazyPool(String url, Properties props, int limit, long poolTimeoutMs, double rttMs, TimeScale scale, Metrics metrics) {
        this(Connector.direct(url, props, rttMs, scale, metrics), limit, poolTimeoutMs, scale, metrics);
    }

    /** A pool that opens its connections through {@code connector} (a function instance's: connect cost, wake). */
    LazyPool(Connector connector, int limit, long poolTimeoutMs, TimeScale scale, Metrics metrics) {
        this.connector = connector;
        this.scale = scale;
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
        return connector.openHolding(permits, open);
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

    @Override
    public int openConnections() { return open.get(); }

    @Override
    public int limit() { return limit; }

    /** Closes the idle connections (those in use stay open): the pool emptied after a response. */
    @Override
    public void closeIdle() {
        synchronized (idle) {
            Connection c;
            while ((c = idle.pollFirst()) != null) closeQuietly(c);
        }
    }

    private void closeQuietly(Connection c) { connector.closeCounted(c, open); }

    @Override
    public List<Connection> detach() {
        closed = true;
        List<Connection> out = new ArrayList<>();
        synchronized (idle) {
            Connection c;
            while ((c = idle.pollFirst()) != null) out.add(c);
        }
        open.addAndGet(-out.size());
        return out;
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
