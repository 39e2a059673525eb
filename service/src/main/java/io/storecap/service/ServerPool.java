package io.storecap.service;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/** Server mode: one long-lived process with one shared HikariCP pool, for comparison. */
final class ServerPool implements ConnectionSource, AutoCloseable {
    private final HikariDataSource ds;

    private final TimeScale scale;
    private final int limit;
    private final Metrics metrics;

    private final ServiceConfig cfg;

    ServerPool(ServiceConfig cfg, Properties props, Metrics metrics, TimeScale scale) {
        this.cfg = cfg;
        this.metrics = metrics;
        limit = cfg.serverPoolSize();
        this.scale = scale;
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("storecap-server");
        hc.setJdbcUrl(cfg.effectiveJdbcUrl());
        hc.setDataSourceProperties(props);
        hc.setMaximumPoolSize(cfg.serverPoolSize());
        hc.setMinimumIdle(cfg.serverPoolSize());
        hc.setConnectionTimeout(Math.max(250, cfg.poolTimeoutMs()));
        hc.setInitializationFailTimeout(-1); // start even if the database is not up yet
        ds = new HikariDataSource(hc);
    }

    @Override
    public Connection borrow() throws SQLException {
        metrics.connectionsBorrowed.increment();
        return NetworkDelay.wrap(ds.getConnection(), cfg.dbLatencyMs(), scale);
    }

    @Override
    public int limit() { return limit; }

    @Override
    public void giveBack(Connection c, boolean broken) {
        try {
            if (broken && !(c instanceof java.lang.reflect.Proxy)) ds.evictConnection(c);
            else c.close(); // a delayed connection closes through to Hikari; Hikari validates it before reuse
        } catch (SQLException ignored) {
            // returning to the pool cannot fail in a way the request cares about
        }
    }

    long openConnections() { return ds.getHikariPoolMXBean() == null ? 0 : ds.getHikariPoolMXBean().getTotalConnections(); }

    @Override
    public void close() { ds.close(); }
}
