package io.storecap.runner;

import io.storecap.service.Stores;
import io.storecap.service.Webhooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Hostile and malformed requests against a running reference service, each sent several times:
 * the status codes it got, and whether anything was written. A case passes when every answer is
 * the expected status and the tables it targets are unchanged.
 */
final class BadInput {

    /**
     * One kind of bad request and what it must get. {@code closeAllowed}: the server may also close
     * the connection instead of reading on (an oversized upload: it answers 413 and stops reading, so
     * a client still sending may see the connection reset rather than the answer).
     */
    record Case(String name, int expected, boolean closeAllowed, IntFunction<HttpRequest> request) {
        Case(String name, int expected, IntFunction<HttpRequest> request) { this(name, expected, false, request); }
    }

    /** What one case got. */
    record Result(String name, int tried, Map<Integer, Integer> statuses, int expected, long rowsWritten, boolean passed) {}

    private BadInput() {}

    static List<Result> run(RunHarness h, int times) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = h.baseUrl();
        String shop = Stores.domain(1);
        String body = "{\"id\":1,\"total_price\":\"10.00\"}";
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        List<Case> cases = List.of(
                new Case("webhook with a forged HMAC", 401, i -> webhook(base, "orders/create", "forged-" + i, shop, body,
                        Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), "not-the-secret"), "application/json")),
                new Case("webhook without HMAC", 401, i -> webhook(base, "orders/create", "nohmac-" + i, shop, body, null, "application/json")),
                new Case("webhook with malformed JSON", 400, i -> webhook(base, "orders/create", "malformed-" + i, shop, "{\"id\":",
                        Webhooks.sign("{\"id\":".getBytes(StandardCharsets.UTF_8), h.appSecret()), "application/json")),
                new Case("webhook body of 2 MiB", 413, true, i -> HttpRequest.newBuilder(URI.create(base + "/webhooks/orders/create"))
                        .header("Content-Type", "application/json").header("X-Shopify-Webhook-Id", "big-" + i)
                        .header("X-Shopify-Shop-Domain", shop).header("X-Shopify-Hmac-Sha256", "x")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build()),
                new Case("webhook of an unknown topic", 404, i -> webhook(base, "orders/deleted-everything", "topic-" + i, shop, body,
                        Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), h.appSecret()), "application/json")),
                new Case("webhook with a wrong content type", 415, i -> webhook(base, "orders/create", "ctype-" + i, shop, body,
                        Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), h.appSecret()), "text/plain")),
                new Case("webhook from a shop not *.myshopify.com", 400, i -> webhook(base, "orders/create", "shop-" + i, "evil.example.com", body,
                        Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), h.appSecret()), "application/json")),
                new Case("dashboard without token", 401, i -> get(base + "/superadmin/dashboard", null)),
                new Case("dashboard with a wrong token", 403, i -> get(base + "/superadmin/dashboard", "wrong-token-" + i)),
                new Case("dashboard search with SQL injection", 200, i -> get(base + "/superadmin/dashboard?q="
                        + java.net.URLEncoder.encode("x'; DROP TABLE \"Settings\"; --", StandardCharsets.UTF_8), h.adminToken())),
                new Case("dashboard sort with SQL injection", 400, i -> get(base + "/superadmin/dashboard?sort="
                        + java.net.URLEncoder.encode("shop; DELETE FROM \"Session\"", StandardCharsets.UTF_8), h.adminToken())),
                new Case("dashboard page far beyond the end", 200, i -> get(base + "/superadmin/dashboard?page=999999", h.adminToken())),
                new Case("dashboard page size of a million", 200, i -> get(base + "/superadmin/dashboard?pageSize=1000000", h.adminToken())),
                new Case("admin session without a session token", 401, i -> HttpRequest.newBuilder(URI.create(base + "/admin/settings")).GET().build()));
        long[] before = counts(h);
        List<Result> out = new ArrayList<>();
        for (Case c : cases) {
            Map<Integer, Integer> statuses = new TreeMap<>();
            for (int i = 0; i < times; i++) {
                int code;
                try {
                    code = client.send(c.request().apply(i), HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException e) {
                    code = -1; // the server closed on us (mid-upload of an oversized body); shown as -1 in the table
                }
                statuses.merge(code, 1, Integer::sum);
            }
            long[] after = counts(h);
            long written = (after[0] - before[0]) + (before[1] - after[1]) + (before[2] - after[2]);
            before = after;
            boolean ok = written == 0 && statuses.keySet().stream().allMatch(k -> k == c.expected() || (k == -1 && c.closeAllowed()))
                    && statuses.containsKey(c.expected());
            out.add(new Result(c.name(), times, statuses, c.expected(), written, ok));
        }
        return out;
    }

    /** Webhook rows, settings rows, session rows: none may change. */
    private static long[] counts(RunHarness h) throws Exception {
        try (Connection c = h.environmentHandle().adminConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM \"WebhookEvent\"), (SELECT count(*) FROM \"Settings\"),"
                     + " (SELECT count(*) FROM \"Session\")")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    private static HttpRequest webhook(String base, String topic, String id, String shop, String body, String hmac, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/webhooks/" + topic))
                .header("Content-Type", contentType).header("X-Shopify-Webhook-Id", id).header("X-Shopify-Shop-Domain", shop)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (hmac != null) b.header("X-Shopify-Hmac-Sha256", hmac);
        return b.build();
    }

    private static HttpRequest get(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) b.header("X-Admin-Token", token);
        return b.build();
    }
}
