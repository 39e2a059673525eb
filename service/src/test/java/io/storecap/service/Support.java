package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.environment.LocalPostgres;
import io.storecap.environment.PostgresHandle;
import io.storecap.environment.Sample;
import io.storecap.environment.TelemetrySampler;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the service's integration tests share: settings, HTTP calls, SQL look-ups, waiting. */
final class Support {
    private Support() {}

    static final String SECRET = "app-secret-0123456789";
    static final String ADMIN = "admin-token-0123456789";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A service config on the given database URL with the test secrets and any further --key=value settings. */
    static ServiceConfig config(String jdbcUrl, PostgresHandle pg, String... extra) {
        List<String> args = new ArrayList<>(List.of("--jdbc-url=" + jdbcUrl, "--db-user=" + pg.appUser(),
                "--db-password=" + pg.appPassword(), "--app-secret=" + SECRET, "--admin-token=" + ADMIN,
                "--cold-start-ms=0", "--idle-ttl-ms=60000"));
        args.addAll(List.of(extra));
        return ServiceConfig.parse(args.toArray(String[]::new), Map.of());
    }

    static ServiceConfig config(PostgresHandle pg, String... extra) { return config(pg.appJdbcUrl(), pg, extra); }

    /** A local Postgres with the schema and {@code stores} seeded stores of {@code history} analytics rows each. */
    static LocalPostgres seededPostgres(int maxConnections, int stores, int history) throws java.sql.SQLException {
        LocalPostgres pg = LocalPostgres.create().withMaxConnections(maxConnections).start();
        try (java.sql.Connection c = app(pg.handle())) {
            Schema.create(c, true);
            Stores.seed(c, stores, history);
        }
        return pg;
    }

    static String url(ReferenceService s, String pathAndQuery) { return "http://127.0.0.1:" + s.port() + pathAndQuery; }

    /** Sends a request; headers as name, value pairs. */
    static HttpResponse<String> send(ReferenceService s, String method, String pathAndQuery, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(s, pathAndQuery))).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " failed: " + e, e);
        }
    }

    static HttpResponse<String> get(ReferenceService s, String pathAndQuery, String... headers) {
        return send(s, "GET", pathAndQuery, null, headers);
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return ReferenceService.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    static JsonNode metrics(ReferenceService s) { return json(get(s, "/metrics")); }

    static String bearer(String shop) { return "Bearer " + SessionTokens.sign(shop, SECRET, Duration.ofMinutes(5)); }

    static Connection app(PostgresHandle pg) throws SQLException {
        return DriverManager.getConnection(pg.appJdbcUrl(), pg.appUser(), pg.appPassword());
    }

    /** The first column of the first row of a query, as a long. */
    static long scalar(PostgresHandle pg, String sql, Object... params) {
        try (Connection c = app(pg); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) p.setObject(i + 1, params[i]);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The app role's request-serving backends in pg_stat_activity (the shared pool's and the function instances', not the workers'). */
    static long appBackends(io.storecap.environment.LocalPostgres pg, String stateLike) {
        try (Connection c = pg.adminConnection(); PreparedStatement p = c.prepareStatement("""
                SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND backend_type = 'client backend'
                AND application_name IN ('storecap-service', 'storecap-fn') AND coalesce(state, '') LIKE ?""")) {
            p.setString(1, pg.handle().appUser());
            p.setString(2, stateLike);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the condition holds; fails with {@code what} after {@code timeoutMs}. */
    static void await(BooleanSupplier condition, long timeoutMs, String what) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out waiting for: " + what);
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    /**
     * Waits until the sampler has recorded a reading begun after this call, so what Postgres shows
     * now (the connections a request that has returned opened or still holds) is in its samples.
     */
    static void awaitNextSample(TelemetrySampler sampler) {
        long now = System.currentTimeMillis();
        await(() -> {
            List<Sample> s = sampler.samples();
            return !s.isEmpty() && s.get(s.size() - 1).epochMs() > now;
        }, 5_000, "a telemetry sample begun after " + now);
    }
}
