package io.storecap.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * config/routes.yaml (or a deployment's own route map): checked against
 * config/schema/routes.schema.json ({@link ConfigSchema#ROUTES}) first, then here for what a schema
 * cannot say: one route per kind, placeholders the injector can fill, no body on GET or DELETE, a
 * body to sign for shopify-hmac.
 */
public final class RoutesFile {
    private RoutesFile() {}

    public static final String DEFAULT_NAME = "routes.yaml";

    public static RouteMap load(Path file) {
        return parse(ClaimsFile.read(file), file.getFileName().toString());
    }

    public static RouteMap parse(String yaml, String source) {
        JsonNode root = ConfigSchema.ROUTES.read(yaml, source, "'routes:' followed by one route per kind (see config/routes.yaml)");
        Map<String, RouteMap.Endpoint> routes = new LinkedHashMap<>();
        for (JsonNode n : root.get("routes")) {
            String kind = n.get("kind").asText();
            String where = "kind '" + kind + "': ";
            String method = n.get("method").asText();
            String path = n.get("path").asText();
            String body = n.hasNonNull("body") ? n.get("body").asText() : null;
            RouteMap.Auth auth = RouteMap.Auth.of(n.path("auth").asText("none"));
            int status = n.path("status").asInt(200);
            if (routes.containsKey(kind))
                throw new ConfigException(source, where + "appears twice; give each kind one route (remove one)");
            if (body != null && (method.equals("GET") || method.equals("DELETE")))
                throw new ConfigException(source, where + "a " + method + " request has no body; remove 'body' or use POST");
            if (auth == RouteMap.Auth.SHOPIFY_HMAC && body == null)
                throw new ConfigException(source, where + "auth shopify-hmac signs the body, and there is none; add a 'body' or choose another auth");
            Set<String> allowed = RouteMap.allowed(kind);
            for (String field : new String[]{"path", "body"}) {
                String template = field.equals("path") ? path : body;
                if (template == null) continue;
                for (String name : RouteMap.names(template)) {
                    if (allowed.contains(name)) continue;
                    String hint = RouteMap.WEBHOOK_ONLY.contains(name) ? " ({" + name + "} exists only in the webhook's route)" : "";
                    throw new ConfigException(source, where + field + ": unknown placeholder {" + name + "}" + hint
                            + "; allowed are " + String.join(", ", allowed.stream().map(a -> "{" + a + "}").toList()));
                }
            }
            routes.put(kind, new RouteMap.Endpoint(kind, method, path, body, auth, status));
        }
        return new RouteMap(text(root, "apiKey"), text(root, "adminTokenHeader"), text(root, "storesQuery"), routes);
    }

    private static String text(JsonNode root, String field) {
        JsonNode v = root.get(field);
        return v == null || v.isNull() ? null : v.asText().trim();
    }
}
