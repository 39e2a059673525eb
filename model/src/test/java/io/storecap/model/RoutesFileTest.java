package io.storecap.model;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config/routes.yaml (the reference service's route map), placeholders, and refusals naming the kind, the field and the fix. */
class RoutesFileTest {
    static final Path CONFIG = Path.of("..", "config");

    @Test
    void theReferenceServicesMapCoversEveryKindTheProfileSends() {
        RouteMap m = RoutesFile.load(CONFIG.resolve("routes.yaml"));
        assertEquals(RouteMap.KINDS, List.copyOf(m.routes().keySet()));
        m.checkCovers(TrafficProfile.load(CONFIG.resolve("profile.yaml")).kinds(), "routes.yaml");
        RouteMap.Endpoint cart = m.route("cart-event");
        assertEquals("POST", cart.method());
        assertEquals(201, cart.status());
        assertEquals(RouteMap.Auth.NONE, cart.auth());
        assertEquals(RouteMap.Auth.SHOPIFY_HMAC, m.route("webhook").auth());
        assertEquals(RouteMap.Auth.SESSION_TOKEN, m.route("admin-session").auth());
        assertEquals(RouteMap.Auth.ADMIN_TOKEN, m.route("dashboard").auth());
        assertEquals(200, m.route("recommendations").status(), "status defaults to 200");
        assertEquals("storecap-cart-uplift", m.apiKey());
        assertEquals("X-Admin-Token", m.adminTokenHeader());
        assertTrue(m.storesQuery().startsWith("SELECT shop FROM \"Session\""), m.storesQuery());
        assertEquals(Set.of("the app secret (SHOPIFY_API_SECRET)", "the admin token (STORECAP_ADMIN_TOKEN)"),
                m.secretsNeeded(RouteMap.KINDS));
        assertEquals(Set.of(), m.secretsNeeded(List.of("cart-event", "recommendations")));
    }

    @Test
    void placeholdersAreFilledAndJsonBracesLeftAlone() {
        RouteMap m = RoutesFile.load(CONFIG.resolve("routes.yaml"));
        Map<String, String> v = Map.of("shop", "store-00001.myshopify.com", "eventType", "view", "productId", "p3", "cartValue", "42",
                "topic", "orders/create", "eventSeq", "7", "price", "19", "eventId", "wh1-7", "page", "2");
        assertEquals("{\"shop\":\"store-00001.myshopify.com\",\"type\":\"view\",\"productId\":\"p3\",\"cartValue\":42}",
                m.route("cart-event").body(v::get));
        assertEquals("/webhooks/orders/create", m.route("webhook").path(v::get));
        assertEquals("{\"id\":7,\"total_price\":\"19.00\",\"line_items\":[{\"product_id\":\"wh1-7\"}]}", m.route("webhook").body(v::get));
        assertEquals("/superadmin/dashboard?page=2", m.route("dashboard").path(v::get));
        assertNull(m.route("recommendations").body(v::get));
        assertEquals(List.of("topic", "eventSeq", "price", "eventId"), List.copyOf(m.route("webhook").placeholders()));
    }

    static String refusal(String yaml) {
        return assertThrows(ConfigException.class, () -> RoutesFile.parse(yaml, "routes.yaml")).getMessage();
    }

    @Test
    void mistakesAreRefusedNamingTheKindTheFieldAndTheFix() {
        String m = refusal("""
                routes:
                  - kind: cart-event
                    method: POST
                    pth: /proxy/events
                """);
        assertTrue(m.startsWith("routes.yaml: kind 'cart-event': unknown field 'pth'; allowed fields are kind, method, path, body, auth, status"), m);
        m = refusal("""
                routes:
                  - {kind: cart-events, method: POST, path: /x}
                """);
        assertTrue(m.contains("kind 'cart-events': kind 'cart-events' is not a kind the study sends; use one of cart-event,"), m);
        m = refusal("""
                routes:
                  - {kind: recommendations, method: get, path: /x}
                """);
        assertTrue(m.contains("method 'get' is not an HTTP method; use GET, POST"), m);
        m = refusal("""
                routes:
                  - {kind: recommendations, method: GET, path: proxy/recommendations}
                """);
        assertTrue(m.contains("path 'proxy/recommendations' must start with /"), m);
        m = refusal("""
                routes:
                  - {kind: recommendations, method: GET, path: '/r?shop={shp}'}
                """);
        assertTrue(m.contains("routes.yaml: kind 'recommendations': path: unknown placeholder {shp}; allowed are {shop},"), m);
        m = refusal("""
                routes:
                  - {kind: cart-event, method: POST, path: /e, body: '{"t":"{topic}"}'}
                """);
        assertTrue(m.contains("body: unknown placeholder {topic} ({topic} exists only in the webhook's route)"), m);
        m = refusal("""
                routes:
                  - {kind: recommendations, method: GET, path: /r, body: '{}'}
                """);
        assertTrue(m.contains("a GET request has no body; remove 'body' or use POST"), m);
        m = refusal("""
                routes:
                  - {kind: webhook, method: POST, path: '/webhooks/{topic}', auth: shopify-hmac}
                """);
        assertTrue(m.contains("auth shopify-hmac signs the body, and there is none"), m);
        m = refusal("""
                routes:
                  - {kind: dashboard, method: GET, path: /d, auth: basic}
                """);
        assertTrue(m.contains("auth 'basic' is not an auth kind; use none, shopify-hmac, session-token or admin-token"), m);
        m = refusal("""
                routes:
                  - {kind: dashboard, method: GET, path: /d}
                  - {kind: dashboard, method: GET, path: /e}
                """);
        assertTrue(m.contains("kind 'dashboard': appears twice"), m);
        m = refusal("""
                storesQuery: DELETE FROM "Session"
                routes:
                  - {kind: dashboard, method: GET, path: /d}
                """);
        assertTrue(m.contains("storesQuery 'DELETE FROM \"Session\"' must be a SELECT"), m);
        RouteMap partial = RoutesFile.parse("""
                routes:
                  - {kind: dashboard, method: GET, path: /d}
                """, "mine.yaml");
        m = assertThrows(ConfigException.class, () -> partial.checkCovers(List.of("cart-event", "dashboard", "webhook"), "mine.yaml")).getMessage();
        assertTrue(m.startsWith("mine.yaml: no route for cart-event, webhook, which the traffic profile sends"), m);
        assertEquals(RouteMap.DEFAULT_API_KEY, partial.apiKey(), "defaults: the reference service's API key");
        assertEquals(RouteMap.DEFAULT_ADMIN_TOKEN_HEADER, partial.adminTokenHeader());
    }
}
