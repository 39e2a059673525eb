package io.storecap.service;

import io.storecap.environment.LocalPostgres;
import io.storecap.environment.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The app secret, the admin token, the database password and a Redis password never appear in the
 * service's log (its own JVM, its own logging setup), its error bodies or /metrics, even when the
 * requests that provoke errors carry or aim at them, and Redis is down.
 */
class SecretsIT {

    @Test
    void secretsNeverShowInLogsErrorsOrMetrics() throws Exception {
        String appSecret = "appsecret-" + Long.toHexString(System.nanoTime());
        String adminToken = "admintoken-" + Long.toHexString(System.nanoTime());
        String redisPassword = "redispw-" + Long.toHexString(System.nanoTime());
        Path log = Files.createTempFile("storecap-secrets-", ".log");
        List<String> bodies = new ArrayList<>();
        String dbPassword;
        try (LocalPostgres pg = LocalPostgres.create().withMaxConnections(20).start()) {
            dbPassword = pg.handle().appPassword();
            try (Connection c = Support.app(pg.handle())) {
                Schema.create(c, true);
                Stores.seed(c, 3, 3);
            }
            try (ServiceProcess svc = ServiceProcess.create().withLog(log).withHeap("256m")
                    .withSetting("jdbc-url", pg.handle().appJdbcUrl())
                    .withSetting("db-user", pg.handle().appUser())
                    .withSetting("dashboard-cache", "on")
                    // Redis with a password in its URL, and nothing listening there: the cache errors are logged
                    .withSetting("redis-url", "redis://:" + redisPassword + "@127.0.0.1:" + io.storecap.environment.Ports.free())
                    .withSecret("db-password", dbPassword)
                    .withSecret("app-secret", appSecret)
                    .withSecret("admin-token", adminToken)
                    .start()) {
                String base = svc.baseUrl();
                String body = "{\"id\":1}";
                bodies.add(call(base, "POST", "/webhooks/orders/create", body, "X-Shopify-Hmac-Sha256", Webhooks.sign(body.getBytes(), "guess" + appSecret),
                        "Content-Type", "application/json", "X-Shopify-Webhook-Id", "s1", "X-Shopify-Shop-Domain", Stores.domain(1)));
                bodies.add(call(base, "GET", "/superadmin/dashboard", null, "X-Admin-Token", adminToken + "x"));
                bodies.add(call(base, "GET", "/superadmin/dashboard", null, "X-Admin-Token", adminToken.substring(0, 8)));
                bodies.add(call(base, "GET", "/superadmin/dashboard", null, "X-Admin-Token", adminToken)); // Redis down: from Postgres
                bodies.add(call(base, "GET", "/superadmin/dashboard?sort=" + appSecret, null, "X-Admin-Token", adminToken));
                bodies.add(call(base, "GET", "/admin/settings", null, "Authorization",
                        "Bearer " + SessionTokens.sign(Stores.domain(1), "wrong-" + appSecret, Duration.ofMinutes(1))));
                bodies.add(call(base, "GET", "/admin/settings", null, "Authorization", "Bearer " + appSecret));
                bodies.add(call(base, "GET", "/nowhere", null));
                bodies.add(call(base, "GET", "/metrics", null));
                bodies.add(call(base, "GET", "/api/db-health", null));
            }
        }
        String logText = Files.readString(log);
        Files.deleteIfExists(log);
        assertTrue(logText.contains("LISTENING"), "the log was captured: " + logText);
        assertTrue(logText.contains("***"), "the Redis URL is shown masked: " + logText);
        assertTrue(logText.contains("dashboard cache"), "the cache errors were logged: " + logText);
        for (String secret : List.of(appSecret, adminToken, dbPassword, redisPassword)) {
            assertFalse(logText.contains(secret), "the service log shows a secret:\n" + logText);
            for (String b : bodies) assertFalse(b.contains(secret), "a response shows a secret: " + b);
        }
        assertTrue(bodies.get(3).startsWith("200 "), "Redis down never fails the dashboard: " + bodies.get(3));
        assertEquals("401", bodies.get(0).substring(0, 3));
        assertEquals("403", bodies.get(1).substring(0, 3));
    }

    static String call(String base, String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        HttpResponse<String> r = Support.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
