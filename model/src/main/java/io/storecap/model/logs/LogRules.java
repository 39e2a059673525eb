package io.storecap.model.logs;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.ConfigException;
import io.storecap.model.ConfigSchema;
import io.storecap.model.TrafficProfile;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules file (config/log-rules.yaml, schema config/schema/log-rules.schema.json): which request
 * kind of the traffic profile a logged request is, by method and path, first match wins; and which
 * query parameter names the store. A path is matched without its query string; {@code *} matches
 * within one segment, {@code **} across segments.
 *
 * @param source        the file, for messages and the provenance
 * @param shopParameter the query parameter that names the store (Shopify's app proxy adds {@code shop})
 * @param rules         in file order
 */
public record LogRules(String source, String shopParameter, List<Rule> rules) {
    public static final String DEFAULT_FILE = "config/log-rules.yaml";

    /** One rule: requests with this method (null: any) and a path matching {@code path} are of {@code kind}. */
    public record Rule(int number, String kind, String method, String path, Pattern pattern, String reason) {
        boolean matches(String m, String p) { return (method == null || method.equals(m)) && pattern.matcher(p).matches(); }

        /** How messages name it: rule 2 (POST /proxy/events). */
        public String label() { return "rule " + number + " (" + (method == null ? "" : method + " ") + path + ")"; }
    }

    /** The rule that classifies a request, or null when none does (an unclassified request). */
    public Rule ruleFor(LoggedRequest r) {
        String path = r.path();
        for (Rule rule : rules) if (rule.matches(r.method(), path)) return rule;
        return null;
    }

    /** The request's store: its shop column, else the {@link #shopParameter} of its query string; null when neither says. */
    public String shopOf(LoggedRequest r) {
        if (r.shop() != null) return r.shop();
        String q = r.query();
        if (q.isEmpty()) return null;
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !pair.substring(0, eq).equals(shopParameter)) continue;
            try {
                String v = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).strip();
                return v.isEmpty() ? null : v;
            } catch (IllegalArgumentException e) {
                return null; // a broken %-escape: the request still counts, only its store is unknown
            }
        }
        return null;
    }

    public static LogRules load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("rules file " + file + " does not exist (the default is " + DEFAULT_FILE + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read rules file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    public static LogRules parse(String yaml, String source) {
        // config/schema/log-rules.schema.json; what follows is what a schema cannot say
        JsonNode root = ConfigSchema.LOG_RULES.read(yaml, source, "'rules:' followed by a list of rules");
        List<Rule> rules = new ArrayList<>();
        JsonNode list = root.get("rules");
        for (int i = 0; i < list.size(); i++) {
            JsonNode r = list.get(i);
            String kind = r.get("kind").asText();
            if (!TrafficProfile.STORE_KINDS.contains(kind) && !TrafficProfile.GLOBAL_KINDS.contains(kind))
                throw new ConfigException(source, "rule " + (i + 1) + ": kind '" + kind + "' is not a request kind the simulation sends");
            String path = r.get("path").asText();
            String method = r.has("method") ? r.get("method").asText() : null;
            rules.add(new Rule(i + 1, kind, method, path, glob(path), r.path("reason").asText("")));
        }
        return new LogRules(source, root.path("shopParameter").asText("shop"), List.copyOf(rules));
    }

    /** A path pattern as a regular expression: {@code **} any characters, {@code *} any but '/', the rest literal. */
    static Pattern glob(String path) {
        StringBuilder re = new StringBuilder(), literal = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '*') {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) re.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
            boolean twice = i + 1 < path.length() && path.charAt(i + 1) == '*';
            re.append(twice ? ".*" : "[^/]*");
            if (twice) i++;
        }
        if (!literal.isEmpty()) re.append(Pattern.quote(literal.toString()));
        return Pattern.compile(re.toString());
    }
}
