package io.storecap.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How each kind of request the study sends reaches an app (config/routes.yaml, read by
 * {@link RoutesFile}): the method, a path and a body with {@code {placeholders}}, the auth, and the
 * status that counts as success. The reference service's map is the default, so a study against a
 * deployment and a local study send the same requests by the same code.
 *
 * @param apiKey           the app's API key: the {@code aud} of the session tokens the injector signs
 * @param adminTokenHeader the header {@link Auth#ADMIN_TOKEN} routes carry the admin token in
 * @param storesQuery      a read-only SELECT listing the deployment's shop domains (first column)
 * @param routes           kind -> its endpoint, in file order
 */
public record RouteMap(String apiKey, String adminTokenHeader, String storesQuery, Map<String, Endpoint> routes) {
    /** The kinds of request the injector can send (the profile names them). */
    public static final List<String> KINDS = List.of("cart-event", "recommendations", "admin-session", "dashboard", "webhook");
    /** Placeholders every request can use: drawn per request by the injector. */
    public static final List<String> COMMON = List.of("shop", "productId", "eventType", "cartValue", "page");
    /** Placeholders only a webhook has: its topic and the event's ids and amount. */
    public static final List<String> WEBHOOK_ONLY = List.of("topic", "eventId", "eventSeq", "price");
    /** A placeholder: a name in braces (a JSON body's own braces never hold a bare name). */
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    public static final String DEFAULT_API_KEY = "storecap-cart-uplift";
    public static final String DEFAULT_ADMIN_TOKEN_HEADER = "X-Admin-Token";

    /** What proves a request to the app. */
    public enum Auth {
        /** Nothing added. */
        NONE,
        /** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body with the app secret, as Shopify signs webhooks. */
        SHOPIFY_HMAC,
        /** Authorization: Bearer, an App Bridge session token (HS256 JWT with the app secret, aud = the API key). */
        SESSION_TOKEN,
        /** The admin token in {@link RouteMap#adminTokenHeader()}. */
        ADMIN_TOKEN;

        public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

        public static Auth of(String id) {
            for (Auth a : values()) if (a.id().equals(id == null ? "" : id.trim())) return a;
            throw new IllegalArgumentException("auth '" + id + "' is not one of none, shopify-hmac, session-token, admin-token");
        }

        /** The secret this auth needs: the app secret, the admin token, or none. */
        public String secret() {
            return switch (this) {
                case SHOPIFY_HMAC, SESSION_TOKEN -> "the app secret (SHOPIFY_API_SECRET)";
                case ADMIN_TOKEN -> "the admin token (STORECAP_ADMIN_TOKEN)";
                case NONE -> null;
            };
        }
    }

    /**
     * One kind's route.
     *
     * @param kind   the kind of request (one of {@link #KINDS})
     * @param method GET, POST, PUT, PATCH or DELETE
     * @param path   path and query after the target's URL, with placeholders
     * @param body   the JSON body with placeholders; null for none
     * @param auth   what proves the request
     * @param status the status that counts as success
     */
    public record Endpoint(String kind, String method, String path, String body, Auth auth, int status) {
        /** The path with its placeholders filled. */
        public String path(Function<String, String> values) { return render(path, values); }

        /** The body with its placeholders filled; null when the route has none. */
        public String body(Function<String, String> values) { return body == null ? null : render(body, values); }

        /** The placeholders of the path and body, in order of appearance. */
        public Set<String> placeholders() {
            Set<String> out = new LinkedHashSet<>(names(path));
            if (body != null) out.addAll(names(body));
            return out;
        }
    }

    public RouteMap {
        if (apiKey == null || apiKey.isBlank()) apiKey = DEFAULT_API_KEY;
        if (adminTokenHeader == null || adminTokenHeader.isBlank()) adminTokenHeader = DEFAULT_ADMIN_TOKEN_HEADER;
        routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    }

    /** The route of a kind the profile sends. */
    public Endpoint route(String kind) {
        Endpoint r = routes.get(kind);
        if (r == null) throw new IllegalArgumentException("the route map has no route for kind '" + kind + "'; add one (see config/routes.yaml)");
        return r;
    }

    /** The placeholders a kind's route may use. */
    public static Set<String> allowed(String kind) {
        Set<String> s = new LinkedHashSet<>(COMMON);
        if ("webhook".equals(kind)) s.addAll(WEBHOOK_ONLY);
        return s;
    }

    /**
     * Checks that every kind the traffic sends has a route, and names the missing ones and the file.
     *
     * @param source the route map's file name, for the message
     */
    public void checkCovers(Collection<String> kinds, String source) {
        List<String> missing = new ArrayList<>();
        for (String k : kinds) if (!routes.containsKey(k)) missing.add(k);
        if (!missing.isEmpty())
            throw new ConfigException(source, "no route for " + String.join(", ", missing) + ", which the traffic profile sends;"
                    + " add a route for each (- kind: " + missing.get(0) + ", method: ..., path: ...), or set its rate to 0 in the profile");
    }

    /** The secrets the routes of these kinds need (their words), e.g. the app secret for signed webhooks. */
    public Set<String> secretsNeeded(Collection<String> kinds) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : kinds) {
            Endpoint r = routes.get(k);
            if (r != null && r.auth().secret() != null) out.add(r.auth().secret());
        }
        return out;
    }

    /** A template with each {@code {name}} replaced by {@code values.apply(name)}. */
    public static String render(String template, Function<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder(template.length() + 32);
        while (m.find()) {
            String v = values.apply(m.group(1));
            if (v == null) throw new IllegalArgumentException("no value for placeholder {" + m.group(1) + "} of '" + template + "'");
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static List<String> names(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
