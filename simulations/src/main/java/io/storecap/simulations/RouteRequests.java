package io.storecap.simulations;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.storecap.model.RouteMap;
import io.storecap.service.SessionTokens;
import io.storecap.service.Webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * The requests of each kind as the route map says they reach the app: per request the placeholders
 * are drawn, the path and body rendered and the auth computed in Java ({@link #prepare}), and the
 * Gatling request ({@link #request}) sends what the session then holds. The reference service's map
 * (config/routes.yaml) makes the requests a local study has always sent; a deployment's own map
 * makes its own.
 */
final class RouteRequests {
    /** Session keys the prepared request is read from. */
    static final String PATH = "routePath", BODY = "routeBody", AUTH = "routeAuth";

    private final RouteMap map;
    private final String appSecret;
    private final String adminToken;

    /** Secrets may be null when no route of the map needs them (the caller checks before the run). */
    RouteRequests(RouteMap map, String appSecret, String adminToken) {
        this.map = map;
        this.appSecret = appSecret;
        this.adminToken = adminToken;
    }

    RouteMap.Endpoint endpoint(String kind) { return map.route(kind); }

    /**
     * The session with the kind's request prepared: path, body and auth header value, for the shop
     * already in the session. {@code extra} supplies the webhook's own placeholders (null elsewhere).
     */
    Session prepare(String kind, Session session, Function<String, String> extra) {
        RouteMap.Endpoint e = map.route(kind);
        String shop = session.getString("shop");
        Function<String, String> values = name -> {
            String v = extra == null ? null : extra.apply(name);
            return v != null ? v : common(name, shop);
        };
        String body = e.body(values);
        Session s = session.set(PATH, e.path(values));
        if (body != null) s = s.set(BODY, body);
        return switch (e.auth()) {
            case NONE -> s;
            case SHOPIFY_HMAC -> s.set(AUTH, Webhooks.sign(body.getBytes(StandardCharsets.UTF_8), require(appSecret, e)));
            case SESSION_TOKEN -> s.set(AUTH, "Bearer " + SessionTokens.sign(shop, require(appSecret, e), Duration.ofMinutes(1),
                    map.apiKey(), "1", Instant.now()));
            case ADMIN_TOKEN -> s.set(AUTH, require(adminToken, e));
        };
    }

    /** The Gatling request of a kind, reading what {@link #prepare} put into the session. */
    HttpRequestActionBuilder request(String kind) {
        RouteMap.Endpoint e = map.route(kind);
        HttpRequestActionBuilder r = http(kind).httpRequest(e.method(), "#{" + PATH + "}");
        if (e.body() != null) r = r.header("Content-Type", "application/json").body(StringBody("#{" + BODY + "}"));
        return switch (e.auth()) {
            case NONE -> r;
            case SHOPIFY_HMAC -> r.header("X-Shopify-Hmac-Sha256", "#{" + AUTH + "}");
            case SESSION_TOKEN -> r.header("Authorization", "#{" + AUTH + "}");
            case ADMIN_TOKEN -> r.header(map.adminTokenHeader(), "#{" + AUTH + "}");
        };
    }

    /**
     * A placeholder every kind may use, drawn per request: the cart event's type (60 % add to cart,
     * the rest view or checkout), one of 40 products, a cart value of 20-299 and a dashboard page of 1-3.
     */
    static String common(String name, String shop) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return switch (name) {
            case "shop" -> shop;
            case "eventType" -> r.nextDouble() < 0.6 ? "add_to_cart" : r.nextBoolean() ? "view" : "checkout";
            case "productId" -> "p" + r.nextInt(40);
            case "cartValue" -> String.valueOf(r.nextInt(20, 300));
            case "page" -> String.valueOf(1 + r.nextInt(3));
            default -> null;
        };
    }

    private static String require(String secret, RouteMap.Endpoint e) {
        if (secret == null || secret.isBlank())
            throw new IllegalStateException("kind '" + e.kind() + "' is sent with auth " + e.auth().id() + " and needs " + e.auth().secret());
        return secret;
    }
}
