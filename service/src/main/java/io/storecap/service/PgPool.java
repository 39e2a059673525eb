package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prisma 7's pool ({@code --pool=prisma7}): with {@code @prisma/adapter-pg} the pool is a
 * node-postgres {@code pg.Pool} with its own defaults, and Prisma's URL parameters
 * ({@code connection_limit}, {@code pool_timeout}, {@code pgbouncer}) no longer apply (Prisma docs,
 * "Connection pool", v7 driver adapter defaults for pg: max 10, connectionTimeoutMillis 0 = no
 * timeout, idleTimeoutMillis 10 s; node-postgres docs, pg.Pool). So:
 * <ul>
 * <li>at most {@link #MAX} connections, whatever {@code --connection-limit} says;</li>
 * <li>a query waits for a free connection for ever (no P2024): only the request itself bounds it;</li>
 * <li>a connection idle for {@link #IDLE_TIMEOUT_MS} is closed, but the idle timer is a Node timer,
 * and it only runs while the instance is awake ({@link AwakeClock}): without
 * {@code --attach-database-pool} the instance is suspended as each response ends, so idle
 * connections stay open until the instance is reclaimed; with it the instance is kept awake for the
 * idle timeout after each release and they close 10 s after their last use;</li>
 * <li>the most recently released idle connection is lent first (pg-pool pops its idle list), and a
 * refused connect fails the query at once.</li>
 * </ul>
 */
final class PgPool implements FunctionPool {
    /** pg.Pool's default max. */
    static final int MAX = 10;
    /** pg.Pool's default idleTimeoutMillis (production ms). */
    static final long IDLE_TIMEOUT_MS = 10_000;

    private record Idle(Connection connection, long releasedAwakeMs) {}

    private final Connector connector;
    private final AwakeClock clock;
    private final TimeScale scale;
    private final Metrics metrics;
    private final Semaphore permits = new Semaphore(MAX, true);
    private final Deque<Idle> idle = new ArrayDeque<>(); // most recently released first
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    PgPool(Connector connector, AwakeClock clock, TimeScale scale, Metrics metrics) {
        this.connector = connector;
        this.clock = clock;
        this.scale = scale;
        this.metrics = metrics;
    }

    @Override
    public Connection borrow() throws SQLException {
        try {
            permits.acquire(); // connectionTimeoutMillis 0: no timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", "57014");
        }
        metrics.connectionsBorrowed.increment();
        Idle i;
        synchronized (idle) {
            i = idle.pollFirst();
        }
        if (i != null) return i.connection();
        return connector.openHolding(permits, open);
    }

    @Override
    public void giveBack(Connection c, boolean broken) {
        if (broken || closed) {
            closeQuietly(c);
        } else {
            synchronized (idle) {
                idle.push(new Idle(c, clock.awakeMs(System.currentTimeMillis())));
            }
        }
        permits.release();
    }

    /** Closes the connections idle for the idle timeout of awake time. */
    @Override
    public void tick(long nowMs) {
        long awake = clock.awakeMs(nowMs);
        long timeout = scale.ms(IDLE_TIMEOUT_MS);
        List<Connection> expired = new ArrayList<>();
        synchronized (idle) {
            for (Iterator<Idle> it = idle.iterator(); it.hasNext(); ) {
                Idle i = it.next();
                if (awake - i.releasedAwakeMs() >= timeout) {
                    it.remove();
                    expired.add(i.connection());
                }
            }
        }
        expired.forEach(this::closeQuietly);
    }

    @Override
    public int openConnections() { return open.get(); }

    @Override
    public int limit() { return MAX; }

    @Override
    public void closeIdle() {
        for (Connection c : drainIdle()) closeQuietly(c);
    }

    @Override
    public List<Connection> detach() {
        closed = true;
        List<Connection> out = drainIdle();
        open.addAndGet(-out.size());
        return out;
    }

    private List<Connection> drainIdle() {
        List<Connection> out = new ArrayList<>();
        synchronized (idle) {
            Idle i;
            while ((i = idle.pollFirst()) != null) out.add(i.connection());
        }
        return out;
    }

    private void closeQuietly(Connection c) { connector.closeCounted(c, open); }

    @Override
    public void close() {
        closed = true;
        closeIdle();
    }
}
