package io.storecap.service;

import java.sql.Connection;
import java.sql.SQLException;

/** Where a handler gets its connections: a function instance's own pool, or the shared server pool. */
public interface ConnectionSource {
    /** Borrows a connection, waiting at most pool_timeout; refusals surface as SQLException. */
    Connection borrow() throws SQLException;

    /** Gives it back; a broken connection is closed instead of reused. */
    void giveBack(Connection c, boolean broken);

    /** How many connections it lends at once at most (a fan-out uses no more runners than this). */
    default int limit() { return Integer.MAX_VALUE; }
}
