package io.storecap.service;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prisma Accelerate's managed connection pool, emulated inside the service ({@link AccelerateSettings}):
 * one pool of {@code --accelerate-connections} Postgres connections shared by every function instance
 * (the instances hold none), opened lazily and kept. What a query pays and where it can fail:
 * <ul>
 * <li>an HTTP round trip ({@code --accelerate-hop-ms}) per query: half before it queues for a pooled
 * connection and half after the connection is back, so the first query of a unit holds the
 * connection only for its database round trip; every further statement of the unit (an interactive
 * transaction's statements, its commit) pays its hop while holding the connection, as an interactive
 * transaction over Accelerate does. Sequential queries outside a transaction hold it across their
 * hops too (a slight overstatement of their hold: in Accelerate each is queued on its own);</li>
 * <li>a wait for a pooled connection longer than the query timeout fails with P6004, and so does a
 * statement that runs longer (Postgres' statement_timeout on the pooled connection);</li>
 * <li>an interactive transaction open longer than the transaction timeout fails with P6004 at its next
 * statement or commit;</li>
 * <li>a result larger than the response limit fails with P6009 as its rows are read.</li>
 * </ul>
 * A fan-out ({@code Promise.all}) sends its queries as concurrent HTTP requests: they queue at
 * Accelerate, not in the function. The emulation lets at most {@link #FANOUT_PER_CONNECTION} x the
 * pool size of them be in flight from one request (the rest wait in the function), which keeps the
 * pool saturated without a thread per query; the connections Postgres sees are the same.
 */
final class AcceleratePool implements AutoCloseable {
    /** application_name of the pool's connections, so the sampler can tell them from the instances'. */
    static final String APPLICATION_NAME = "storecap-accelerate";
    static final int FANOUT_PER_CONNECTION = 2;
    /** SQLSTATE of Postgres' query_canceled (statement_timeout). */
    private static final String QUERY_CANCELED = "57014";

    /** A pooled connection and the statement_timeout last set on it (package-private: a proxy casts to it). */
    record Pooled(Connection connection, long statementTimeoutMs) {}

    private final AccelerateSettings s;
    private final Connector connector;
    private final TimeScale scale;
    private final Metrics metrics;
    private final Semaphore permits;
    private final Deque<Pooled> idle = new ArrayDeque<>();
    private final AtomicInteger open = new AtomicInteger();
    private final FunctionPool view = new View();
    private volatile boolean closed;

    AcceleratePool(ServiceConfig cfg, Properties props, TimeScale scale, Metrics metrics) {
        this(cfg.accelerate(), cfg.effectiveJdbcUrl(), props, cfg.dbLatencyMs(), scale, metrics);
    }

    /** {@code rttMs}: the round trip from Accelerate's pool to Postgres, paid by every statement. */
    AcceleratePool(AccelerateSettings s, String url, Properties props, double rttMs, TimeScale scale, Metrics metrics) {
        this.s = s;
        Properties p = new Properties();
        p.putAll(props);
        p.setProperty("ApplicationName", APPLICATION_NAME);
        this.connector = Connector.direct(url, p, rttMs, scale, metrics);
        this.scale = scale;
        this.metrics = metrics;
        this.permits = new Semaphore(s.connections(), true);
    }

    /** What a function instance's code sees instead of its own pool: this pool, holding nothing of its own. */
    FunctionPool view() { return view; }

    /** Connections the pool holds open now, lent or idle. */
    int openConnections() { return open.get(); }

    /**
     * A pooled connection for one unit of work (a handler's queries, or one interactive transaction),
     * after the query's way to Accelerate; P6004 when none comes free within the query timeout.
     */
    Connection borrow() throws SQLException {
        if (closed) throw new SQLException("Accelerate's pool is closed", "08003");
        metrics.accelerateHops.increment(); // the query's own round trip: half now, half after giveBack
        hop(0.5);
        long waitMs = scale.ms(s.queryTimeoutMs());
        try {
            if (!permits.tryAcquire(Math.max(1, waitMs), TimeUnit.MILLISECONDS))
                throw timeout("no connection of Accelerate's pool of " + s.connections() + " came free within the query timeout of "
                        + s.queryTimeoutMs() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for Accelerate's pool", QUERY_CANCELED);
        }
        metrics.connectionsBorrowed.increment();
        Pooled p;
        synchronized (idle) {
            p = idle.pollFirst();
        }
        try {
            if (p == null) p = new Pooled(connector.openHolding(permits, open), -1);
            p = withStatementTimeout(p, waitMs);
        } catch (SQLException | RuntimeException e) {
            // openHolding gave the permit back on a failed connect; a failed SET broke the connection
            if (p != null) {
                connector.closeCounted(p.connection(), open);
                permits.release();
            }
            throw e;
        }
        Pooled lent = p;
        return (Connection) Proxy.newProxyInstance(AcceleratePool.class.getClassLoader(), new Class<?>[]{Connection.class, Lent.class},
                new Unit(lent));
    }

    /** Gives a connection back to the pool (closed instead when broken), then the answer's way back. */
    void giveBack(Connection c, boolean broken) {
        if (!(c instanceof Lent lent)) throw new IllegalArgumentException("not a connection of Accelerate's pool");
        Pooled p = lent.pooled();
        if (broken || closed) connector.closeCounted(p.connection(), open);
        else synchronized (idle) {
            idle.push(p);
        }
        permits.release();
        try {
            hop(0.5);
        } catch (SQLException interrupted) {
            // the answer is already decided; an interrupt only cuts its way back short
        }
    }

    /** Sets statement_timeout to the scaled query timeout when the connection has another. */
    private Pooled withStatementTimeout(Pooled p, long timeoutMs) throws SQLException {
        long ms = Math.max(1, timeoutMs);
        if (p.statementTimeoutMs() == ms) return p;
        try (Statement st = p.connection().createStatement()) {
            st.execute("SET statement_timeout = " + ms);
        }
        return new Pooled(p.connection(), ms);
    }

    /** Sleeps a share of one HTTP round trip to Accelerate, time-scaled. */
    private void hop(double share) throws SQLException {
        if (s.hopMs() <= 0) return;
        try {
            TimeUnit.MICROSECONDS.sleep(scale.micros(s.hopMs() * share));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted on the way to Accelerate", QUERY_CANCELED, e);
        }
    }

    static SQLException timeout(String why) {
        return new SQLException("Prisma Accelerate query timeout exceeded (P6004): " + why, "P6004");
    }

    /** Marks a lent connection, so giveBack finds the pooled one behind the proxy. */
    interface Lent {
        Pooled pooled();
    }

    /** One lent connection: counts the unit's statements, its transaction's age and its results' size. */
    private final class Unit implements InvocationHandler {
        private final Pooled pooled;
        private int statements;
        private long txStartedNanos;

        Unit(Pooled pooled) { this.pooled = pooled; }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (name.equals("pooled") && m.getDeclaringClass() == Lent.class) return pooled;
            Connection c = pooled.connection();
            switch (name) {
                case "setAutoCommit" -> {
                    boolean auto = (Boolean) args[0];
                    if (!auto && c.getAutoCommit()) txStartedNanos = System.nanoTime();
                    if (auto) txStartedNanos = 0;
                }
                case "commit" -> beforeStatement(true);
                case "rollback" -> beforeStatement(false);
                default -> { }
            }
            Object result = call(c, m, args);
            if (name.equals("commit") || name.equals("rollback")) txStartedNanos = 0;
            if (result instanceof CallableStatement st) return statement(st, CallableStatement.class);
            if (result instanceof PreparedStatement st) return statement(st, PreparedStatement.class);
            if (result instanceof Statement st) return statement(st, Statement.class);
            return result;
        }

        /** Every statement after the unit's first is an HTTP request of its own, made while holding the connection. */
        void beforeStatement(boolean checkTransaction) throws SQLException {
            if (checkTransaction && txStartedNanos != 0
                    && (System.nanoTime() - txStartedNanos) / 1_000_000 > scale.ms(s.transactionTimeoutMs()))
                throw timeout("the interactive transaction ran longer than its timeout of " + s.transactionTimeoutMs() + " ms");
            if (statements++ > 0) {
                metrics.accelerateHops.increment();
                hop(1);
            }
            metrics.accelerateQueries.increment();
        }

        private Object statement(Statement st, Class<?> type) {
            return Proxy.newProxyInstance(AcceleratePool.class.getClassLoader(), new Class<?>[]{type}, (proxy, m, args) -> {
                String name = m.getName();
                if (name.startsWith("execute")) beforeStatement(true);
                Object result = call(st, m, args);
                if (result instanceof ResultSet rs && (name.startsWith("execute") || name.equals("getResultSet"))) return sized(rs);
                return result;
            });
        }

        /** A result whose rows count against the response limit as they are read. */
        private Object sized(ResultSet rs) {
            long[] bytes = {0};
            return Proxy.newProxyInstance(AcceleratePool.class.getClassLoader(), new Class<?>[]{ResultSet.class}, (proxy, m, args) -> {
                Object result = call(rs, m, args);
                if (m.getName().equals("next") && Boolean.TRUE.equals(result)) {
                    int n = rs.getMetaData().getColumnCount();
                    for (int i = 1; i <= n; i++) bytes[0] += String.valueOf(rs.getObject(i)).length() + 1;
                    if (bytes[0] > s.responseLimitBytes())
                        throw new SQLException("Prisma Accelerate response size limit exceeded (P6009): the result passed "
                                + s.responseLimitBytes() + " bytes", "P6009");
                }
                return result;
            });
        }

        /** Invokes on the real object; a statement cancelled by statement_timeout is Accelerate's query timeout. */
        private Object call(Object target, Method m, Object[] args) throws Throwable {
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                if (t instanceof SQLException x && QUERY_CANCELED.equals(x.getSQLState()))
                    throw timeout("the query ran longer than the query timeout of " + s.queryTimeoutMs() + " ms");
                throw t;
            }
        }
    }

    /** An instance's pool as its code sees it with Accelerate: every call goes to the shared pool. */
    private final class View implements FunctionPool {
        @Override
        public Connection borrow() throws SQLException { return AcceleratePool.this.borrow(); }

        @Override
        public void giveBack(Connection c, boolean broken) { AcceleratePool.this.giveBack(c, broken); }

        @Override
        public int limit() { return FANOUT_PER_CONNECTION * s.connections(); }

        @Override
        public int openConnections() { return 0; }

        @Override
        public void closeIdle() {}

        @Override
        public List<Connection> detach() { return List.of(); }

        @Override
        public void close() {}
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            Pooled p;
            while ((p = idle.pollFirst()) != null) connector.closeCounted(p.connection(), open);
        }
    }
}
