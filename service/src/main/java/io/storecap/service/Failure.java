package io.storecap.service;

import java.sql.SQLException;

/**
 * Why a request could not get its database work done, by cause. The causes are the ones a
 * capacity study cares about, so each is counted separately in /metrics.
 */
public enum Failure {
    /** Postgres refused the connection: SQLSTATE 53300 "sorry, too many clients already". */
    TOO_MANY_CLIENTS("too_many_clients", 503),
    /** No connection of the instance's pool came free within pool_timeout (Prisma P2024). */
    POOL_TIMEOUT("pool_timeout", 503),
    /** No function instance could be started (max instances reached). */
    INSTANCE_LIMIT("instance_limit", 503),
    /** The database could not be reached at all (refused, reset, PgBouncer down). */
    CONNECT_FAILED("connect_failed", 503),
    /** Prisma Accelerate's query or transaction timeout (P6004): its pool was busy, or the query too slow. */
    ACCELERATE_TIMEOUT("accelerate_timeout", 504),
    /** A result larger than Accelerate's response size limit (P6009). */
    ACCELERATE_RESPONSE_SIZE("accelerate_response_size", 500),
    /** Any other database error. */
    DB_ERROR("db_error", 500);

    public final String id;
    public final int status;

    Failure(String id, int status) { this.id = id; this.status = status; }

    /** Classifies an exception by the SQLSTATE of the first SQLException in its cause chain. */
    public static Failure classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PoolTimeoutException) return POOL_TIMEOUT;
            if (c instanceof InstanceLimitException) return INSTANCE_LIMIT;
            if (c instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.equals("53300")) return TOO_MANY_CLIENTS;
                if (state.equals("P6004")) return ACCELERATE_TIMEOUT;
                if (state.equals("P6009")) return ACCELERATE_RESPONSE_SIZE;
                // pgjdbc reports "too many clients" from PgBouncer (max_client_conn) as 08P01 / 08006
                if (String.valueOf(s.getMessage()).contains("too many clients")
                        || String.valueOf(s.getMessage()).contains("no more connections allowed")) return TOO_MANY_CLIENTS;
                if (state.startsWith("08")) return CONNECT_FAILED;
            }
        }
        return DB_ERROR;
    }

    /** A request-level failure carrying its cause. */
    public static final class PoolTimeoutException extends SQLException {
        public PoolTimeoutException(String message) { super(message, "P2024"); }
    }

    public static final class InstanceLimitException extends RuntimeException {
        public InstanceLimitException(String message) { super(message); }
    }
}
