package io.storecap.service;

import io.storecap.environment.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shopify webhooks on a real Postgres (immediate mode): forgeries are refused and write nothing,
 * retries count once, an event under a second webhook id counts once, hostile input gets its own 4xx, GDPR topics are stored, and a seeded random
 * barrage never gets a 5xx nor stores anything unsigned.
 */
class WebhookIT {
    static final String SECRET = Support.SECRET;
    static final int MAX_BODY = 64 * 1024;
    static LocalPostgres pg;
    static ReferenceService svc;

    @BeforeAll
    static void start() throws Exception {
        pg = LocalPostgres.create().withMaxConnections(30).start();
        svc = ReferenceService.start(Support.config(pg.handle(), "--max-body-bytes=" + MAX_BODY));
        try (Connection c = Support.app(pg.handle())) {
            Stores.seed(c, 3, 5);
        }
    }

    @AfterAll
    static void stop() {
        if (svc != null) svc.close();
        if (pg != null) pg.close();
    }

    static int post(String topic, String id, String body, String hmac) { return post(topic, id, body, hmac, Stores.domain(1), "application/json"); }

    static int post(String topic, String id, String body, String hmac, String shop, String contentType) {
        List<String> h = new ArrayList<>();
        if (contentType != null) h.addAll(List.of("Content-Type", contentType));
        if (id != null) h.addAll(List.of("X-Shopify-Webhook-Id", id));
        if (shop != null) h.addAll(List.of("X-Shopify-Shop-Domain", shop));
        if (hmac != null) h.addAll(List.of("X-Shopify-Hmac-Sha256", hmac));
        return Support.send(svc, "POST", "/webhooks/" + topic, body, h.toArray(String[]::new)).statusCode();
    }

    static String sign(String body) { return Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), SECRET); }

    static long stored(String id) { return Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE id = ?", id); }

    static long allStored() { return Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\""); }

    static long orders() {
        return Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\" WHERE \"eventType\" = 'order' AND shop = ?", Stores.domain(1));
    }

    @Test
    void forgedSignatureGets401AndWritesNothing() {
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":1,\"total_price\":\"10.00\"}";
        long before = orders();
        String forged = Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), "not-the-app-secret");
        assertEquals(401, post("orders/create", id, body, forged));
        assertEquals(401, post("orders/create", id, body, null), "a missing signature is a forgery too");
        // a body changed after signing: the signature of the original does not cover it
        assertEquals(401, post("orders/create", id, body.replace("10.00", "99.00"), sign(body)));
        assertEquals(0, stored(id));
        assertEquals(before, orders());
    }

    @Test
    void retriedWebhookIsStoredOnce() {
        String id = UUID.randomUUID().toString();
        String body = "{\"id\":2,\"total_price\":\"25.50\",\"line_items\":[{\"product_id\":\"p7\"}]}";
        long before = orders();
        assertEquals(200, post("orders/create", id, body, sign(body)));
        assertEquals(200, post("orders/create", id, body, sign(body)), "a retry is acknowledged, so Shopify stops retrying");
        assertEquals(200, post("orders/create", id, body, sign(body)));
        assertEquals(1, stored(id));
        assertEquals(before + 1, orders(), "the order's effect is applied once");
        assertEquals(1, Support.scalar(pg.handle(),
                "SELECT count(*) FROM \"WebhookEvent\" WHERE id = ? AND \"processedAt\" IS NOT NULL", id), "immediate mode: processed at once");
    }

    /**
     * Shopify may deliver one event under two webhook ids (one per subscription): X-Shopify-Event-Id
     * says it is the same event. Both deliveries are acknowledged, the event is stored and applied once.
     */
    @Test
    void sameEventUnderAnotherWebhookIdIsAppliedOnce() {
        String event = "ev-" + UUID.randomUUID();
        String first = UUID.randomUUID().toString(), second = UUID.randomUUID().toString();
        String body = "{\"id\":4,\"total_price\":\"30.00\",\"line_items\":[{\"product_id\":\"" + event + "\"}]}";
        long before = orders();
        var a = Support.send(svc, "POST", "/webhooks/orders/create", body, "Content-Type", "application/json",
                "X-Shopify-Webhook-Id", first, "X-Shopify-Event-Id", event, "X-Shopify-Shop-Domain", Stores.domain(1),
                "X-Shopify-Hmac-Sha256", sign(body));
        var b = Support.send(svc, "POST", "/webhooks/orders/create", body, "Content-Type", "application/json",
                "X-Shopify-Webhook-Id", second, "X-Shopify-Event-Id", event, "X-Shopify-Shop-Domain", Stores.domain(1),
                "X-Shopify-Hmac-Sha256", sign(body));
        assertEquals(200, a.statusCode(), a.body());
        assertEquals(200, b.statusCode(), "the second delivery is acknowledged too, so Shopify stops: " + b.body());
        assertEquals(false, Support.json(a).path("duplicate").asBoolean(), a.body());
        assertEquals(true, Support.json(b).path("duplicate").asBoolean(), "the second is the same event: " + b.body());
        assertEquals(1, Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE \"eventId\" = ?", event));
        assertEquals(0, stored(second), "the second webhook id stores nothing");
        assertEquals(before + 1, orders(), "the order's effect is applied once");
        assertEquals(1, Support.scalar(pg.handle(), "SELECT count(*) FROM \"CartAnalytics\" WHERE \"productId\" = ?", event));
        // an oversized event id is refused, as an oversized webhook id is
        assertEquals(400, Support.send(svc, "POST", "/webhooks/orders/create", body, "Content-Type", "application/json",
                "X-Shopify-Webhook-Id", UUID.randomUUID().toString(), "X-Shopify-Event-Id", "e".repeat(201),
                "X-Shopify-Shop-Domain", Stores.domain(1), "X-Shopify-Hmac-Sha256", sign(body)).statusCode());
    }

    @Test
    void hostileInputGetsItsOwn4xxAndStoresNothing() {
        long before = allStored();
        long ordersBefore = orders();
        String ok = "{\"id\":3,\"total_price\":\"1.00\"}";
        String id = UUID.randomUUID().toString();
        assertEquals(400, post("orders/create", id, "{not json", sign("{not json")), "malformed JSON");
        assertEquals(400, post("orders/create", id, "[1,2]", sign("[1,2]")), "JSON that is not an object");
        assertEquals(400, post("orders/create", id, "{\"total_price\":\"abc\"}", sign("{\"total_price\":\"abc\"}")), "a price that is not a number");
        assertEquals(404, post("orders/delete", id, ok, sign(ok)), "unknown topic");
        assertEquals(404, post("orders/create/../../admin", id, ok, sign(ok)), "a path that is not a topic");
        assertEquals(415, post("orders/create", id, ok, sign(ok), Stores.domain(1), "text/plain"), "wrong content type");
        assertEquals(415, post("orders/create", id, ok, sign(ok), Stores.domain(1), null), "no content type");
        assertEquals(400, post("orders/create", id, ok, sign(ok), "evil.example.com", "application/json"), "shop not *.myshopify.com");
        assertEquals(400, post("orders/create", id, ok, sign(ok), "store-1.myshopify.com.evil.com", "application/json"));
        assertEquals(400, post("orders/create", id, ok, sign(ok), null, "application/json"), "no shop header");
        assertEquals(400, post("orders/create", null, ok, sign(ok)), "no webhook id");
        String huge = "{\"pad\":\"" + "x".repeat(4 * MAX_BODY) + "\"}";
        assertEquals(413, post("orders/create", id, huge, sign(huge)), "oversized body");
        assertEquals(before, allStored(), "nothing hostile was stored");
        assertEquals(ordersBefore, orders());
        assertEquals(405, Support.get(svc, "/webhooks/orders/create").statusCode());
    }

    @Test
    void gdprTopicsAreStored() {
        for (String topic : List.of("customers/data_request", "customers/redact", "shop/redact")) {
            String id = UUID.randomUUID().toString();
            String body = "{\"shop_domain\":\"" + Stores.domain(3) + "\",\"customer\":{\"id\":1}}";
            assertEquals(200, post(topic, id, body, sign(body), Stores.domain(3), "application/json"), topic);
            assertEquals(1, stored(id), topic + " is kept as the record of the request");
        }
        assertEquals(0, Support.scalar(pg.handle(), "SELECT count(*) FROM \"Settings\" WHERE shop = ?", Stores.domain(3)),
                "shop/redact erased the shop's data");
    }

    /**
     * A bounded, seeded random barrage of the webhook path: random topics, bodies, headers and
     * signatures. Every answer is below 500; nothing without a valid HMAC is stored; every fully
     * valid one is. The seed is printed on failure, so a failure can be replayed.
     */
    @Test
    void randomWebhooksNeverGive5xxAndNeverStoreUnsigned() throws Exception {
        long seed = 20261126L;
        Random rnd = new Random(seed);
        List<String> topics = new ArrayList<>(Webhooks.TOPICS);
        topics.addAll(List.of("orders/delete", "", "%2e%2e", "orders", "orders/create/x", "ORDERS/CREATE"));
        List<String> unsigned = new ArrayList<>();
        List<String> valid = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String topic = topics.get(rnd.nextInt(topics.size()));
            String body = switch (rnd.nextInt(5)) {
                case 0 -> randomBytes(rnd);
                case 1 -> "{\"id\":" + rnd.nextInt() + ",\"total_price\":\"" + rnd.nextInt(1000) + ".5\",\"line_items\":[{\"product_id\":\"p" + rnd.nextInt(40) + "\"}]}";
                case 2 -> "{\"total_price\":" + (rnd.nextBoolean() ? "\"NaN\"" : "[]") + "}";
                case 3 -> "[" + rnd.nextInt() + "]";
                default -> "{\"id\":" + rnd.nextLong() + "}";
            };
            String id = rnd.nextInt(10) == 0 ? null : "fuzz-" + seed + "-" + i;
            int sig = rnd.nextInt(3);
            String hmac = sig == 0 ? sign(body) : sig == 1 ? null : Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), "wrong-secret-xyz");
            String shop = rnd.nextInt(8) == 0 ? "x'; DROP TABLE \"WebhookEvent\"; --" : Stores.domain(1 + rnd.nextInt(2));
            String ct = rnd.nextInt(8) == 0 ? "text/html" : "application/json";
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(Support.url(svc, "/webhooks/" + topic)))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", ct);
            if (id != null) b.header("X-Shopify-Webhook-Id", id);
            if (hmac != null) b.header("X-Shopify-Hmac-Sha256", hmac);
            try {
                b.header("X-Shopify-Shop-Domain", shop);
            } catch (IllegalArgumentException e) {
                // the client itself refuses some header values
            }
            HttpResponse<String> r = Support.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() < 500, "seed " + seed + " request " + i + " got " + r.statusCode() + ": " + r.body());
            if (sig != 0 && id != null) unsigned.add(id);
            boolean fullyValid = sig == 0 && id != null && Webhooks.TOPICS.contains(topic) && ct.equals("application/json")
                    && Webhooks.validShop(shop) && body.startsWith("{\"id\":") && !body.contains("NaN");
            if (fullyValid) {
                assertEquals(200, r.statusCode(), "seed " + seed + " request " + i + ": a valid webhook is accepted: " + r.body());
                valid.add(id);
            }
        }
        assertEquals(0, Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE id = ANY(?)",
                (Object) unsigned.toArray(String[]::new)), "nothing without a valid HMAC is stored");
        assertEquals(valid.size(), Support.scalar(pg.handle(), "SELECT count(*) FROM \"WebhookEvent\" WHERE id = ANY(?)",
                (Object) valid.toArray(String[]::new)), "every valid webhook is stored");
        assertTrue(valid.size() >= 5 && unsigned.size() >= 50, "the barrage mixed valid and unsigned webhooks: " + valid.size() + ", " + unsigned.size());
    }

    private static String randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(300)];
        rnd.nextBytes(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
