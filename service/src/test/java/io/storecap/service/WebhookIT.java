package io.storecap.service;

import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shopify webhooks on a real Postgres: forgeries are refused and write nothing; retries count once. */
class WebhookIT {
    static final String SECRET = "whsec-test-0123456789";
    static LocalPostgres pg;
    static ReferenceService svc;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.create().withMaxConnections(30).start();
        svc = ReferenceService.start(ServiceConfig.parse(new String[]{"--jdbc-url=" + pg.handle().appJdbcUrl(),
                "--db-user=" + pg.handle().appUser(), "--db-password=" + pg.handle().appPassword(),
                "--app-secret=" + SECRET, "--admin-token=admin-token-123", "--cold-start-ms=0"}, Map.of()));
        try (Connection c = appConnection()) {
            Stores.seed(c, 3, 5);
        }
    }

    @AfterAll
    static void stop() {
        if (svc != null) svc.close();
        if (pg != null) pg.close();
    }

    static Connection appConnection() throws Exception {
        return DriverManager.getConnection(pg.handle().appJdbcUrl(), pg.handle().appUser(), pg.handle().appPassword());
    }

    static int post(String topic, String id, String body, String hmac) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + svc.port() + "/webhooks/" + topic))
                .header("Content-Type", "application/json")
                .header("X-Shopify-Webhook-Id", id)
                .header("X-Shopify-Shop-Domain", Stores.domain(1))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (hmac != null) b.header("X-Shopify-Hmac-Sha256", hmac);
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static long stored(String id) throws Exception {
        try (Connection c = appConnection();
             PreparedStatement p = c.prepareStatement("SELECT count(*) FROM \"WebhookEvent\" WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long orders() throws Exception {
        try (Connection c = appConnection();
             PreparedStatement p = c.prepareStatement("SELECT count(*) FROM \"CartAnalytics\" WHERE \"eventType\" = 'order' AND shop = ?")) {
            p.setString(1, Stores.domain(1));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void forgedSignatureGets401AndWritesNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":1,\"total_price\":\"10.00\"}";
        long before = orders();
        String forged = Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), "not-the-app-secret");
        assertEquals(401, post("orders/create", id, body, forged));
        assertEquals(401, post("orders/create", id, body, null), "a missing signature is a forgery too");
        // a body changed after signing: the signature of the original does not cover it
        String signedOriginal = Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), SECRET);
        assertEquals(401, post("orders/create", id, body.replace("10.00", "99.00"), signedOriginal));
        assertEquals(0, stored(id));
        assertEquals(before, orders());
    }

    @Test
    void retriedWebhookIsStoredOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":2,\"total_price\":\"25.50\",\"line_items\":[{\"product_id\":\"p7\"}]}";
        String hmac = Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), SECRET);
        long before = orders();
        assertEquals(200, post("orders/create", id, body, hmac));
        assertEquals(200, post("orders/create", id, body, hmac), "a retry is acknowledged, so Shopify stops retrying");
        assertEquals(200, post("orders/create", id, body, hmac));
        assertEquals(1, stored(id));
        assertEquals(before + 1, orders(), "the order's effect is applied once");
    }
}
