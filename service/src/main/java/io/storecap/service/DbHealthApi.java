package io.storecap.service;

import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GET /api/db-health: the app's own view of Postgres' connections (pg_stat_activity by state, and
 * max_connections). Unlike /healthz it runs on a function instance and borrows a connection.
 */
final class DbHealthApi {
    private DbHealthApi() {}

    static Response dbHealth(Request r, Db db) throws SQLException {
        return db.run(c -> {
            Map<String, Object> byState = new LinkedHashMap<>();
            long total = 0;
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity
                    WHERE backend_type = 'client backend' GROUP BY 1 ORDER BY 1""");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    byState.put(rs.getString(1), rs.getLong(2));
                    total += rs.getLong(2);
                }
            }
            long max;
            try (PreparedStatement p = c.prepareStatement("SELECT current_setting('max_connections')::int");
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                max = rs.getLong(1);
            }
            return Response.json(200, Map.of("connections", total, "byState", byState, "maxConnections", max));
        });
    }
}
