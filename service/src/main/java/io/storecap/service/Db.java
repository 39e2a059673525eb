package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a handler sees of the database: units of work run on a borrowed connection. Sequential
 * queries of a handler reuse one connection, as Prisma's do; {@link #parallel} borrows one per
 * query at once, as a Promise.all over Prisma queries does, bounded by the pool's connection_limit.
 */
final class Db {
    @FunctionalInterface
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private final ConnectionSource source;
    private final ExecutorService fanOut;
    /** connections this unit of work holds now, and the most it held at once (a dashboard load's fan-out) */
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    Db(ConnectionSource source, ExecutorService fanOut) {
        this.source = source;
        this.fanOut = fanOut;
    }

    /** The pool behind it (the anti-pattern emulation borrows from it directly). */
    ConnectionSource source() { return source; }

    /** The most connections this handler held at once. */
    int peakConnections() { return peak.get(); }

    <T> T run(Work<T> work) throws SQLException {
        Connection c = source.borrow();
        peak.accumulateAndGet(held.incrementAndGet(), Math::max);
        boolean broken = false;
        try {
            return work.apply(c);
        } catch (SQLException e) {
            broken = isBroken(e, c);
            throw e;
        } catch (RuntimeException e) {
            // an answer such as 404 leaves the connection clean (tx() has rolled back); anything else may not
            broken = !(e instanceof Http.HttpError);
            throw e;
        } finally {
            held.decrementAndGet();
            source.giveBack(c, broken);
        }
    }

    /** Runs the work inside one transaction on one connection. */
    <T> T tx(Work<T> work) throws SQLException {
        return run(c -> inTransaction(c, work));
    }

    /**
     * The work in one transaction on a connection the caller holds: commit, or roll back and rethrow;
     * autocommit restored either way (a broken connection is the caller's to replace).
     */
    static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T t = work.apply(c);
            c.commit();
            return t;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; its holder replaces it
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // broken connection, replaced by its holder
            }
        }
    }

    /**
     * Runs the works at once, each on its own borrowed connection, as {@code Promise.all} over
     * Prisma queries does: as many at a time as the pool lends connections (the rest queue, as
     * Prisma's queries queue for its pool), so a fan-out uses every connection of its instance.
     * Queued works wait without a pool_timeout of their own; the first failure fails the whole.
     */
    <T> List<T> parallel(List<Work<T>> works) throws SQLException {
        int n = works.size();
        if (n == 0) return List.of();
        Object[] results = new Object[n];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> first = new AtomicReference<>();
        int runners = Math.max(1, Math.min(n, source.limit()));
        List<Future<?>> futures = new ArrayList<>(runners);
        for (int r = 0; r < runners; r++) {
            futures.add(fanOut.submit(() -> {
                int i;
                while (first.get() == null && (i = next.getAndIncrement()) < n) {
                    try {
                        results[i] = run(works.get(i));
                    } catch (Throwable t) {
                        first.compareAndSet(null, t);
                    }
                }
            }));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                first.compareAndSet(null, e.getCause());
            } catch (InterruptedException e) {
                futures.forEach(x -> x.cancel(true));
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", "57014", e);
            }
        }
        Throwable t = first.get();
        if (t instanceof SQLException s) throw s;
        if (t instanceof RuntimeException re) throw re;
        if (t != null) throw new SQLException(String.valueOf(t.getMessage()), "XX000", t);
        List<T> out = new ArrayList<>(n);
        for (Object o : results) {
            @SuppressWarnings("unchecked") T v = (T) o;
            out.add(v);
        }
        return out;
    }

    static boolean isBroken(SQLException e, Connection c) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) return true;
        try {
            return c.isClosed();
        } catch (SQLException ex) {
            return true;
        }
    }
}
