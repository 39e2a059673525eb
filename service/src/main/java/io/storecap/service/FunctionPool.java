package io.storecap.service;

import java.sql.Connection;
import java.util.List;

/**
 * The connection pool a function instance's code builds: Prisma 6's engine pool ({@link LazyPool})
 * or Prisma 7's node-postgres pool ({@link PgPool}), chosen by {@code --pool}.
 */
interface FunctionPool extends ConnectionSource, AutoCloseable {
    /** Connections it holds open now, lent or idle. */
    int openConnections();

    /** Closes the idle connections at once (keep-alive off: the pool emptied after a response). */
    void closeIdle();

    /**
     * Closes the pool to new work and hands over its idle connections, still open, for the zombie
     * hold; a connection given back later is closed at once. The caller closes what it gets.
     */
    List<Connection> detach();

    /** Runs the pool's timers for time the instance was awake (called every few ms); none by default. */
    default void tick(long nowMs) {}

    /** Closes every idle connection now and each lent one as it comes back. */
    @Override
    void close();
}
