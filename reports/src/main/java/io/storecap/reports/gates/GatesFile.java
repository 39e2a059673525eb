package io.storecap.reports.gates;

import com.fasterxml.jackson.databind.JsonNode;
import io.storecap.model.ConfigException;
import io.storecap.model.ConfigSchema;
import io.storecap.model.Json;
import io.storecap.model.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A gates file: what CI requires of a study. Checked against config/schema/gates.schema.json
 * ({@link ConfigSchema#GATES}) first, then for what a schema cannot say.
 * <pre>
 * gates:
 *   - claim: free-pooled          # a claim id
 *     threshold: "&gt;= 500"          # on its measured threshold (&gt;=, &gt;, &lt;=, &lt;, ==)
 *     verdict: [CONFIRMED, CONSERVATIVE]   # optional: allowed verdicts
 *   - metric: p95_ms              # p95_ms p99_ms mean_ms error_rate connections pooler_clients refusals
 *     at_stores: 1000             #   (per level) or webhook_lost webhook_duplicated (per run)
 *     max: 200                    # or min:, or threshold: "&lt; 200"; error_rate takes 0.01 or "1%"
 *     claim: launch-pooled        # optional: only that claim's run (or run: RUN_ID)
 *     kind: webhook               # optional: one request kind instead of all requests
 * </pre>
 */
public record GatesFile(String source, List<Gate> gates) {
    public GatesFile {
        gates = List.copyOf(gates);
    }

    private static final Set<String> CLAIM_KEYS = Set.of("claim", "threshold", "verdict", "name");
    private static final Set<String> METRIC_KEYS = Set.of("metric", "at_stores", "max", "min", "threshold", "run", "claim", "kind", "name");

    public static GatesFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GatesException("gates file " + file + " cannot be read: " + e.getMessage()
                    + " (pass an existing YAML file with --gates)", e);
        }
        return parse(text, file.toString());
    }

    public static GatesFile parse(String yaml, String source) {
        JsonNode root;
        try {
            root = Json.YAML.readTree(yaml == null ? "" : yaml);
        } catch (IOException e) {
            throw new GatesException(source + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull())
            throw new GatesException(source + ": the file is empty; it needs a top-level 'gates:' list");
        try {
            ConfigSchema.GATES.validate(root, source); // config/schema/gates.schema.json; what follows is what a schema cannot say
        } catch (ConfigException e) {
            throw new GatesException(e.getMessage(), e);
        }
        if (!root.isObject())
            throw new GatesException(source + ": the top level must be a mapping with a 'gates:' list");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("gates")) throw new GatesException(source + ": unknown top-level key '" + k + "'; only 'gates:' is allowed");
        }
        JsonNode list = root.get("gates");
        if (list == null || list.isNull())
            throw new GatesException(source + ": no 'gates:' list at the top level");
        if (!list.isArray())
            throw new GatesException(source + ": 'gates' must be a list (each entry starts with '- ')");
        if (list.isEmpty())
            throw new GatesException(source + ": 'gates' is empty; list at least one gate, or do not pass --gates");
        List<Gate> gates = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) gates.add(gate(list.get(i), i + 1, source));
        return new GatesFile(source, gates);
    }

    private static Gate gate(JsonNode g, int n, String source) {
        String where = source + ": gate " + n;
        if (!g.isObject()) throw new GatesException(where + ": must be a mapping such as {claim: free-pooled, threshold: \">= 500\"}");
        boolean metric = g.has("metric");
        if (!metric && !g.has("claim"))
            throw new GatesException(where + ": needs 'claim:' (a limit on a claim) or 'metric:' (a limit on an observed metric)");
        Set<String> allowed = metric ? METRIC_KEYS : CLAIM_KEYS;
        for (Iterator<String> it = g.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k))
                throw new GatesException(where + ": unknown field '" + k + "'; a " + (metric ? "metric" : "claim")
                        + " gate takes " + String.join(", ", allowed.stream().sorted().toList()));
        }
        String label = text(g, "name", where, false);
        return metric ? metricGate(g, n, label, where) : claimGate(g, n, label, where);
    }

    private static Gate claimGate(JsonNode g, int n, String label, String where) {
        String claim = text(g, "claim", where, true);
        Comparison threshold = null;
        if (g.has("threshold")) threshold = comparison(g.get("threshold"), null, where, "threshold");
        List<Verdict> verdicts = new ArrayList<>();
        if (g.has("verdict")) {
            JsonNode v = g.get("verdict");
            List<JsonNode> items = new ArrayList<>();
            if (v.isArray()) v.forEach(items::add); else items.add(v);
            if (items.isEmpty()) throw new GatesException(where + ": field 'verdict' is an empty list; list the verdicts allowed");
            for (JsonNode item : items) {
                String s = item.isTextual() ? item.asText().trim().toUpperCase(Locale.ROOT) : "";
                try {
                    verdicts.add(Verdict.valueOf(s));
                } catch (IllegalArgumentException e) {
                    throw new GatesException(where + ": field 'verdict': '" + item.asText() + "' is not one of "
                            + "CONFIRMED, OPTIMISTIC, CONSERVATIVE, INCONCLUSIVE");
                }
            }
        }
        if (threshold == null && verdicts.isEmpty())
            throw new GatesException(where + " (claim " + claim + "): give 'threshold:' (e.g. \">= 500\") or 'verdict:' (e.g. [CONFIRMED, CONSERVATIVE])");
        return new Gate.ClaimGate(n, label, claim, threshold, verdicts);
    }

    private static Gate metricGate(JsonNode g, int n, String label, String where) {
        String id = text(g, "metric", where, true);
        Metric metric = Metric.parse(id);
        if (metric == null) throw new GatesException(where + ": field 'metric': '" + id + "' is not one of " + Metric.ids());
        Integer atStores = null;
        if (g.has("at_stores")) {
            JsonNode a = g.get("at_stores");
            if (!a.canConvertToInt() || !a.isIntegralNumber() || a.asInt() < 1)
                throw new GatesException(where + ": field 'at_stores': '" + a.asText() + "' must be a whole number of stores >= 1");
            if (!metric.perLevel)
                throw new GatesException(where + ": field 'at_stores' does not apply to " + metric.id + ", which is counted over the whole run; remove it");
            atStores = a.asInt();
        }
        int limits = (g.has("max") ? 1 : 0) + (g.has("min") ? 1 : 0) + (g.has("threshold") ? 1 : 0);
        if (limits != 1)
            throw new GatesException(where + " (metric " + metric.id + "): give exactly one of 'max:', 'min:' or 'threshold:'"
                    + (limits == 0 ? "" : " (found " + limits + ")"));
        Comparison limit = g.has("max") ? comparison(g.get("max"), "<=", where, "max")
                : g.has("min") ? comparison(g.get("min"), ">=", where, "min")
                : comparison(g.get("threshold"), null, where, "threshold");
        if ((g.has("max") || g.has("min")) && !limit.op().equals(g.has("max") ? "<=" : ">="))
            throw new GatesException(where + ": field '" + (g.has("max") ? "max" : "min") + "' takes a number; use 'threshold:' for \""
                    + limit.op() + " ...\"");
        String kind = text(g, "kind", where, false);
        if (kind != null && !metric.byKind())
            throw new GatesException(where + ": field 'kind' does not apply to " + metric.id + "; it works with p95_ms, p99_ms, mean_ms, error_rate");
        return new Gate.MetricGate(n, label, metric, atStores, text(g, "run", where, false), text(g, "claim", where, false), kind, limit);
    }

    private static Comparison comparison(JsonNode v, String defaultOp, String where, String field) {
        Comparison c = null;
        if (v.isNumber()) c = defaultOp == null ? null : new Comparison(defaultOp, v.asDouble());
        else if (v.isTextual()) c = Comparison.parse(v.asText(), defaultOp);
        if (c == null)
            throw new GatesException(where + ": field '" + field + "': '" + v.asText() + "' is not "
                    + (defaultOp == null ? "a comparison; write an operator and a number in quotes, e.g. \">= 500\""
                    : "a number (e.g. 200, or \"1%\" for a rate)"));
        return c;
    }

    private static String text(JsonNode g, String field, String where, boolean required) {
        JsonNode v = g.get(field);
        if (v == null || v.isNull()) {
            if (required) throw new GatesException(where + ": field '" + field + "' is required");
            return null;
        }
        if (!v.isValueNode() || v.asText().isBlank())
            throw new GatesException(where + ": field '" + field + "' must be a non-empty text");
        return v.asText().trim();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
