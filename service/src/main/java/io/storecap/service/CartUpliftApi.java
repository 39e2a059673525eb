package io.storecap.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.service.Http.HttpError;
import io.storecap.service.Http.Request;
import io.storecap.service.Http.Response;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;

/**
 * The Cart Uplift app as the service routes it: which endpoint answers each method and path, and
 * the input rules the endpoint groups share (shop domains, JSON bodies, amounts of money, the admin
 * token). The endpoints live in one class per part of the app ({@link WebhookApi},
 * {@link StorefrontApi}, {@link MerchantAdminApi}, {@link InstallApi}, {@link DashboardApi},
 * {@link DbHealthApi}), each a function of (request, database) whose SQL is what the Remix app's
 * Prisma calls issue, so the connection hold times are those of the real app.
 */
final class CartUpliftApi {
    /** The longest merchant analytics range served: {@link MerchantAdminApi#MAX_ANALYTICS_DAYS}. */
    static final int MAX_ANALYTICS_DAYS = MerchantAdminApi.MAX_ANALYTICS_DAYS;
    /** The largest amount of money accepted anywhere: beyond it (1e999999) Postgres' numeric would overflow. */
    static final BigDecimal MAX_MONEY = new BigDecimal("1000000000000");

    /** A route: the name its requests are counted under in /metrics, and what serves it. */
    record Endpoint(String name, Handler handler) {}

    @FunctionalInterface
    interface Handler {
        Response handle(Request r, Db db) throws SQLException;
    }

    private final WebhookApi webhooks;
    private final StorefrontApi storefront;
    private final MerchantAdminApi admin;
    private final DashboardApi dashboard;

    /** {@code queue} null: webhooks are applied immediately; {@code cache} null: the dashboard is not cached. */
    CartUpliftApi(ServiceConfig cfg, Metrics metrics, AntiPatterns patterns, WebhookQueue queue, DashboardCache cache) {
        webhooks = new WebhookApi(cfg, metrics, patterns, queue);
        storefront = new StorefrontApi(metrics, patterns);
        admin = new MerchantAdminApi(cfg, patterns);
        dashboard = new DashboardApi(cfg, metrics, patterns, cache);
    }

    /** The endpoint that serves a request; 404 when none does (405 for a webhook or bundle path with the wrong method). */
    Endpoint endpoint(String method, String path) {
        if (path.startsWith("/webhooks/")) {
            if (!method.equals("POST")) throw new HttpError(405, "webhooks are POST");
            String topic = path.substring("/webhooks/".length());
            return new Endpoint("webhook", (r, db) -> webhooks.webhook(r, db, topic));
        }
        if (path.startsWith("/admin/bundles/")) {
            String id = path.substring("/admin/bundles/".length());
            return switch (method) {
                case "PUT", "POST" -> new Endpoint("admin-bundles", (r, db) -> admin.updateBundle(r, db, id));
                case "DELETE" -> new Endpoint("admin-bundles", (r, db) -> admin.deleteBundle(r, db, id));
                default -> throw new HttpError(405, "a bundle is changed with PUT and removed with DELETE");
            };
        }
        return switch (method + " " + path) {
            case "GET /proxy/recommendations" -> new Endpoint("recommendations", storefront::recommendations);
            case "POST /proxy/events" -> new Endpoint("cart-event", storefront::cartEvent);
            case "GET /admin/session" -> new Endpoint("admin-session", admin::session);
            case "GET /admin/settings" -> new Endpoint("admin-settings", admin::getSettings);
            case "POST /admin/settings" -> new Endpoint("admin-settings-write", admin::postSettings);
            case "GET /admin/bundles" -> new Endpoint("admin-bundles", admin::listBundles);
            case "POST /admin/bundles" -> new Endpoint("admin-bundles", admin::createBundle);
            case "GET /admin/analytics" -> new Endpoint("admin-analytics", admin::analytics);
            case "GET /superadmin/dashboard" -> new Endpoint("dashboard", dashboard::dashboard);
            case "POST /install" -> new Endpoint("install", InstallApi::install);
            case "POST /uninstall" -> new Endpoint("uninstall", InstallApi::uninstall);
            case "GET /api/db-health" -> new Endpoint("db-health", DbHealthApi::dbHealth);
            default -> throw new HttpError(404, "no endpoint " + method + " " + path);
        };
    }

    // ---- input rules the endpoint groups share -------------------------------------------------

    /** An amount of money within +-{@link #MAX_MONEY}, at most 6 decimals (rounded up); null when it is not one. */
    static BigDecimal money(String s) {
        if (s == null || s.length() > 60) return null;
        try {
            BigDecimal v = new BigDecimal(s.trim());
            if (v.abs().compareTo(MAX_MONEY) > 0) return null;
            return v.scale() > 6 ? v.setScale(6, java.math.RoundingMode.CEILING) : v;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** {@link #money}, or 400 when the text is not an amount of money. */
    static BigDecimal decimal(String s) {
        BigDecimal v = money(s);
        if (v == null) throw new HttpError(400, "amounts must be decimal numbers within +-" + MAX_MONEY.toPlainString());
        return v;
    }

    /** The {@code ?shop=} parameter; 400 when it is missing or not a *.myshopify.com domain. */
    static String shop(Request r) {
        String shop = r.requireParam("shop");
        if (!Webhooks.validShop(shop)) throw new HttpError(400, "parameter 'shop' must be a *.myshopify.com domain");
        return shop;
    }

    /** 401 without a token, 403 with a wrong one (compared in constant time). */
    static void requireAdmin(String token, String expected) {
        if (token == null || token.isBlank()) throw new HttpError(401, "X-Admin-Token header required");
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8)))
            throw new HttpError(403, "admin token not accepted");
    }

    /** The request's body as a JSON object; 415 for another content type, 400 for anything but an object. */
    static JsonNode jsonBody(Request r) {
        String ct = r.header("Content-Type");
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json"))
            throw new HttpError(415, "Content-Type must be application/json");
        try {
            JsonNode n = ReferenceService.JSON.readTree(r.body());
            if (n == null || !n.isObject()) throw new HttpError(400, "body must be a JSON object");
            return n;
        } catch (java.io.IOException e) {
            throw new HttpError(400, "body is not valid JSON");
        }
    }

    /** A CSV cell of the dashboard's export: {@link DashboardApi#cell}. */
    static String cell(String s) { return DashboardApi.cell(s); }
}
