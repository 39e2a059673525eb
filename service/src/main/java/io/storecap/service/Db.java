package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

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

    Db(ConnectionSource source, ExecutorService fanOut) {
        this.source = source;
        this.fanOut = fanOut;
    }

    <T> T run(Work<T> work) throws SQLException {
        Connection c = source.borrow();
        boolean broken = false;
        try {
            return work.apply(c);
        } catch (SQLException e) {
            broken = isBroken(e, c);
            throw e;
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        } finally {
            source.giveBack(c, broken);
        }
    }

    /** Runs the work inside one transaction on one connection. */
    <T> T tx(Work<T> work) throws SQLException {
        return run(c -> {
            c.setAutoCommit(false);
            try {
                T t = work.apply(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; run() closes it
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // broken connection, closed by run()
                }
            }
        });
    }

    <T> List<T> parallel(List<Work<T>> works) throws SQLException {
        List<Future<T>> futures = new ArrayList<>(works.size());
        for (Work<T> w : works) futures.add(fanOut.submit(() -> run(w)));
        List<T> out = new ArrayList<>(works.size());
        SQLException first = null;
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                if (first == null) first = e.getCause() instanceof SQLException s ? s
                        : new SQLException(e.getCause().getMessage(), "XX000", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted", "57014", e);
            }
        }
        if (first != null) throw first;
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
